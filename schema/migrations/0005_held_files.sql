-- kbm store, version 4: the files each verified commit holds at an older valid version.
-- A commit that carries refused content (or builds on one that does) holds those files at their
-- last valid version. kbm records this when it verifies the commit, so a later commit built on it
-- inherits exactly those holds; content is never judged by its blob alone (the same blob may be
-- an owner's valid edit elsewhere).
CREATE TABLE held_files (
    commit_id  TEXT NOT NULL,
    path       TEXT NOT NULL,
    -- the valid version (NULL: no file)
    valid_blob TEXT,
    PRIMARY KEY (commit_id, path)
) STRICT;

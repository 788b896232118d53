-- kbm store, version 2: changes refused by the authorship rules (issue 7, signed commits).
-- One row per file a refused commit touched. The commit stays in the repository's history;
-- kbm keeps the last valid version of the file in the trees it commits (`valid_blob`), and
-- recognises the refused content (`bad_blob`) wherever it turns up again.
CREATE TABLE rejected_changes (
    commit_id  TEXT NOT NULL,
    path       TEXT NOT NULL,
    -- the commit's author as it claims to be ("Name <email>")
    author     TEXT NOT NULL,
    -- who signed it according to the registry ('' if unsigned or unknown)
    signer     TEXT NOT NULL DEFAULT '',
    -- the county the file belongs to ('' for files outside counties/)
    county     TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL,
    -- the refused content (NULL: the commit deleted the file)
    bad_blob   TEXT,
    -- the last valid version (NULL: the file did not exist)
    valid_blob TEXT,
    detected   TEXT NOT NULL,
    PRIMARY KEY (commit_id, path)
) STRICT;

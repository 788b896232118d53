-- kbm store, version 1: records, their sync state, and the workspace settings.
-- Every record is kept whole as its canonical fields (JSON of typed values), so the
-- store can always write the record's canonical file again.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE records (
    id       TEXT PRIMARY KEY NOT NULL,
    kind     TEXT NOT NULL,
    county   TEXT NOT NULL,
    created  TEXT NOT NULL,
    updated  TEXT NOT NULL,
    format   INTEGER NOT NULL,
    title    TEXT NOT NULL DEFAULT '',
    -- all shared and unknown fields, as kbm's typed JSON (see KBMStore/RecordCoding.swift)
    fields   TEXT NOT NULL,
    -- fields whose privacy class is "local": they never leave this store
    local_fields TEXT NOT NULL DEFAULT '{}',
    -- open merge conflicts (shared data, travels in the record file)
    conflicts TEXT NOT NULL DEFAULT '[]',
    -- 1 while a local change waits to be committed by the next sync
    dirty    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX records_kind_county ON records(kind, county);
CREATE INDEX records_dirty ON records(dirty) WHERE dirty = 1;

-- Records deleted locally and not yet committed as a deletion.
CREATE TABLE deletions (
    id      TEXT PRIMARY KEY NOT NULL,
    kind    TEXT NOT NULL,
    county  TEXT NOT NULL,
    deleted TEXT NOT NULL
) STRICT;

-- Every id this workspace has seen: ids are never reused.
CREATE TABLE retired_ids (
    id TEXT PRIMARY KEY NOT NULL
) STRICT;

-- Files of the repository that were not imported: invalid, hostile, or refused by the rules.
-- They stay in the repository untouched; this lists them with the reason.
CREATE TABLE quarantine (
    path     TEXT PRIMARY KEY NOT NULL,
    commit_id TEXT NOT NULL,
    reason   TEXT NOT NULL,
    line     INTEGER,
    detected TEXT NOT NULL
) STRICT;

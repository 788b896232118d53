-- kbm store, version 4: disclosures made on this laptop (issue 13).
-- A local (personal) field leaves this laptop only for a disclosure made here with `kbm share`
-- by an owner of the record. A record's `disclosures` travel with the record, so any office can
-- write one; this table is the laptop's own list, which no file from the region can change.
-- One row per record and field: the id of the disclosure item `kbm share` wrote.
CREATE TABLE own_disclosures (
    record_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    item_id   TEXT NOT NULL,
    PRIMARY KEY (record_id, field)
) STRICT;

-- A personal value of this office hidden by another office's value of the same field, which
-- the region holds because that office shared it on purpose. Never committed; it comes back
-- into the local fields when the region's value leaves, and `kbm share` shares it, not the other.
-- `value` is the JSON object {field: value} in the store's typed JSON.
CREATE TABLE shadowed_local (
    record_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (record_id, field)
) STRICT;

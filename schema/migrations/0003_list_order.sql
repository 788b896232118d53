-- kbm list walks this index in display order instead of sorting all records.
CREATE INDEX records_list_order ON records(kind, county, title, id);

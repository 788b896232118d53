-- kbm store, version 6: the full-text index of `kbm search` (issue 15).
-- One row per record: its title and every other text value (local fields included, they are on
-- this laptop; enum values as their German labels), folded to the German ASCII spelling in lower
-- case (ä → ae, ß → ss, see TextFold.ascii), so "schueler" finds "Schüler". The trigram tokenizer
-- matches any part of a word of three letters or more: "konferenz" finds "Bildungskonferenz".
-- StoreTransaction.save and delete keep it up to date (KBMStore/StoreTransaction+Search.swift);
-- the store fills it in Swift after this migration, and `kbm rebuild` rebuilds it.
CREATE TABLE search_docs (
    doc INTEGER PRIMARY KEY,
    id  TEXT NOT NULL UNIQUE
) STRICT;
CREATE VIRTUAL TABLE search_index USING fts5(title, body, tokenize = 'trigram');

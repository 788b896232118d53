import Foundation
import GRDB
import KBMRecords

extension StoreTransaction {
    /// Streams every record (filtered) as the JSON object `--json` prints, built from the stored
    /// JSON columns without decoding them: `kbm list --json` over 100,000 records stays fast.
    /// Fields come in schema order, shared fields first, then local ones.
    public func forEachRecordJSON(_ filter: RecordFilter = RecordFilter(), _ body: (String) -> Void) throws {
        // SQLite assembles each object from the stored JSON columns: no decoding, no Swift dictionaries.
        let object = """
            '{"id":' || json_quote(id) || ',"kind":' || json_quote(kind) || ',"county":' || json_quote(county)
            || ',"created":' || json_quote(created) || ',"updated":' || json_quote(updated)
            || CASE WHEN length(fields) > 2 THEN ',' || substr(fields, 2, length(fields) - 2) ELSE '' END
            || CASE WHEN length(local_fields) > 2 THEN ',' || substr(local_fields, 2, length(local_fields) - 2) ELSE '' END
            || CASE WHEN conflicts <> '[]' THEN ',"conflicts":' || conflicts ELSE '' END || '}'
            """
        // A row whose columns are not the JSON they should be is refused, not printed.
        let valid = """
            CASE WHEN json_valid(fields) AND json_valid(local_fields) AND json_valid(conflicts)
            THEN json_type(fields) = 'object' AND json_type(local_fields) = 'object' AND json_type(conflicts) = 'array' ELSE 0 END
            """
        let (sql, args) = Self.listSQL(columns: "\(object) AS object, id, \(valid) AS valid", filter)
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
        while let row = try cursor.next() {
            guard row["valid"] as Bool else {
                // Decoding names the column and the problem.
                if let full = try Row.fetchOne(db, sql: "SELECT * FROM records WHERE id = ?", arguments: [row["id"] as String]) {
                    _ = try decode(full)
                }
                throw StoreError(undecodable: UndecodableRow(id: row["id"], column: "fields", problem: "not valid JSON"))
            }
            body(row["object"])
        }
    }
}

extension StoreTransaction {
    /// Records with open conflicts (without decoding all the others).
    public func recordsWithConflicts() throws -> [KBMRecords.Record] {
        try Row.fetchAll(db, sql: "SELECT * FROM records WHERE conflicts <> '[]' ORDER BY id").map { try decode($0) }
    }

    /// Records of `kind` whose `field` holds a value (a cheap text filter before decoding).
    public func records(kind: String, having field: String) throws -> [KBMRecords.Record] {
        try Row.fetchAll(db, sql: "SELECT * FROM records WHERE kind = ? AND instr(fields, ?) > 0 ORDER BY id",
                         arguments: [kind, "\"\(field)\":"]).map { try decode($0) }
    }
}

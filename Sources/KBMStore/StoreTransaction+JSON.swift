import Foundation
import GRDB
import KBMRecords

extension StoreTransaction {
    /// Streams every record (filtered) as the JSON object `--json` prints, built from the stored
    /// JSON columns without decoding them: `kbm list --json` over 100,000 records stays fast.
    /// Fields come in schema order, shared fields first, then local ones.
    public func forEachRecordJSON(_ filter: RecordFilter = RecordFilter(), _ body: (String) -> Void) throws {
        let (sql, args) = Self.listSQL(columns: "id, kind, county, created, updated, fields, local_fields, conflicts", filter)
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
        while let row = try cursor.next() {
            var out = "{"
            for (i, key) in ["id", "kind", "county", "created", "updated"].enumerated() {
                if i > 0 { out += "," }
                out += "\"\(key)\":"
                JSONValue.writeString(row[i] as String, to: &out)
            }
            for column in [5, 6] {
                let object: String = row[column]
                if object.count > 2 { out += "," + object.dropFirst().dropLast() }
            }
            let conflicts: String = row[7]
            if conflicts != "[]" { out += ",\"conflicts\":" + conflicts }
            out += "}"
            body(out)
        }
    }
}

extension StoreTransaction {
    /// Records with open conflicts (without decoding all the others).
    public func recordsWithConflicts() throws -> [KBMRecords.Record] {
        try Row.fetchAll(db, sql: "SELECT * FROM records WHERE conflicts <> '[]' ORDER BY id").compactMap(decode)
    }

    /// Records of `kind` whose `field` holds a value (a cheap text filter before decoding).
    public func records(kind: String, having field: String) throws -> [KBMRecords.Record] {
        try Row.fetchAll(db, sql: "SELECT * FROM records WHERE kind = ? AND instr(fields, ?) > 0 ORDER BY id",
                         arguments: [kind, "\"\(field)\":"]).compactMap(decode)
    }
}

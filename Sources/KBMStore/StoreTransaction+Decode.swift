import GRDB
import KBMRecords

/// Strict decoding of the `records` table: a row is the record it stores, or an error naming the
/// record and the column. Nothing is turned into empty fields or skipped, so a damaged row can
/// never be committed to the region as an empty record (`kbm doctor` lists such rows and
/// `kbm doctor --repair` / `kbm rebuild` restore them from the repository).
extension StoreTransaction {
    /// The record of a row: its shared and local fields together, or with `sharedOnly` what the
    /// next commit holds (the shared column, without the conflicts on local fields kept here).
    func decode(_ row: Row) throws -> KBMRecords.Record { try decode(row, sharedOnly: false) }

    func decode(_ row: Row, sharedOnly: Bool) throws -> KBMRecords.Record {
        let rawID: String = row["id"]
        func broken(_ column: String, _ problem: String) -> StoreError {
            StoreError(undecodable: UndecodableRow(id: rawID, column: column, problem: problem))
        }
        guard let id = RecordID(rawID) else { throw broken("id", "not a record id") }
        guard let county = County(row["county"]) else { throw broken("county", "not a county slug") }
        guard let created = Timestamp(row["created"]) else { throw broken("created", "not a timestamp") }
        guard let updated = Timestamp(row["updated"]) else { throw broken("updated", "not a timestamp") }
        let kind: String = row["kind"]
        var fields = try decodeFields(row["fields"], id: rawID, column: "fields", kind: kind)
        var conflicts = try decodeConflicts(row["conflicts"], id: rawID, kind: kind)
        if sharedOnly {
            conflicts.removeAll { conflict in
                schema.field(conflict.field, of: kind)?.privacy == .local && fields[conflict.field] == nil
            }
        } else {
            let local = try decodeFields(row["local_fields"], id: rawID, column: "local_fields", kind: kind)
            fields.merge(local) { shared, _ in shared }
        }
        return KBMRecords.Record(id: id, kind: kind, county: county, format: row["format"], created: created, updated: updated, fields: fields, conflicts: conflicts)
    }

    /// The fields a column holds (kbm's typed JSON object). Every value must fit its field:
    /// a value that does not (or an element of a list that does not) is an error, never dropped.
    func decodeFields(_ text: String, id: String, column: String, kind: String) throws -> [String: FieldValue] {
        let json = try parseColumn(text, id: id, column: column)
        guard case .object(let pairs) = json else {
            throw StoreError(undecodable: UndecodableRow(id: id, column: column, problem: "expected a JSON object"))
        }
        var out: [String: FieldValue] = [:]
        for (name, value) in pairs {
            let spec = schema.field(name, of: kind)
            guard let decoded = RecordJSON.fieldValue(value, spec: spec), Self.keepsEveryElement(value, decoded) else {
                throw StoreError(undecodable: UndecodableRow(id: id, column: column, problem: "the value of field '\(name)' does not fit the field (\(spec.map { "\($0.type)" } ?? "unknown field"))"))
            }
            if !decoded.isEmpty { out[name] = decoded }
        }
        return out
    }

    /// The conflicts column: a JSON array of conflicts, each with its kind and field.
    func decodeConflicts(_ text: String, id: String, kind: String) throws -> [FieldConflict] {
        let json = try parseColumn(text, id: id, column: "conflicts")
        guard case .array(let items) = json else {
            throw StoreError(undecodable: UndecodableRow(id: id, column: "conflicts", problem: "expected a JSON array"))
        }
        let conflicts = RecordJSON.decodeConflicts(json, kind: kind, schema: schema)
        guard conflicts.count == items.count else {
            throw StoreError(undecodable: UndecodableRow(id: id, column: "conflicts", problem: "\(items.count - conflicts.count) conflict\(items.count - conflicts.count == 1 ? "" : "s") without kind or field"))
        }
        return conflicts
    }

    func parseColumn(_ text: String, id: String, column: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(text)
        } catch {
            throw StoreError(undecodable: UndecodableRow(id: id, column: column, problem: "not valid JSON"))
        }
    }

    /// Whether decoding kept every element of a list (lists drop elements of the wrong type).
    static func keepsEveryElement(_ json: JSONValue, _ value: FieldValue) -> Bool {
        guard case .array(let elements) = json else { return true }
        switch value {
        case .strings(let strings): return strings.count == elements.count
        case .items(let items):
            guard items.count == elements.count else { return false }
            // Every property of an item is text.
            return elements.allSatisfy { element in
                guard case .object(let pairs) = element else { return false }
                return pairs.allSatisfy { if case .string = $0.1 { return true } else { return false } }
            }
        default: return true
        }
    }

    /// Every row of `records` that cannot be decoded, with its first problem (for `kbm doctor`).
    /// Also the values hidden in `shadowed_local` and the pending deletions.
    public func undecodableRows() throws -> [UndecodableRow] {
        var out: [UndecodableRow] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM records ORDER BY id")
        while let row = try cursor.next() {
            do {
                let record = try decode(row, sharedOnly: true)
                // The local column too (decode with sharedOnly skips it).
                _ = try decodeFields(row["local_fields"], id: record.id.rawValue, column: "local_fields", kind: record.kind)
            } catch let error as StoreError {
                guard let row = error.undecodable else { throw error }
                out.append(row)
            }
        }
        for row in try Row.fetchAll(db, sql: "SELECT s.record_id, s.field, s.value, r.kind FROM shadowed_local s LEFT JOIN records r ON r.id = s.record_id ORDER BY s.record_id, s.field") {
            let id: String = row["record_id"], kind: String? = row["kind"]
            do {
                _ = try decodeFields(row["value"], id: id, column: "shadowed_local.value", kind: kind ?? "")
            } catch let error as StoreError {
                guard let row = error.undecodable else { throw error }
                out.append(row)
            }
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, county FROM deletions ORDER BY id") {
            let id: String = row["id"]
            if RecordID(id) == nil { out.append(UndecodableRow(id: id, column: "deletions.id", problem: "not a record id")) }
            else if County(row["county"]) == nil { out.append(UndecodableRow(id: id, column: "deletions.county", problem: "not a county slug")) }
        }
        return out
    }

    /// The rows of `records` with these ids exactly as stored, each an object of its columns (a copy
    /// to keep before a repair empties what cannot be decoded).
    public func rawRecordRows(_ ids: [String]) throws -> [JSONValue] {
        var out: [JSONValue] = []
        for id in Set(ids).sorted() {
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM records WHERE id = ?", arguments: [id]) else { continue }
            out.append(.object(row.columnNames.map { column in
                let value: DatabaseValue = row[column]
                switch value.storage {
                case .string(let text): return (column, .string(text))
                case .int64(let number): return (column, .number(Int(number)))
                case .double(let number): return (column, .string("\(number)"))
                case .blob(let data): return (column, .string(String(decoding: data, as: UTF8.self)))
                case .null: return (column, .null)
                }
            }))
        }
        return out
    }

    /// Makes the undecodable rows readable again, keeping what decodes, so that a rebuild from
    /// the repository (which must run in the same transaction) completes them:
    /// - a broken local column is emptied (its values cannot be read);
    /// - a broken shared part (fields, conflicts, county, dates) is emptied and the row marked
    ///   as not changed here, so the rebuild takes the repository's version, or removes the row
    ///   when the repository does not hold the record; the local fields stay where they decode;
    /// - a row whose id is broken, a broken hidden value and a broken pending deletion are removed.
    /// Returns the rows it changed, as they were.
    public func clearUndecodableRows() throws -> [UndecodableRow] {
        let rows = try undecodableRows()
        for row in rows {
            switch row.column {
            case "local_fields":
                try db.execute(sql: "UPDATE records SET local_fields = '{}' WHERE id = ?", arguments: [row.id])
            case "id":
                try db.execute(sql: "DELETE FROM records WHERE id = ?", arguments: [row.id])
            case "shadowed_local.value":
                for shadow in try Row.fetchAll(db, sql: "SELECT s.field, s.value, r.kind FROM shadowed_local s LEFT JOIN records r ON r.id = s.record_id WHERE s.record_id = ?", arguments: [row.id]) {
                    let kind: String? = shadow["kind"]
                    guard (try? decodeFields(shadow["value"], id: row.id, column: row.column, kind: kind ?? "")) == nil else { continue }
                    try db.execute(sql: "DELETE FROM shadowed_local WHERE record_id = ? AND field = ?", arguments: [row.id, shadow["field"] as String])
                }
            case "deletions.id", "deletions.county":
                try db.execute(sql: "DELETE FROM deletions WHERE id = ?", arguments: [row.id])
            default:
                // The shared part: the local column stays if it decodes.
                let kind = try String.fetchOne(db, sql: "SELECT kind FROM records WHERE id = ?", arguments: [row.id]) ?? ""
                let local = try String.fetchOne(db, sql: "SELECT local_fields FROM records WHERE id = ?", arguments: [row.id]) ?? "{}"
                let keep = (try? decodeFields(local, id: row.id, column: "local_fields", kind: kind)) != nil
                try db.execute(sql: "UPDATE records SET fields = '{}', conflicts = '[]', dirty = 0, local_fields = ? WHERE id = ?",
                               arguments: [keep ? local : "{}", row.id])
            }
        }
        return rows
    }
}

extension UndecodableRow {
    /// What is broken in this row, and how to see and repair it: `"<stopped>: record … cannot be decoded …"`.
    public func message(stopped: String = "The command stopped") -> String {
        "\(stopped): record \(id) in the local database cannot be decoded (column '\(column)': \(problem)). "
            + "Run `kbm doctor` to list the damaged rows and `kbm doctor --repair` (or `kbm rebuild`) to restore them from the repository."
    }
}

import Foundation
import GRDB
import KBMRecords

/// A file of the repository that was not imported, and why.
public struct QuarantineEntry: Equatable, Sendable {
    public var path: String
    public var commit: String
    public var reason: String
    public var line: Int?
    public var detected: String
    public init(path: String, commit: String, reason: String, line: Int?, detected: String) {
        self.path = path
        self.commit = commit
        self.reason = reason
        self.line = line
        self.detected = detected
    }
}

/// A record deleted locally, waiting for the next sync to commit the deletion.
public struct PendingDeletion: Equatable, Sendable {
    public var id: RecordID
    public var kind: String
    public var county: County
}

/// Filters for listing records.
public struct RecordFilter: Sendable {
    public var kind: String?
    public var county: County?
    public init(kind: String? = nil, county: County? = nil) {
        self.kind = kind
        self.county = county
    }
}

/// The store's operations inside one transaction.
public struct StoreTransaction {
    let db: Database
    public let schema: Schema

    // MARK: settings

    public func setting(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key])
    }

    public func setSetting(_ key: String, _ value: String?) throws {
        if let value {
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [key, value])
        } else {
            try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [key])
        }
    }

    // MARK: records

    /// The record with this id, local fields included.
    public func record(_ id: RecordID) throws -> KBMRecords.Record? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM records WHERE id = ?"), arguments: [id.rawValue]).map { try decode($0) }
    }

    public func isDirty(_ id: RecordID) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT dirty FROM records WHERE id = ?"), arguments: [id.rawValue]) ?? false
    }

    /// Whether this id was ever used here (ids are never reused).
    public func isKnownID(_ id: RecordID) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM records WHERE id = ?) OR EXISTS(SELECT 1 FROM retired_ids WHERE id = ?)"), arguments: [id.rawValue, id.rawValue]) ?? false
    }

    /// Inserts or replaces a record. `dirty` marks a local change for the next sync.
    ///
    /// With `keepLocalFields`, `record` is a file from the region (an import): its shared part is
    /// stored (local values only where its own `disclosures` name them, as they are in the region
    /// already), the stored local fields stay as they are, and a new record starts with none: a
    /// file never fills the local column. Otherwise `record` is a change made here, and
    /// `privacySplit` decides which of its local values may be committed.
    public func save(_ record: KBMRecords.Record, dirty: Bool, keepLocalFields: Bool = false, alsoPublic: KBMRecords.Record? = nil) throws {
        let shared: KBMRecords.Record
        let local: [String: FieldValue]
        if keepLocalFields {
            shared = record.sharedPart(schema: schema)
            local = [:]
        } else {
            (shared, local) = try privacySplit(record, alsoPublic: alsoPublic)
        }
        let fieldsJSON = JSONValue.object(RecordJSON.fields(shared.fields, kind: record.kind, schema: schema)).text
        let localJSON = JSONValue.object(RecordJSON.fields(local, kind: record.kind, schema: schema)).text
        let conflictsJSON = RecordJSON.conflicts(record.conflicts).text
        let args: StatementArguments = [record.id.rawValue, record.kind, record.county.rawValue, record.created.rawValue,
                                        record.updated.rawValue, record.format, record.title(schema: schema), fieldsJSON,
                                        localJSON, conflictsJSON, dirty]
        if keepLocalFields {
            try db.cachedStatement(sql: """
                INSERT INTO records(id, kind, county, created, updated, format, title, fields, local_fields, conflicts, dirty)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, county = excluded.county, created = excluded.created,
                  updated = excluded.updated, format = excluded.format, title = excluded.title, fields = excluded.fields,
                  conflicts = excluded.conflicts, dirty = excluded.dirty
                """).execute(arguments: args)
            try updateShadowsAfterImport(record.id, kind: record.kind, shared: shared)
        } else {
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO records(id, kind, county, created, updated, format, title, fields, local_fields, conflicts, dirty)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: args)
            // A hidden value is done with once the shared copy no longer holds its field (privacySplit
            // restored or replaced it) or holds this very value (shared here with `kbm share`).
            for (name, own) in try shadowedValues(record.id, kind: record.kind) where shared.fields[name] == nil || shared.fields[name] == own {
                try setShadow(record.id, kind: record.kind, field: name, value: nil)
            }
        }
        try db.cachedStatement(sql: "DELETE FROM deletions WHERE id = ?").execute(arguments: [record.id.rawValue])
        // The search index holds what the row holds now: the shared part and the local column.
        var indexed = shared
        if keepLocalFields {
            let stored = try String.fetchOne(db.cachedStatement(sql: "SELECT local_fields FROM records WHERE id = ?"), arguments: [record.id.rawValue]) ?? "{}"
            if stored != "{}" {
                indexed.fields.merge(try decodeFields(stored, id: record.id.rawValue, column: "local_fields", kind: record.kind)) { shared, _ in shared }
            }
        } else {
            indexed.fields.merge(local) { shared, _ in shared }
        }
        try index(indexed)
    }

    /// Removes a record. `pending` remembers the deletion for the next sync to commit.
    public func delete(_ id: RecordID, pending: Bool) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT kind, county FROM records WHERE id = ?", arguments: [id.rawValue]) else { return }
        try db.execute(sql: "DELETE FROM records WHERE id = ?", arguments: [id.rawValue])
        try db.execute(sql: "DELETE FROM own_disclosures WHERE record_id = ?", arguments: [id.rawValue])
        try db.execute(sql: "DELETE FROM shadowed_local WHERE record_id = ?", arguments: [id.rawValue])
        try db.execute(sql: "INSERT OR IGNORE INTO retired_ids(id) VALUES (?)", arguments: [id.rawValue])
        try removeFromIndex(id)
        if pending {
            try db.execute(sql: "INSERT OR REPLACE INTO deletions(id, kind, county, deleted) VALUES (?, ?, ?, ?)",
                           arguments: [id.rawValue, row["kind"] as String, row["county"] as String, Timestamp.now().rawValue])
        }
    }

    public func records(_ filter: RecordFilter = RecordFilter()) throws -> [KBMRecords.Record] {
        let (sql, args) = Self.listSQL(columns: "*", filter)
        var out: [KBMRecords.Record] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
        while let row = try cursor.next() {
            out.append(try decode(row))
        }
        return out
    }

    /// The query listing records in display order, filtered by kind and county.
    static func listSQL(columns: String, _ filter: RecordFilter) -> (String, StatementArguments) {
        var sql = "SELECT \(columns) FROM records"
        var clauses: [String] = []
        var args: [DatabaseValueConvertible] = []
        if let kind = filter.kind { clauses.append("kind = ?"); args.append(kind) }
        if let county = filter.county { clauses.append("county = ?"); args.append(county.rawValue) }
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        return (sql + " ORDER BY kind, county, title, id", StatementArguments(args))
    }

    public func count() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records") ?? 0
    }

    public func dirtyRecords() throws -> [KBMRecords.Record] {
        try Row.fetchAll(db, sql: "SELECT * FROM records WHERE dirty = 1 ORDER BY id").map { try decode($0) }
    }

    public func pendingDeletions() throws -> [PendingDeletion] {
        try Row.fetchAll(db, sql: "SELECT id, kind, county FROM deletions ORDER BY id").map { row in
            let raw: String = row["id"]
            guard let id = RecordID(raw) else { throw StoreError(undecodable: UndecodableRow(id: raw, column: "deletions.id", problem: "not a record id")) }
            guard let county = County(row["county"]) else { throw StoreError(undecodable: UndecodableRow(id: raw, column: "deletions.county", problem: "not a county slug")) }
            return PendingDeletion(id: id, kind: row["kind"], county: county)
        }
    }

    /// Marks these records and deletions as committed.
    public func markCommitted(records: [RecordID], deletions: [RecordID]) throws {
        let clean = try db.cachedStatement(sql: "UPDATE records SET dirty = 0 WHERE id = ?")
        for id in records { try clean.execute(arguments: [id.rawValue]) }
        let forget = try db.cachedStatement(sql: "DELETE FROM deletions WHERE id = ?")
        for id in deletions { try forget.execute(arguments: [id.rawValue]) }
    }

    // MARK: quarantine

    public func quarantine() throws -> [QuarantineEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM quarantine ORDER BY path").map {
            QuarantineEntry(path: $0["path"], commit: $0["commit_id"], reason: $0["reason"], line: $0["line"], detected: $0["detected"])
        }
    }

    public func putInQuarantine(_ entry: QuarantineEntry) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO quarantine(path, commit_id, reason, line, detected) VALUES (?, ?, ?, ?, ?)",
                       arguments: [entry.path, entry.commit, entry.reason, entry.line, entry.detected])
    }

    /// The quarantined paths whose file name is `<id>.md`: files claiming this record id.
    public func quarantinedPaths(claiming id: RecordID) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT path FROM quarantine WHERE path LIKE ? ORDER BY path"), arguments: ["%/" + id.rawValue + ".md"])
    }

    public func releaseFromQuarantine(_ path: String) throws {
        try db.cachedStatement(sql: "DELETE FROM quarantine WHERE path = ?").execute(arguments: [path])
    }
}

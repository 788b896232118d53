import Foundation
import GRDB
import KBMRecords

/// A disclosure made on this laptop with `kbm share` (table `own_disclosures`).
public struct OwnDisclosure: Equatable, Sendable {
    public var id: RecordID
    public var field: String
    public var itemID: String
}

/// What a privacy normalisation changed (`StoreTransaction.normalizePrivacy`).
public struct PrivacyNormalization: Equatable, Sendable {
    /// Records of this office whose shared copy held personal values: kept here, marked for the next commit.
    public var kept: Int = 0
    /// Records of other offices whose shared copy held personal values: those values are dropped.
    public var dropped: Int = 0
}

extension StoreTransaction {
    /// The stored shared and local columns of a record, decoded.
    func storedColumns(_ id: RecordID) throws -> (shared: [String: FieldValue], local: [String: FieldValue])? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT kind, fields, local_fields FROM records WHERE id = ?"), arguments: [id.rawValue]) else { return nil }
        let kind: String = row["kind"]
        let shared = try decodeFields(row["fields"], id: id.rawValue, column: "fields", kind: kind)
        let local = try decodeFields(row["local_fields"], id: id.rawValue, column: "local_fields", kind: kind)
        return (shared, local)
    }

    /// This office's own value of a personal field: the local column's, or the one hidden by
    /// another office's value that the region holds (table `shadowed_local`).
    public func localValue(_ id: RecordID, field: String) throws -> FieldValue? {
        guard let kind = try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM records WHERE id = ?"), arguments: [id.rawValue]) else { return nil }
        return try storedColumns(id)?.local[field] ?? shadowedValues(id, kind: kind)[field]
    }

    // MARK: values hidden by the region's value

    func shadowedValues(_ id: RecordID, kind: String) throws -> [String: FieldValue] {
        var out: [String: FieldValue] = [:]
        for text in try String.fetchAll(db.cachedStatement(sql: "SELECT value FROM shadowed_local WHERE record_id = ?"), arguments: [id.rawValue]) {
            out.merge(try decodeFields(text, id: id.rawValue, column: "shadowed_local.value", kind: kind)) { first, _ in first }
        }
        return out
    }

    func setShadow(_ id: RecordID, kind: String, field: String, value: FieldValue?) throws {
        if let value {
            let text = JSONValue.object(RecordJSON.fields([field: value], kind: kind, schema: schema)).text
            try db.execute(sql: "INSERT OR REPLACE INTO shadowed_local(record_id, field, value) VALUES (?, ?, ?)", arguments: [id.rawValue, field, text])
        } else {
            try db.execute(sql: "DELETE FROM shadowed_local WHERE record_id = ? AND field = ?", arguments: [id.rawValue, field])
        }
    }

    /// After an import: a personal value of this office whose field the region's file now holds
    /// (another office shared its value on purpose) is hidden, not lost; a hidden value whose
    /// field the file no longer holds comes back into the local column. No key is ever in both
    /// columns (`kbm list --json` joins them).
    func updateShadowsAfterImport(_ id: RecordID, kind: String, shared: KBMRecords.Record) throws {
        let published = schema.orderedFields(of: kind).filter { $0.privacy == .local && shared.fields[$0.name] != nil }.map(\.name)
        let shadows = try shadowedValues(id, kind: kind)
        guard !published.isEmpty || !shadows.isEmpty, let stored = try storedColumns(id) else { return }
        var local = stored.local
        for name in published {
            guard let value = local[name] else { continue }
            if shadows[name] == nil { try setShadow(id, kind: kind, field: name, value: value) }
            local[name] = nil
        }
        for (name, value) in shadows where shared.fields[name] == nil {
            if local[name] == nil { local[name] = value }
            try setShadow(id, kind: kind, field: name, value: nil)
        }
        guard local != stored.local else { return }
        try db.execute(sql: "UPDATE records SET local_fields = ? WHERE id = ?",
                       arguments: [JSONValue.object(RecordJSON.fields(local, kind: kind, schema: schema)).text, id.rawValue])
    }

    /// The record as the next commit writes it: its shared column only.
    public func sharedRecord(_ id: RecordID) throws -> KBMRecords.Record? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM records WHERE id = ?"), arguments: [id.rawValue]).map { try decode($0, sharedOnly: true) }
    }

    /// Every record as the repository should hold it (shared columns only).
    public func sharedRecords() throws -> [KBMRecords.Record] {
        try Row.fetchAll(db, sql: "SELECT * FROM records ORDER BY id").map { try decode($0, sharedOnly: true) }
    }

    /// Records whose shared copy holds a `disclosures` field (a cheap text filter before decoding).
    public func recordsWithDisclosures() throws -> [KBMRecords.Record] {
        try Row.fetchAll(db, sql: "SELECT * FROM records WHERE instr(fields, '\"disclosures\":') > 0 ORDER BY kind, county, title, id").map { try decode($0) }
    }

    /// The records waiting for the next commit, as that commit writes them (shared columns only).
    public func dirtySharedRecords() throws -> [KBMRecords.Record] {
        try Row.fetchAll(db, sql: "SELECT * FROM records WHERE dirty = 1 ORDER BY id").map { try decode($0, sharedOnly: true) }
    }

    // MARK: disclosures made here

    public func ownDisclosures() throws -> [OwnDisclosure] {
        try Row.fetchAll(db, sql: "SELECT record_id, field, item_id FROM own_disclosures ORDER BY record_id, field").compactMap { row in
            guard let id = RecordID(row["record_id"]) else { return nil }
            return OwnDisclosure(id: id, field: row["field"], itemID: row["item_id"])
        }
    }

    /// Remembers that `kbm share` on this laptop wrote disclosure item `itemID` for `field`.
    public func recordOwnDisclosure(_ id: RecordID, field: String, itemID: String) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO own_disclosures(record_id, field, item_id) VALUES (?, ?, ?)", arguments: [id.rawValue, field, itemID])
    }

    public func removeOwnDisclosure(_ id: RecordID, field: String) throws {
        try db.execute(sql: "DELETE FROM own_disclosures WHERE record_id = ? AND field = ?", arguments: [id.rawValue, field])
    }

    /// The fields of `record` shared by a disclosure made on this laptop: the record's
    /// `disclosures` must still hold the very item `kbm share` wrote here.
    public func ownDisclosedFields(_ record: KBMRecords.Record) throws -> Set<String> {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT field, item_id FROM own_disclosures WHERE record_id = ?"), arguments: [record.id.rawValue])
        guard !rows.isEmpty else { return [] }
        let items = record["disclosures"]?.itemsValue ?? []
        var out: Set<String> = []
        for row in rows {
            let field: String = row["field"], itemID: String = row["item_id"]
            if items.contains(where: { $0.id == itemID && $0.fields["field"] == field }) { out.insert(field) }
        }
        return out
    }

    /// Splits a record changed here into what may be committed and what stays in this store.
    ///
    /// A personal value goes to the shared part only if the record's `disclosures` name its field
    /// and either that disclosure was made on this laptop (`kbm share`) or the value is the one the
    /// region holds already (the stored shared copy, or `alsoPublic`, an incoming file). A
    /// disclosure written anywhere else (another office, a hand-edited file) therefore publishes
    /// nothing from here. A value kept here for a field that has since become shared for this
    /// record (a person re-typed as an organisation) stays here too, until someone enters it anew.
    public func privacySplit(_ record: KBMRecords.Record, alsoPublic: KBMRecords.Record? = nil) throws -> (shared: KBMRecords.Record, local: [String: FieldValue]) {
        let personal = schema.orderedFields(of: record.kind).filter { $0.privacy == .local }
        guard personal.contains(where: { record.fields[$0.name] != nil }) else {
            var shared = record
            shared.conflicts.removeAll { schema.field($0.field, of: record.kind)?.privacy == .local }
            return (shared, [:])
        }
        let stored = try storedColumns(record.id)
        let own = try ownDisclosedFields(record)
        let disclosed = record.disclosedFields
        var local: [String: FieldValue] = [:]
        for spec in personal {
            guard let value = record.fields[spec.name] else { continue }
            if spec.isLocal(in: record.fields) {
                let alreadyPublic = stored?.shared[spec.name] == value || alsoPublic?.fields[spec.name] == value
                if !(disclosed.contains(spec.name) && (own.contains(spec.name) || alreadyPublic)) { local[spec.name] = value }
            } else if stored?.local[spec.name] == value, stored?.shared[spec.name] != value, !own.contains(spec.name) {
                local[spec.name] = value
            }
        }
        var shared = record
        for name in local.keys { shared.fields[name] = nil }
        // The region's value leaves the shared copy (kbm unshare, or it no longer counts as
        // public): this office's own value, hidden meanwhile, comes back in its place.
        for (name, own) in try shadowedValues(record.id, kind: record.kind) where shared.fields[name] == nil {
            if let now = local[name], now == stored?.shared[name] { local[name] = own }
        }
        shared.conflicts.removeAll { schema.field($0.field, of: record.kind)?.privacy == .local && shared.fields[$0.field] == nil }
        return (shared, local)
    }

    /// Brings the stored shared copies in line with the schema's privacy rules (after an update
    /// made more fields personal, e.g. the assessments of persons). A shared copy holding a personal
    /// value its record does not disclose is changed: in a record this office owns (`county` or a
    /// co-owner) the value moves to the local column and the record is marked for the next commit,
    /// which removes it from the region's file; in another office's record it is dropped, so no
    /// office keeps another county's personal data as if it were its own.
    public func normalizePrivacy(county: County) throws -> PrivacyNormalization {
        var result = PrivacyNormalization()
        let kinds = schema.kinds.filter { k in schema.orderedFields(of: k.kind).contains { $0.privacy == .local } }.map(\.kind)
        for kind in kinds {
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM records WHERE kind = ?", arguments: [kind])
            for row in rows {
                let shared = try decode(row, sharedOnly: true)
                let exposed = schema.localFields(of: shared).map(\.name).filter { shared.fields[$0] != nil && !shared.disclosedFields.contains($0) }
                guard !exposed.isEmpty else { continue }
                let dirty: Bool = row["dirty"]
                if shared.owners.contains(county) {
                    var whole = try decode(row)
                    // The values of the shared copy, unless the local column has its own.
                    if let stored = try storedColumns(shared.id) {
                        for name in exposed { whole.fields[name] = stored.local[name] ?? stored.shared[name] }
                    }
                    try save(whole, dirty: true)
                    result.kept += 1
                } else {
                    var kept = shared.sharedPart(schema: schema)
                    kept.conflicts = try decode(row).conflicts
                    try save(kept, dirty: dirty, keepLocalFields: true)
                    result.dropped += 1
                }
            }
        }
        return result
    }
}

import Foundation
import KBMRecords
import KBMStore

/// What `kbm privacy-report` shows the office's data protection officer.
public struct PrivacyReport: Sendable {
    public struct KindFields: Sendable {
        public var kind: String
        public var shared: [String]
        public var local: [String]
    }
    public struct Disclosure: Sendable {
        public var id: String
        public var kind: String
        public var title: String
        public var county: String
        public var field: String
        public var by: String
        public var at: String
        public var reason: String
    }
    public var kinds: [KindFields]
    public var disclosures: [Disclosure]

    public var json: JSONValue {
        .object([
            ("kinds", .array(kinds.map { .object([("kind", .string($0.kind)), ("shared", .array($0.shared.map(JSONValue.string))), ("local", .array($0.local.map(JSONValue.string)))]) })),
            ("disclosures", .array(disclosures.map { d in
                .object([("id", .string(d.id)), ("kind", .string(d.kind)), ("title", .string(d.title)), ("county", .string(d.county)),
                         ("field", .string(d.field)), ("by", .string(d.by)), ("at", .string(d.at)), ("reason", .string(d.reason))])
            })),
        ])
    }

    public var text: String {
        var lines = ["Fields per record kind (shared: committed to the regional repository; local: stays on this laptop):"]
        for k in kinds {
            lines.append("  \(k.kind)")
            lines.append("    shared: \(k.shared.joined(separator: ", "))")
            lines.append("    local:  \(k.local.isEmpty ? "(none)" : k.local.joined(separator: ", "))")
        }
        if disclosures.isEmpty {
            lines.append("No personal field is shared on purpose.")
        } else {
            lines.append("Personal fields shared on purpose (\(disclosures.count)):")
            for d in disclosures {
                lines.append("  \(d.id) \(d.kind) \"\(d.title)\" (\(d.county)): '\(d.field)' shared by \(d.by) on \(d.at). Reason: \(d.reason)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension Workspace {
    func localFieldSpec(_ field: String, of record: Record) throws -> FieldSpec {
        guard let spec = schema.field(field, of: record.kind) else {
            throw KBMError.invalid("Unknown field '\(field)' for a \(record.kind).")
        }
        guard spec.privacy == .local else {
            throw KBMError.invalid("Field '\(field)' of a \(record.kind) is shared anyway; only local fields (\(schema.orderedFields(of: record.kind).filter { $0.privacy == .local }.map(\.name).joined(separator: ", "))) need `kbm share`.")
        }
        return spec
    }

    /// Shares one local field of one record on purpose, recording who, when and why.
    public func share(id: RecordID, field: String, reason: String) throws -> Record {
        try lockForWriting()
        var record = try self.record(id)
        try checkOwnership(record)
        _ = try localFieldSpec(field, of: record)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw KBMError.invalid("--reason: say why this may be shared (the consent or legal basis).") }
        guard !record.disclosedFields.contains(field) else { throw KBMError.invalid("Field '\(field)' of \(id) is already shared; `kbm privacy-report` shows why.") }
        guard record[field] != nil else { throw KBMError.invalid("Field '\(field)' of \(id) is empty: nothing to share.") }
        var generator = RecordIDGenerator()
        var items = record["disclosures"]?.itemsValue ?? []
        items.append(Item(id: generator.next().rawValue, fields: ["field": field, "by": author.description, "at": Timestamp.now().rawValue, "reason": reason]))
        record["disclosures"] = .items(items)
        record.updated = max(Timestamp.now(), record.updated)
        let changed = record
        try store.write { tx in try tx.save(changed, dirty: true) }
        return record
    }

    /// Stops sharing a field: the next commit no longer holds it (older commits still do).
    public func unshare(id: RecordID, field: String) throws -> Record {
        try lockForWriting()
        var record = try self.record(id)
        try checkOwnership(record)
        _ = try localFieldSpec(field, of: record)
        guard record.disclosedFields.contains(field) else { throw KBMError.invalid("Field '\(field)' of \(id) is not shared.") }
        record["disclosures"] = .items((record["disclosures"]?.itemsValue ?? []).filter { $0.fields["field"] != field })
        record.updated = max(Timestamp.now(), record.updated)
        let changed = record
        try store.write { tx in try tx.save(changed, dirty: true) }
        return record
    }

    public func privacyReport() throws -> PrivacyReport {
        let kinds = schema.kinds.map { k in
            PrivacyReport.KindFields(kind: k.kind,
                                     shared: schema.orderedFields(of: k.kind).filter { $0.privacy == .shared }.map(\.name),
                                     local: schema.orderedFields(of: k.kind).filter { $0.privacy == .local }.map(\.name))
        }
        var disclosures: [PrivacyReport.Disclosure] = []
        for record in try store.read({ try $0.records() }) {
            for item in record["disclosures"]?.itemsValue ?? [] {
                disclosures.append(.init(id: record.id.rawValue, kind: record.kind, title: record.title(schema: schema), county: record.county.rawValue,
                                         field: item.fields["field"] ?? "", by: item.fields["by"] ?? "", at: item.fields["at"] ?? "", reason: item.fields["reason"] ?? ""))
            }
        }
        return PrivacyReport(kinds: kinds, disclosures: disclosures)
    }

    /// Erases a person: deletes the record and its local fields here. Returns what shared
    /// history still holds, for the user to read.
    public func forget(id: RecordID) throws -> [String] {
        try lockForWriting()
        let record = try self.record(id)
        try checkOwnership(record)
        var notes: [String] = []
        let sharedNames = RecordJSON.fields(record.sharedPart(schema: schema).fields, kind: record.kind, schema: schema).map(\.0).filter { $0 != "disclosures" }
        let localNames = RecordJSON.fields(record.localPart(schema: schema), kind: record.kind, schema: schema).map(\.0)
        if !localNames.isEmpty {
            notes.append("Erased the local fields (\(localNames.joined(separator: ", "))); they were never committed, so no other office has them.")
        }
        if !record.disclosedFields.isEmpty {
            notes.append("These personal fields were shared on purpose and stay in the history of the regional repository and in every office's clone: \(record.disclosedFields.sorted().joined(separator: ", ")). Ask the agency to rewrite history if they must go.")
        }
        notes.append("The record is deleted here; the next sync deletes it in every office. Older commits of the regional repository still hold its shared fields (\(sharedNames.joined(separator: ", "))), as git keeps history.")
        try store.write { tx in try tx.delete(id, pending: true) }
        return notes
    }
}

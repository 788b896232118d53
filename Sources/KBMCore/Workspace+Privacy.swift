import Foundation
import KBMRecords
import KBMStore
import KBMSync

/// What `kbm privacy-report` shows the office's data protection officer.
public struct PrivacyReport: Sendable {
    public struct KindFields: Sendable {
        public var kind: String
        public var shared: [String]
        public var local: [String]
        /// Local fields that are shared for some records: field → the condition, e.g. "unless type is organisation, office or committee".
        public var conditional: [(field: String, condition: String)] = []
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
        /// Written on this laptop by `kbm share`: only such a disclosure publishes a value from here.
        public var madeHere: Bool
        /// A disclosure in a record this office owns that was not made here (by another office, a
        /// hand-edited file or another laptop): it publishes nothing from here and waits for review.
        public var toReview: Bool
    }
    public var kinds: [KindFields]
    public var disclosures: [Disclosure]

    public var json: JSONValue {
        .object([
            ("kinds", .array(kinds.map { .object([("kind", .string($0.kind)), ("shared", .array($0.shared.map(JSONValue.string))), ("local", .array($0.local.map(JSONValue.string))),
                                          ("conditional", .object($0.conditional.map { ($0.field, .string($0.condition)) }))]) })),
            ("disclosures", .array(disclosures.map { d in
                .object([("id", .string(d.id)), ("kind", .string(d.kind)), ("title", .string(d.title)), ("county", .string(d.county)),
                         ("field", .string(d.field)), ("by", .string(d.by)), ("at", .string(d.at)), ("reason", .string(d.reason)),
                         ("made_here", .bool(d.madeHere)), ("to_review", .bool(d.toReview))])
            })),
        ])
    }

    public var text: String {
        var lines = ["Fields per record kind (shared: committed to the regional repository; local: stays on this laptop):"]
        for k in kinds {
            lines.append("  \(k.kind)")
            lines.append("    shared: \(k.shared.joined(separator: ", "))")
            lines.append("    local:  \(k.local.isEmpty ? "(none)" : k.local.joined(separator: ", "))")
            for c in k.conditional { lines.append("    local:  \(c.field) (\(c.condition))") }
        }
        if disclosures.isEmpty {
            lines.append("No personal field is shared on purpose.")
        } else {
            lines.append("Personal fields shared on purpose (\(disclosures.count)):")
            for d in disclosures {
                let origin = d.madeHere ? " Made on this laptop." : d.toReview ? " ⚠ Not made on this laptop: nothing is published from here for it; see below." : ""
                let by = d.by.isEmpty ? "" : " by \(d.by)", at = d.at.isEmpty ? "" : " on \(d.at)"
                lines.append("  \(d.id) \(d.kind) \"\(d.title)\" (\(d.county)): '\(d.field)' shared\(by)\(at). Reason: \(d.reason.isEmpty ? "(none given)" : d.reason)\(origin)")
            }
        }
        let review = disclosures.filter(\.toReview)
        if !review.isEmpty {
            lines.append(DisclosureReview.advice(review))
        }
        return lines.joined(separator: "\n")
    }
}

extension Workspace {
    func localFieldSpec(_ field: String, of record: Record) throws -> FieldSpec {
        guard let spec = schema.field(field, of: record.kind) else {
            throw KBMError.invalid("Unknown field '\(field)' for a \(record.kind).")
        }
        guard spec.isLocal(in: record.fields) else {
            throw KBMError.invalid("Field '\(field)' of \(record.id) is shared anyway; only its local fields (\(schema.localFields(of: record).map(\.name).joined(separator: ", "))) need `kbm share`.")
        }
        return spec
    }

    /// Shares one local field of one record on purpose, recording who, when and why. This is the
    /// only way a personal value leaves this laptop: the store remembers the disclosure item
    /// written here, and publishes a local value only for such an item. A disclosure of the field
    /// made elsewhere (another office, another laptop, a hand-edited file) is replaced by this one.
    public func share(id: RecordID, field: String, reason: String) throws -> Record {
        let session = try beginWriting()
        defer { session.end() }
        var record = try self.record(id)
        try checkOwnership(record)
        let field = schema.resolveField(field, of: record.kind)?.name ?? field
        _ = try localFieldSpec(field, of: record)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw KBMError.invalid("--reason: say why this may be shared (the consent or legal basis).") }
        let current = record
        guard try !store.read({ try $0.ownDisclosedFields(current) }).contains(field) else {
            throw KBMError.invalid("Field '\(field)' of \(id) is already shared; `kbm privacy-report` shows why.")
        }
        // The value kept on this laptop, not one another office put into the shared copy.
        if let own = try store.read({ try $0.localValue(id, field: field) }) { record[field] = own }
        guard record[field] != nil else { throw KBMError.invalid("Field '\(field)' of \(id) is empty: nothing to share.") }
        var generator = RecordIDGenerator()
        let item = Item(id: generator.next().rawValue, fields: ["field": field, "by": author.description, "at": Timestamp.now().rawValue, "reason": reason])
        record["disclosures"] = .items((record["disclosures"]?.itemsValue ?? []).filter { $0.fields["field"] != field } + [item])
        record.updated = max(Timestamp.now(), record.updated)
        let changed = record
        try store.write { tx in
            try tx.recordOwnDisclosure(id, field: field, itemID: item.id)
            try tx.save(changed, dirty: true)
        }
        return record
    }

    /// Stops sharing a field (or rejects a disclosure made elsewhere): the next commit no longer
    /// holds it (older commits still do).
    public func unshare(id: RecordID, field: String) throws -> Record {
        let session = try beginWriting()
        defer { session.end() }
        var record = try self.record(id)
        try checkOwnership(record)
        let field = schema.resolveField(field, of: record.kind)?.name ?? field
        _ = try localFieldSpec(field, of: record)
        guard record.disclosedFields.contains(field) else { throw KBMError.invalid("Field '\(field)' of \(id) is not shared.") }
        record["disclosures"] = .items((record["disclosures"]?.itemsValue ?? []).filter { $0.fields["field"] != field })
        record.updated = max(Timestamp.now(), record.updated)
        let changed = record
        try store.write { tx in
            try tx.removeOwnDisclosure(id, field: field)
            try tx.save(changed, dirty: true)
        }
        return record
    }

    /// The personal fields of `record` whose value the region gets (or has) from this store:
    /// shared on purpose here, or shared by a disclosure made elsewhere with the region's own value.
    public func publishedPersonalFields(of record: Record) throws -> Set<String> {
        let shared = try store.read { try $0.sharedRecord(record.id) }
        return Set(schema.orderedFields(of: record.kind).filter { $0.privacy == .local && shared?.fields[$0.name] != nil }.map(\.name))
    }

    /// Disclosures in records this office owns that were not made on this laptop: they publish
    /// nothing from here, and the coordinator should confirm (`kbm share`) or remove (`kbm unshare`) them.
    public func disclosuresToReview() throws -> [PrivacyReport.Disclosure] {
        try disclosureList().filter(\.toReview)
    }

    func disclosureList() throws -> [PrivacyReport.Disclosure] {
        try store.read { tx in
            let own = Set(try tx.ownDisclosures().map { "\($0.id.rawValue) \($0.field) \($0.itemID)" })
            var out: [PrivacyReport.Disclosure] = []
            for record in try tx.recordsWithDisclosures() {
                for item in record["disclosures"]?.itemsValue ?? [] {
                    let field = item.fields["field"] ?? ""
                    let madeHere = own.contains("\(record.id.rawValue) \(field) \(item.id)")
                    out.append(.init(id: record.id.rawValue, kind: record.kind, title: record.title(schema: schema), county: record.county.rawValue,
                                     field: field, by: item.fields["by"] ?? "", at: item.fields["at"] ?? "", reason: item.fields["reason"] ?? "",
                                     madeHere: madeHere, toReview: !madeHere && record.owners.contains(county)))
                }
            }
            return out
        }
    }

    public func privacyReport() throws -> PrivacyReport {
        let kinds = schema.kinds.map { k in
            let fields = schema.orderedFields(of: k.kind)
            return PrivacyReport.KindFields(kind: k.kind,
                                            shared: fields.filter { $0.privacy == .shared }.map(\.name),
                                            local: fields.filter { $0.privacy == .local && $0.sharedWhen == nil }.map(\.name),
                                            conditional: fields.compactMap { f in f.sharedWhen.map { (f.name, Self.condition($0)) } })
        }
        return PrivacyReport(kinds: kinds, disclosures: try disclosureList())
    }

    /// "shared only when type is organisation, office or committee".
    static func condition(_ sharedWhen: [String: [String]]) -> String {
        "shared only when " + sharedWhen.sorted { $0.key < $1.key }.map { field, values in
            "\(field) is " + (values.count > 1 ? values.dropLast().joined(separator: ", ") + " or " + (values.last ?? "") : values.joined())
        }.joined(separator: " and ")
    }

    /// Brings the store in line with the schema's privacy rules once after an update changed them
    /// (`StoreTransaction.normalizePrivacy`): e.g. the assessments of persons, shared before,
    /// leave the shared copies; this office keeps its own, and the next sync removes them from the
    /// region's files.
    func applyPrivacyRulesIfChanged() throws {
        let fingerprint = schema.kinds.flatMap { k in
            schema.orderedFields(of: k.kind).filter { $0.privacy == .local }.map { f in
                "\(k.kind).\(f.name)" + (f.sharedWhen.map { "?" + Self.condition($0) } ?? "")
            }
        }.joined(separator: ";")
        guard try store.read({ try $0.setting(Settings.privacyRules) }) != fingerprint else { return }
        let county = self.county
        let session = try beginWriting()
        defer { session.end() }
        try store.write { tx in
            guard try tx.setting(Settings.privacyRules) != fingerprint else { return }
            _ = try tx.normalizePrivacy(county: county)
            try tx.setSetting(Settings.privacyRules, fingerprint)
        }
    }

    /// Erases a person: deletes the record and its local fields here. Returns what shared
    /// history still holds, for the user to read.
    public func forget(id: RecordID) throws -> [String] {
        let session = try beginWriting()
        defer { session.end() }
        let record = try self.record(id)
        try checkOwnership(record)
        var notes: [String] = []
        let split = try store.read { try $0.privacySplit(record) }
        let sharedNames = RecordJSON.fields(split.shared.fields, kind: record.kind, schema: schema).map(\.0).filter { $0 != "disclosures" }
        let localNames = RecordJSON.fields(split.local, kind: record.kind, schema: schema).map(\.0)
        if !localNames.isEmpty {
            notes.append("Erased the local fields (\(localNames.joined(separator: ", "))); they were never committed, so no other office has them.")
        }
        if !record.disclosedFields.isEmpty {
            notes.append("These personal fields were shared on purpose and stay in the history of the regional repository and in every office's clone: \(record.disclosedFields.sorted().joined(separator: ", ")). Ask the agency to rewrite history if they must go.")
        }
        notes.append("The record is deleted here; the next sync deletes it in every office. Older commits of the regional repository still hold its shared fields (\(sharedNames.joined(separator: ", "))), as git keeps history.")
        try store.write { tx in
            try tx.delete(id, pending: true)
            // Nothing of the person stays in the search index's older segments.
            try tx.compactSearchIndex()
        }
        return notes
    }
}

/// The advice shown for disclosures waiting for review (`kbm status`, `kbm privacy-report`, `kbm sync`).
public enum DisclosureReview {
    public static func advice(_ review: [PrivacyReport.Disclosure]) -> String {
        var lines = ["⚠ \(review.count) personal field\(review.count == 1 ? " is" : "s are") marked as shared in your records, but not by `kbm share` on this laptop (another office, another laptop or a hand-edited file). Nothing of yours is published for \(review.count == 1 ? "it" : "them"); please review:"]
        for d in review {
            lines.append("  \(d.id) \"\(d.title)\": '\(d.field)'\(d.by.isEmpty ? "" : ", said to be by \(d.by)")\(d.at.isEmpty ? "" : " on \(d.at)"). To share yours: `kbm share \(d.id) \(d.field) --reason \"…\"`; to remove the mark: `kbm unshare \(d.id) \(d.field)`.")
        }
        return lines.joined(separator: "\n")
    }
}

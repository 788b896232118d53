import Foundation
import KBMMerge
import KBMRecords
import KBMStore

/// An open conflict as `kbm conflicts` lists it.
public struct ConflictView: Sendable {
    public var record: Record
    public var conflict: FieldConflict
    /// The value every replica shows while the conflict is open.
    public var provisional: FieldValue?

    public var json: JSONValue {
        func value(_ v: FieldValue?) -> JSONValue {
            // The sides of a delete conflict ("edited" / "deleted") are plain words.
            if case .opaque(let raw)? = v { return .string(raw.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return v.map(RecordJSON.value) ?? .null
        }
        func side(_ s: FieldConflict.Side) -> JSONValue {
            .object([("value", value(s.value)), ("county", .string(s.county)), ("author", .string(s.author)), ("commit", .string(s.commit))])
        }
        return .object([
            ("id", .string(record.id.rawValue)), ("kind", .string(conflict.kind)), ("record_kind", .string(record.kind)),
            ("title", .string(record.title())), ("field", .string(conflict.field)),
            ("base", value(conflict.base)), ("ours", value(conflict.ours.value)), ("theirs", value(conflict.theirs.value)),
            ("provisional", value(provisional)),
            ("ours_side", side(conflict.ours)), ("theirs_side", side(conflict.theirs)),
        ])
    }
}

extension Workspace {
    /// Every open conflict in the store.
    public func conflicts() throws -> [ConflictView] {
        try store.read { try $0.recordsWithConflicts() }.flatMap { record in
            record.conflicts.map { c in
                ConflictView(record: record, conflict: c, provisional: c.field == ConflictKind.wholeRecord ? nil : record[c.field])
            }
        }
    }

    /// Settles a conflict on one field (or, with `field == nil`, every conflict of the record).
    /// `--ours` is this county's side when one side is from this county, else the shown side.
    /// Throws invalid input when the field has no open conflict.
    public func resolve(id: RecordID, field: String?, choice: ResolveRequest) throws -> Record {
        let session = try beginWriting()
        defer { session.end() }
        var record = try self.record(id)
        try checkOwnership(record)
        let kind = record.kind
        let fields = field.map { [schema.resolveField($0, of: kind)?.name ?? $0] } ?? Array(Set(record.conflicts.map(\.field))).sorted()
        guard !fields.isEmpty else { throw KBMError.invalid("Record \(id) has no open conflicts.") }
        for name in fields {
            guard let conflict = record.conflicts.first(where: { $0.field == name }) else {
                let open = record.conflicts.map(\.field)
                throw KBMError.invalid("Record \(id) has no open conflict on field '\(name)'." + (open.isEmpty ? "" : " Open conflicts: \(open.joined(separator: ", "))."))
            }
            let mine = [conflict.ours, conflict.theirs].filter { $0.county == county.rawValue }
            let (oursSide, theirsSide) = mine.count == 1
                ? (mine[0], mine[0] == conflict.ours ? conflict.theirs : conflict.ours)
                : (conflict.ours, conflict.theirs)
            let value: FieldValue?
            switch choice {
            case .ours: value = oursSide.value
            case .theirs: value = theirsSide.value
            case .value(let text):
                guard let spec = schema.field(name, of: record.kind) else { throw KBMError.invalid("Field '\(name)' cannot take a value here; use --ours or --theirs.") }
                value = text.isEmpty ? nil : try RecordEditor.value(text, spec, schema.valueEntries(field: spec.name, kind: record.kind))
            }
            record = RecordMerge.resolve(record, field: name, choice: .value(value ?? .strings([])))
        }
        try checkWritable(record)
        record.updated = max(Timestamp.now(), record.updated)
        let resolved = record
        try store.write { tx in try tx.save(resolved, dirty: true) }
        return record
    }
}

/// How `kbm resolve` settles a conflict.
public enum ResolveRequest: Sendable {
    case ours
    case theirs
    case value(String)
}

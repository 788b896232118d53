import Foundation
import KBMMerge
import KBMRecords
import KBMStore

/// A reference to a record that no longer exists (for example an event partner whose stakeholder
/// record was deleted on one side while the event was edited on the other). The reference is kept;
/// this reports it so an office can decide.
public struct ConstraintViolation: Sendable {
    public var record: Record
    public var field: String
    public var missing: String

    public var text: String {
        "\(record.kind) \(record.id) \"\(record.title())\": '\(field)' refers to \(missing), which no longer exists"
    }

    public var json: JSONValue {
        .object([("id", .string(record.id.rawValue)), ("kind", .string("reference")), ("record_kind", .string(record.kind)),
                 ("title", .string(record.title())), ("field", .string(field)), ("missing", .string(missing)),
                 ("base", .null), ("ours", .null), ("theirs", .null), ("provisional", .string(missing))])
    }
}

extension Workspace {
    /// References (refs fields) to ids that exist nowhere in the store and were not merged into
    /// another record (those lead to their survivor).
    public func constraintViolations() throws -> [ConstraintViolation] {
        let refFields = schema.kinds.flatMap { k in k.fields.filter { $0.type == .refs && k.kind != "link" }.map { (k.kind, $0.name) } }
        let (records, ids) = try store.read { tx in
            (try refFields.flatMap { try tx.records(kind: $0.0, having: $0.1) }, try tx.recordIDs())
        }
        let existing = Set(ids)
        let graph = try linkGraph()
        var out: [ConstraintViolation] = []
        for record in records {
            for text in RecordMerge.danglingReferences(in: record, existing: { existing.contains($0) || existing.contains(graph.resolve($0)) }, schema: schema) {
                let field = schema.orderedFields(of: record.kind).first { $0.type == .refs && (record[$0.name]?.strings.contains(text) ?? false) }?.name ?? "refs"
                out.append(ConstraintViolation(record: record, field: field, missing: text))
            }
        }
        return out
    }
}

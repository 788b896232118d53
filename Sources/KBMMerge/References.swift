import KBMRecords

extension RecordMerge {
    /// The references (ids in `refs` fields, such as an event's `partners`) of `record` that point
    /// to no existing record, sorted and without repeats. After a merge that removed records, pass
    /// `existing: { !removed.contains($0) }` to report the constraint violations. A malformed id
    /// always counts as dangling.
    public static func danglingReferences(in record: Record, existing: (RecordID) -> Bool, schema: Schema = .current) -> [String] {
        var out: Set<String> = []
        for spec in schema.orderedFields(of: record.kind) where spec.type == .refs {
            for reference in record.fields[spec.name]?.strings ?? [] {
                if let id = RecordID(reference), existing(id) { continue }
                out.insert(reference)
            }
        }
        return out.sorted()
    }
}

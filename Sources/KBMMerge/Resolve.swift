import KBMRecords

extension RecordMerge {
    /// Settles the open conflicts on `field`: sets the field to the chosen value and removes them.
    /// `.ours` / `.theirs` name the sides as stored in the conflict (the first conflict in the
    /// stable order when there are several). Without a conflict on `field`, `.ours` and `.theirs`
    /// change nothing. A `delete` conflict (field `*`) is only removed: deleting the record is the
    /// caller's move. The caller validates the new value.
    public static func resolve(_ record: Record, field: String, choice: ResolveChoice) -> Record {
        let open = MergeConflicts.sorted(record.conflicts.filter { $0.field == field })
        let value: FieldValue?
        switch choice {
        case .ours:
            guard let first = open.first else { return record }
            value = first.ours.value
        case .theirs:
            guard let first = open.first else { return record }
            value = first.theirs.value
        case .value(let chosen):
            value = chosen
        }
        var out = record
        out.conflicts.removeAll { $0.field == field }
        switch field {
        case ConflictKind.wholeRecord:
            break
        case "county":
            if let county = Canonical.scalarText(value).flatMap(County.init) { out.county = county }
        case "kind":
            if let kind = Canonical.scalarText(value) { out.kind = kind }
        default:
            out[field] = value
        }
        return out
    }
}

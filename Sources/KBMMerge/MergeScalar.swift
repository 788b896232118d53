import KBMRecords

/// The merged value of one field, and whether the two sides conflicted on it.
struct FieldOutcome: Equatable {
    var value: FieldValue?
    var conflicted: Bool
}

enum MergeScalar {
    /// Single values (string, enum, date, int, bool, unknown fields): a change on one side is
    /// taken; different changes on both sides conflict and show the preferred side's value.
    static func merge<Value: Equatable>(base: Value?, ours: Value?, theirs: Value?, preferOurs: Bool) -> (value: Value?, conflicted: Bool) {
        // Both made the same change (or none).
        if ours == theirs { return (ours, false) }
        // Only theirs changed.
        if ours == base { return (theirs, false) }
        // Only ours changed.
        if theirs == base { return (ours, false) }
        // Both changed it differently.
        return (preferOurs ? ours : theirs, true)
    }
}

import KBMRecords

enum MergeList {
    /// Ordered lists (goals): three-way sequence merge; insertions of both sides kept in a stable
    /// order, removals applied; a conflict only where both sides replaced the same element.
    static func merge(base: [String], ours: [String], theirs: [String], preferOurs: Bool) -> SequenceMergeResult {
        Diff3.merge(base: base, ours: ours, theirs: theirs, policy: .list, preferOurs: preferOurs)
    }
}

import KBMRecords

enum MergeSet {
    /// Sets (set, refs, counties): additions of both sides kept, an element removed on either
    /// side goes. Never a conflict. The result is sorted, like every stored set.
    static func merge(base: [String], ours: [String], theirs: [String]) -> [String] {
        let b = Set(base), o = Set(ours), t = Set(theirs)
        // Kept by both, or added by one side.
        let merged = o.intersection(t).union(o.subtracting(b)).union(t.subtracting(b))
        return merged.sorted()
    }
}

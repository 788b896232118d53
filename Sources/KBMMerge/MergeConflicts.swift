import KBMRecords

/// The open conflicts stored in records, merged like a set field.
enum MergeConflicts {
    /// Identity of a stored conflict: kind, field and the pair of commits (in either order).
    struct Key: Hashable {
        var kind: String
        var field: String
        var commits: [String]

        init(_ c: FieldConflict) {
            kind = c.kind
            field = c.field
            commits = [c.ours.commit, c.theirs.commit].sorted()
        }
    }

    /// Union of both sides' open conflicts; one that base had and a side removed was resolved there
    /// and goes. Duplicates collapse to one; `added` (this merge's new conflicts) win over stored ones.
    static func merge(base: [FieldConflict], ours: [FieldConflict], theirs: [FieldConflict], added: [FieldConflict]) -> [FieldConflict] {
        let baseKeys = Set(base.map(Key.init))
        let o = byKey(ours), t = byKey(theirs)
        var out: [Key: FieldConflict] = [:]
        for key in Set(o.keys).union(t.keys) {
            // Resolved on one side: base had it, one side dropped it.
            if baseKeys.contains(key) && (o[key] == nil || t[key] == nil) { continue }
            let candidates = [o[key], t[key]].compactMap { $0 }
            out[key] = candidates.min { Canonical.key($0) < Canonical.key($1) }
        }
        for conflict in added { out[Key(conflict)] = conflict }
        return sorted(Array(out.values))
    }

    static func byKey(_ conflicts: [FieldConflict]) -> [Key: FieldConflict] {
        var out: [Key: FieldConflict] = [:]
        for c in conflicts {
            let key = Key(c)
            if let existing = out[key], Canonical.key(existing) <= Canonical.key(c) { continue }
            out[key] = c
        }
        return out
    }

    /// The stable order of conflicts in a record.
    static func sorted(_ conflicts: [FieldConflict]) -> [FieldConflict] {
        conflicts.sorted { Canonical.key($0) < Canonical.key($1) }
    }
}

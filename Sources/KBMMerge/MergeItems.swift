import KBMRecords

enum MergeItems {
    /// Items with ids (follow-ups): merged item by item (by id), field by field within an item.
    /// Items added on either side are kept; an item deleted on one side and edited on the other is
    /// kept (and conflicts); items deleted on one side and unchanged on the other go.
    /// The order is the three-way merge of the id sequences (the same on every replica).
    static func merge(base: [Item], ours: [Item], theirs: [Item], preferOurs: Bool) -> (items: [Item], conflicted: Bool) {
        let b = byID(base), o = byID(ours), t = byID(theirs)
        var merged: [String: Item] = [:]
        var conflicted = false
        for id in Set(b.keys).union(o.keys).union(t.keys) {
            switch (b[id], o[id], t[id]) {
            case (_, nil, nil):
                // Deleted on both sides.
                continue
            case (nil, let added?, nil), (nil, nil, let added?):
                // Added on one side.
                merged[id] = added
            case (let was?, let kept?, nil), (let was?, nil, let kept?):
                // Deleted on one side, unchanged on the other: gone.
                if kept == was { continue }
                // Deleted on one side, edited on the other: kept, and a conflict.
                merged[id] = kept
                conflicted = true
            case (let was, let oursItem?, let theirsItem?):
                // On both sides (or added on both): field by field.
                let (item, itemConflicted) = mergeFields(id: id, base: was, ours: oursItem, theirs: theirsItem, preferOurs: preferOurs)
                merged[id] = item
                conflicted = conflicted || itemConflicted
            }
        }
        let order = orderedIDs(base: base.map(\.id), ours: ours.map(\.id), theirs: theirs.map(\.id), surviving: Set(merged.keys), preferOurs: preferOurs)
        return (order.compactMap { merged[$0] }, conflicted)
    }

    static func byID(_ items: [Item]) -> [String: Item] {
        var out: [String: Item] = [:]
        for item in items where out[item.id] == nil { out[item.id] = item }
        return out
    }

    /// One item present on both sides: each of its fields merged like a scalar.
    static func mergeFields(id: String, base: Item?, ours: Item, theirs: Item, preferOurs: Bool) -> (Item, Bool) {
        // Both made the same change (or none).
        if ours == theirs { return (ours, false) }
        var fields: [String: String] = [:]
        var conflicted = false
        let names = Set(base?.fields.keys.map { $0 } ?? []).union(ours.fields.keys).union(theirs.fields.keys)
        for name in names {
            let (value, fieldConflicted) = MergeScalar.merge(base: base?.fields[name], ours: ours.fields[name], theirs: theirs.fields[name], preferOurs: preferOurs)
            fields[name] = value
            conflicted = conflicted || fieldConflicted
        }
        return (Item(id: id, fields: fields), conflicted)
    }

    /// The merged order of item ids: a three-way list merge of the id sequences; a surviving item
    /// the list merge left out (kept despite a deletion, or inside a conflicting region) goes
    /// after its predecessor on the side that has it (the preferred side first).
    static func orderedIDs(base: [String], ours: [String], theirs: [String], surviving: Set<String>, preferOurs: Bool) -> [String] {
        let sequence = MergeList.merge(base: base, ours: ours, theirs: theirs, preferOurs: preferOurs).merged
        var result: [String] = []
        var placed: Set<String> = []
        for id in sequence where surviving.contains(id) && !placed.contains(id) {
            result.append(id)
            placed.insert(id)
        }
        for side in preferOurs ? [ours, theirs] : [theirs, ours] {
            for (index, id) in side.enumerated() where surviving.contains(id) && !placed.contains(id) {
                let predecessor = side[..<index].last { placed.contains($0) }
                let at = predecessor.flatMap { p in result.firstIndex(of: p).map { $0 + 1 } } ?? 0
                result.insert(id, at: at)
                placed.insert(id)
            }
        }
        return result
    }
}

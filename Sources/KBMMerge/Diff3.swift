/// How overlapping edits of the two sides are judged.
enum SequencePolicy {
    /// Long text: different edits of the same lines (or insertions at the same place) conflict.
    case lines
    /// Lists: insertions of both sides are kept, removals applied; only where both sides removed
    /// the same element and both inserted something (changed one item differently) is a conflict.
    case list
}

/// The result of a three-way sequence merge. Conflicting regions hold the preferred side's version.
struct SequenceMergeResult: Equatable {
    var merged: [String]
    var conflicted: Bool
}

/// Three-way merge of string sequences (diff3): both sides are diffed against base; changes that
/// do not overlap are applied together, overlapping ones are judged by the policy.
enum Diff3 {
    /// An element of a region: a base element (by index) or one a side inserted.
    enum Tagged: Hashable {
        case base(Int)
        case inserted(String)
    }

    enum Origin: Int { case ours = 0, theirs = 1 }

    struct SideHunk {
        var origin: Origin
        var hunk: Hunk
    }

    /// Merges `ours` and `theirs` relative to `base`. `preferOurs` picks the version shown in a
    /// conflicting region (the provisional value); it never affects a clean merge.
    static func merge(base: [String], ours: [String], theirs: [String], policy: SequencePolicy, preferOurs: Bool) -> SequenceMergeResult {
        // Both made identical changes (or none).
        if ours == theirs { return SequenceMergeResult(merged: ours, conflicted: false) }
        // Only theirs changed.
        if ours == base { return SequenceMergeResult(merged: theirs, conflicted: false) }
        // Only ours changed.
        if theirs == base { return SequenceMergeResult(merged: ours, conflicted: false) }

        let all = (Diff.hunks(base, ours).map { SideHunk(origin: .ours, hunk: $0) }
            + Diff.hunks(base, theirs).map { SideHunk(origin: .theirs, hunk: $0) })
            .sorted { a, b in
                (a.hunk.range.lowerBound, a.hunk.range.isEmpty ? 0 : 1, a.origin.rawValue)
                    < (b.hunk.range.lowerBound, b.hunk.range.isEmpty ? 0 : 1, b.origin.rawValue)
            }
        var merged: [String] = []
        var conflicted = false
        var position = 0
        for cluster in clusters(all) {
            let lo = cluster.map(\.hunk.range.lowerBound).min() ?? position
            let hi = cluster.map(\.hunk.range.upperBound).max() ?? position
            merged += base[position..<lo]
            let oursRegion = region(lo..<hi, cluster.filter { $0.origin == .ours }.map(\.hunk))
            let theirsRegion = region(lo..<hi, cluster.filter { $0.origin == .theirs }.map(\.hunk))
            let resolved = resolve(lo..<hi, base: base, ours: oursRegion, theirs: theirsRegion, policy: policy)
            if let resolved {
                merged += resolved
            } else {
                conflicted = true
                merged += strings(preferOurs ? oursRegion : theirsRegion, base: base)
            }
            position = hi
        }
        merged += base[position...]
        return SequenceMergeResult(merged: merged, conflicted: conflicted)
    }

    /// Whether two hunks touch the same base elements (or insert at the same place).
    static func overlap(_ a: Hunk, _ b: Hunk) -> Bool {
        let (ra, rb) = (a.range, b.range)
        switch (ra.isEmpty, rb.isEmpty) {
        case (true, true): return ra.lowerBound == rb.lowerBound
        case (true, false): return rb.lowerBound < ra.lowerBound && ra.lowerBound < rb.upperBound
        case (false, true): return ra.lowerBound < rb.lowerBound && rb.lowerBound < ra.upperBound
        case (false, false): return ra.lowerBound < rb.upperBound && rb.lowerBound < ra.upperBound
        }
    }

    /// Groups hunks (sorted by start, insertions first) into transitively overlapping clusters.
    static func clusters(_ hunks: [SideHunk]) -> [[SideHunk]] {
        var out: [[SideHunk]] = []
        var current: [SideHunk] = []
        for h in hunks {
            if current.contains(where: { overlap($0.hunk, h.hunk) }) {
                current.append(h)
            } else {
                if !current.isEmpty { out.append(current) }
                current = [h]
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// One side's version of `base[range]`, given that side's hunks inside the range.
    static func region(_ range: Range<Int>, _ hunks: [Hunk]) -> [Tagged] {
        var out: [Tagged] = []
        var i = range.lowerBound
        for h in hunks.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            out += (i..<h.range.lowerBound).map(Tagged.base)
            out += h.replacement.map(Tagged.inserted)
            i = h.range.upperBound
        }
        out += (i..<range.upperBound).map(Tagged.base)
        return out
    }

    static func strings(_ tagged: [Tagged], base: [String]) -> [String] {
        tagged.map { element in
            switch element {
            case .base(let i): return base[i]
            case .inserted(let s): return s
            }
        }
    }

    /// The combined version of a region both sides changed, or nil if it is a conflict.
    static func resolve(_ range: Range<Int>, base: [String], ours: [Tagged], theirs: [Tagged], policy: SequencePolicy) -> [String]? {
        let oursText = strings(ours, base: base), theirsText = strings(theirs, base: base)
        // Both made identical changes (or only one side has hunks here).
        if oursText == theirsText { return oursText }
        if oursText == Array(base[range]) { return theirsText }
        if theirsText == Array(base[range]) { return oursText }
        // Text: overlapping different edits conflict.
        guard policy == .list else { return nil }
        let keptByOurs = Set(ours.compactMap { if case .base(let i) = $0 { return i } else { return nil } })
        let keptByTheirs = Set(theirs.compactMap { if case .base(let i) = $0 { return i } else { return nil } })
        let removedByBoth = range.filter { !keptByOurs.contains($0) && !keptByTheirs.contains($0) }
        let oursInserted = ours.contains { if case .inserted = $0 { return true } else { return false } }
        let theirsInserted = theirs.contains { if case .inserted = $0 { return true } else { return false } }
        // List: both replaced the same element differently.
        if !removedByBoth.isEmpty && oursInserted && theirsInserted { return nil }
        // List: apply both sides' removals, keep both sides' insertions between the shared anchors.
        let oursKept = ours.filter { if case .base(let i) = $0 { return keptByTheirs.contains(i) } else { return true } }
        let theirsKept = theirs.filter { if case .base(let i) = $0 { return keptByOurs.contains(i) } else { return true } }
        var out: [String] = []
        var oursRun: [String] = [], theirsRun: [String] = []
        var oi = oursKept.makeIterator(), ti = theirsKept.makeIterator()
        // Both filtered versions hold the same base elements in the same order: walk anchor by anchor.
        func runUntilAnchor(_ it: inout IndexingIterator<[Tagged]>, _ run: inout [String]) -> Int? {
            while let element = it.next() {
                switch element {
                case .base(let i): return i
                case .inserted(let s): run.append(s)
                }
            }
            return nil
        }
        while true {
            oursRun = []
            theirsRun = []
            let anchorOurs = runUntilAnchor(&oi, &oursRun)
            let anchorTheirs = runUntilAnchor(&ti, &theirsRun)
            out += union(oursRun, theirsRun)
            guard let anchor = anchorOurs ?? anchorTheirs else { break }
            out.append(base[anchor])
        }
        return out
    }

    /// Both runs of insertions, shared elements once, in an order that does not depend on which
    /// run is whose: the lexicographically smaller run leads.
    static func union(_ a: [String], _ b: [String]) -> [String] {
        if a == b || b.isEmpty { return a }
        if a.isEmpty { return b }
        let (first, second) = a.lexicographicallyPrecedes(b) ? (a, b) : (b, a)
        var out: [String] = []
        var i = 0, j = 0
        for (fi, sj) in Diff.matches(first, second) {
            out += first[i..<fi]
            out += second[j..<sj]
            out.append(first[fi])
            i = fi + 1
            j = sj + 1
        }
        out += first[i...]
        out += second[j...]
        return out
    }
}

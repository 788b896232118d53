import KBMRecords

/// Candidate generation: records are compared only when they share a blocking key (same sorted
/// name words, same phonetic code, a shared pair of words, same email or phone, close dates),
/// never all pairs. A key shared by more than `maxBlock` records says little and is skipped.
public enum Blocking {
    /// The blocking keys of a profile. Keys start with the kind, so kinds never meet.
    public static func keys(_ p: Profile) -> [String] {
        var keys: [String] = []
        let k = p.kind + "|"
        if !p.words.isEmpty {
            keys.append(k + "n:" + p.sortedKey)
            // A person's name words run together: "Hansjürgen Brandl" / "Hans-Jürgen Brandl".
            if p.type == "person" && p.words.count >= 2 { keys.append(k + "j:" + p.words.joined()) }
            let phonetic = p.phoneticKey
            if !phonetic.isEmpty { keys.append(k + "k:" + phonetic) }
        }
        // Pairs of words (and of their phonetic codes) find "Maria Theresia Huber" / "Maria Huber"
        // and a title with a word more or less. Long titles use their first eight words.
        let words = Array(Set(p.words.prefix(8).filter { $0.count >= 2 })).sorted()
        if words.count >= 2 {
            for i in 0..<(words.count - 1) {
                for j in (i + 1)..<words.count {
                    keys.append(k + "w:" + words[i] + " " + words[j])
                }
            }
            let codes = Array(Set(words.map(KoelnerPhonetik.code).filter { $0.count >= 2 })).sorted()
            if codes.count >= 2 {
                for i in 0..<(codes.count - 1) {
                    for j in (i + 1)..<codes.count { keys.append(k + "c:" + codes[i] + " " + codes[j]) }
                }
            }
        }
        if let e = p.email { keys.append(k + "e:" + e) }
        if let t = p.phone { keys.append(k + "t:" + t) }
        // Events: the same day (or the next) and a shared title word.
        if let day = p.day, p.kind == "event" {
            for bucket in [day, day + 1] {
                for word in words where word.count >= 4 { keys.append(k + "d:\(bucket)|" + word) }
            }
        }
        return keys
    }

    /// How blocking went, to show that not all pairs were compared.
    public struct Stats: Hashable, Sendable {
        public var profiles = 0
        public var keys = 0
        public var blocks = 0
        /// Keys shared by more than `maxBlock` records, not used.
        public var skippedBlocks = 0
        /// Distinct pairs scored.
        public var comparisons = 0
        /// n(n−1)/2: what comparing all pairs would cost.
        public var allPairs: Int { profiles * (profiles - 1) / 2 }
    }

    /// The distinct pairs of indexes into `profiles` that share a key, each once (smaller index first).
    public static func candidatePairs(_ profiles: [Profile], maxBlock: Int = 64, stats: inout Stats) -> [(Int, Int)] {
        var blocks: [String: [Int32]] = [:]
        for (index, profile) in profiles.enumerated() {
            for key in keys(profile) {
                blocks[key, default: []].append(Int32(index))
                stats.keys += 1
            }
        }
        stats.profiles = profiles.count
        var seen = Set<Int64>()
        var pairs: [(Int, Int)] = []
        // Visit blocks in a stable order so results never depend on hashing.
        for key in blocks.keys.sorted() {
            guard let members = blocks[key], members.count >= 2 else { continue }
            stats.blocks += 1
            guard members.count <= maxBlock else { stats.skippedBlocks += 1; continue }
            for x in 0..<(members.count - 1) {
                for y in (x + 1)..<members.count {
                    let i = Int(min(members[x], members[y])), j = Int(max(members[x], members[y]))
                    guard i != j else { continue }
                    if seen.insert(Int64(i) << 32 | Int64(j)).inserted { pairs.append((i, j)) }
                }
            }
        }
        stats.comparisons = pairs.count
        return pairs
    }
}

/// A pair of records that may describe one entity.
public struct DuplicatePair: Hashable, Sendable {
    /// The smaller id of the pair.
    public var a: RecordID
    public var b: RecordID
    public var match: MatchScore

    public init(a: RecordID, b: RecordID, match: MatchScore) {
        self.a = min(a, b)
        self.b = max(a, b)
        self.match = match
    }
}

/// Finds likely duplicates among profiles: blocking, then scoring of the candidate pairs.
public enum DuplicateFinder {
    /// Pairs scoring at least `minScore`, best first (ties by ids). `skip` leaves out pairs already
    /// decided (linked, merged or dismissed). `stats` tells how many pairs were compared.
    public static func find(_ profiles: [Profile], minScore: Double = Scorer.defaultMinScore, maxBlock: Int = 64,
                            skip: (RecordID, RecordID) -> Bool = { _, _ in false }) -> (pairs: [DuplicatePair], stats: Blocking.Stats) {
        var stats = Blocking.Stats()
        var out: [DuplicatePair] = []
        var weights: [String: WordWeights] = [:]
        for kind in Set(profiles.map(\.kind)) {
            weights[kind] = WordWeights(profiles.lazy.filter { $0.kind == kind }.map(\.words))
        }
        for (i, j) in Blocking.candidatePairs(profiles, maxBlock: maxBlock, stats: &stats) {
            let a = profiles[i], b = profiles[j]
            guard a.id != b.id, !skip(a.id, b.id) else { continue }
            let match = Scorer.score(a, b, weights: weights[a.kind] ?? WordWeights())
            if match.score >= minScore { out.append(DuplicatePair(a: a.id, b: b.id, match: match)) }
        }
        out.sort { x, y in
            if x.match.score != y.match.score { return x.match.score > y.match.score }
            return (x.a, x.b) < (y.a, y.b)
        }
        return (out, stats)
    }
}

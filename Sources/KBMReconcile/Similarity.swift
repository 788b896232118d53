import Foundation

/// String and token-set similarities in 0…1, on folded words.
public enum Similarity {
    /// Jaro-Winkler similarity of two words (1 = equal).
    public static func jaroWinkler(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        let s = Array(a.utf8), t = Array(b.utf8)
        if s.isEmpty || t.isEmpty { return 0 }
        let window = max(0, max(s.count, t.count) / 2 - 1)
        var sMatched = [Bool](repeating: false, count: s.count)
        var tMatched = [Bool](repeating: false, count: t.count)
        var matches = 0
        for i in 0..<s.count {
            let lo = max(0, i - window), hi = min(t.count - 1, i + window)
            guard lo <= hi else { continue }
            for j in lo...hi where !tMatched[j] && s[i] == t[j] {
                sMatched[i] = true
                tMatched[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var k = 0
        for i in 0..<s.count where sMatched[i] {
            while !tMatched[k] { k += 1 }
            if s[i] != t[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(s.count) + m / Double(t.count) + (m - Double(transpositions) / 2) / m) / 3
        var prefix = 0
        while prefix < min(4, s.count, t.count) && s[prefix] == t[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Two words count as the same word at or above this Jaro-Winkler similarity (typos, "Meier"/"Maier").
    public static let sameWord = 0.93

    /// Soft Dice coefficient of two word lists: words match when equal, or nearly equal
    /// (Jaro-Winkler ≥ `sameWord`), or with `phonetic` when they sound alike (same Kölner
    /// Phonetik code: "Meier" / "Maier"), each word at most once.
    public static func tokens(_ a: [String], _ b: [String], phonetic: Bool = false) -> Double {
        if a.isEmpty || b.isEmpty { return 0 }
        var unused = b
        var matched = 0.0
        for word in a {
            if let exact = unused.firstIndex(of: word) {
                matched += 1
                unused.remove(at: exact)
                continue
            }
            var best = -1, bestScore = 0.0
            for (i, other) in unused.enumerated() {
                let score = jaroWinkler(word, other)
                if score > bestScore { best = i; bestScore = score }
            }
            if best >= 0 && bestScore >= sameWord {
                matched += bestScore
                unused.remove(at: best)
            } else if phonetic, word.count >= 3 {
                let code = KoelnerPhonetik.code(word)
                if code.count >= 2, let i = unused.firstIndex(where: { $0.count >= 3 && KoelnerPhonetik.code($0) == code }) {
                    matched += 0.9
                    unused.remove(at: i)
                }
            }
        }
        return 2 * matched / Double(a.count + b.count)
    }

    /// How far two words of a person's name are the same word: 1 when equal; their Jaro-Winkler
    /// similarity (or 0.9) when they sound alike (same Kölner Phonetik code: "Meier" / "Maier",
    /// "Schmid" / "Schmidt", "Kathrin" / "Katrin"), are spelled alike (Jaro-Winkler at least
    /// 0.8) and end alike; nil otherwise. The ending matters in German given names: "Simon" /
    /// "Simone", "Christian" / "Christine", "Peter" / "Petra" sound alike and are other people.
    public static func nameWords(_ a: String, _ b: String) -> Double? {
        if a == b { return 1 }
        guard a.count >= 3, b.count >= 3, ending(a) == ending(b) else { return nil }
        let code = KoelnerPhonetik.code(a)
        guard code.count >= 2, code == KoelnerPhonetik.code(b) else { return nil }
        let score = jaroWinkler(a, b)
        guard score >= 0.8 else { return nil }
        return max(score, 0.9)
    }

    /// The last sound of a word, spellings aside: "Schmidt" and "Schmid" end in t, "Joseph"
    /// and "Josef" in f, "Hannah" and "Hanna" in a.
    static func ending(_ word: String) -> Character? {
        var w = Substring(word)
        if w.hasSuffix("ph") { return "f" }
        if w.hasSuffix("h"), w.count > 1 { w = w.dropLast() }
        guard let last = w.last else { return nil }
        return last == "d" ? "t" : last
    }

    /// The words of one name with neighbours joined where the joined word is a word of the
    /// other name: "hans juergen" against "hansjuergen", "schmid wagner" against "schmidwagner".
    public static func joiningCompounds(_ words: [String], as other: [String]) -> [String] {
        guard words.count >= 2 else { return words }
        let others = Set(other)
        var out = words
        var i = 0
        while i + 1 < out.count {
            let joined = out[i] + out[i + 1]
            if !others.contains(out[i]) || !others.contains(out[i + 1]), others.contains(joined) || other.contains(where: { nameWords($0, joined) != nil }) {
                out.replaceSubrange(i...(i + 1), with: [joined])
            } else {
                i += 1
            }
        }
        return out
    }

    /// How alike two persons' names are.
    public struct NameMatch: Hashable, Sendable {
        /// Soft Dice coefficient in 0…1 (each word matched at most once, see `nameWords`).
        public var score: Double
        /// Words of each name the other lacks.
        public var onlyInA: [String]
        public var onlyInB: [String]
    }

    /// Compares two persons' name words in any order, compound parts joined as the other name
    /// writes them (`joiningCompounds`), words matched by `nameWords`.
    public static func personNames(_ a: [String], _ b: [String]) -> NameMatch {
        let x = joiningCompounds(a, as: b), y = joiningCompounds(b, as: a)
        if x.isEmpty || y.isEmpty { return NameMatch(score: 0, onlyInA: x, onlyInB: y) }
        var unusedX = x, unusedY = y
        var matched = 0.0
        // Equal words first, so that a near word never takes an equal word's partner.
        for word in x {
            if let j = unusedY.firstIndex(of: word), let i = unusedX.firstIndex(of: word) {
                matched += 1
                unusedY.remove(at: j)
                unusedX.remove(at: i)
            }
        }
        var leftX: [String] = []
        for word in unusedX {
            var best = -1, bestScore = 0.0
            for (j, other) in unusedY.enumerated() {
                if let score = nameWords(word, other), score > bestScore { best = j; bestScore = score }
            }
            if best >= 0 {
                matched += bestScore
                unusedY.remove(at: best)
            } else {
                leftX.append(word)
            }
        }
        return NameMatch(score: 2 * matched / Double(x.count + y.count), onlyInA: leftX, onlyInB: unusedY)
    }

    /// Soft Dice coefficient where each word counts by its weight (see `WordWeights`): sharing a
    /// rare word (a place name) counts more than sharing "Bildungsbericht" or "Fachtag".
    public static func weightedTokens(_ a: [String], _ b: [String], weights: WordWeights) -> Double {
        if a.isEmpty || b.isEmpty { return 0 }
        var unused = b
        var matched = 0.0
        for word in a {
            if let exact = unused.firstIndex(of: word) {
                matched += 2 * weights.weight(word)
                unused.remove(at: exact)
                continue
            }
            var best = -1, bestScore = 0.0
            for (i, other) in unused.enumerated() {
                let score = jaroWinkler(word, other)
                if score > bestScore { best = i; bestScore = score }
            }
            if best >= 0 && bestScore >= sameWord {
                matched += bestScore * (weights.weight(word) + weights.weight(unused[best]))
                unused.remove(at: best)
            }
        }
        let total = a.reduce(0) { $0 + weights.weight($1) } + b.reduce(0) { $0 + weights.weight($1) }
        return total > 0 ? min(1, matched / total) : 0
    }

    /// Share of the shorter list's words found in the longer one (1 when one name contains the other).
    public static func containment(_ a: [String], _ b: [String]) -> Double {
        if a.isEmpty || b.isEmpty { return 0 }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        let set = Set(long)
        return Double(short.filter { set.contains($0) }.count) / Double(short.count)
    }
}

/// Inverse document frequencies of words among the records compared: a word most records share
/// says little about identity. Without statistics every word weighs 1.
public struct WordWeights: Sendable {
    var frequency: [String: Int] = [:]
    var documents = 0

    public init() {}

    /// Counts each word once per record.
    public init<S: Sequence>(_ wordLists: S) where S.Element == [String] {
        for words in wordLists {
            documents += 1
            for word in Set(words) { frequency[word, default: 0] += 1 }
        }
    }

    public func weight(_ word: String) -> Double {
        guard documents > 0 else { return 1 }
        return log(Double(documents + 1) / Double(frequency[word, default: 0] + 1)) + 1
    }
}

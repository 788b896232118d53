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

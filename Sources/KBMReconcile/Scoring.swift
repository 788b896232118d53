/// How alike two records are: a score in 0…1 and the reasons, for a coordinator to judge.
public struct MatchScore: Hashable, Sendable {
    public var score: Double
    /// Short human-readable reasons, strongest first ("same name after normalisation", "same email").
    public var reasons: [String]

    public init(score: Double, reasons: [String]) {
        self.score = score
        self.reasons = reasons
    }
}

/// Scores pairs of profiles of the same kind. The weights are plain numbers, tuned on the
/// fixture in KBMReconcileTests (precision and recall printed there).
public enum Scorer {
    /// The default threshold of `kbm duplicates`.
    public static let defaultMinScore = 0.7

    /// Scores a pair. `weights` (word frequencies of the records compared) make shared common
    /// words count less in titles and organisation names.
    public static func score(_ a: Profile, _ b: Profile, weights: WordWeights = WordWeights()) -> MatchScore {
        guard a.kind == b.kind else { return MatchScore(score: 0, reasons: ["different kinds"]) }
        switch a.kind {
        case "stakeholder": return stakeholder(a, b, weights)
        case "event": return event(a, b, weights)
        default: return titled(a, b, weights)
        }
    }

    /// Title similarity: 1 for the same words in any order, else weighted soft Dice (or most
    /// of the shorter title contained in the longer one).
    static func titleSimilarity(_ a: Profile, _ b: Profile, _ weights: WordWeights) -> Double {
        if a.sortedKey == b.sortedKey && !a.words.isEmpty { return 1 }
        return max(Similarity.weightedTokens(a.words, b.words, weights: weights), 0.85 * Similarity.containment(a.words, b.words))
    }

    /// Words of each title the other lacks (numbers aside). When both titles have some
    /// ("Flyer Bildung im Ostallgäu" / "… im Unterallgäu"), they most likely name different things.
    static func distinctWords(_ a: [String], _ b: [String]) -> ([String], [String]) {
        func lacking(_ x: [String], _ y: [String]) -> [String] {
            x.filter { w in w.count >= 3 && !w.allSatisfy(\.isNumber) && !y.contains { $0 == w || Similarity.jaroWinkler($0, w) >= Similarity.sameWord } }
        }
        return (lacking(a, b), lacking(b, a))
    }

    static func distinctPenalty(_ a: Profile, _ b: Profile, _ reasons: inout [String]) -> Double {
        let (x, y) = distinctWords(a.words, b.words)
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        reasons.append("different words (\(x.joined(separator: " ")) / \(y.joined(separator: " ")))")
        return -0.3
    }

    static func clamp(_ x: Double) -> Double { min(1, max(0, x)) }

    /// Name, organisation, email, phone, role, type and sector.
    static func stakeholder(_ a: Profile, _ b: Profile, _ weights: WordWeights) -> MatchScore {
        var reasons: [String] = []
        var score = 0.0
        let isPerson = a.type == "person" || b.type == "person"
        let name = a.sortedKey == b.sortedKey && !a.words.isEmpty ? 1.0
            : isPerson ? Similarity.tokens(a.words, b.words, phonetic: true) : Similarity.weightedTokens(a.words, b.words, weights: weights)
        if name == 1 {
            reasons.append(a.title == b.title ? "same name" : "same name after normalisation (\(a.title) / \(b.title))")
        } else if name >= 0.85 {
            reasons.append("similar name (\(Int((name * 100).rounded()))%)")
        }
        // A person's name is strong evidence, a body's full name stronger still.
        let isBody = a.type != nil && a.type != "person"
        if isBody && name < 1 { score += distinctPenalty(a, b, &reasons) }
        score += name * (isBody && a.words.count >= 2 ? 0.85 : 0.75)
        if name < 0.8 { score -= 0.2 }
        // Contact data (stored locally only) identifies a person.
        if let e = a.email, e == b.email {
            score += 0.35
            reasons.append("same email")
        } else if a.email != nil, b.email != nil {
            score -= 0.1
        }
        if let p = a.phone, p == b.phone {
            score += 0.3
            reasons.append("same phone")
        }
        if !a.organisation.isEmpty && !b.organisation.isEmpty {
            let org = max(Similarity.tokens(a.organisation, b.organisation), 0.9 * Similarity.containment(a.organisation, b.organisation))
            if org >= 0.75 {
                score += 0.15
                reasons.append("same organisation")
            } else if org < 0.4 {
                score -= 0.2
                reasons.append("different organisation")
            }
        }
        if !a.role.isEmpty && !b.role.isEmpty {
            let role = Similarity.tokens(a.role, b.role)
            if role >= 0.8 {
                score += 0.1
                reasons.append("same role")
            } else if role < 0.3 {
                score -= 0.05
            }
        }
        if let t = a.type, let u = b.type, t != u {
            score -= 0.3
            reasons.append("different type (\(t) / \(u))")
        }
        if let s = a.sector, let t = b.sector {
            if s == t { score += 0.05 } else { score -= 0.1; reasons.append("different sector") }
        }
        if !a.topics.isEmpty && !b.topics.isEmpty {
            let shared = a.topics.intersection(b.topics).count
            if Double(shared) / Double(min(a.topics.count, b.topics.count)) >= 0.5 {
                score += 0.05
                reasons.append("shared topics")
            }
        }
        return MatchScore(score: clamp(score), reasons: reasons)
    }

    /// Type, start dates within a day, title and place.
    static func event(_ a: Profile, _ b: Profile, _ weights: WordWeights) -> MatchScore {
        var reasons: [String] = []
        let title = titleSimilarity(a, b, weights)
        var score = 0.6 * title
        if title == 1 { reasons.append("same title") } else if title >= 0.6 { reasons.append("similar title (\(Int((title * 100).rounded()))%)") }
        if let d = a.day, let e = b.day {
            if abs(d - e) <= 1 {
                // The same day says much only about events with similar titles.
                score += title >= 0.5 ? 0.35 : 0.1
                reasons.append(d == e ? "same start date" : "start dates a day apart")
            } else {
                score -= 0.5
                reasons.append("start dates \(abs(d - e)) days apart")
            }
        }
        score += years(a, b, &reasons)
        score += distinctPenalty(a, b, &reasons)
        if let t = a.type, let u = b.type {
            if t == u { score += 0.1; reasons.append("same type (\(t))") } else { score -= 0.2; reasons.append("different type (\(t) / \(u))") }
        }
        if !a.organisation.isEmpty && !b.organisation.isEmpty && Similarity.tokens(a.organisation, b.organisation) >= 0.75 {
            score += 0.05
            reasons.append("same place")
        }
        return MatchScore(score: clamp(score), reasons: reasons)
    }

    /// Products and tips: type (theme) and title; products also their publication date.
    static func titled(_ a: Profile, _ b: Profile, _ weights: WordWeights) -> MatchScore {
        var reasons: [String] = []
        let title = titleSimilarity(a, b, weights)
        var score = 0.75 * title
        if title == 1 { reasons.append("same title") } else if title >= 0.6 { reasons.append("similar title (\(Int((title * 100).rounded()))%)") }
        score += years(a, b, &reasons)
        score += distinctPenalty(a, b, &reasons)
        if let t = a.type, let u = b.type {
            if t == u { score += 0.2; reasons.append("same type (\(t))") } else { score -= 0.3; reasons.append("different type (\(t) / \(u))") }
        }
        if let d = a.day, let e = b.day {
            if abs(d - e) <= 31 { score += 0.05; reasons.append("published within a month") } else if abs(d - e) > 180 { score -= 0.2; reasons.append("published \(abs(d - e)) days apart") }
        }
        return MatchScore(score: clamp(score), reasons: reasons)
    }

    /// Titles naming different years ("Bildungsbericht 2020" / "… 2024") are different editions.
    static func years(_ a: Profile, _ b: Profile, _ reasons: inout [String]) -> Double {
        func yearsIn(_ words: [String]) -> Set<String> { Set(words.filter { $0.count == 4 && $0.allSatisfy(\.isNumber) && ($0.hasPrefix("19") || $0.hasPrefix("20")) }) }
        let x = yearsIn(a.words), y = yearsIn(b.words)
        guard !x.isEmpty, !y.isEmpty, x.isDisjoint(with: y) else { return 0 }
        reasons.append("different years (\(x.sorted().joined(separator: ", ")) / \(y.sorted().joined(separator: ", ")))")
        return -0.4
    }
}

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
/// fixture and the tuning pairs in KBMReconcileTests, and measured on held-out evaluation pairs
/// (docs/duplicates-evaluation.md).
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
        // A body's "Landkreis" or "Stadt" counts as a word here: "Caritasverband für den
        // Landkreis Passau" and "… für die Diözese Passau" each have a word the other lacks.
        func marked(_ p: Profile) -> [String] { p.words + (p.place.map { [Normalize.fold($0.rawValue)] } ?? []) }
        let (x, y) = distinctWords(marked(a), marked(b))
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
        // A body's type as entered (organisation, office, committee) is a matter of filing, not of identity.
        let isBody = a.type != nil && a.type != "person"
        let name: Double
        if a.sortedKey == b.sortedKey && !a.words.isEmpty {
            name = 1
        } else if isPerson {
            let match = Similarity.personNames(a.words, b.words)
            name = match.score
            // "Anna" / "Anna-Lena", "Maria Huber" / "Maria Huber-Schmid": a name with a word more is someone else.
            let extra = match.onlyInA.isEmpty ? match.onlyInB : match.onlyInA
            if match.onlyInA.isEmpty != match.onlyInB.isEmpty, extra.contains(where: { $0.count >= 2 }) {
                score -= 0.35
                reasons.append("a name word on one side only (\(extra.joined(separator: " ")))")
            }
        } else {
            name = bodyNameSimilarity(a, b, weights)
        }
        if name == 1 {
            reasons.append(a.title == b.title ? "same name" : "same name after normalisation (\(a.title) / \(b.title))")
        } else if name >= 0.85 {
            reasons.append("similar name (\(Int((name * 100).rounded()))%)")
        }
        if let g = a.generation, let h = b.generation, g != h {
            score -= 0.6
            reasons.append("father and son (\(g). / \(h).)")
        }
        if isBody {
            if name < 1 { score += distinctPenalty(a, b, &reasons) }
            score += placeAndNumberPenalty(a.place, b.place, a.words, b.words, &reasons)
        }
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
            var org = max(Similarity.tokens(a.organisation, b.organisation), 0.9 * Similarity.containment(a.organisation, b.organisation))
            if let p = a.organisationPlace, let q = b.organisationPlace, p != q { org = min(org, 0.3) }
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
            let bodies = t != "person" && u != "person"
            score -= bodies ? 0.05 : 0.3
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

    /// A body's name: weighted soft Dice, or, when every word of a name of two words or more is
    /// in the other ("Hochschule Landshut" / "Hochschule für angewandte Wissenschaften Landshut"),
    /// 0.9.
    static func bodyNameSimilarity(_ a: Profile, _ b: Profile, _ weights: WordWeights) -> Double {
        let soft = Similarity.weightedTokens(a.words, b.words, weights: weights)
        guard min(a.words.count, b.words.count) >= 2 else { return soft }
        return max(soft, 0.9 * Similarity.containment(a.words, b.words))
    }

    /// Bodies of a city and of a county ("Jugendamt Stadt Rosenheim" / "Jugendamt Landkreis
    /// Rosenheim"), or numbered apart ("Berufsschule I" / "Berufsschule II"), are two bodies.
    static func placeAndNumberPenalty(_ p: Normalize.Place?, _ q: Normalize.Place?, _ a: [String], _ b: [String], _ reasons: inout [String]) -> Double {
        var penalty = 0.0
        if let p, let q, p != q {
            penalty -= 0.5
            reasons.append("one of a Landkreis, one of a Stadt (\(p.rawValue) / \(q.rawValue))")
        }
        let x = Normalize.numbers(a), y = Normalize.numbers(b)
        if !x.isEmpty, !y.isEmpty, x != y {
            penalty -= 0.5
            reasons.append("different numbers (\(x.sorted().joined(separator: " ")) / \(y.sorted().joined(separator: " ")))")
        }
        return penalty
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

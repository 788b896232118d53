import Foundation
import KBMRecords
@testable import KBMReconcile

/// A labelled pair of stakeholder records from `Resources/*-pairs.tsv`: two spellings of one
/// person or body (`same`), or two people or bodies easily taken for one (`different`).
struct LabelledPair {
    var id: String
    var same: Bool
    /// The variation (`umlaut`, `body-abbreviation`) or near-miss (`nm-first-name`) it stands for.
    var variation: String
    var a: Record
    var b: Record
}

/// Reads the labelled pair files and scores them with the real duplicate finder.
enum LabelledPairs {
    struct FormatError: Error, CustomStringConvertible {
        var file: String
        var line: Int
        var message: String
        var description: String { "\(file):\(line): \(message)" }
    }

    /// The folder of pair files, copied into the test bundle (Package.swift: `resources`).
    static var resources: URL {
        Bundle.module.bundleURL.appendingPathComponent("Resources")
    }

    /// The pairs of one file (`evaluation-pairs.tsv`, `tuning-pairs.tsv`). Two rows per pair,
    /// side a then b; `#` lines are comments; the first other line is the header.
    static func load(_ file: String) throws -> [LabelledPair] {
        let url = resources.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let columns = ["pair", "label", "class", "side", "county", "type", "name", "organisation", "role", "sector"]
        var header: [String]?
        var pending: (line: Int, cells: [String], record: Record)?
        var pairs: [LabelledPair] = []
        var seq = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            if raw.isEmpty || raw.hasPrefix("#") { continue }
            let cells = raw.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard header != nil else {
                guard cells == columns else { throw FormatError(file: file, line: line, message: "expected the header \(columns.joined(separator: " "))") }
                header = cells
                continue
            }
            guard cells.count == columns.count else {
                throw FormatError(file: file, line: line, message: "expected \(columns.count) tab-separated cells, got \(cells.count)")
            }
            guard ["same", "different"].contains(cells[1]) else { throw FormatError(file: file, line: line, message: "label must be same or different, got \(cells[1])") }
            guard County(cells[4]) != nil else { throw FormatError(file: file, line: line, message: "not a county id: \(cells[4])") }
            seq += 1
            func optional(_ s: String) -> String? { s.isEmpty ? nil : s }
            let record = Make.stakeholder(50_000 + seq, cells[4], name: cells[6], type: cells[5], organisation: optional(cells[7]),
                                          role: optional(cells[8]), sector: optional(cells[9]))
            if let first = pending {
                guard first.cells[0] == cells[0], first.cells[1] == cells[1], first.cells[2] == cells[2], first.cells[3] == "a", cells[3] == "b" else {
                    throw FormatError(file: file, line: line, message: "expected side b of pair \(first.cells[0]) (same label and class)")
                }
                pairs.append(LabelledPair(id: cells[0], same: cells[1] == "same", variation: cells[2], a: first.record, b: record))
                pending = nil
            } else {
                guard cells[3] == "a" else { throw FormatError(file: file, line: line, message: "expected side a of a new pair") }
                guard !pairs.contains(where: { $0.id == cells[0] }) else { throw FormatError(file: file, line: line, message: "pair id \(cells[0]) used twice") }
                pending = (line, cells, record)
            }
        }
        if let open = pending { throw FormatError(file: file, line: open.line, message: "pair \(open.cells[0]) lacks its side b") }
        return pairs
    }

    /// How the duplicate finder did on a set of labelled pairs.
    struct Result {
        struct Outcome {
            var pair: LabelledPair
            var found: Bool
            /// The pair's score with the region's word weights, and whether blocking proposed it.
            var score: MatchScore
            var proposed: Bool
            var right: Bool { found == pair.same }
        }
        var outcomes: [Outcome]
        /// Pairs found between records of different labelled pairs (not judged, shown for interest).
        var unlabelledFound: Int

        var truePositives: Int { outcomes.filter { $0.found && $0.pair.same }.count }
        var falsePositives: Int { outcomes.filter { $0.found && !$0.pair.same }.count }
        var falseNegatives: Int { outcomes.filter { !$0.found && $0.pair.same }.count }
        var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
        var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }

        /// Per class: pairs and how many were judged right, in file order of first appearance.
        var byClass: [(variation: String, same: Bool, pairs: Int, right: Int)] {
            var order: [String] = []
            var counts: [String: (Bool, Int, Int)] = [:]
            for o in outcomes {
                if counts[o.pair.variation] == nil { order.append(o.pair.variation) }
                let c = counts[o.pair.variation] ?? (o.pair.same, 0, 0)
                counts[o.pair.variation] = (c.0, c.1 + 1, c.2 + (o.right ? 1 : 0))
            }
            return order.compactMap { v in counts[v].map { (v, $0.0, $0.1, $0.2) } }
        }

        /// Precision and recall as one line.
        var summary: String {
            let same = outcomes.filter { $0.pair.same }.count
            return String(format: "%d pairs (%d same, %d different): precision %.3f, recall %.3f (%d true positives, %d false positives, %d missed)",
                          outcomes.count, same, outcomes.count - same, precision, recall, truePositives, falsePositives, falseNegatives)
        }

        /// The figures as a Markdown table, for docs/duplicates-evaluation.md.
        var markdown: String {
            var lines = ["| class | label | pairs | judged right | share |", "|---|---|---:|---:|---:|"]
            for c in byClass {
                lines.append(String(format: "| %@ | %@ | %d | %d | %.2f |", c.variation, c.same ? "same" : "different", c.pairs, c.right, Double(c.right) / Double(c.pairs)))
            }
            lines.append(String(format: "| **all** | | %d | %d | %.2f |", outcomes.count, outcomes.filter(\.right).count, Double(outcomes.filter(\.right).count) / Double(outcomes.count)))
            lines.append("")
            lines.append(String(format: "Precision %.3f, recall %.3f (%d true positives, %d false positives, %d missed).", precision, recall, truePositives, falsePositives, falseNegatives))
            return lines.joined(separator: "\n")
        }

        /// Every pair judged wrong, with its score and reasons.
        var wrong: [String] {
            outcomes.filter { !$0.right }.map { o in
                let kind = o.pair.same ? "missed" : "false positive"
                let blocked = o.proposed ? "" : " [not proposed by blocking]"
                return String(format: "%@ %@ (%@) %.2f%@: %@ | %@ — %@ | %@ — %@", kind, o.pair.id, o.pair.variation, o.score.score, blocked,
                              o.pair.a.title(), o.pair.b.title(), o.pair.a.fields["organisation"]?.stringValue ?? "",
                              o.pair.b.fields["organisation"]?.stringValue ?? "", o.score.reasons.joined(separator: "; "))
            }
        }
    }

    /// Runs `DuplicateFinder` (blocking, then scoring at the default threshold, as `kbm duplicates`
    /// does) over all records of the set at once, then judges each labelled pair.
    static func evaluate(_ pairs: [LabelledPair]) -> Result {
        let records = pairs.flatMap { [$0.a, $0.b] }
        let profiles = records.map(Profile.init)
        let (found, _) = DuplicateFinder.find(profiles)
        let foundPairs = Set(found.map { [$0.a, $0.b] })
        let weights = WordWeights(profiles.map(\.words))
        var labelled = Set<[RecordID]>()
        let outcomes = pairs.map { pair -> Result.Outcome in
            let key = [min(pair.a.id, pair.b.id), max(pair.a.id, pair.b.id)]
            labelled.insert(key)
            let pa = Profile(pair.a), pb = Profile(pair.b)
            let proposed = !Set(Blocking.keys(pa)).isDisjoint(with: Blocking.keys(pb))
            return Result.Outcome(pair: pair, found: foundPairs.contains(key), score: Scorer.score(pa, pb, weights: weights), proposed: proposed)
        }
        return Result(outcomes: outcomes, unlabelledFound: foundPairs.subtracting(labelled).count)
    }
}

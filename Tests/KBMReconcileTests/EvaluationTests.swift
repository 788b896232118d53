import Foundation
import XCTest
@testable import KBMReconcile

/// Duplicates as offices type names: precision and recall of `kbm duplicates` on labelled pairs
/// (compound names, titles, "Nachname, Vorname", umlaut spellings, abbreviations of bodies, and
/// near-misses). The evaluation set is never used to tune rules; the tuning set is. See
/// docs/duplicates-evaluation.md. Set KBM_EVALUATION_REPORT to a folder to write the figures as
/// Markdown (`evaluation.md`, `tuning.md`) for that document.
final class EvaluationTests: XCTestCase {
    static let minPrecision = 0.95
    static let minRecall = 0.9

    func run(_ file: String, report: String) throws -> LabelledPairs.Result {
        let pairs = try LabelledPairs.load(file)
        let result = LabelledPairs.evaluate(pairs)
        print("\(report): \(result.summary); \(result.unlabelledFound) more pairs found between records of different labelled pairs (not judged)")
        for line in result.wrong { print("\(report): \(line)") }
        print(result.markdown)
        if let folder = ProcessInfo.processInfo.environment["KBM_EVALUATION_REPORT"] {
            let url = URL(fileURLWithPath: folder).appendingPathComponent("\(report).md")
            try (result.markdown + "\n\nJudged wrong:\n\n" + result.wrong.map { "- " + $0 }.joined(separator: "\n") + "\n")
                .write(to: url, atomically: true, encoding: .utf8)
            print("\(report): figures written to \(url.path)")
        }
        return result
    }

    /// The held-out evaluation set: at least 200 pairs, both labels, every class; the targets hold.
    func testEvaluationSetPrecisionAndRecall() throws {
        let result = try run("evaluation-pairs.tsv", report: "evaluation")
        XCTAssertGreaterThanOrEqual(result.outcomes.count, 200)
        XCTAssertGreaterThanOrEqual(result.outcomes.filter { !$0.pair.same }.count, 80, "near-misses make the precision mean something")
        XCTAssertGreaterThanOrEqual(result.precision, Self.minPrecision, "precision on the evaluation set")
        XCTAssertGreaterThanOrEqual(result.recall, Self.minRecall, "recall on the evaluation set")
    }

    /// The tuning set: the pairs looked at while changing rules; the same targets.
    func testTuningSetPrecisionAndRecall() throws {
        let result = try run("tuning-pairs.tsv", report: "tuning")
        XCTAssertGreaterThanOrEqual(result.precision, Self.minPrecision, "precision on the tuning set")
        XCTAssertGreaterThanOrEqual(result.recall, Self.minRecall, "recall on the tuning set")
    }

    /// Pairs written after the rules were frozen and never tuned on: printed for
    /// docs/duplicates-evaluation.md, not asserted (it holds classes the rules leave alone).
    func testFreshSetFigures() throws {
        let result = try run("fresh-pairs.tsv", report: "fresh")
        XCTAssertGreaterThanOrEqual(result.outcomes.count, 40)
    }

    /// The sets share no person or body: a name in two would leak tuning into evaluation.
    func testPairSetsAreApart() throws {
        let files = ["evaluation-pairs.tsv", "tuning-pairs.tsv", "fresh-pairs.tsv"]
        var owner: [String: String] = [:]
        for file in files {
            for record in try LabelledPairs.load(file).flatMap({ [$0.a, $0.b] }) {
                let key = Profile(record).sortedKey
                if let other = owner[key], other != file { XCTFail("\(record.title()) is in \(other) and \(file)") }
                owner[key] = file
            }
        }
    }
}

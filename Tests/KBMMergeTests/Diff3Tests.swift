import KBMTestSupport
import XCTest
@testable import KBMMerge

final class Diff3Tests: XCTestCase {
    func testMyersFindsALongestCommonSubsequence() {
        let a = Array("ABCABBA").map(String.init), b = Array("CBABAC").map(String.init)
        let pairs = Diff.matches(a, b)
        XCTAssertEqual(pairs.count, 4)
        XCTAssertTrue(zip(pairs, pairs.dropFirst()).allSatisfy { $0.0 < $1.0 && $0.1 < $1.1 })
        XCTAssertTrue(pairs.allSatisfy { a[$0.0] == b[$0.1] })
    }

    func testHunksRebuildTheOtherSide() {
        var rng = SplitMix64(seed: 42)
        let words = ["Schule", "Kita", "Beruf", "Übergang", "Straße", "Größe", "🎓"]
        for _ in 0..<300 {
            let a = (0..<Int.random(in: 0...12, using: &rng)).map { _ in words.randomElement(using: &rng) ?? "" }
            let b = (0..<Int.random(in: 0...12, using: &rng)).map { _ in words.randomElement(using: &rng) ?? "" }
            var rebuilt: [String] = []
            var i = 0
            for h in Diff.hunks(a, b) {
                rebuilt += a[i..<h.range.lowerBound]
                rebuilt += h.replacement
                i = h.range.upperBound
            }
            rebuilt += a[i...]
            XCTAssertEqual(rebuilt, b)
            // The match count is the LCS length (checked against dynamic programming).
            XCTAssertEqual(Diff.matches(a, b).count, lcsLength(a, b))
        }
    }

    func testTextEditsOnDifferentLinesCombine() {
        let base = "Ä\nB\nC\nD\nE"
        let result = MergeText.merge(base: base, ours: "Ä\nB neu\nC\nD\nE", theirs: "Ä\nB\nC neu\nD\nE\nF", preferOurs: true)
        XCTAssertEqual(result.text, "Ä\nB neu\nC neu\nD\nE\nF")
        XCTAssertFalse(result.conflicted)
    }

    func testTextKeepsAFinalNewline() {
        let result = MergeText.merge(base: "eins\nzwei\n", ours: "eins!\nzwei\n", theirs: "eins\nzwei\ndrei\n", preferOurs: true)
        XCTAssertEqual(result.text, "eins!\nzwei\ndrei\n")
        XCTAssertFalse(result.conflicted)
    }

    func testTextInsertionNextToAnEditCombines() {
        let result = MergeText.merge(base: "a\nb\nc", ours: "a\nneu\nb\nc", theirs: "a\nB\nc", preferOurs: false)
        XCTAssertEqual(result.text, "a\nneu\nB\nc")
        XCTAssertFalse(result.conflicted)
    }

    func testTextConflictShowsThePreferredSide() {
        let ours = MergeText.merge(base: "a\nb\nc", ours: "a\nx\nc\nd", theirs: "a\ny\nc", preferOurs: true)
        let theirs = MergeText.merge(base: "a\nb\nc", ours: "a\nx\nc\nd", theirs: "a\ny\nc", preferOurs: false)
        XCTAssertTrue(ours.conflicted)
        XCTAssertEqual(ours.text, "a\nx\nc\nd")
        XCTAssertEqual(theirs.text, "a\ny\nc\nd")
    }

    func testListRemovalsOnBothSidesOfDifferentItems() {
        let result = MergeList.merge(base: ["w", "x1", "x2", "v"], ours: ["w", "x2", "y", "v"], theirs: ["w", "x1", "z", "v"], preferOurs: true)
        // Theirs replaced x2 by z; ours inserted y after x2: z, then y.
        XCTAssertEqual(result.merged, ["w", "z", "y", "v"])
        XCTAssertFalse(result.conflicted)
    }

    /// Disjoint line edits (changes, deletions, one-sided insertions) on unique lines always combine
    /// into exactly the expected text, whichever side is ours.
    func testRandomDisjointLineEditsCombineExactly() {
        var rng = SplitMix64(seed: 7)
        for round in 0..<400 {
            let n = Int.random(in: 0...14, using: &rng)
            let base = (0..<n).map { "Zeile \($0): Bildungsbüro Größe \($0 % 3 == 0 ? "🎓" : "ß")" }
            enum Op { case keep, change, delete }
            var owner: [Int] = (0..<n).map { _ in Int.random(in: 0...2, using: &rng) } // 0 none, 1 ours, 2 theirs
            let ops: [Op] = (0..<n).map { i in owner[i] == 0 ? .keep : (Bool.random(using: &rng) ? .change : .delete) }
            // Insertion points (before line p, 0...n): each side inserts only where the other side
            // does not insert and does not change both neighbouring lines.
            var insertOurs: [Int: String] = [:], insertTheirs: [Int: String] = [:]
            for p in 0...n {
                let inside = { (side: Int) in p > 0 && p < n && owner[p - 1] == side && owner[p] == side }
                switch Int.random(in: 0...5, using: &rng) {
                case 0 where !inside(2): insertOurs[p] = "Neu von Augsburg \(round)-\(p)"
                case 1 where !inside(1): insertTheirs[p] = "Neu aus Passau \(round)-\(p)"
                default: break
                }
            }
            func side(_ s: Int, _ inserts: [Int: String], all: Bool) -> [String] {
                var out: [String] = []
                for p in 0...n {
                    if let ins = inserts[p] { out.append(ins) }
                    guard p < n else { break }
                    if owner[p] == s || (all && owner[p] != 0) {
                        if ops[p] == .change { out.append("\(base[p]) — geändert") }
                    } else {
                        out.append(base[p])
                    }
                }
                return out
            }
            let ours = side(1, insertOurs, all: false)
            let theirs = side(2, insertTheirs, all: false)
            var both = insertOurs
            both.merge(insertTheirs) { a, _ in a }
            let expected = side(-1, both, all: true)
            let forward = Diff3.merge(base: base, ours: ours, theirs: theirs, policy: .lines, preferOurs: true)
            let backward = Diff3.merge(base: base, ours: theirs, theirs: ours, policy: .lines, preferOurs: false)
            XCTAssertFalse(forward.conflicted, "round \(round)")
            XCTAssertEqual(forward.merged, expected, "round \(round)")
            XCTAssertEqual(backward.merged, forward.merged, "round \(round)")
            owner.removeAll()
        }
    }

    /// List merges keep every insertion, apply every removal, and keep the survivors in base order.
    func testRandomListMergesKeepInsertionsAndApplyRemovals() {
        var rng = SplitMix64(seed: 99)
        for round in 0..<400 {
            let base = (0..<Int.random(in: 0...8, using: &rng)).map { "Ziel \($0) für Übergänge" }
            func mutate(_ tag: String) -> (list: [String], removed: Set<String>, added: [String]) {
                var list = base
                var removed: Set<String> = [], added: [String] = []
                for k in 0..<Int.random(in: 0...3, using: &rng) {
                    if !list.isEmpty && Bool.random(using: &rng) {
                        let i = Int.random(in: 0..<list.count, using: &rng)
                        if base.contains(list[i]) { removed.insert(list[i]) } else { added.removeAll { $0 == list[i] } }
                        list.remove(at: i)
                    } else {
                        let new = "\(tag) \(round)-\(k) ✨"
                        list.insert(new, at: Int.random(in: 0...list.count, using: &rng))
                        added.append(new)
                    }
                }
                return (list, removed, added)
            }
            let ours = mutate("Augsburg"), theirs = mutate("Passau")
            let forward = Diff3.merge(base: base, ours: ours.list, theirs: theirs.list, policy: .list, preferOurs: true)
            let backward = Diff3.merge(base: base, ours: theirs.list, theirs: ours.list, policy: .list, preferOurs: false)
            XCTAssertEqual(forward, backward, "round \(round)")
            guard !forward.conflicted else { continue }
            for a in ours.added + theirs.added { XCTAssertTrue(forward.merged.contains(a), "round \(round): lost \(a)") }
            for r in ours.removed.union(theirs.removed) { XCTAssertFalse(forward.merged.contains(r), "round \(round): kept \(r)") }
            let survivors = base.filter { !ours.removed.contains($0) && !theirs.removed.contains($0) }
            XCTAssertEqual(forward.merged.filter(base.contains), survivors, "round \(round)")
            XCTAssertEqual(forward.merged.count, survivors.count + ours.added.count + theirs.added.count, "round \(round)")
        }
    }

    /// Long texts stay fast: a small edit in 20 000 lines, and two totally different long texts
    /// (past Myers' limit, where the diff falls back to one replacement but stays correct).
    func testLongTextsStayCorrectAndFast() {
        let base = (0..<20_000).map { "Zeile \($0) – Bildungsmonitoring für den Landkreis" }
        var ours = base, theirs = base
        ours[100] = "geändert in Augsburg"
        theirs[19_000] = "geändert in Passau"
        theirs.insert("neu", at: 5_000)
        let result = Diff3.merge(base: base, ours: ours, theirs: theirs, policy: .lines, preferOurs: true)
        var expected = base
        expected[100] = "geändert in Augsburg"
        expected[19_000] = "geändert in Passau"
        expected.insert("neu", at: 5_000)
        XCTAssertEqual(result.merged, expected)
        XCTAssertFalse(result.conflicted)

        let a = (0..<3_000).map { "a\($0)" }, b = (0..<3_000).map { "b\($0)" }
        let hunks = Diff.hunks(a, b)
        XCTAssertEqual(hunks, [Hunk(range: 0..<3_000, replacement: b)])
    }

    private func lcsLength(_ a: [String], _ b: [String]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }
}

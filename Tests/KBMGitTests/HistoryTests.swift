import Foundation
import KBMGit
import XCTest

final class HistoryTests: GitTestCase {
    func testMergeBaseAncestryAndWalk() throws {
        let repository = try makeBare()
        // root → a1 → a2 (ours)  and  a1 → b1 → b2 (theirs), then merge m of a2 and b2
        let root = try commit(repository, ["f": "root"], time: 1_000)
        let a1 = try commit(repository, ["f": "a1"], parents: [root], time: 2_000)
        let a2 = try commit(repository, ["f": "a2"], parents: [a1], time: 3_000)
        let b1 = try commit(repository, ["g": "b1"], parents: [a1], time: 2_500)
        let b2 = try commit(repository, ["g": "b2"], parents: [b1], time: 4_000)
        let merge = try commit(repository, ["g": "b2"], parents: [a2, b2], time: 5_000)
        let unrelated = try commit(repository, ["x": "other"], time: 1_500)

        XCTAssertEqual(try repository.mergeBase(a2, b2), a1)
        XCTAssertEqual(try repository.mergeBase(a2, a1), a1)
        XCTAssertNil(try repository.mergeBase(a2, unrelated))

        XCTAssertTrue(try repository.isAncestor(a1, of: b2))
        XCTAssertTrue(try repository.isAncestor(a2, of: a2))
        XCTAssertFalse(try repository.isAncestor(b2, of: a1))
        XCTAssertFalse(try repository.isAncestor(a2, of: b2))
        XCTAssertFalse(try repository.isAncestor(unrelated, of: merge))

        XCTAssertEqual(try repository.commits(from: a2, hiding: []), [root, a1, a2])
        XCTAssertEqual(try repository.commits(from: b2, hiding: [a2]), [b1, b2])
        let incoming = try repository.commits(from: merge, hiding: [a2])
        XCTAssertEqual(Set(incoming), [b1, b2, merge])
        XCTAssertEqual(incoming.last, merge)
        XCTAssertLessThan(try XCTUnwrap(incoming.firstIndex(of: b1)), try XCTUnwrap(incoming.firstIndex(of: b2)))
        XCTAssertEqual(try repository.commits(from: a1, hiding: [a2]), [])

        try repository.setReference("refs/heads/main", to: merge, message: "t")
        try repository.setReference("refs/heads/ours", to: a2, message: "t")
        let cli = try git(["--git-dir", gitDir(repository), "rev-list", "--reverse", "--topo-order", "main", "^ours"])
        XCTAssertEqual(Set(cli.split(separator: "\n").map(String.init)), Set(incoming.map(\.hex)))
    }
}

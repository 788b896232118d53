import Foundation
import KBMGit
import XCTest

final class ReferenceTests: GitTestCase {
    func testCompareAndSwap() throws {
        let repository = try makeBare()
        let first = try commit(repository, ["a": "1"])
        let second = try commit(repository, ["a": "2"], parents: [first])
        let ref = "refs/heads/main"

        XCTAssertNil(try repository.reference(ref))
        XCTAssertThrowsError(try repository.setReference(ref, to: first, expecting: .pointsTo(second), message: "cas")) {
            XCTAssertEqual(($0 as? GitError)?.isConflict, true, "\($0)")
        }
        try repository.setReference(ref, to: first, expecting: .absent, message: "create")
        XCTAssertEqual(try repository.reference(ref), first)
        XCTAssertEqual(try repository.reference("HEAD"), first, "HEAD points to refs/heads/main")
        XCTAssertThrowsError(try repository.setReference(ref, to: second, expecting: .absent, message: "create again")) {
            XCTAssertEqual(($0 as? GitError)?.isConflict, true, "\($0)")
        }
        XCTAssertThrowsError(try repository.setReference(ref, to: second, expecting: .pointsTo(second), message: "stale")) {
            XCTAssertEqual(($0 as? GitError)?.isConflict, true, "\($0)")
        }
        XCTAssertEqual(try repository.reference(ref), first)
        try repository.setReference(ref, to: second, expecting: .pointsTo(first), message: "advance")
        XCTAssertEqual(try git(["--git-dir", gitDir(repository), "rev-parse", ref]), second.hex + "\n")
        try repository.setReference(ref, to: first, message: "force back")
        XCTAssertEqual(try repository.reference(ref), first)

        XCTAssertEqual(try repository.referenceNames(prefix: "refs/heads/"), [ref])
        try repository.deleteReference(ref)
        XCTAssertNil(try repository.reference(ref))
        try repository.deleteReference(ref)  // deleting a missing reference is fine
    }

    func testInvalidReferenceNameThrows() throws {
        let repository = try makeBare()
        let id = try commit(repository, ["a": "1"])
        XCTAssertThrowsError(try repository.setReference("refs/heads/bad..name", to: id, message: "x"))
        XCTAssertThrowsError(try repository.setReference("refs/heads/x", to: try ObjectID(String(repeating: "3", count: 40)), message: "x"))
    }
}

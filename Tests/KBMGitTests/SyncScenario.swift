import Foundation
import KBMGit
import XCTest

extension GitTestCase {
    /// The whole sync dance between two clones through one remote reached at `url`.
    func exerciseSync(url: String, credentials: Credentials? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let remote = try makeBare("remote")
        let alice = try makeBare("alice")
        let bob = try makeBare("bob")
        try alice.setRemote(name: "origin", url: url)
        try bob.setRemote(name: "origin", url: url)
        XCTAssertEqual(try alice.remoteURL(name: "origin"), url)

        // An empty remote: nothing to fetch.
        XCTAssertNil(try alice.fetch(remote: "origin", branch: "main", credentials: credentials), file: file, line: line)

        // Alice publishes the first commit.
        let first = try commit(alice, ["people/anna.md": "Anna\n"])
        try alice.setReference("refs/heads/main", to: first, expecting: .absent, message: "commit")
        XCTAssertEqual(try alice.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: credentials), .pushed,
                       file: file, line: line)
        XCTAssertEqual(try git(["--git-dir", gitDir(remote), "rev-parse", "refs/heads/main"]), first.hex + "\n", file: file, line: line)

        // Bob fetches it, objects included, and pushes on top.
        XCTAssertEqual(try bob.fetch(remote: "origin", branch: "main", credentials: credentials), first, file: file, line: line)
        XCTAssertEqual(try bob.reference("refs/remotes/origin/main"), first)
        let anna = try XCTUnwrap(bob.treeEntry(bob.commitTree(first), path: "people/anna.md"))
        XCTAssertEqual(try bob.readBlob(anna.id), Data("Anna\n".utf8))
        let second = try commit(bob, ["people/bob.md": "Bob\n"], parents: [first])
        try bob.setReference("refs/heads/main", to: second, message: "commit")
        XCTAssertEqual(try bob.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: credentials), .pushed)

        // Alice diverged meanwhile: her push is rejected, not thrown.
        let alicesOwn = try commit(alice, ["people/carl.md": "Carl\n"], parents: [first])
        try alice.setReference("refs/heads/main", to: alicesOwn, message: "commit")
        guard case .rejected = try alice.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: credentials) else {
            return XCTFail("a non-fast-forward push must be rejected", file: file, line: line)
        }
        XCTAssertEqual(try git(["--git-dir", gitDir(remote), "rev-parse", "refs/heads/main"]), second.hex + "\n")

        // Now that Alice knows Bob's commit, a push of her diverged branch is still rejected.
        XCTAssertEqual(try alice.fetch(remote: "origin", branch: "main", credentials: credentials), second)
        guard case .rejected = try alice.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: credentials) else {
            return XCTFail("a non-fast-forward push must be rejected", file: file, line: line)
        }

        // After merging, the push goes through.
        let mergedTree = try alice.updateTree(base: alice.commitTree(second),
                                              upserts: ["people/carl.md": alice.writeBlob(Data("Carl\n".utf8))], removals: [])
        let signature = Signature(name: "Alice", email: "alice@example.com", time: 1_700_000_500)
        let merge = try alice.createCommit(tree: mergedTree, parents: [alicesOwn, second], author: signature,
                                           committer: signature, message: "merge\n")
        try alice.setReference("refs/heads/main", to: merge, expecting: .pointsTo(alicesOwn), message: "merge")
        XCTAssertEqual(try alice.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: credentials), .pushed)
        XCTAssertEqual(try bob.fetch(remote: "origin", branch: "main", credentials: credentials), merge)
        XCTAssertEqual(try git(["--git-dir", gitDir(remote), "log", "--format=%s", "main"]), "merge\nchange\nchange\nchange\n")
        try git(["--git-dir", gitDir(remote), "fsck", "--strict", "--no-dangling"])

        // Any local reference can be pushed; a missing one is an error, not a rejection.
        let third = try commit(bob, ["x.md": "x"], parents: [merge])
        try bob.setReference("refs/kbm/outgoing", to: third, message: "stage")
        XCTAssertEqual(try bob.push(remote: "origin", localRef: "refs/kbm/outgoing", branch: "main", credentials: credentials), .pushed)
        XCTAssertEqual(try git(["--git-dir", gitDir(remote), "rev-parse", "main"]), third.hex + "\n")
        XCTAssertThrowsError(try bob.push(remote: "origin", localRef: "refs/heads/nothing", branch: "main", credentials: credentials))
    }
}

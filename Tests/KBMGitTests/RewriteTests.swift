import Foundation
import KBMGit
import KBMTestSupport
import XCTest

/// The pieces of `kbm purge`: replacing a remote branch under a lease, and dropping every object
/// no reference reaches.
final class RewriteTests: GitTestCase {
    var servers: [LocalServer] = []

    override func tearDownWithError() throws {
        servers.forEach { $0.stop() }
        try super.tearDownWithError()
    }

    func testPushReplacingOverLocalPath() throws {
        try exerciseLease(url: directory + "/remote.git")
    }

    func testPushReplacingOverGitDaemon() throws {
        let daemon = try LocalServer.gitDaemon(basePath: directory)
        servers.append(daemon)
        try exerciseLease(url: "git://127.0.0.1:\(daemon.port)/remote.git")
    }

    private func exerciseLease(url: String) throws {
        let remote = try makeBare("remote")
        let local = try makeBare("local")
        try local.setRemote(name: "origin", url: url)
        let first = try commit(local, ["a.md": "a", "secret.md": "secret"])
        let second = try commit(local, ["a.md": "a2"], parents: [first])
        try local.setReference("refs/heads/main", to: second, message: "commit")
        XCTAssertEqual(try local.push(remote: "origin", localRef: "refs/heads/main", credentials: nil), .pushed)
        // A rewritten history (not a fast-forward) replaces main only while main is what we rewrote.
        let rewritten = try commit(local, ["a.md": "a2"], message: "rewritten")
        try local.setReference("refs/kbm/rewrite", to: rewritten, message: "rewrite")
        let stale = try local.pushReplacing(remote: "origin", localRef: "refs/kbm/rewrite", expecting: first, credentials: nil)
        guard case .rejected(let reason) = stale else { return XCTFail("a stale lease must not push: \(stale)") }
        XCTAssertTrue(reason.contains("someone pushed meanwhile"), reason)
        XCTAssertEqual(try git(["--git-dir", gitDir(remote), "rev-parse", "main"]), second.hex + "\n")
        XCTAssertEqual(try local.pushReplacing(remote: "origin", localRef: "refs/kbm/rewrite", expecting: second, credentials: nil), .pushed)
        XCTAssertEqual(try git(["--git-dir", gitDir(remote), "rev-parse", "main"]), rewritten.hex + "\n")
    }

    func testDropUnreachableObjectsKeepsExactlyWhatReferencesReach() throws {
        let repo = try makeBare()
        let first = try commit(repo, ["a.md": "a", "secret.md": "SECRET-1"])
        let second = try commit(repo, ["b.md": "b", "secret.md": "SECRET-2"], parents: [first])
        try repo.setReference("refs/heads/main", to: second, message: "commit")
        // Some objects packed, some loose.
        try git(["--git-dir", gitDir(repo), "repack", "-a", "-d", "-q"])
        let third = try commit(repo, ["c.md": "c", "secret.md": "SECRET-3"], parents: [second])
        try repo.setReference("refs/heads/main", to: third, message: "commit")
        // The history without secret.md.
        let clean1 = try commit(repo, ["a.md": "a"])
        let clean2 = try commit(repo, ["b.md": "b"], parents: [clean1])
        let clean3 = try commit(repo, ["c.md": "c"], parents: [clean2])
        try repo.setReference("refs/heads/main", to: clean3, message: "rewrite")
        try repo.setReference("refs/remotes/origin/main", to: clean2, message: "rewrite")
        let secrets = try ["SECRET-1", "SECRET-2", "SECRET-3"].map { try repo.writeBlob(Data($0.utf8)) }

        let kept = try repo.dropUnreachableObjects()
        let fresh = try Repository.open(at: gitDir(repo))
        for secret in secrets { XCTAssertFalse(try fresh.containsObject(secret), "\(secret) is still stored") }
        XCTAssertEqual(try fresh.commits(from: clean3), [clean1, clean2, clean3])
        XCTAssertFalse(try fresh.containsObject(third))
        XCTAssertEqual(kept, 9, "3 commits, 3 root trees, 3 blobs")
        let all = try git(["--git-dir", gitDir(repo), "cat-file", "--batch-all-objects", "--batch"])
        XCTAssertFalse(all.contains("SECRET"), all)
        XCTAssertTrue(all.contains("tester@example.com"))
        try git(["--git-dir", gitDir(repo), "fsck", "--no-progress", "--strict"])
        XCTAssertEqual(try git(["--git-dir", gitDir(repo), "count-objects", "-v"]).split(separator: "\n").first, "count: 0", "no loose object left")
    }
}

import Foundation
import KBMGit
import KBMTestSupport
import XCTest

final class RemoteTests: GitTestCase {
    var servers: [LocalServer] = []

    override func tearDownWithError() throws {
        servers.forEach { $0.stop() }
        try super.tearDownWithError()
    }

    private func gitDaemonURL() throws -> String {
        let daemon = try LocalServer.gitDaemon(basePath: directory)
        servers.append(daemon)
        return "git://127.0.0.1:\(daemon.port)/remote.git"
    }

    func testSyncOverLocalPath() throws {
        try exerciseSync(url: directory + "/remote.git")
    }

    func testSyncOverFileURL() throws {
        try exerciseSync(url: "file://" + directory + "/remote.git")
    }

    func testSyncOverGitDaemon() throws {
        try exerciseSync(url: try gitDaemonURL())
    }

    func testServerSideRejectionOverGitDaemonIsNotSuccess() throws {
        let url = try gitDaemonURL()
        let remote = try makeRefusingRemote(message: "kbm test: refusing everything")
        let local = try makeLocalWithCommit(origin: url)
        // libgit2 returns 0 here; the refusal only shows in the per-reference push status.
        let outcome = try local.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: nil)
        XCTAssertEqual(outcome, .rejected(reason: "refs/heads/main: pre-receive hook declined"))
        XCTAssertEqual(try git(["--git-dir", gitDir(remote), "rev-parse", "--verify", "--quiet", "refs/heads/main"],
                               allowFailure: true), "")
    }

    func testFetchAfterRemoteBranchDeletedReturnsNil() throws {
        let remote = try makeBare("remote")
        let local = try makeBare("local")
        try local.setRemote(name: "origin", url: gitDir(remote))
        let id = try commit(local, ["a.md": "a"])
        try local.setReference("refs/heads/main", to: id, message: "commit")
        XCTAssertEqual(try local.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: nil), .pushed)
        XCTAssertEqual(try local.fetch(remote: "origin", branch: "main", credentials: nil), id)
        try git(["--git-dir", gitDir(remote), "update-ref", "-d", "refs/heads/main"])
        XCTAssertNil(try local.fetch(remote: "origin", branch: "main", credentials: nil))
        XCTAssertNil(try local.reference("refs/remotes/origin/main"))
    }

    func testRemoteConfiguration() throws {
        let local = try makeBare("local")
        XCTAssertNil(try local.remoteURL(name: "origin"))
        try local.setRemote(name: "origin", url: "/first/path.git")
        try local.setRemote(name: "origin", url: "https://example.com/second.git")
        XCTAssertEqual(try local.remoteURL(name: "origin"), "https://example.com/second.git")
        XCTAssertEqual(try git(["--git-dir", gitDir(local), "config", "remote.origin.url"]), "https://example.com/second.git\n")
        XCTAssertThrowsError(try local.fetch(remote: "nope", branch: "main", credentials: nil)) {
            XCTAssertEqual(($0 as? GitError)?.isNotFound, true)
        }
        XCTAssertThrowsError(try local.push(remote: "nope", localRef: "refs/heads/main", branch: "main", credentials: nil))
    }

    func testUnreachableRemoteThrowsWithoutCredentialsInMessage() throws {
        let local = try makeBare("local")
        let port = try freePort()  // nothing listens there
        try local.setRemote(name: "origin", url: "http://kbmuser:s3cret-pw@127.0.0.1:\(port)/remote.git")
        XCTAssertThrowsError(try local.fetch(remote: "origin", branch: "main",
                                             credentials: Credentials(username: "kbmuser", password: "s3cret-pw"))) { error in
            XCTAssertFalse("\(error)".contains("s3cret-pw"), "\(error)")
        }
        try local.setRemote(name: "daemon", url: "git://127.0.0.1:\(port)/remote.git")
        XCTAssertThrowsError(try local.fetch(remote: "daemon", branch: "main", credentials: nil))
    }
}

import Foundation
import KBMGit
import KBMTestSupport
import XCTest

/// Smart HTTP with basic auth: `git http-backend` behind a small Python server on 127.0.0.1.
final class HTTPRemoteTests: GitTestCase {
    private var server: LocalServer?
    private let good = Credentials(username: "kbm", password: "correct-horse")

    override func tearDownWithError() throws {
        server?.stop()
        try super.tearDownWithError()
    }

    private func startServer() throws -> String {
        let server = try LocalServer.smartHTTP(root: directory, user: "kbm", password: "correct-horse")
        self.server = server
        return "http://127.0.0.1:\(server.port)/remote.git"
    }

    func testSyncOverHTTPWithBasicAuth() throws {
        let url = try startServer()
        try exerciseSync(url: url, credentials: good)
    }

    func testMissingOrWrongCredentialsFailCleanly() throws {
        let url = try startServer()
        _ = try makeBare("remote")
        let local = try makeBare("local")
        try local.setRemote(name: "origin", url: url)

        XCTAssertThrowsError(try local.fetch(remote: "origin", branch: "main", credentials: nil)) { error in
            let gitError = error as? GitError
            XCTAssertEqual(gitError?.isAuthentication, true, "\(error)")
            XCTAssertEqual(gitError?.message, "authentication required for \(url)")
        }
        let wrong = Credentials(username: "kbm", password: "wrong-password")
        let started = Date()
        XCTAssertThrowsError(try local.fetch(remote: "origin", branch: "main", credentials: wrong)) { error in
            let gitError = error as? GitError
            XCTAssertEqual(gitError?.isAuthentication, true, "\(error)")
            XCTAssertEqual(gitError?.message, "authentication failed for \(url)")
            XCTAssertFalse("\(error)".contains("wrong-password"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the credential callback must give up")

        let id = try commit(local, ["a.md": "a"])
        try local.setReference("refs/heads/main", to: id, message: "commit")
        XCTAssertThrowsError(try local.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: wrong)) {
            XCTAssertEqual(($0 as? GitError)?.isAuthentication, true, "\($0)")
        }
        XCTAssertEqual(try local.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: good), .pushed)
    }

    func testServerSideRejectionOverHTTP() throws {
        let url = try startServer()
        _ = try makeRefusingRemote()
        let local = try makeLocalWithCommit(origin: url)
        XCTAssertEqual(try local.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: good),
                       .rejected(reason: "refs/heads/main: pre-receive hook declined"))
    }
}

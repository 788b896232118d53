import Foundation
import KBMGit
import KBMTestSupport
import XCTest

final class NetworkTimeoutTests: GitTestCase {
    private var server: LocalServer?

    override func tearDownWithError() throws {
        server?.stop()
        NetworkTimeouts.set(connect: .seconds(10), readWrite: .seconds(30))
        try super.tearDownWithError()
    }

    /// A server that accepts connections and never says anything.
    private func startSilentServer() throws -> Int {
        let server = try LocalServer.silent()
        self.server = server
        return server.port
    }

    func testSilentServerTimesOutInsteadOfHanging() throws {
        let port = try startSilentServer()
        NetworkTimeouts.set(connect: .seconds(2), readWrite: .seconds(1))
        XCTAssertEqual(NetworkTimeouts.current.readWrite, .seconds(1))
        let local = try makeBare("local")
        for url in ["git://127.0.0.1:\(port)/remote.git", "http://127.0.0.1:\(port)/remote.git"] {
            try local.setRemote(name: "origin", url: url)
            let started = Date()
            XCTAssertThrowsError(try local.fetch(remote: "origin", branch: "main", credentials: nil), url) { error in
                XCTAssertTrue("\(error)".contains("timed out"), "\(error)")
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 8, url)
        }
    }

    func testRefusedConnectionFailsFast() throws {
        let local = try makeBare("local")
        try local.setRemote(name: "origin", url: "git://127.0.0.1:\(try freePort())/remote.git")
        XCTAssertThrowsError(try local.fetch(remote: "origin", branch: "main", credentials: nil)) { error in
            XCTAssertTrue("\(error)".contains("failed to connect to 127.0.0.1"), "\(error)")
        }
    }
}

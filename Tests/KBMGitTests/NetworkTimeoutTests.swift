import Foundation
import KBMGit
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
        let script = """
        import socket, sys, time
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16); held = []
        while True: held.append(s.accept())
        """
        let server = try LocalServer(executable: "/usr/bin/env") { ["python3", "-c", script, String($0)] }
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

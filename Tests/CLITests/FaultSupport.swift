import Foundation
import KBMTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Shared by the fault and soak tests: a git daemon, a connection-cutting proxy, bulk records.
enum FaultSupport {
    /// `git daemon` serving `root` (push enabled); returns the server and the URL of `root/region.git`.
    static func gitDaemon(root: String) throws -> (LocalServer, String) {
        let daemon = try LocalServer.gitDaemon(basePath: root)
        return (daemon, "git://127.0.0.1:\(daemon.port)/region.git")
    }

    /// A TCP proxy on a free port to 127.0.0.1:`upstream` that resets each connection once
    /// `limit` bytes have gone in `direction` ("down": server to client, as in a fetch; "up": client
    /// to server, as in a push). Returns the server and its port.
    static func cuttingProxy(upstream: Int, direction: String, limit: Int) throws -> LocalServer {
        try LocalServer.python(cuttingProxyScript, [String(upstream), direction, String(limit)])
    }

    static let cuttingProxyScript = #"""
import socket, struct, sys, threading
PORT, UP, DIRECTION, LIMIT = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
def pump(src, dst, counted, state):
    try:
        while True:
            data = src.recv(4096)
            if not data: break
            if counted:
                room = LIMIT - state["n"]
                if len(data) >= room:
                    dst.sendall(data[:max(room, 0)])
                    for s in (src, dst):  # a hard reset, as when the Wi-Fi drops
                        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        s.close()
                    return
                state["n"] += len(data)
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
def serve(client):
    upstream = socket.create_connection(("127.0.0.1", UP))
    state = {"n": 0}
    threading.Thread(target=pump, args=(client, upstream, DIRECTION == "up", state), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client, DIRECTION == "down", state), daemon=True).start()
import os
threading.Timer(300, lambda: os._exit(0)).start()  # never outlive a test run
server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", PORT)); server.listen(16)
while True:
    c, _ = server.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
"""#


    /// Writes `count` tip records of `county` with ~`bodyBytes` of incompressible text each into a
    /// new folder and returns it (for `kbm import`: big packs without thousands of `kbm add`).
    static func bulkRecords(county: String, count: Int, bodyBytes: Int = 2000) throws -> String {
        let dir = KBMRunner.makeTempDir("kbm-bulk")
        for n in 0..<count {
            let id = RegionFixture.newID()
            let body = (0..<(bodyBytes / 40)).map { _ in String((0..<39).map { _ in RegionFixture.alphabet.randomElement()! }) }.joined(separator: "\n")
            let text = ["---", "id: \(id)", "kind: tip", "county: \(county)", "format: 1",
                        "created: 2026-01-10T08:00:00Z", "updated: 2026-01-10T08:00:00Z", "title: Massentipp \(n)", "---", "", body, ""].joined(separator: "\n")
            let path = dir + "/" + RegionFixture.recordPath(county: county, kind: "tip", id: id)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }
        return dir
    }

    /// `git rev-parse main` in a workspace's or the region's repository.
    static func head(_ gitDir: String) -> String {
        KBMRunner.exec("/usr/bin/git", ["--git-dir=\(gitDir)", "rev-parse", "main"], cwd: "/").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

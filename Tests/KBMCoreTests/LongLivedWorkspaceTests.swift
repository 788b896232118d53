import Foundation
import KBMCore
import KBMRecords
import KBMTestSupport
import XCTest

/// One long-lived process holds a workspace open, as `kbm serve` will, and writes and syncs in a
/// loop, while short CLI processes edit and sync the same workspace. The network is slow (a proxy
/// delays every transfer), so a design that held the writer lock through a sync would make the CLI
/// edits wait for the network. Nothing may be lost, no command may fail on the lock, and no edit
/// may wait longer than one local write.
final class LongLivedWorkspaceTests: XCTestCase {
    /// A TCP proxy on 127.0.0.1 that holds back the upstream's first answer by `delay` seconds on
    /// every connection (a slow mobile link): each fetch and each push takes that long at least.
    static let delayingProxy = """
    import socket, sys, threading, time
    port, upstream, delay = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    def pump(src, dst, wait):
        first = True
        try:
            while True:
                data = src.recv(65536)
                if not data: break
                if first and wait: time.sleep(delay); first = False
                dst.sendall(data)
        except OSError: pass
        finally:
            for s in (src, dst):
                try: s.shutdown(socket.SHUT_RDWR)
                except OSError: pass
    server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port)); server.listen(64)
    while True:
        client, _ = server.accept()
        up = socket.create_connection(("127.0.0.1", upstream))
        threading.Thread(target=pump, args=(client, up, False), daemon=True).start()
        threading.Thread(target=pump, args=(up, client, True), daemon=True).start()
    """

    func testServerProcessAndCLIEditAndSyncSideBySide() throws {
        let root = KBMRunner.makeTempDir("kbm-longlived")
        defer { if ProcessInfo.processInfo.environment["KBM_KEEP_TEST_DIRS"] == nil { try? FileManager.default.removeItem(atPath: root) } }
        let remote = root + "/region.git"
        KBMRunner.sh("git init -q --bare -b main \(remote)")
        let daemon = try LocalServer.gitDaemon(basePath: root)
        defer { daemon.stop() }
        let delay = 1.5
        let proxy = try LocalServer.python(Self.delayingProxy, ["\(daemon.port)", "\(delay)"])
        defer { proxy.stop() }
        let url = "git://127.0.0.1:\(proxy.port)/region.git"
        let dir = root + "/augsburg"
        let clone = KBMRunner.exec(KBMRunner.binary, ["clone", url, dir, "--county", "lk-augsburg", "--user", "Anna Berger <anna@lra-augsburg.example>"], cwd: root)
        XCTAssertEqual(clone.status, 0, clone.stderr)

        // The long-lived process: this test process, one Workspace object for the whole run.
        let server = try Workspace.open(at: dir)
        let serverRounds = 6
        let serverState = ServerState()
        Thread.detachNewThread {
            for round in 0..<serverRounds {
                do {
                    let record = try server.add(kind: "tip", assignments: [try FieldAssignment(parsing: "title=Vom Server \(round) – Übergang")])
                    serverState.append(id: record.id.rawValue)
                    let report = try server.sync()
                    serverState.note(outcome: report.outcome.code)
                } catch {
                    serverState.fail("round \(round): \(error)")
                }
            }
            serverState.finish()
        }

        // Meanwhile the coordinator works with the CLI in the same workspace.
        let cli = KBMRunner(cwd: dir)
        var cliIDs: [String] = []
        var slowest = 0.0
        var failures: [String] = []
        var round = 0
        while !serverState.finished || round < 6 {
            let started = Date()
            let r = cli.run(["add", "tip", "title=Aus der Kommandozeile \(round) \u{1F4DA}"])
            let took = Date().timeIntervalSince(started)
            if r.status == 0 { cliIDs.append(r.lastLine) } else { failures.append("add \(round): \(r.stderr)") }
            slowest = max(slowest, took)
            if round % 4 == 3 {
                let s = cli.run(["sync"])
                if s.status != 0 { failures.append("sync \(round): \(s.stderr)") }
            }
            round += 1
            if round > 200 { break }
        }
        while !serverState.finished { usleep(50_000) }
        XCTAssertEqual(failures, [], "CLI commands failed beside the server")
        XCTAssertEqual(serverState.failures, [], "the server's writes failed beside the CLI")
        XCTAssertEqual(serverState.outcomes.filter { $0 != "synced" }, [], "every server sync went through")
        // No edit waited for the network: a sync holds the lock only for its local steps.
        XCTAssertLessThan(slowest, delay, "a CLI edit waited \(slowest) s (the network delay is \(delay) s per transfer)")

        // Nothing lost: a last sync, then every record is in the workspace and in the region.
        XCTAssertEqual(cli.run(["sync"]).status, 0)
        let all = Set(serverState.ids + cliIDs)
        XCTAssertEqual(all.count, serverRounds + cliIDs.count)
        let listed = Set(cli.listJSON().compactMap { $0["id"] as? String })
        XCTAssertEqual(all.subtracting(listed), [], "records missing from the store")
        let files = KBMRunner.sh("git --git-dir=\(remote) ls-tree -r --name-only main").stdout
        for id in all { XCTAssertTrue(files.contains(id), "\(id) did not reach the region") }
        KBMRunner.sh("git --git-dir=\(remote) fsck --no-progress")
    }
}

/// What the server thread did, read by the test thread.
private final class ServerState: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var ids: [String] = []
    private(set) var outcomes: [String] = []
    private(set) var failures: [String] = []
    private var done = false

    var finished: Bool { lock.lock(); defer { lock.unlock() }; return done }
    func finish() { lock.lock(); done = true; lock.unlock() }

    func append(id: String) { lock.lock(); ids.append(id); lock.unlock() }
    func note(outcome: String) { lock.lock(); outcomes.append(outcome); lock.unlock() }
    func fail(_ message: String) { lock.lock(); failures.append(message); lock.unlock() }
}

/// A second writer waits a bounded time, then names the process that holds the workspace.
final class WriterLockTests: XCTestCase {
    func testASecondWriterWaitsThenNamesTheHolder() throws {
        let dir = KBMRunner.makeTempDir("kbm-writer")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cli = KBMRunner(cwd: dir, environment: ["KBM_LOCK_WAIT": "1.5"])
        cli.ok("init", "--county", "lk-augsburg", "--user", "Anna Berger <anna@lra.example>")
        let server = try Workspace.open(at: dir)
        let session = try server.beginWriting()
        let started = Date()
        let refused = cli.run(["add", "tip", "title=Wartet"])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("Another kbm (pid \(ProcessInfo.processInfo.processIdentifier), started 20"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is writing in this workspace"), refused.stderr)
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 1.4)
        XCTAssertEqual(try server.list(kind: nil, county: nil, where: []).count, 0, "nothing half-written")
        // Sessions nest in one process, and the lock is free again when the outer one ends.
        let inner = try server.beginWriting()
        inner.end()
        session.end()
        cli.ok("add", "tip", "title=Jetzt geht es")
        XCTAssertEqual(try server.list(kind: nil, county: nil, where: []).count, 1)
    }
}

import Foundation
import KBMTestSupport
import XCTest

/// `kbm sync` says how it ended as a typed outcome (`--json`: "outcome" and "reason"), decided
/// from libgit2's error class: exit 3 only when the network did not reach the region, exit 1 when
/// the user or the agency must act. Local work is committed whatever the outcome.
final class SyncOutcomeTests: RegionTestCase {
    private var servers: [LocalServer] = []

    override func tearDown() {
        servers.forEach { $0.stop() }
        servers = []
        super.tearDown()
    }

    /// Runs `kbm sync --json`: the exit status and the report it printed (even when it failed).
    private func syncJSON(_ w: KBMRunner, file: StaticString = #filePath, line: UInt = #line) -> (Int32, [String: Any], String) {
        let r = w.run(["sync", "--json"])
        let object = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
        XCTAssertNotNil(object, "sync --json printed no report: \(r.stdout) \(r.stderr)", file: file, line: line)
        return (r.status, object ?? [:], r.stderr)
    }

    private func tipCount(_ w: KBMRunner) -> Int {
        Int(KBMRunner.sh("git --git-dir=\(w.cwd)/.kbm/repo.git rev-list --count main").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func testNoRemoteIsItsOwnOutcomeNotOffline() {
        let dir = tempDir()
        let w = KBMRunner(cwd: dir)
        w.ok("init", "--county", "lk-augsburg", "--user", "Anna Berger <anna@lra.example>")
        w.ok("add", "tip", "title=Ohne Verbindung")
        let (status, report, stderr) = syncJSON(w)
        XCTAssertEqual(status, 1, "no remote is not 'offline, try later': \(stderr)")
        XCTAssertEqual(report["outcome"] as? String, "no-remote")
        XCTAssertEqual(report["offline"] as? Bool, false)
        XCTAssertTrue(stderr.contains("kbm remote <url>"), stderr)
        XCTAssertTrue(stderr.contains("1 commit waits"), stderr)
    }

    func testUnreachableHostIsOfflineExitThree() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        a.ok("remote", "git://127.0.0.1:\(try freePort())/region.git")
        a.ok("add", "tip", "title=Im Zug geschrieben")
        let (status, report, stderr) = syncJSON(a)
        XCTAssertEqual(status, 3, stderr)
        XCTAssertEqual(report["outcome"] as? String, "offline")
        XCTAssertEqual(report["offline"] as? Bool, true)
        XCTAssertNotNil(report["reason"] as? String)
        XCTAssertTrue(stderr.contains("Your changes are safe"), stderr)
    }

    func testWrongPasswordIsAuthenticationFailedNeverOffline() throws {
        let region = region()
        let server = try LocalServer.smartHTTP(root: region.root, user: "kreis", password: "richtig-123")
        servers.append(server)
        let url = "http://127.0.0.1:\(server.port)/region.git"
        let good = ["KBM_GIT_USERNAME": "kreis", "KBM_GIT_PASSWORD": "richtig-123"]
        let joined = region.join("lk-augsburg", url: url, environment: good)
        let wrong = KBMRunner(cwd: joined.cwd, environment: ["KBM_GIT_USERNAME": "kreis", "KBM_GIT_PASSWORD": "falsch-456"])
        wrong.ok("add", "tip", "title=Falsches Passwort")
        let (status, report, stderr) = syncJSON(wrong)
        XCTAssertEqual(status, 1, stderr)
        XCTAssertEqual(report["outcome"] as? String, "authentication-failed")
        XCTAssertEqual(report["offline"] as? Bool, false)
        XCTAssertTrue(stderr.contains("authentication failed"), stderr)
        XCTAssertFalse(stderr.contains("falsch-456") || "\(report)".contains("falsch-456"), "the password leaked")
        // The change is committed locally and goes out with the right password.
        XCTAssertEqual(KBMRunner(cwd: joined.cwd, environment: good).sync()["outcome"] as? String, "synced")
    }

    /// A server that refuses a fast-forward push (a hook, a protected branch) is told apart from a
    /// race with other offices: kbm stops after the first refusal and names the server's reason,
    /// instead of retrying six times and calling it contention.
    func testServerRefusingThePushIsRefusedByServerAndNotRetried() throws {
        let region = region()
        let daemon = try LocalServer.gitDaemon(basePath: region.root)
        servers.append(daemon)
        let url = "git://127.0.0.1:\(daemon.port)/region.git"
        let a = region.join("lk-augsburg", url: url)
        let hook = region.remote + "/hooks/pre-receive"
        try "#!/bin/sh\necho 'Nur lesen: die Region ist gesperrt' >&2\nexit 1\n".write(toFile: hook, atomically: true, encoding: .utf8)
        KBMRunner.sh("chmod +x \(hook)")
        let before = FaultSupport.head(region.remote)
        a.ok("add", "tip", "title=Abgelehnt vom Server")
        let (status, report, stderr) = syncJSON(a)
        XCTAssertEqual(status, 1, stderr)
        XCTAssertEqual(report["outcome"] as? String, "refused-by-server", "\(report)")
        XCTAssertEqual(report["push_retries"] as? Int, 1, "a refusal that is not a race is not retried: \(report)")
        XCTAssertTrue((report["reason"] as? String ?? "").contains("declined"), "\(report)")
        XCTAssertTrue(stderr.contains("refused the push"), stderr)
        XCTAssertEqual(FaultSupport.head(region.remote), before, "the remote moved")
        XCTAssertGreaterThan(tipCount(a), 1, "the change is committed locally")
    }
}

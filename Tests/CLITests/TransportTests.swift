import Foundation
import KBMTestSupport
import XCTest

/// `kbm clone` / `kbm sync` / `kbm remote` between counties over every transport kbm supports,
/// through the built binary and real git servers on 127.0.0.1: a plain path, file://, git://
/// (`git daemon`) and smart HTTP (`git http-backend` behind a small CGI server with basic auth).
final class TransportTests: RegionTestCase {
    private var servers: [LocalServer] = []

    override func tearDown() {
        servers.forEach { $0.stop() }
        servers = []
        super.tearDown()
    }

    // MARK: servers

    /// `git daemon` serving the region's folder, push enabled; returns the URL of the region.
    private func startGitDaemon(_ region: RegionFixture) throws -> String {
        let daemon = try LocalServer.gitDaemon(basePath: region.root)
        servers.append(daemon)
        return "git://127.0.0.1:\(daemon.port)/region.git"
    }

    /// `git http-backend` behind basic auth; returns the URL of the region.
    private func startHTTP(_ region: RegionFixture, user: String, password: String) throws -> String {
        let server = try LocalServer.smartHTTP(root: region.root, user: user, password: password)
        servers.append(server)
        return "http://127.0.0.1:\(server.port)/region.git"
    }

    /// A server that accepts connections and never answers.
    private func startSilentServer() throws -> Int {
        let server = try LocalServer.silent()
        servers.append(server)
        return server.port
    }

    // MARK: the shared scenario

    /// Two counties join through `url`, share a record and edit it both ways.
    private func exerciseTwoCounties(_ region: RegionFixture, url: String, environment: [String: String] = [:],
                                     file: StaticString = #filePath, line: UInt = #line) -> (KBMRunner, KBMRunner, String) {
        let a = region.join("lk-augsburg", url: url, environment: environment)
        XCTAssertEqual(a.ok("remote").stdout.trimmingCharacters(in: .whitespacesAndNewlines), url, file: file, line: line)
        let id = a.ok("add", "event", "title=Fachtag über \(url.prefix(4))", "co_owners=stadt-kempten", "start=2026-03-14").lastLine
        let first = a.sync(file: file, line: line)
        XCTAssertEqual(first["committed"] as? Int, 1, file: file, line: line)
        XCTAssertEqual(first["pushed"] as? Bool, true, "\(first)", file: file, line: line)

        let b = region.join("stadt-kempten", url: url, environment: environment)
        XCTAssertEqual(b.json(id)["title"] as? String, "Fachtag über \(url.prefix(4))", file: file, line: line)
        b.ok("edit", id, "participants=77")
        let second = b.sync(file: file, line: line)
        XCTAssertEqual(second["pushed"] as? Bool, true, "\(second)", file: file, line: line)

        let back = a.sync(file: file, line: line)
        XCTAssertEqual(back["received"] as? Int, 1, "\(back)", file: file, line: line)
        XCTAssertEqual(a.json(id)["participants"] as? Int, 77, file: file, line: line)
        // Both workspaces and the region agree on the tip.
        let tip = KBMRunner.sh("git --git-dir=\(region.remote) rev-parse main").stdout
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(a.cwd)/.kbm/repo.git rev-parse main").stdout, tip, file: file, line: line)
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(b.cwd)/.kbm/repo.git rev-parse main").stdout, tip, file: file, line: line)
        XCTAssertTrue(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout
            .contains(RegionFixture.recordPath(county: "lk-augsburg", kind: "event", id: id)), file: file, line: line)
        return (a, b, id)
    }

    // MARK: transports

    func testSyncOverPlainPath() throws {
        let region = region()
        _ = exerciseTwoCounties(region, url: region.remote)
    }

    func testSyncOverFileURL() throws {
        let region = region()
        _ = exerciseTwoCounties(region, url: "file://" + region.remote)
    }

    func testSyncOverGitDaemon() throws {
        let region = region()
        _ = exerciseTwoCounties(region, url: try startGitDaemon(region))
    }

    func testSyncOverSmartHTTPWithCredentialsFromEnvironment() throws {
        let region = region()
        let password = "pw-env-\(UUID().uuidString.prefix(8))"
        let url = try startHTTP(region, user: "kbm", password: password)
        let (a, b, _) = exerciseTwoCounties(region, url: url, environment: ["KBM_GIT_USERNAME": "kbm", "KBM_GIT_PASSWORD": password])
        // The password is used, never stored.
        for w in [a, b] { assertNotFound(password, under: w.cwd + "/.kbm") }
        assertNotFound(password, under: region.remote)
    }

    func testSyncOverSmartHTTPWithCredentialsFile() throws {
        let region = region()
        let password = "pw-file-\(UUID().uuidString.prefix(8))"
        let url = try startHTTP(region, user: "kbm", password: password)
        let env = ["KBM_GIT_USERNAME": "kbm", "KBM_GIT_PASSWORD": password]
        // `kbm clone` cannot read .kbm/credentials before .kbm exists: join with the environment,
        // then drop it and use the file.
        let joined = region.join("lk-augsburg", url: url, environment: env)
        let a = KBMRunner(cwd: joined.cwd)
        let credentials = a.cwd + "/.kbm/credentials"
        try "username=kbm\npassword=\(password)\n".write(toFile: credentials, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: credentials)
        let id = a.ok("add", "tip", "title=Über HTTP mit Datei").lastLine
        let report = a.sync()
        XCTAssertEqual(report["pushed"] as? Bool, true, "\(report)")
        XCTAssertTrue(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout.contains(id))

        // Readable by others: refused, with a message saying what to do.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: credentials)
        a.ok("edit", id, "title=Noch einmal")
        let refused = a.run(["sync"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("credentials") && refused.stderr.contains("600"), refused.stderr)
        XCTAssertFalse((refused.stdout + refused.stderr).contains(password))

        // Back to 0600: the change goes out.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: credentials)
        XCTAssertEqual(a.sync()["pushed"] as? Bool, true)
        let b = region.join("stadt-kempten", url: url, environment: env)
        XCTAssertEqual(b.json(id)["title"] as? String, "Noch einmal")
        assertNotFound(password, under: a.cwd + "/.kbm/repo.git")
        assertNotFound(password, under: a.cwd + "/.kbm/store.sqlite")
        assertNotFound(password, under: region.remote)
    }

    func testWrongPasswordFailsClearlyAndLeaksNothing() throws {
        let region = region()
        let good = "pw-good-\(UUID().uuidString.prefix(8))"
        let wrong = "pw-WRONG-\(UUID().uuidString.prefix(8))"
        let url = try startHTTP(region, user: "kbm", password: good)
        let joined = region.join("lk-augsburg", url: url, environment: ["KBM_GIT_USERNAME": "kbm", "KBM_GIT_PASSWORD": good])
        let a = KBMRunner(cwd: joined.cwd, environment: ["KBM_GIT_USERNAME": "kbm", "KBM_GIT_PASSWORD": wrong])
        let id = a.ok("add", "tip", "title=Wartet auf das richtige Passwort").lastLine

        let started = Date()
        let r = a.run(["sync"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.lowercased().contains("authentication"), r.stderr)
        XCTAssertFalse(r.stdout.contains(wrong) || r.stderr.contains(wrong), r.stdout + r.stderr)
        let json = a.run(["sync", "--json"])
        XCTAssertNotEqual(json.status, 0)
        XCTAssertFalse(json.stdout.contains(wrong) || json.stderr.contains(wrong))
        assertNotFound(wrong, under: a.cwd + "/.kbm")
        assertNotFound(wrong, under: region.remote)
        // The change is committed locally and waits.
        XCTAssertFalse(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout.contains(id))
        XCTAssertTrue(KBMRunner.sh("git --git-dir=\(a.cwd)/.kbm/repo.git ls-tree -r --name-only main").stdout.contains(id))

        // A clone with the wrong password fails the same way and leaves no half-made workspace.
        let dir = region.root + "/stadt-kempten"
        let clone = KBMRunner.exec(KBMRunner.binary, ["clone", url, dir, "--county", "stadt-kempten", "--user", "B <b@kempten.de>"],
                                   cwd: region.root, environment: ["KBM_GIT_USERNAME": "kbm", "KBM_GIT_PASSWORD": wrong])
        XCTAssertNotEqual(clone.status, 0)
        XCTAssertTrue(clone.stderr.lowercased().contains("authentication"), clone.stderr)
        XCTAssertFalse((clone.stdout + clone.stderr).contains(wrong))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/.kbm"))

        // With the right password, the waiting commit goes out.
        let fixed = KBMRunner(cwd: a.cwd, environment: ["KBM_GIT_USERNAME": "kbm", "KBM_GIT_PASSWORD": good])
        XCTAssertEqual(fixed.sync()["pushed"] as? Bool, true)
        XCTAssertTrue(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout.contains(id))
    }

    func testRemoteCommandSwitchesAPathCloneToGitDaemon() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        let url = try startGitDaemon(region)
        let set = a.ok("remote", url)
        XCTAssertTrue(set.stdout.contains(url), set.stdout)
        XCTAssertEqual(a.ok("remote").stdout.trimmingCharacters(in: .whitespacesAndNewlines), url)
        XCTAssertTrue(a.ok("status").stdout.contains(url))
        let id = a.ok("add", "event", "title=Über git daemon", "co_owners=stadt-kempten").lastLine
        XCTAssertEqual(a.sync()["pushed"] as? Bool, true)
        // b still syncs over the path and sees it; then switches too.
        b.sync()
        XCTAssertEqual(b.json(id)["title"] as? String, "Über git daemon")
        b.ok("remote", url)
        b.ok("edit", id, "location=Kongress am Park")
        XCTAssertEqual(b.sync()["pushed"] as? Bool, true)
        XCTAssertEqual(a.sync()["received"] as? Int, 1)
        XCTAssertEqual(a.json(id)["location"] as? String, "Kongress am Park")
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(a.cwd)/.kbm/repo.git config remote.origin.url").stdout.trimmingCharacters(in: .whitespacesAndNewlines), url)
    }

    /// `kbm clone ../region.git ws` from another folder: the remote must still be found when
    /// `kbm sync` later runs inside the workspace (git stores such paths absolute).
    func testRelativePathRemoteKeepsWorkingFromInsideTheWorkspace() throws {
        let region = region()
        let clone = KBMRunner.exec(KBMRunner.binary, ["clone", "region.git", "lk-augsburg", "--county", "lk-augsburg", "--user", "A <a@augsburg.de>"], cwd: region.root)
        XCTAssertEqual(clone.status, 0, clone.stderr)
        let a = KBMRunner(cwd: region.root + "/lk-augsburg")
        let id = a.ok("add", "tip", "title=Relativer Pfad").lastLine
        let r = a.run(["sync", "--json"])
        XCTAssertEqual(r.status, 0, "sync inside the workspace cannot find the relative remote: \(r.stderr)")
        XCTAssertTrue(KBMRunner.exec("/usr/bin/git", ["--git-dir=\(region.remote)", "ls-tree", "-r", "--name-only", "main"], cwd: "/").stdout.contains(id))
    }

    func testHangingRemoteTimesOutOfflineAndPushesLater() throws {
        let region = region()
        let joined = region.join("lk-augsburg")
        // KBM_NETWORK_TIMEOUT shortens the 10 s / 30 s limits for the test.
        let a = KBMRunner(cwd: joined.cwd, environment: ["KBM_NETWORK_TIMEOUT": "3"])
        let port = try startSilentServer()
        a.ok("remote", "git://127.0.0.1:\(port)/region.git")
        let id = a.ok("add", "tip", "title=Trotz Funkloch").lastLine
        let started = Date()
        let r = a.run(["sync"])
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, 15, "kbm sync hung for \(elapsed) s (KBM_NETWORK_TIMEOUT=3)")
        XCTAssertGreaterThan(elapsed, 2.5, "the read timeout should take about 3 s")
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.lowercased().contains("timed out") || r.stderr.lowercased().contains("timeout"), r.stderr)
        // Committed locally.
        XCTAssertTrue(KBMRunner.sh("git --git-dir=\(a.cwd)/.kbm/repo.git ls-tree -r --name-only main").stdout.contains(id))
        let status = a.ok("status").stdout
        XCTAssertTrue(status.contains("1 commit not yet pushed"), status)
        XCTAssertTrue(status.contains("No local changes waiting"), status)
        // A working remote later: pushed.
        a.ok("remote", region.remote)
        let ok = a.sync()
        XCTAssertEqual(ok["pushed"] as? Bool, true, "\(ok)")
        XCTAssertEqual(ok["committed"] as? Int, 0)
        XCTAssertTrue(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout.contains(id))
    }

    // MARK: helpers

    /// Fails if `needle` occurs in any file under `path` (a file or folder).
    private func assertNotFound(_ needle: String, under path: String, file: StaticString = #filePath, line: UInt = #line) {
        let r = KBMRunner.exec("/bin/bash", ["-c", "grep -r -a -l -F -e \"$0\" \"$1\"", needle, path], cwd: "/")
        XCTAssertEqual(r.status, 1, "'\(needle)' found under \(path): \(r.stdout) \(r.stderr)", file: file, line: line)
    }
}

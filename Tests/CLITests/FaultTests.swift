import Foundation
import KBMTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Faults of the real world (docs/fault-model.md): a history rewritten on the git host, a
/// connection cut in the middle of a fetch or a push, a full disk during sync. Each leaves the
/// workspace consistent (`kbm doctor` healthy, or only lagging behind), and the next sync succeeds
/// and loses nothing.
final class FaultTests: XCTestCase {
    private var servers: [LocalServer] = []
    private var cleanups: [() -> Void] = []

    override func tearDown() {
        servers.reversed().forEach { $0.forceStop() }
        servers = []
        cleanups.reversed().forEach { $0() }
        cleanups = []
        super.tearDown()
    }

    /// `kbm doctor` finds nothing wrong, or only an interrupted sync (which the next sync finishes).
    private func assertConsistent(_ w: KBMRunner, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let doctor = w.run(["doctor", "--json"])
        let report = (try? JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8))) as? [String: Any] ?? [:]
        let problems = (report["problems"] as? [String] ?? []).filter { !$0.contains("lags behind") }
        XCTAssertTrue(problems.isEmpty, "\(label): kbm doctor: \(doctor.stdout) \(doctor.stderr)", file: file, line: line)
        XCTAssertNotNil(report["healthy"], "\(label): no doctor report: \(doctor.stdout) \(doctor.stderr)", file: file, line: line)
    }

    // MARK: a rewritten history (force-push)

    /// The host's history is rewritten to drop commits two offices already synced. kbm notices,
    /// says so, keeps every record of the dropped commits in every workspace, and pushes them back.
    func testForcePushDroppingSyncedCommitsIsDetectedAndRepaired() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let first = a.ok("add", "event", "title=Bildungskonferenz", "co_owners=stadt-kempten").lastLine
        a.sync()
        let beforeRewrite = FaultSupport.head(region.remote)
        let b = region.join("stadt-kempten")
        // Commits that will be dropped: one from each office, both synced by both.
        let fromA = a.ok("add", "tip", "title=Nur in der alten Geschichte (A)").lastLine
        a.ok("edit", first, "participants=150")
        a.sync()
        let fromB = b.ok("add", "stakeholder", "name=Kathrin Vogl").lastLine
        b.sync()
        a.sync()
        XCTAssertEqual(FaultSupport.head("\(a.cwd)/.kbm/repo.git"), FaultSupport.head("\(b.cwd)/.kbm/repo.git"))

        // Someone force-pushes an older state plus a web edit on top (the dropped commits are gone).
        let hand = region.handClone()
        KBMRunner.sh("git reset -q --hard \(beforeRewrite) && echo '# Region' > README.md && git commit -qam 'web edit' && git push -q -f origin HEAD:main", cwd: hand)
        XCTAssertFalse(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout.contains(fromA))

        // The first office to sync detects it, says so plainly, and pushes the records back.
        let text = b.ok("sync").stdout
        XCTAssertTrue(text.contains("history was rewritten") && text.contains("pushed them back"), text)
        let report = a.sync()
        XCTAssertNil(report["history_rewritten"] as? [String: Any], "a's previous tip is in the repaired history: \(report)")
        for w in [a, b] {
            XCTAssertEqual(w.json(fromA)["title"] as? String, "Nur in der alten Geschichte (A)", w.cwd)
            XCTAssertEqual(w.json(fromB)["name"] as? String, "Kathrin Vogl", w.cwd)
            XCTAssertEqual(w.json(first)["participants"] as? Int, 150, w.cwd)
        }
        let files = KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout
        XCTAssertTrue(files.contains(fromA) && files.contains(fromB), "not re-pushed:\n\(files)")
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(region.remote) show main:README.md").stdout, "# Region\n", "the web edit is kept too")
        let status = b.ok("status", "--json").stdout
        XCTAssertTrue(status.contains("\"history_rewritten\"") && status.contains("\"restored\": true"), status)
        XCTAssertTrue(b.ok("status").stdout.contains("kbm deleted nothing"), b.ok("status").stdout)

        // --json reports it too: rewrite again (drop everything after the first commit), sync a with --json.
        KBMRunner.sh("git fetch -q && git reset -q --hard \(beforeRewrite) && git push -q -f origin HEAD:main", cwd: hand)
        let json = a.sync()
        let rewrite = json["history_rewritten"] as? [String: Any]
        XCTAssertGreaterThanOrEqual(rewrite?["dropped_commits"] as? Int ?? 0, 3, "\(json)")
        XCTAssertGreaterThanOrEqual(rewrite?["records"] as? Int ?? 0, 2, "\(json)")
        XCTAssertEqual(rewrite?["restored"] as? Bool, true, "\(json)")
        b.sync()
        XCTAssertEqual(b.json(fromA)["title"] as? String, "Nur in der alten Geschichte (A)")
        XCTAssertEqual(FaultSupport.head("\(a.cwd)/.kbm/repo.git"), FaultSupport.head(region.remote))
        XCTAssertEqual(FaultSupport.head("\(b.cwd)/.kbm/repo.git"), FaultSupport.head(region.remote))
    }

    // MARK: a lock file left by a killed process

    /// Found by the soak test: a `kbm sync` killed while libgit2 held `refs/heads/main.lock` left the
    /// file behind, and every later sync failed ("failed to lock file"). Under kbm's own writer lock
    /// such files are stale and removed.
    func testStaleRefLockFromAKilledSyncIsRemoved() {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "tip", "title=Nach dem Absturz").lastLine
        for lock in ["refs/heads/main.lock", "refs/remotes/origin/main.lock", "packed-refs.lock"] {
            _ = FileManager.default.createFile(atPath: "\(a.cwd)/.kbm/repo.git/\(lock)", contents: Data())
        }
        XCTAssertEqual(a.sync()["pushed"] as? Bool, true)
        XCTAssertTrue(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout.contains(id))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(a.cwd)/.kbm/repo.git/refs/heads/main.lock"))
    }

    // MARK: connections cut mid-transfer

    private func regionWithDaemon() throws -> (RegionFixture, LocalServer, String) {
        let region = RegionFixture()
        let (daemon, url) = try FaultSupport.gitDaemon(root: region.root)
        servers.append(daemon)
        return (region, daemon, url)
    }

    func testConnectionCutMidFetchLeavesWorkspaceConsistent() throws {
        let (region, daemon, url) = try regionWithDaemon()
        let a = region.join("lk-augsburg", url: url)
        let b = region.join("stadt-kempten", url: url)
        // b shares ~400 KB of records; a fetches them through a proxy that cuts after 40 KB.
        b.ok("import", try FaultSupport.bulkRecords(county: "stadt-kempten", count: 200))
        XCTAssertEqual(b.sync()["pushed"] as? Bool, true)
        let proxy = try FaultSupport.cuttingProxy(upstream: daemon.port, direction: "down", limit: 40_000)
        servers.append(proxy)
        let cut = KBMRunner(cwd: a.cwd, environment: ["KBM_NETWORK_TIMEOUT": "5"])
        cut.ok("remote", "git://127.0.0.1:\(proxy.port)/region.git")
        let ours = cut.ok("add", "tip", "title=Während des Abbruchs").lastLine
        let r = cut.run(["sync"])
        XCTAssertEqual(r.status, 3, "a cut fetch is 'offline': \(r.stdout) \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("Your changes are safe"), r.stderr)
        assertConsistent(a, "after the cut fetch")
        XCTAssertEqual(a.listJSON().count, 1, "nothing half-imported")
        // Back on a good connection: everything arrives, ours goes out.
        a.ok("remote", url)
        let ok = a.sync()
        XCTAssertEqual(ok["pushed"] as? Bool, true, "\(ok)")
        XCTAssertEqual(a.listJSON().count, 201)
        assertConsistent(a, "after the next sync")
        b.sync()
        XCTAssertEqual(b.json(ours)["title"] as? String, "Während des Abbruchs")
    }

    func testConnectionCutMidPushLeavesWorkspaceAndRemoteConsistent() throws {
        let (region, daemon, url) = try regionWithDaemon()
        let a = region.join("lk-augsburg", url: url)
        let remoteBefore = FaultSupport.head(region.remote)
        a.ok("import", try FaultSupport.bulkRecords(county: "lk-augsburg", count: 200))
        let proxy = try FaultSupport.cuttingProxy(upstream: daemon.port, direction: "up", limit: 30_000)
        servers.append(proxy)
        let cut = KBMRunner(cwd: a.cwd, environment: ["KBM_NETWORK_TIMEOUT": "5"])
        cut.ok("remote", "git://127.0.0.1:\(proxy.port)/region.git")
        let r = cut.run(["sync"])
        XCTAssertEqual(r.status, 3, "a cut push is 'offline': \(r.stdout) \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("1 commit waits to be shared"), r.stderr)
        XCTAssertEqual(FaultSupport.head(region.remote), remoteBefore, "the remote took a half push")
        KBMRunner.sh("git --git-dir=\(region.remote) fsck --no-progress --connectivity-only")
        assertConsistent(a, "after the cut push")
        XCTAssertTrue(a.ok("status").stdout.contains("1 commit not yet pushed"))
        a.ok("remote", url)
        XCTAssertEqual(a.sync()["pushed"] as? Bool, true)
        let b = region.join("stadt-kempten", url: url)
        XCTAssertEqual(b.listJSON().count, 200)
        assertConsistent(a, "after the next sync")
    }

    // MARK: a full disk

    /// The workspace lives on a 3 MiB tmpfs; the disk is filled to different levels before a sync
    /// that has a big fetch, a commit and a push to do. kbm fails cleanly (no crash, a message),
    /// the workspace stays consistent, and once space is freed the next sync succeeds.
    func testFullDiskDuringSync() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        let region = RegionFixture()
        let mount = KBMRunner.makeTempDir("kbm-fulldisk")
        let mounted = KBMRunner.exec("/bin/mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mount], cwd: "/")
        guard mounted.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(mounted.stderr)") }
        cleanups.append { _ = KBMRunner.exec("/bin/umount", ["-l", mount], cwd: "/"); try? FileManager.default.removeItem(atPath: mount) }

        let b = region.join("stadt-kempten")
        let dir = mount + "/lk-augsburg"
        KBMRunner.sh("'\(KBMRunner.binary)' clone '\(region.remote)' '\(dir)' --county lk-augsburg --user 'A <a@augsburg.de>'")
        let a = KBMRunner(cwd: dir)
        var expected = 0
        var ours: [String] = []
        for (round, free) in [0, 16_384, 131_072, 524_288].enumerated() {
            b.ok("import", try FaultSupport.bulkRecords(county: "stadt-kempten", count: 60))
            b.sync()
            expected += 60
            ours.append(a.ok("add", "tip", "title=Vor dem vollen Datenträger \(round)").lastLine)
            expected += 1
            // Fill the disk, leaving about `free` bytes.
            let filler = mount + "/filler"
            _ = KBMRunner.exec("/bin/sh", ["-c", "dd if=/dev/zero of='\(filler)' bs=4096 2>/dev/null; true"], cwd: "/")
            if free > 0 { _ = KBMRunner.exec("/usr/bin/truncate", ["-s", "-\(free)", filler], cwd: "/") }
            let add = a.run(["add", "tip", "title=Auf vollem Datenträger \(round)"])
            XCTAssertTrue([0, 1].contains(add.status), "round \(round): kbm add crashed: \(add.stderr)")
            if add.status == 0 { ours.append(add.lastLine); expected += 1 } else {
                XCTAssertFalse(add.stderr.isEmpty, "round \(round): a failed add must say why")
            }
            let sync = a.run(["sync"])
            XCTAssertTrue([0, 1, 3].contains(sync.status), "round \(round): kbm sync crashed (status \(sync.status)): \(sync.stderr)")
            if sync.status != 0 { XCTAssertFalse(sync.stderr.isEmpty, "round \(round): a failed sync must say why") }
            print("full disk round \(round) (\(free) bytes free): add \(add.status), sync \(sync.status): \(sync.stderr.prefix(300))")
            // Free the space: the workspace is consistent and the next sync succeeds.
            try? FileManager.default.removeItem(atPath: filler)
            assertConsistent(a, "round \(round)")
            let ok = a.run(["sync", "--json"])
            XCTAssertEqual(ok.status, 0, "round \(round): the sync after freeing space failed: \(ok.stderr)")
            assertConsistent(a, "round \(round) after the sync")
            XCTAssertEqual(a.listJSON().count, expected, "round \(round)")
        }
        b.sync()
        for id in ours { XCTAssertNotNil(b.json(id)["title"], "\(id) never reached the region") }
        XCTAssertEqual(FaultSupport.head(dir + "/.kbm/repo.git"), FaultSupport.head(region.remote))
    }
}

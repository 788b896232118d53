import Foundation
import KBMTestSupport
import XCTest

/// Sync between several counties through a real bare repository, through the built binary.
final class SyncTests: XCTestCase {
    func testTwoCountiesShareRecordsBothWays() throws {
        let region = RegionFixture()
        let augsburg = region.join("lk-augsburg")
        let id = augsburg.ok("add", "event", "title=Regionaler Fachtag Übergang Schule–Beruf", "type=fachtag", "location=Stadthalle Gersthofen", "co_owners=stadt-kempten").lastLine
        let first = augsburg.sync()
        XCTAssertEqual(first["committed"] as? Int, 1)
        XCTAssertEqual(first["pushed"] as? Bool, true)

        let kempten = region.join("stadt-kempten")
        XCTAssertEqual(kempten.json(id)["title"] as? String, "Regionaler Fachtag Übergang Schule–Beruf")
        kempten.ok("edit", id, "participants=120")
        kempten.sync()

        let back = augsburg.sync()
        XCTAssertEqual(back["received"] as? Int, 1)
        XCTAssertEqual(augsburg.json(id)["participants"] as? Int, 120)
        // The remote holds the same file the store would write.
        let file = KBMRunner.sh("git --git-dir=\(region.remote) show main:\(RegionFixture.recordPath(county: "lk-augsburg", kind: "event", id: id))").stdout
        XCTAssertEqual(file, augsburg.ok("show", id, "--file").stdout)
        // The commit author is the coordinator, and the message lists the record.
        let log = KBMRunner.sh("git --git-dir=\(region.remote) log --format='%an <%ae>|%s' main").stdout
        XCTAssertTrue(log.contains("Koordination stadt-kempten <bildung@stadt-kempten.de>|stadt-kempten: 1 record changed"), log)
    }

    func testConcurrentEditsOfDifferentFieldsCombine() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "event", "title=Fachtag", "co_owners=stadt-kempten", "goals=Netzwerk stärken").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        a.ok("edit", id, "goals+=Angebote sichtbar machen")
        b.ok("edit", id, "participants=85")
        a.sync()
        let merged = b.sync()
        XCTAssertEqual(merged["conflicts"] as? Int, 0)
        a.sync()
        for w in [a, b] {
            let json = w.json(id)
            XCTAssertEqual(json["goals"] as? [String], ["Netzwerk stärken", "Angebote sichtbar machen"])
            XCTAssertEqual(json["participants"] as? Int, 85)
        }
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(a.cwd)/.kbm/repo.git rev-parse main").stdout, KBMRunner.sh("git --git-dir=\(b.cwd)/.kbm/repo.git rev-parse main").stdout)
    }

    func testOfflineSyncCommitsLocallyExitsThreeAndPushesLater() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        a.ok("remote", region.root + "/unreachable.git")
        let id = a.ok("add", "stakeholder", "name=Josef Brandl", "type=person").lastLine
        let r = a.run(["sync"])
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("1 commit waits"), r.stderr)
        XCTAssertTrue(a.ok("status").stdout.contains("1 commit not yet pushed"))
        XCTAssertTrue(a.ok("status").stdout.contains("No local changes waiting"))
        a.ok("remote", region.remote)
        let ok = a.sync()
        XCTAssertEqual(ok["pushed"] as? Bool, true)
        XCTAssertTrue(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout.contains(id))
    }

    func testDeletionSyncsAndEditVersusDeleteKeepsTheEdit() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let gone = a.ok("add", "tip", "title=Alter Tipp").lastLine
        let kept = a.ok("add", "tip", "title=Umstrittener Tipp", "co_owners=stadt-kempten").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        a.ok("delete", gone)
        a.ok("delete", kept)
        b.ok("edit", kept, "theme=events")
        a.sync()
        b.sync()
        a.sync()
        XCTAssertEqual(b.run(["show", gone]).status, 2)
        XCTAssertEqual(a.json(kept)["theme"] as? String, "events")
        XCTAssertEqual(b.json(kept)["theme"] as? String, "events")
    }

    func testOneWriterAtATime() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        // Another process holds the workspace lock for a while.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [a.cwd + "/.kbm/lock", "sleep", "8"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        usleep(300_000)
        let start = Date()
        let r = KBMRunner(cwd: a.cwd, environment: ["KBM_LOCK_WAIT": "3"]).run(["add", "tip", "title=Warten"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("Another kbm is writing in this workspace"), r.stderr)
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 2.5)
        XCTAssertEqual(a.listJSON().count, 0)
    }

    func testTwoConcurrentSyncsOnOneWorkspaceDoNotCorruptIt() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        for i in 0..<20 { a.ok("add", "stakeholder", "name=Person \(i)") }
        let group = DispatchGroup()
        nonisolated(unsafe) var results: [KBMRunner.Result] = []
        let lock = NSLock()
        for _ in 0..<2 {
            group.enter()
            DispatchQueue.global().async {
                let r = a.run(["sync", "--json"])
                lock.lock(); results.append(r); lock.unlock()
                group.leave()
            }
        }
        group.wait()
        XCTAssertTrue(results.allSatisfy { $0.status == 0 || $0.stderr.contains("Another kbm") }, results.map(\.stderr).joined())
        a.sync()
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main | grep -c '^counties/'").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "20")
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(region.remote) log --oneline main | grep -c '20 records changed'").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1")
        XCTAssertTrue(a.ok("status").stdout.contains("No local changes waiting"))
    }

    func testRebuildKeepsLocalFieldsAndUncommittedChanges() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "stakeholder", "name=Maria Huber", "email=maria.huber@schulamt.example", "phone=0821 123").lastLine
        a.sync()
        let pending = a.ok("add", "tip", "title=Noch nicht geteilt").lastLine
        a.ok("rebuild")
        XCTAssertEqual(a.json(id)["email"] as? String, "maria.huber@schulamt.example")
        XCTAssertEqual(a.json(pending)["title"] as? String, "Noch nicht geteilt")
        a.sync()
        XCTAssertFalse(KBMRunner.sh("git --git-dir=\(region.remote) log -p --all").stdout.contains("maria.huber@schulamt.example"))
    }

    func testLogShowsRegionAndRecordHistory() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "event", "title=Bildungskonferenz 2026", "co_owners=stadt-kempten").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        b.ok("edit", id, "participants=140", "location=Kongress am Park")
        b.sync()
        a.sync()
        let log = a.ok("log", id).stdout
        XCTAssertTrue(log.contains("stadt-kempten"), log)
        XCTAssertTrue(log.contains("location, participants"), log)
        XCTAssertTrue(log.contains("(created)"), log)
        XCTAssertTrue(a.ok("log").stdout.contains("lk-augsburg: 1 record changed"))
    }
}

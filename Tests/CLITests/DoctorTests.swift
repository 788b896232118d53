import Foundation
import KBMTestSupport
import XCTest

/// `kbm doctor`: a damaged or deleted database is rebuilt from a healthy repository.
final class DoctorTests: XCTestCase {
    func testHealthyWorkspace() {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        a.ok("add", "tip", "title=Gesund")
        a.sync()
        let r = a.ok("doctor")
        XCTAssertTrue(r.stdout.contains("The workspace is healthy"), r.stdout)
    }

    /// `kbm rebuild` keeps a deletion made here and not yet synced: the record stays deleted and
    /// the next sync still shares the deletion.
    func testRebuildKeepsAnUnsyncedDeletion() {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let gone = a.ok("add", "tip", "title=Wird gelöscht").lastLine
        let kept = a.ok("add", "tip", "title=Bleibt").lastLine
        a.sync()
        a.ok("delete", gone)
        a.ok("rebuild")
        XCTAssertEqual(a.run(["show", gone]).status, 2, "the deleted record came back")
        XCTAssertEqual(a.json(kept)["title"] as? String, "Bleibt")
        XCTAssertEqual(a.sync()["outcome"] as? String, "synced")
        XCTAssertFalse(KBMRunner.sh("git --git-dir=\(region.remote) ls-tree -r --name-only main").stdout.contains(gone), "the deletion was not shared")
    }

    func testCorruptedDatabaseIsRebuiltWithoutLosingCommittedData() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let committed = a.ok("add", "event", "title=Bildungskonferenz", "participants=140").lastLine
        a.sync()
        a.ok("add", "tip", "title=Noch nicht geteilt")
        // Overwrite the database with garbage.
        let db = a.cwd + "/.kbm/store.sqlite"
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: db))
        let broken = a.run(["list"])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("kbm doctor --repair"), broken.stderr)
        XCTAssertEqual(a.run(["doctor"]).status, 1)
        let repaired = a.ok("doctor", "--repair").stdout
        XCTAssertTrue(repaired.contains("Lost with the damaged database"), repaired)
        XCTAssertEqual(a.json(committed)["participants"] as? Int, 140)
        XCTAssertTrue(a.ok("doctor").stdout.contains("healthy"))
        // The workspace still syncs.
        a.ok("add", "tip", "title=Nach der Reparatur")
        a.sync()
    }

    func testDeletedDatabaseIsRebuilt() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "stakeholder", "name=Franz Xaver Huber").lastLine
        a.sync()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: a.cwd + "/.kbm/store.sqlite" + suffix) }
        a.ok("doctor", "--repair")
        XCTAssertEqual(a.json(id)["name"] as? String, "Franz Xaver Huber")
    }
}

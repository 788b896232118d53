import Foundation
import KBMTestSupport
import XCTest

/// Issue 14: a strict store (a row that cannot be decoded is never committed) and `kbm rebuild`
/// on a missing or damaged database. Each test runs the built `kbm`; the region is checked with
/// the git CLI.
final class StrictStoreTests: XCTestCase {
    private var regions: [RegionFixture] = []

    override func tearDown() {
        regions.removeAll()
        super.tearDown()
    }

    private func region() -> RegionFixture {
        let region = RegionFixture()
        regions.append(region)
        return region
    }

    /// Runs SQL on a workspace's database with Python's sqlite3 module (a client independent of kbm).
    private func sql(_ w: KBMRunner, _ statement: String, _ arguments: [String]) {
        let db = w.cwd + "/.kbm/store.sqlite"
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2], sys.argv[3:]); c.commit()"
        let r = KBMRunner.exec("/usr/bin/env", ["python3", "-c", script, db, statement] + arguments, cwd: "/")
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    private func git(_ remote: String, _ args: String) -> String {
        KBMRunner.sh("git --git-dir=\(remote) \(args)").stdout
    }

    private func assertNoSwiftDump(_ r: KBMRunner.Result, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        for raw in ["ExitCode", "rawValue", "Error Domain", "UserInfo"] {
            XCTAssertFalse(r.stderr.contains(raw) || r.stdout.contains(raw), "\(label) prints \(raw): \(r.stderr)", file: file, line: line)
        }
    }

    // MARK: a strict store

    func testARowThatCannotBeDecodedIsNeverCommitted() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let person = a.ok("add", "stakeholder", "name=Sabine Lechner", "type=person", "email=s.lechner@example.org").lastLine
        a.sync()
        // Two changes waiting for the sync: an edit of a shared record and a new record.
        a.ok("edit", person, "name=Sabine Lechner-Huber")
        let tip = a.ok("add", "tip", "title=Noch nicht geteilt").lastLine
        // Damaged behind kbm's back: broken JSON in one row, a value of the wrong type in the other.
        sql(a, "UPDATE records SET fields = ? WHERE id = ?", ["{\"name\": \"Sabine Lechner-Huber\", \"type\": ", person])
        sql(a, "UPDATE records SET fields = ? WHERE id = ?", ["{\"title\": 5}", tip])
        let headBefore = git(region.remote, "rev-parse main")
        let localBefore = git(a.cwd + "/.kbm/repo.git", "rev-parse main")

        let sync = a.run(["sync"])
        XCTAssertNotEqual(sync.status, 0, sync.stdout)
        let first = min(person, tip)
        XCTAssertTrue(sync.stderr.contains("record \(first)"), sync.stderr)
        XCTAssertTrue(sync.stderr.contains("nothing was committed"), sync.stderr)
        XCTAssertTrue(sync.stderr.contains("kbm doctor"), sync.stderr)
        assertNoSwiftDump(sync, "sync")
        // Nothing was committed, here or in the region: the region keeps the last good version.
        XCTAssertEqual(git(a.cwd + "/.kbm/repo.git", "rev-parse main"), localBefore)
        XCTAssertEqual(git(region.remote, "rev-parse main"), headBefore)
        let file = git(region.remote, "show main:" + RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: person))
        XCTAssertTrue(file.contains("name: Sabine Lechner\n"), file)
        XCTAssertFalse(git(region.remote, "ls-tree -r --name-only main").contains(tip))
        // Every command reading the row says which record it is; doctor lists both.
        let show = a.run(["show", person])
        XCTAssertEqual(show.status, 1)
        XCTAssertTrue(show.stderr.contains("record \(person)") && show.stderr.contains("'fields'"), show.stderr)
        let doctor = a.run(["doctor"])
        XCTAssertEqual(doctor.status, 1)
        XCTAssertTrue(doctor.stdout.contains("record \(person) (column 'fields': not valid JSON)"), doctor.stdout)
        XCTAssertTrue(doctor.stdout.contains("record \(tip) (column 'fields': the value of field 'title'"), doctor.stdout)

        // The repair restores the row from the repository (its local e-mail kept) and removes the
        // record the repository never had; then the workspace syncs again.
        let repair = a.ok("doctor", "--repair").stdout
        XCTAssertTrue(repair.contains("Restored 2 rows"), repair)
        XCTAssertTrue(repair.contains("Removed, as the repository does not hold it (never synced): \(tip)."), repair)
        // What no repository holds is kept as it was, for the user to copy from.
        let copies = try FileManager.default.contentsOfDirectory(atPath: a.cwd + "/.kbm").filter { $0.hasPrefix("damaged-rows-") }
        XCTAssertEqual(copies.count, 1)
        XCTAssertTrue(repair.contains("The rows as they were are kept in .kbm/\(copies.first ?? "")."), repair)
        let copy = try String(contentsOfFile: a.cwd + "/.kbm/" + (copies.first ?? ""), encoding: .utf8)
        XCTAssertTrue(copy.contains(tip) && copy.contains("Noch nicht geteilt"), copy)
        XCTAssertEqual(a.json(person)["name"] as? String, "Sabine Lechner")
        XCTAssertEqual(a.json(person)["email"] as? String, "s.lechner@example.org")
        XCTAssertEqual(a.run(["show", tip]).status, 2)
        XCTAssertTrue(a.ok("doctor").stdout.contains("The workspace is healthy."))
        a.ok("edit", person, "name=Sabine Lechner-Huber")
        a.sync()
        let synced = git(region.remote, "show main:" + RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: person))
        XCTAssertTrue(synced.contains("name: Sabine Lechner-Huber\n"), synced)
        XCTAssertFalse(synced.contains("s.lechner@example.org"), synced)
    }

    func testRebuildRestoresUndecodableRowsKeepingLocalFields() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let person = a.ok("add", "stakeholder", "name=Murat Yıldız", "type=person", "phone=0821 555 0142").lastLine
        let event = a.ok("add", "event", "title=Fachtag").lastLine
        a.sync()
        a.ok("edit", event, "title=Fachtag 2027")
        sql(a, "UPDATE records SET conflicts = ? WHERE id = ?", ["{}", person])
        sql(a, "UPDATE records SET local_fields = ? WHERE id = ?", ["not json", event])
        let rebuild = a.ok("rebuild").stdout
        XCTAssertTrue(rebuild.contains("Restored 2 rows"), rebuild)
        XCTAssertTrue(rebuild.hasSuffix("Rebuilt the store from the repository: 2 records.\n"), rebuild)
        XCTAssertEqual(a.json(person)["phone"] as? String, "0821 555 0142", "the local field decodes: kept")
        // Only the local column was broken: the unsynced edit is kept.
        XCTAssertEqual(a.json(event)["title"] as? String, "Fachtag 2027")
        a.sync()
        XCTAssertTrue(git(region.remote, "show main:" + RegionFixture.recordPath(county: "lk-augsburg", kind: "event", id: event)).contains("title: Fachtag 2027\n"))
    }

    // MARK: kbm rebuild on a missing or damaged database

    func testRebuildRecoversADeletedDatabase() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "stakeholder", "name=Franz Xaver Huber").lastLine
        a.sync()
        let db = a.cwd + "/.kbm/store.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        // Other commands say what to do, and do not leave an empty database behind.
        let list = a.run(["list"])
        XCTAssertEqual(list.status, 1)
        XCTAssertTrue(list.stderr.contains("is missing. Run `kbm rebuild`"), list.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))

        let r = a.run(["rebuild"])
        XCTAssertEqual(r.status, 0, r.stderr)
        assertNoSwiftDump(r, "rebuild")
        XCTAssertTrue(r.stdout.contains("Created a new database and filled it from the repository: 1 records"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("Rebuilt the store from the repository: 1 records.\n"), r.stdout)
        XCTAssertEqual(a.json(id)["name"] as? String, "Franz Xaver Huber")
        XCTAssertTrue(a.ok("doctor").stdout.contains("The workspace is healthy."))
        let tip = a.ok("add", "tip", "title=Nach dem Neuaufbau").lastLine
        a.sync()
        XCTAssertTrue(git(region.remote, "ls-tree -r --name-only main").contains(tip))
    }

    func testRebuildRecoversAGarbageDatabase() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "event", "title=Bildungskonferenz", "participants=140").lastLine
        a.sync()
        let db = a.cwd + "/.kbm/store.sqlite"
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: db))
        let r = a.run(["rebuild"])
        XCTAssertEqual(r.status, 0, r.stderr)
        assertNoSwiftDump(r, "rebuild")
        XCTAssertTrue(r.stdout.contains("Moved the damaged database to .kbm/store.sqlite.damaged-"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Lost with the damaged database"), r.stdout)
        XCTAssertEqual(a.json(id)["participants"] as? Int, 140)
        let kept = try FileManager.default.contentsOfDirectory(atPath: a.cwd + "/.kbm").filter { $0.hasPrefix("store.sqlite.damaged-") }
        XCTAssertEqual(kept.count, 1, "the damaged file is kept for inspection")
        XCTAssertTrue(a.ok("doctor").stdout.contains("The workspace is healthy."))
    }

    func testRebuildKeepsASoundDatabaseThatLostItsIdentity() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let person = a.ok("add", "stakeholder", "name=Eva Brunner", "type=person", "email=eva@example.org").lastLine
        a.sync()
        let pending = a.ok("add", "tip", "title=Nicht geteilt").lastLine
        sql(a, "DELETE FROM settings WHERE key IN ('county', 'author_name', 'author_email')", [])
        XCTAssertEqual(a.run(["list"]).status, 1)
        let r = a.ok("rebuild")
        XCTAssertTrue(r.stdout.contains("Restored the county (lk-augsburg) and the user from .kbm/workspace."), r.stdout)
        // Nothing was lost: the local field and the unsynced record are still here.
        XCTAssertEqual(a.json(person)["email"] as? String, "eva@example.org")
        XCTAssertEqual(a.json(pending)["title"] as? String, "Nicht geteilt")
        a.sync()
        XCTAssertTrue(git(region.remote, "ls-tree -r --name-only main").contains(pending))
    }
}

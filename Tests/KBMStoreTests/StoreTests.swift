import Foundation
import KBMRecords
import KBMStore
import KBMTestSupport
import XCTest

/// The store on a real SQLite file in a unique temporary folder.
final class StoreTests: XCTestCase {
    var dir = ""

    override func setUp() {
        dir = makeTempDir("kbm-store")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func makeStore() throws -> Store { try Store(path: dir + "/store.sqlite") }

    func stakeholder(_ name: String) -> Record {
        var generator = RecordIDGenerator()
        let now = Timestamp("2026-03-14T09:30:00Z") ?? Timestamp.now()
        return Record(id: generator.next(), kind: "stakeholder", county: County("lk-augsburg") ?? County.agency, created: now, updated: now,
                      fields: ["name": .text(name), "committees": .strings(["Bildungsbeirat", "Kreistag"]), "key_person": .bool(true),
                               "email": .text("m.huber@example.org"), "notes": .text("Zeile 1\nZeile 2 – „zitiert“ 👍")])
    }

    func testMigratesInWALModeAndReopens() throws {
        let store = try makeStore()
        let record = stakeholder("Maria Huber")
        try store.write { try $0.save(record, dirty: true) }
        let reopened = try makeStore()
        XCTAssertEqual(try reopened.read { try $0.record(record.id) }, record)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/store.sqlite-wal"))
        XCTAssertEqual(try reopened.integrityCheck(), ["ok"])
    }

    func testRecordsRoundTripWithLocalFieldsAndConflicts() throws {
        let store = try makeStore()
        var record = stakeholder("Jörg Weiß")
        record.conflicts = [FieldConflict(kind: "field", field: "role", base: .text("Rektor"),
                                          ours: .init(value: .text("Schulleiter"), county: "lk-augsburg", author: "A <a@b.de>", commit: "abc"),
                                          theirs: .init(value: nil, county: "stadt-kempten", author: "B <b@c.de>", commit: "def"))]
        try store.write { try $0.save(record, dirty: false) }
        XCTAssertEqual(try store.read { try $0.record(record.id) }, record)
    }

    func testImportKeepsLocalFields() throws {
        let store = try makeStore()
        let record = stakeholder("Maria Huber")
        try store.write { try $0.save(record, dirty: false) }
        // Another office's version has no local fields and a new role.
        var incoming = record.sharedPart()
        incoming["role"] = .text("Schulamtsdirektorin")
        try store.write { try $0.save(incoming, dirty: false, keepLocalFields: true) }
        let stored = try XCTUnwrap(try store.read { try $0.record(record.id) })
        XCTAssertEqual(stored["role"], .text("Schulamtsdirektorin"))
        XCTAssertEqual(stored["email"], .text("m.huber@example.org"))
        XCTAssertEqual(stored["notes"], record["notes"])
    }

    func testDirtyTrackingDeletionsAndRetiredIDs() throws {
        let store = try makeStore()
        let a = stakeholder("A"), b = stakeholder("B")
        try store.write { tx in
            try tx.save(a, dirty: true)
            try tx.save(b, dirty: false)
        }
        XCTAssertEqual(try store.read { try $0.dirtyRecords().map(\.id) }, [a.id])
        try store.write { try $0.delete(b.id, pending: true) }
        XCTAssertEqual(try store.read { try $0.pendingDeletions().map(\.id) }, [b.id])
        XCTAssertTrue(try store.read { try $0.isKnownID(b.id) }, "a deleted id stays known: ids are never reused")
        try store.write { try $0.markCommitted(records: [a.id], deletions: [b.id]) }
        XCTAssertEqual(try store.read { try $0.dirtyRecords().count }, 0)
        XCTAssertEqual(try store.read { try $0.pendingDeletions().count }, 0)
    }

    func testAFailingTransactionWritesNothing() throws {
        struct Boom: Error {}
        let store = try makeStore()
        let record = stakeholder("Nie gespeichert")
        XCTAssertThrowsError(try store.write { tx in
            try tx.save(record, dirty: true)
            try tx.setSetting("remote", "x")
            throw Boom()
        })
        XCTAssertNil(try store.read { try $0.record(record.id) })
        XCTAssertNil(try store.read { try $0.setting("remote") })
    }

    func testQuarantine() throws {
        let store = try makeStore()
        let entry = QuarantineEntry(path: "counties/x/event/0/y.md", commit: "abc", reason: "field 'start': expected a date", line: 9, detected: "2026-01-01T00:00:00Z")
        try store.write { try $0.putInQuarantine(entry) }
        XCTAssertEqual(try store.read { try $0.quarantine() }, [entry])
        try store.write { try $0.releaseFromQuarantine(entry.path) }
        XCTAssertEqual(try store.read { try $0.quarantine() }, [])
    }

    func testNotAStoreGivesAClearError() throws {
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: dir + "/store.sqlite"))
        XCTAssertThrowsError(try makeStore()) { error in
            XCTAssertTrue("\(error)".contains("store.sqlite"), "\(error)")
        }
    }
}

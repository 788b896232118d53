import Foundation
import KBMRecords
import KBMStore
import XCTest

/// A row the store cannot decode is refused with the record's id and the column, never read as
/// empty fields or skipped (issue 14). Rows are damaged with Python's sqlite3 module.
final class StrictDecodeTests: XCTestCase {
    var dir = ""

    override func setUp() {
        dir = NSTemporaryDirectory() + "kbm-strict-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func damage(_ sql: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2], sys.argv[3:]); c.commit()"
        process.arguments = ["python3", "-c", script, dir + "/store.sqlite", sql] + arguments
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func record(_ kind: String, _ fields: [String: FieldValue], generator: inout RecordIDGenerator) -> Record {
        let now = Timestamp("2026-03-14T09:30:00Z") ?? Timestamp.now()
        return Record(id: generator.next(), kind: kind, county: County("lk-augsburg") ?? County.agency, created: now, updated: now, fields: fields)
    }

    func testUndecodableRowsAreRefusedNamingTheRecordAndTheColumn() throws {
        let store = try Store(path: dir + "/store.sqlite")
        var generator = RecordIDGenerator()
        let broken = record("stakeholder", ["name": .text("Maria Huber"), "type": .text("person")], generator: &generator)
        let wrongType = record("stakeholder", ["name": .text("Jörg Weiß"), "type": .text("person"), "email": .text("j@example.org")], generator: &generator)
        let listed = record("event", ["title": .text("Fachtag"), "goals": .strings(["a", "b"])], generator: &generator)
        let healthy = record("tip", ["title": .text("Gesund")], generator: &generator)
        try store.write { tx in
            for r in [broken, wrongType, listed, healthy] { try tx.save(r, dirty: true) }
        }
        try damage("UPDATE records SET fields = ? WHERE id = ?", ["{\"name\": \"Maria", broken.id.rawValue])
        try damage("UPDATE records SET local_fields = ? WHERE id = ?", ["{\"email\": 5}", wrongType.id.rawValue])
        try damage("UPDATE records SET fields = ? WHERE id = ?", ["{\"title\": \"Fachtag\", \"goals\": [\"a\", 7]}", listed.id.rawValue])

        func refusal(_ body: () throws -> Any?) -> UndecodableRow? {
            do { _ = try body(); return nil } catch { return (error as? StoreError)?.undecodable }
        }
        XCTAssertEqual(refusal { try store.read { try $0.record(broken.id) } },
                       UndecodableRow(id: broken.id.rawValue, column: "fields", problem: "not valid JSON"))
        XCTAssertEqual(refusal { try store.read { try $0.record(wrongType.id) } }?.column, "local_fields")
        XCTAssertEqual(refusal { try store.read { try $0.record(listed.id) } }?.column, "fields", "a list element of the wrong type is not dropped")
        XCTAssertNotNil(refusal { try store.read { try $0.records() } }, "a listing does not skip the row")
        XCTAssertNotNil(refusal { try store.read { try $0.dirtySharedRecords() } }, "the next commit cannot be read")
        XCTAssertEqual(try store.read { try $0.record(healthy.id) }, healthy)
        let message = StoreError(undecodable: UndecodableRow(id: broken.id.rawValue, column: "fields", problem: "not valid JSON")).description
        XCTAssertTrue(message.contains(broken.id.rawValue) && message.contains("'fields'"), message)

        let rows = try store.read { try $0.undecodableRows() }
        XCTAssertEqual(Set(rows.map(\.id)), [broken.id.rawValue, wrongType.id.rawValue, listed.id.rawValue])
        // The repair's first half: what decodes stays, the rest is emptied for the rebuild to refill.
        _ = try store.write { try $0.clearUndecodableRows() }
        XCTAssertEqual(try store.read { try $0.undecodableRows() }, [])
        let kept = try XCTUnwrap(try store.read { try $0.record(wrongType.id) })
        XCTAssertEqual(kept["name"], .text("Jörg Weiß"))
        XCTAssertNil(kept["email"])
        XCTAssertTrue(try store.read { try $0.isDirty(wrongType.id) }, "its shared part decoded: the local change stays")
        XCTAssertFalse(try store.read { try $0.isDirty(broken.id) }, "its shared part is the repository's to restore")
    }
}

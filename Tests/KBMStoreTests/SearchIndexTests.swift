import Foundation
import KBMRecords
@testable import KBMStore
import KBMTestSupport
import XCTest

/// The full-text index on a real SQLite file: kept up to date by `save` and `delete` (edits,
/// imports from the region with local fields kept), found by parts of words, case and umlauts
/// folded, rebuilt when asked.
final class SearchIndexTests: XCTestCase {
    var dir = ""

    override func setUp() { dir = makeTempDir("kbm-search-store") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func makeStore() throws -> Store { try Store(path: dir + "/store.sqlite") }

    let county = County("lk-augsburg") ?? County.agency
    var generator = RecordIDGenerator()

    func event(_ title: String, type: String = "bildungskonferenz", outcomes: String? = nil) -> Record {
        let now = Timestamp("2026-03-14T09:30:00Z") ?? Timestamp.now()
        var fields: [String: FieldValue] = ["title": .text(title), "type": .text(type)]
        if let outcomes { fields["outcomes"] = .text(outcomes) }
        return Record(id: generator.next(), kind: "event", county: county, created: now, updated: now, fields: fields)
    }

    func found(_ store: Store, _ words: String...) throws -> [RecordID] {
        try store.read { try $0.search(SearchText.terms(words)) }.map(\.id)
    }

    func testSaveEditDeleteKeepTheIndexUpToDate() throws {
        let store = try makeStore()
        var a = event("Tagung Übergangsmanagement", type: "fachtag", outcomes: "Die Schüler der Mittelschulen kamen zahlreich.")
        let b = event("Bildungskonferenz 2026")
        try store.write { tx in try tx.save(a, dirty: true); try tx.save(b, dirty: true) }

        XCTAssertEqual(try found(store, "übergang"), [a.id], "a part of a compound, umlaut as typed")
        XCTAssertEqual(try found(store, "UEBERGANG"), [a.id], "ASCII spelling, any case")
        XCTAssertEqual(try found(store, "schueler"), [a.id], "ü = ue in the body")
        XCTAssertEqual(try found(store, "konferenz"), [b.id], "the end of a compound")
        XCTAssertEqual(try found(store, "Bildungs"), [b.id], "a prefix")
        XCTAssertEqual(try found(store, "Fachtag"), [a.id], "the German label of the type is indexed")
        XCTAssertEqual(try found(store, "übergang", "zahlreich"), [a.id], "every word must occur")
        XCTAssertEqual(try found(store, "übergang", "Messe"), [])

        // An edit replaces the indexed text.
        a["outcomes"] = .text("Ausbildungsmesse geplant")
        try store.write { try $0.save(a, dirty: true) }
        XCTAssertEqual(try found(store, "schueler"), [])
        XCTAssertEqual(try found(store, "messe"), [a.id])

        // A deletion takes the record out, row and words (not only hidden by the join with records).
        XCTAssertEqual(try store.read { try $0.indexedIDs() }, [a.id.rawValue, b.id.rawValue].sorted())
        try store.write { try $0.delete(a.id, pending: true) }
        XCTAssertEqual(try found(store, "messe"), [])
        XCTAssertEqual(try found(store, "konferenz"), [b.id])
        XCTAssertEqual(try store.read { try $0.indexedIDs() }, [b.id.rawValue])
    }

    func testImportFromTheRegionKeepsLocalFieldsSearchable() throws {
        let store = try makeStore()
        let now = Timestamp("2026-03-14T09:30:00Z") ?? Timestamp.now()
        let person = Record(id: generator.next(), kind: "stakeholder", county: county, created: now, updated: now,
                            fields: ["name": .text("Maria Huber"), "type": .text("person"), "notes": .text("Kennt den Jugendhilfeausschuss gut")])
        try store.write { try $0.save(person, dirty: false) }
        XCTAssertEqual(try found(store, "jugendhilfe"), [person.id], "a local field is searchable here")
        // Another office's version: no local fields, a new role.
        var incoming = person.sharedPart()
        incoming["role"] = .text("Schulamtsdirektorin")
        try store.write { try $0.save(incoming, dirty: false, keepLocalFields: true) }
        XCTAssertEqual(try found(store, "schulamt"), [person.id], "the imported value is indexed")
        XCTAssertEqual(try found(store, "jugendhilfe"), [person.id], "the local value kept by the import stays searchable")
    }

    func testShortWordsKindFilterRankingAndRebuild() throws {
        let store = try makeStore()
        let inTitle = event("Netzwerktreffen Kita", outcomes: "Kita und Schule")
        let inBody = event("Fachtag", outcomes: "Eine Kita stellte sich vor")
        try store.write { tx in try tx.save(inTitle, dirty: true); try tx.save(inBody, dirty: true) }
        XCTAssertEqual(try found(store, "kita"), [inTitle.id, inBody.id], "a hit in the title ranks first")
        XCTAssertEqual(Set(try found(store, "ki")), [inTitle.id, inBody.id], "words of two letters are found too")
        XCTAssertEqual(try store.read { try $0.search(["kita"], kind: "tip") }, [])
        XCTAssertEqual(try store.read { try $0.records(titled: "FACHTAG") }.map(\.id), [inBody.id])

        try store.write { try $0.rebuildSearchIndex() }
        XCTAssertEqual(try found(store, "kita"), [inTitle.id, inBody.id])
        // A store opened again keeps its index (built once).
        XCTAssertEqual(try found(try makeStore(), "stellte"), [inBody.id])
    }
}

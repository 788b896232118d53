import Foundation
import KBMTestSupport
import XCTest

/// Issue 15: a record named by its unique title or name wherever an id is taken, and
/// `kbm show` naming the linked records and the partners.
final class RecordByTitleTests: RegionTestCase {
    func workspace() -> KBMRunner { standaloneWorkspace("kbm-title") }

    func testCommandsTakeAUniqueTitleOrName() throws {
        let w = workspace()
        let konferenz = w.ok("add", "veranstaltung", "Titel=Bildungskonferenz 2026").lastLine
        let person = w.ok("add", "akteur", "name=Jörg Weiß", "type=person").lastLine

        // show, exact title in any case, umlauts or their ASCII spelling.
        XCTAssertEqual(w.json("Bildungskonferenz 2026")["id"] as? String, konferenz)
        XCTAssertEqual(w.json("bildungskonferenz 2026")["id"] as? String, konferenz)
        XCTAssertEqual(w.json("Joerg Weiss")["id"] as? String, person)
        XCTAssertTrue(w.ok("show", "JÖRG WEISS").stdout.contains(person))
        XCTAssertEqual(w.json("Jorg Weiss")["id"] as? String, person, "accents dropped (ö = o)")
        // An id still works, in any case.
        XCTAssertEqual(w.json(konferenz.lowercased())["id"] as? String, konferenz)

        // edit by title.
        XCTAssertTrue(w.ok("edit", "Bildungskonferenz 2026", "Ort=Stadthalle").stdout.contains("Changed \(konferenz)."))
        XCTAssertEqual(w.json(konferenz)["location"] as? String, "Stadthalle")
        // share and unshare, log: the same lookup.
        w.ok("edit", "Jörg Weiß", "email=j.weiss@example.org")
        w.ok("share", "Jörg Weiß", "email", "--reason", "Einwilligung vom 02.03.2026")
        w.ok("unshare", "Joerg Weiss", "email")
        w.ok("log", "Bildungskonferenz 2026")

        // Not a title of anything: exit 2, nothing changed.
        let none = w.run(["edit", "Bildungskonferenz 2027", "Ort=Rathaus"])
        XCTAssertEqual(none.status, 2, none.stdout)
        XCTAssertTrue(none.stderr.contains("\"Bildungskonferenz 2027\" is not a record id, and no record has it as its title"), none.stderr)
        XCTAssertFalse(none.stderr.contains("Swift") || none.stderr.contains("Error Domain"), none.stderr)

        // delete by title.
        XCTAssertEqual(w.ok("delete", "Bildungskonferenz 2026").stdout, "Deleted \(konferenz).\n")
        XCTAssertEqual(w.run(["show", "Bildungskonferenz 2026"]).status, 2)
    }

    func testSeveralRecordsWithTheTitleAreListed() {
        let w = workspace()
        let a = w.ok("add", "event", "title=Fachtag").lastLine
        let b = w.ok("add", "tip", "title=fachtag").lastLine
        let r = w.run(["edit", "Fachtag", "tags+=x"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.contains("2 records are titled \"Fachtag\""), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(a)  event  lk-augsburg  Fachtag"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(b)  tip  lk-augsburg  fachtag"), r.stderr)
        XCTAssertNil(w.json(a)["tags"], "nothing changed")
        XCTAssertEqual(w.run(["delete", "Fachtag"]).status, 2)
        XCTAssertEqual(w.listJSON().count, 2)
    }

    func testShowJSONNamesLinkedRecordsAndPartners() throws {
        let region = self.region()
        let la = region.join("lk-augsburg")
        let ihk = la.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation").lastLine
        let hwk = la.ok("add", "stakeholder", "name=Handwerkskammer für Schwaben", "type=organisation").lastLine
        la.sync()
        let ke = region.join("stadt-kempten")
        let theirs = ke.ok("add", "stakeholder", "name=IHK Schwaben, Geschäftsstelle Kempten", "type=organisation").lastLine
        ke.sync()
        la.sync()
        // link by names.
        la.ok("link", "IHK Schwaben", "IHK Schwaben, Geschäftsstelle Kempten")
        let event = la.ok("add", "event", "title=Ausbildungsmesse 2026", "partners=\(ihk), \(hwk)").lastLine

        let shown = la.json("IHK Schwaben")
        XCTAssertEqual(shown["linked"] as? [String], [theirs])
        XCTAssertEqual(shown["name"] as? String, "IHK Schwaben", "the record's keys stay as they were")
        XCTAssertEqual(la.json(theirs)["linked"] as? [String], [ihk])
        XCTAssertEqual(la.json(hwk)["linked"] as? [String], [])

        let json = la.json(event)
        XCTAssertEqual(Set(json["partners"] as? [String] ?? []), [ihk, hwk], "partners keep their ids")
        XCTAssertEqual(json["partner_names"] as? [String: String], [ihk: "IHK Schwaben", hwk: "Handwerkskammer für Schwaben"])
        let human = la.ok("show", "Ausbildungsmesse 2026").stdout
        XCTAssertTrue(human.contains("\(ihk)  IHK Schwaben"), human)
        XCTAssertTrue(human.contains("\(hwk)  Handwerkskammer für Schwaben"), human)
    }
}

import Foundation
import KBMTestSupport
import XCTest

/// Issue 15, `kbm followups`: "open follow-ups across her events, sorted by due date, needed a jq
/// script". Through the built binary: the list and its filters, and `done` / `drop` by a
/// shortened item id, through the checks of `kbm edit`.
final class FollowupTests: RegionTestCase {
    /// Adds a follow-up to `event` with these item fields; returns its item id.
    @discardableResult
    func followUp(_ w: KBMRunner, _ event: String, _ text: String, _ fields: String..., file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let before = Set(items(w, event).compactMap { $0["id"] as? String })
        w.ok("edit", event, "follow_ups+=\(text)", file: file, line: line)
        let id = try XCTUnwrap(items(w, event).compactMap { $0["id"] as? String }.first { !before.contains($0) }, file: file, line: line)
        if !fields.isEmpty {
            let r = w.run(["edit", event] + fields.map { "follow_ups.\(id).\($0)" })
            XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        }
        return id
    }

    func items(_ w: KBMRunner, _ event: String) -> [[String: Any]] {
        w.json(event)["follow_ups"] as? [[String: Any]] ?? []
    }

    /// `kbm followups … --json`: the item ids in order.
    func listed(_ w: KBMRunner, _ args: String..., file: StaticString = #filePath, line: UInt = #line) -> [String] {
        (w.decoded(["followups"] + args + ["--json"], as: [[String: Any]].self, file: file, line: line) ?? []).compactMap { $0["item"] as? String }
    }

    func workspace() -> KBMRunner { standaloneWorkspace("kbm-followups") }

    func testListsOpenFollowUpsAcrossEventsByDueDateWithFilters() throws {
        let w = workspace()
        let konferenz = w.ok("add", "veranstaltung", "Titel=Bildungskonferenz 2026").lastLine
        let fachtag = w.ok("add", "veranstaltung", "Titel=Fachtag Inklusion").lastLine
        let late = try followUp(w, konferenz, "Protokoll versenden", "owner=Anna Berger", "due=10.01.2020")
        let may = try followUp(w, fachtag, "Fotos an die Presse", "owner=Jörg Weiß", "due=2099-05-01")
        let april = try followUp(w, konferenz, "Dank an die Referenten", "Verantwortlich=Anna Berger", "fällig=20.04.2099")
        let undated = try followUp(w, fachtag, "Nächsten Termin finden")
        let done = try followUp(w, fachtag, "Raum buchen", "due=2099-01-01", "status=erledigt")
        let dropped = try followUp(w, konferenz, "Flyer drucken", "Stand=verworfen")

        XCTAssertEqual(listed(w), [late, april, may, undated], "open ones by due date, no due date last")
        XCTAssertEqual(listed(w, "--open"), [late, april, may, undated])
        XCTAssertEqual(listed(w, "--done"), [done])
        XCTAssertEqual(listed(w, "--dropped"), [dropped])
        XCTAssertEqual(listed(w, "--open", "--done"), [late, done, april, may, undated])
        XCTAssertEqual(listed(w, "--overdue"), [late])
        XCTAssertEqual(listed(w, "--due-before", "01.05.2099"), [late, april])
        XCTAssertEqual(listed(w, "--due-before", "2099-05-02"), [late, april, may])
        XCTAssertEqual(listed(w, "--owner", "anna"), [late, april])
        XCTAssertEqual(listed(w, "--owner", "joerg weiss"), [may], "owner: case- and umlaut-insensitive")
        XCTAssertEqual(listed(w, "--county", "stadt-kempten"), [])

        let json = try XCTUnwrap(w.decoded(["followups", "--json"], as: [[String: Any]].self)?.first)
        XCTAssertEqual(json["text"] as? String, "Protokoll versenden")
        XCTAssertEqual(json["event"] as? String, konferenz)
        XCTAssertEqual(json["event_title"] as? String, "Bildungskonferenz 2026")
        XCTAssertEqual(json["owner"] as? String, "Anna Berger")
        XCTAssertEqual(json["due"] as? String, "2020-01-10")
        XCTAssertEqual(json["status"] as? String, "open")
        XCTAssertEqual(json["overdue"] as? Bool, true)
        XCTAssertEqual(json["county"] as? String, "lk-augsburg")

        // The terminal: one line per item, with the event's title; the overdue one marked.
        let out = w.ok("followups").stdout
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6, out)
        XCTAssertTrue(lines[1].hasPrefix("2020-01-10  OVERDUE"), out)
        XCTAssertTrue(lines[1].contains("Protokoll versenden") && lines[1].contains("Bildungskonferenz 2026") && lines[1].contains(late), out)
        XCTAssertTrue(lines[4].hasPrefix("-  "), "no due date last: \(out)")
        XCTAssertEqual(lines[5], "4 follow-ups, 1 overdue")

        let bad = w.run(["followups", "--due-before", "31.04.2026"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--due-before") && bad.stderr.contains("April has 30 days"), bad.stderr)
    }

    func testDoneAndDropTakeAShortenedItemId() throws {
        let w = workspace()
        let event = w.ok("add", "event", "title=Ausbildungsmesse").lastLine
        let first = try followUp(w, event, "Aussteller anschreiben", "due=2099-02-01")
        let second = try followUp(w, event, "Halle reservieren", "due=2099-03-01")
        XCTAssertNotEqual(first.suffix(6), second.suffix(6))

        // A unique end of the id.
        let done = w.ok("followups", "done", String(first.suffix(6)).lowercased())
        XCTAssertTrue(done.stdout.contains("is done now"), done.stdout)
        XCTAssertEqual(items(w, event).first { $0["id"] as? String == first }?["status"] as? String, "done")
        // The whole id; then a unique start of it (all items share "01", so take more).
        w.ok("followups", "drop", second)
        XCTAssertEqual(items(w, event).first { $0["id"] as? String == second }?["status"] as? String, "dropped")
        XCTAssertTrue(w.ok("followups", "drop", second).stdout.contains("was already dropped"))
        XCTAssertEqual(listed(w), [])
        XCTAssertEqual(listed(w, "--done", "--dropped"), [first, second])
        // It is an ordinary edit: the next sync commits it.
        XCTAssertTrue(w.ok("status").stdout.contains("1"), "the event waits to be shared")

        // Ambiguous: exit 2, the candidates listed; unknown: exit 2; nothing changed.
        let ambiguous = w.run(["followups", "done", "01"])
        XCTAssertEqual(ambiguous.status, 2, ambiguous.stdout)
        XCTAssertTrue(ambiguous.stderr.contains(first) && ambiguous.stderr.contains(second), ambiguous.stderr)
        XCTAssertTrue(ambiguous.stderr.contains("Halle reservieren"), ambiguous.stderr)
        let unknown = w.run(["followups", "done", "ZZZZZZZZ"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("No follow-up"), unknown.stderr)
        XCTAssertEqual(listed(w, "--done"), [first])
    }

    func testOnlyTheOwningCountyChangesItsFollowUps() throws {
        let region = self.region()
        let la = region.join("lk-augsburg")
        let event = la.ok("add", "event", "title=Fachtag MINT").lastLine
        let item = try followUp(la, event, "Bericht schreiben", "due=2099-06-30")
        la.sync()
        let ke = region.join("stadt-kempten")
        XCTAssertEqual(listed(ke), [item], "every office sees the region's follow-ups")
        let refused = ke.run(["followups", "done", String(item.suffix(8))])
        XCTAssertEqual(refused.status, 2, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("belongs to lk-augsburg"), refused.stderr)
        XCTAssertEqual(listed(ke, "--done"), [])
    }
}

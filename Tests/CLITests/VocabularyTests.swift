import Foundation
import KBMTestSupport
import XCTest

/// Issue 15, first two parts, through the built binary: the coordinator's German words for
/// kinds, fields and values; dates as she writes them; filters that never fail silently;
/// sorting, columns and counts; `field+=value` adds exactly one item.
final class VocabularyTests: XCTestCase {
    var dir = ""
    var kbm: KBMRunner { KBMRunner(cwd: dir) }

    override func setUp() {
        dir = KBMRunner.makeTempDir("kbm-vocab")
        kbm.ok("init", "--county", "lk-augsburg", "--user", "Anna Berger <anna.berger@lra-a.de>")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func json(_ id: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(kbm.ok("show", id, "--json").stdout.utf8)) as? [String: Any])
    }

    /// The ids a `kbm list …` prints, in order.
    func ids(_ args: String..., file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let r = kbm.run(["list"] + args)
        XCTAssertEqual(r.status, 0, "kbm list \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        return r.stdout.split(separator: "\n").compactMap { row in
            let first = row.split(separator: " ").first.map(String.init) ?? ""
            return first.count == 26 ? first : nil
        }
    }


    // MARK: German words on input; the files keep the codes

    func testAddTakesGermanKindsFieldsAndValuesAndStoresTheCodes() throws {
        // `kbm add veranstaltung` with German field names and values, a German date.
        let event = kbm.ok("add", "veranstaltung", "Titel=Bildungskonferenz 2026", "Art=Bildungskonferenz", "Beginn=24.04.2026", "Ende=24.4.2026", "Teilnehmende=120").lastLine
        let file = kbm.ok("show", event, "--file").stdout
        XCTAssertTrue(file.contains("kind: event\n"), file)
        XCTAssertTrue(file.contains("title: Bildungskonferenz 2026\n"), file)
        XCTAssertTrue(file.contains("type: bildungskonferenz\n"), file)
        XCTAssertTrue(file.contains("start: \"2026-04-24\"\n"), file)
        XCTAssertTrue(file.contains("end: \"2026-04-24\"\n"), file)

        // Umlauts or their ASCII spelling, any case: all the same code.
        for spelling in ["Broschüre", "broschüre", "Broschuere", "broschuere", "BROSCHÜRE"] {
            let id = kbm.ok("add", "Produkt", "title=Elternratgeber", "type=\(spelling)").lastLine
            XCTAssertEqual(try json(id)["type"] as? String, "broschuere", spelling)
        }
        let tip = kbm.ok("add", "Praxistipp", "Titel=Den Nutzen erzählen", "Thema=Öffentlichkeitsarbeit").lastLine
        XCTAssertEqual(try json(tip)["theme"] as? String, "communicate_value")

        let critic = kbm.ok("add", "akteur", "name=Amt für Jugend", "type=Behörde", "Haltung=Kritiker", "Schlüsselperson=ja").lastLine
        XCTAssertEqual(try json(critic)["stance"] as? String, "critical")
        XCTAssertEqual(try json(critic)["type"] as? String, "office")
        XCTAssertEqual(try json(critic)["key_person"] as? Bool, true)
        kbm.ok("edit", critic, "stance=kritisch", "Schluesselperson=nein")
        XCTAssertEqual(try json(critic)["stance"] as? String, "critical")
        XCTAssertEqual(try json(critic)["key_person"] as? Bool, false)

        // Follow-up items: German item field names and values, German due date.
        kbm.ok("edit", event, "follow_ups+=Protokoll versenden")
        let items = try XCTUnwrap(try json(event)["follow_ups"] as? [[String: Any]])
        let item = try XCTUnwrap(items.first?["id"] as? String)
        kbm.ok("edit", event, "follow_ups.\(item).Stand=erledigt", "follow_ups.\(item).fällig=30.04.2026")
        let done = try XCTUnwrap((try json(event)["follow_ups"] as? [[String: Any]])?.first)
        XCTAssertEqual(done["status"] as? String, "done")
        XCTAssertEqual(done["due"] as? String, "2026-04-30")

        // A wrong value still says what is allowed, with the German labels.
        kbm.refused(["add", "stakeholder", "name=X", "stance=skeptisch"], "stance", "critical (Kritiker)", "supporter (Fürsprecher)")
        kbm.refused(["add", "besprechung", "title=x"], "Unknown kind 'besprechung'", "event (Veranstaltung)")
    }

    // MARK: dates

    func testDatesAreRealCalendarDatesAndEndIsNotBeforeStart() throws {
        kbm.refused(["add", "event", "title=x", "start=31.04.2026"], "start", "31.04.2026: April has 30 days")
        kbm.refused(["add", "event", "title=x", "start=2027-04-31"], "start", "2027-04-31: April has 30 days")
        kbm.refused(["add", "event", "title=x", "start=29.02.2027"], "February 2027 has 28 days")
        kbm.refused(["add", "event", "title=x", "start=2026-13-01"], "there is no month 13")
        kbm.refused(["add", "event", "title=x", "start=14.3."], "expected a date like 2026-03-14")
        let leap = kbm.ok("add", "event", "title=Schalttag", "start=29.02.2028").lastLine
        XCTAssertEqual(try json(leap)["start"] as? String, "2028-02-29")

        kbm.refused(["add", "event", "title=x", "start=24.04.2026", "end=20.04.2026"], "end 2026-04-20 is before the start 2026-04-24")
        let id = kbm.ok("add", "event", "title=Fachtag", "start=2026-04-24", "end=2026-04-25").lastLine
        let before = kbm.ok("show", id, "--file").stdout
        kbm.refused(["edit", id, "start=2026-04-26"], "end 2026-04-25 is before the start 2026-04-26")
        XCTAssertEqual(kbm.ok("show", id, "--file").stdout, before, "a refused edit changes nothing")
    }

    // MARK: filters

    /// The sample of the issue: each `--where` in German matches, none silently matches nothing.
    func makeRecords() -> [String: String] {
        var ids: [String: String] = [:]
        ids["konferenz"] = kbm.ok("add", "event", "title=Bildungskonferenz 2026: Übergang Schule–Beruf", "type=bildungskonferenz", "start=2026-04-24", "participants=120", "location=Landratsamt Augsburg").lastLine
        ids["fachtag"] = kbm.ok("add", "event", "title=Fachtag Ganztag", "type=fachtag", "start=2026-03-12", "participants=45").lastLine
        ids["messe"] = kbm.ok("add", "event", "title=Ausbildungsmesse Gersthofen", "type=ausbildungsmesse", "start=2025-10-08").lastLine
        kbm.ok("edit", ids["fachtag"] ?? "", "follow_ups+=Protokoll versenden", "follow_ups+=Fotos sichten")
        ids["tip"] = kbm.ok("add", "tip", "title=Den Nutzen in drei Sätzen erzählen", "theme=communicate_value", "body=Im Kreistag kurz berichten.").lastLine
        ids["tip2"] = kbm.ok("add", "tip", "title=Daten für den Landrat", "theme=monitoring_data").lastLine
        ids["critic"] = kbm.ok("add", "stakeholder", "name=Kreisrat Meier", "type=person", "stance=critical", "key_person=true", "influence=high").lastLine
        ids["friend"] = kbm.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation", "stance=supporter", "key_person=false", "influence=medium").lastLine
        return ids
    }

    func testWhereUnderstandsTheCoordinatorsWords() throws {
        let r = makeRecords()
        XCTAssertEqual(ids("tip", "--where", "theme=Öffentlichkeitsarbeit"), [r["tip"]])
        XCTAssertEqual(ids("tip", "--where", "Thema=oeffentlichkeitsarbeit"), [r["tip"]])
        XCTAssertEqual(ids("Praxistipp", "--where", "theme=Mehrwert kommunizieren"), [r["tip"]])
        XCTAssertEqual(ids("stakeholder", "--where", "stance=kritisch"), [r["critic"]])
        XCTAssertEqual(ids("--where", "Haltung=Kritiker"), [r["critic"]])
        XCTAssertEqual(ids("--where", "type=Bildungskonferenz"), [r["konferenz"]])
        XCTAssertEqual(ids("event", "--where", "start=24.04.2026"), [r["konferenz"]])
        XCTAssertEqual(ids("veranstaltung", "--where", "Beginn=2026-04-24"), [r["konferenz"]])

        // key_person: show prints yes, and yes, ja and true all find it.
        let critic = r["critic"] ?? ""
        XCTAssertTrue(kbm.ok("show", critic).stdout.contains("yes"))
        for word in ["yes", "ja", "true", "Ja", "JA"] {
            XCTAssertEqual(ids("stakeholder", "--where", "key_person=\(word)"), [critic], word)
        }
        XCTAssertEqual(ids("stakeholder", "--where", "Schlüsselperson=nein"), [r["friend"]])

        // Follow-ups: an item field, in German.
        let fachtag = try XCTUnwrap(r["fachtag"])
        let items = try XCTUnwrap(try json(fachtag)["follow_ups"] as? [[String: Any]])
        let first = try XCTUnwrap(items.first?["id"] as? String)
        XCTAssertEqual(ids("event", "--where", "follow_ups.status=erledigt"), [])
        kbm.ok("edit", fachtag, "follow_ups.\(first).status=erledigt")
        XCTAssertEqual(ids("event", "--where", "follow_ups.status=erledigt"), [fachtag])
        XCTAssertEqual(ids("event", "--where", "Folgeprozesse.Stand=done"), [fachtag])
        XCTAssertEqual(ids("event", "--where", "follow_ups.status=offen"), [fachtag], "the second item is still open")
        XCTAssertEqual(ids("event", "--where", "follow_ups.text~protokoll"), [fachtag])
    }

    func testWhereOperatorsCompareCaseAndAccentInsensitively() throws {
        let r = makeRecords()
        XCTAssertEqual(Set(ids("event", "--where", "type!=fachtag")), Set([r["konferenz"], r["messe"]].compactMap { $0 }))
        XCTAssertEqual(ids("event", "--where", "participants>50"), [r["konferenz"]])
        XCTAssertEqual(Set(ids("event", "--where", "participants>=45")), Set([r["konferenz"], r["fachtag"]].compactMap { $0 }))
        XCTAssertEqual(ids("event", "--where", "participants<100"), [r["fachtag"]])
        XCTAssertEqual(ids("event", "--where", "participants<=45"), [r["fachtag"]])
        XCTAssertEqual(Set(ids("event", "--where", "start>=01.01.2026")), Set([r["konferenz"], r["fachtag"]].compactMap { $0 }))
        XCTAssertEqual(ids("event", "--where", "start<2026-01-01"), [r["messe"]])
        XCTAssertEqual(ids("event", "--where", "start>=2026-01-01", "--where", "start<=31.03.2026"), [r["fachtag"]])
        XCTAssertEqual(ids("stakeholder", "--where", "influence>mittel"), [r["critic"]])
        // ~ contains, any case, with umlauts or their ASCII spelling or none.
        for word in ["übergang", "UEBERGANG", "Ubergang", "Übergang"] {
            XCTAssertEqual(ids("event", "--where", "title~\(word)"), [r["konferenz"]], word)
        }
        XCTAssertEqual(ids("--where", "body~kreistag"), [r["tip"]])
        XCTAssertEqual(ids("event", "--where", "location=landratsamt augsburg"), [r["konferenz"]])
        XCTAssertEqual(ids("--where", "name~ihk"), [r["friend"]])
        XCTAssertEqual(ids("--where", "kind=Praxistipp", "--where", "theme~daten"), [r["tip2"]], "~ on an enum looks at the German label too")
    }

    func testWhereRefusesValuesThatCannotOccur() {
        _ = makeRecords()
        kbm.refused(["list", "tip", "--where", "theme=Pressearbeit"], "theme", "communicate_value (Mehrwert kommunizieren)", "partnerships (Partnerschaften)")
        kbm.refused(["list", "--where", "stance=skeptisch"], "critical (Kritiker)")
        kbm.refused(["list", "event", "--where", "follow_ups.status=fertiggestellt"], "open (offen)", "done (erledigt)", "dropped (verworfen)")
        kbm.refused(["list", "--where", "county=lk-nirgendwo"], "not a known county", "lk-augsburg")
        kbm.refused(["list", "event", "--where", "start=2027-04-31"], "2027-04-31: April has 30 days")
        kbm.refused(["list", "event", "--where", "start=31.04.2026"], "31.04.2026: April has 30 days")
        kbm.refused(["list", "event", "--where", "start>bald"], "expected a date like 2026-03-14")
        kbm.refused(["list", "--where", "key_person=vielleicht"], "yes or no")
        kbm.refused(["list", "event", "--where", "participants>viele"], "whole number")
        kbm.refused(["list", "--where", "farbe=rot"], "unknown field 'farbe'")
        kbm.refused(["list", "event", "--where", "follow_ups.farbe=rot"], "items have the fields", "status (Stand)")
        kbm.refused(["list", "--where", "title"], "--where expects")
        kbm.refused(["count", "--where", "stance=skeptisch"], "critical (Kritiker)")
    }

    // MARK: list --sort and --columns, count --where and --by

    func testListSortsAndShowsColumns() {
        let r = makeRecords()
        let byStart = [r["messe"], r["fachtag"], r["konferenz"]].compactMap { $0 }
        XCTAssertEqual(ids("event", "--sort", "start"), byStart)
        XCTAssertEqual(ids("event", "--sort", "-start"), byStart.reversed())
        XCTAssertEqual(ids("event", "--sort", "Beginn", "--desc"), byStart.reversed())
        XCTAssertEqual(ids("event", "--sort", "participants").last, r["messe"], "records without the field come last")

        let table = kbm.ok("list", "event", "--where", "type=Fachtag", "--columns", "title,Beginn,type,Teilnehmende").stdout
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first?.split(separator: " ").map(String.init), ["title", "start", "type", "participants"])
        XCTAssertEqual(lines.dropFirst().first?.split(separator: " ").filter { !$0.isEmpty }.map(String.init), ["Fachtag", "Ganztag", "2026-03-12", "fachtag", "45"])
        XCTAssertEqual(lines.last, "1 record")
        kbm.refused(["list", "event", "--columns", "title,farbe"], "--columns: unknown field 'farbe'")
        kbm.refused(["list", "event", "--sort", "farbe"], "--sort: unknown field 'farbe'")
    }

    func testCountFiltersAndGroups() throws {
        _ = makeRecords()
        XCTAssertTrue(kbm.ok("count", "event", "--where", "type=Fachtag").stdout.contains("event        1"))
        XCTAssertTrue(kbm.ok("count", "--where", "start>=01.01.2026").stdout.contains("total        2"))
        let byType = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(kbm.ok("count", "event", "--by", "Art", "--json").stdout.utf8)) as? [String: Int])
        XCTAssertEqual(byType, ["fachtag": 1, "bildungskonferenz": 1, "ausbildungsmesse": 1])
        let stance = kbm.ok("count", "akteur", "--by", "Haltung").stdout
        XCTAssertTrue(stance.contains("critical (Kritiker)"), stance)
        XCTAssertTrue(stance.contains("supporter (Fürsprecher)"), stance)
        kbm.refused(["count", "--by", "farbe"], "--by: unknown field 'farbe'")
        let followUps = kbm.ok("count", "event", "--by", "follow_ups.status").stdout
        XCTAssertTrue(followUps.contains("open (offen)") && followUps.contains("(none)"), followUps)
    }

    func testShareTakesTheGermanFieldName() throws {
        let id = kbm.ok("add", "akteur", "name=Maria Huber", "Art=Person", "E-Mail=m.huber@schule.example").lastLine
        kbm.ok("share", id, "E-Mail", "--reason", "Funktionsadresse")
        let disclosures = try XCTUnwrap(try json(id)["disclosures"] as? [[String: Any]])
        XCTAssertEqual(disclosures.first?["field"] as? String, "email")
        kbm.ok("unshare", id, "e-mail")
        XCTAssertNil(try json(id)["disclosures"])
    }

    // MARK: one value, one item

    func testPlusEqualsAddsExactlyOneItem() throws {
        let id = kbm.ok("add", "event", "title=Netzwerktreffen", "goals=Netzwerk stärken").lastLine
        kbm.ok("edit", id, "goals+=Netzwerke, Produkte und Konzepte sichtbar machen", "tags+=Schule, Beruf")
        XCTAssertEqual(try json(id)["goals"] as? [String], ["Netzwerk stärken", "Netzwerke, Produkte und Konzepte sichtbar machen"])
        XCTAssertEqual(try json(id)["tags"] as? [String], ["Schule, Beruf"])
        kbm.ok("edit", id, "goals-=Netzwerke, Produkte und Konzepte sichtbar machen")
        XCTAssertEqual(try json(id)["goals"] as? [String], ["Netzwerk stärken"])
        kbm.refused(["edit", id, "goals+=   "], "goals", "needs a value")
    }
}

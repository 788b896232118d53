import Foundation
import KBMTestSupport
import XCTest

/// Issue 15, `kbm search`: "which tips mention the Kreistag?" needed `export` and `grep`. Through
/// the built binary on real SQLite and git: parts of compounds, umlauts, prefixes, local fields,
/// filters, JSON, and an index that follows every write, every sync and `kbm rebuild`.
final class SearchTests: RegionTestCase {
    /// `kbm search … --json` decoded.
    func results(_ w: KBMRunner, _ args: String..., file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        w.decoded(["search"] + args + ["--json"], file: file, line: line) ?? []
    }

    func ids(_ w: KBMRunner, _ args: String..., file: StaticString = #filePath, line: UInt = #line) -> [String] {
        (w.decoded(["search"] + args + ["--json"], as: [[String: Any]].self, file: file, line: line) ?? []).compactMap { $0["id"] as? String }
    }

    func workspace(_ county: String = "lk-augsburg") -> KBMRunner {
        let dir = tempDir("kbm-search")
        let w = KBMRunner(cwd: dir)
        w.ok("init", "--county", county, "--user", "Anna Berger <anna.berger@lra-a.de>")
        return w
    }

    func testFindsPartsOfCompoundsUmlautsPrefixesAndLocalFields() throws {
        let w = workspace()
        let fachtag = w.ok("add", "veranstaltung", "Titel=Fachtag Übergangsmanagement", "Art=Fachtag", "Ergebnisse=Viele Schüler und Eltern kamen.").lastLine
        let konferenz = w.ok("add", "event", "title=Bildungskonferenz 2026", "type=bildungskonferenz", "location=Stadthalle Gersthofen").lastLine
        let tip = w.ok("add", "Praxistipp", "Titel=Im Kreistag berichten", "Thema=Präsenz in Gremien und Netzwerken", "body=Einmal im Jahr dem Kreistag die Zahlen zeigen.").lastLine
        let person = w.ok("add", "akteur", "name=Maria Huber", "type=person", "notes=Kennt den Jugendhilfeausschuss").lastLine

        XCTAssertEqual(ids(w, "übergang"), [fachtag], "a part of a compound")
        XCTAssertEqual(ids(w, "Uebergang"), [fachtag], "ASCII spelling of the umlaut, any case")
        XCTAssertEqual(ids(w, "schueler"), [fachtag], "ü = ue")
        XCTAssertEqual(ids(w, "SCHÜLER"), [fachtag])
        XCTAssertEqual(ids(w, "konferenz"), [konferenz], "the end of a compound")
        XCTAssertEqual(ids(w, "Gersth"), [konferenz], "a prefix")
        XCTAssertEqual(ids(w, "kreistag"), [tip], "which tips mention the Kreistag?")
        XCTAssertEqual(ids(w, "jugendhilfe"), [person], "local (personal) fields are searched on this laptop")
        XCTAssertEqual(ids(w, "Fachtag", "Eltern"), [fachtag], "every word must occur")
        XCTAssertEqual(ids(w, "Fachtag Eltern"), [fachtag], "words in one argument too")
        XCTAssertEqual(ids(w, "Fachtag", "Kreistag"), [])

        // Filters: a kind by its German label, a county.
        XCTAssertEqual(ids(w, "Kreistag", "--kind", "Praxistipp"), [tip])
        XCTAssertEqual(ids(w, "Kreistag", "--kind", "Veranstaltung"), [])
        XCTAssertEqual(ids(w, "Kreistag", "--county", "stadt-kempten"), [])
        XCTAssertEqual(ids(w, "Kreistag", "--county", "lk-augsburg"), [tip])

        // JSON: id, kind, county, title, snippet (hits between « and »), score.
        let hit = try XCTUnwrap(results(w, "schueler").first)
        XCTAssertEqual(hit["kind"] as? String, "event")
        XCTAssertEqual(hit["county"] as? String, "lk-augsburg")
        XCTAssertEqual(hit["title"] as? String, "Fachtag Übergangsmanagement")
        XCTAssertEqual(hit["snippet"] as? String, "Viele «Schüler» und Eltern kamen.")
        XCTAssertNotNil(hit["score"] as? Double, "\(hit)")

        // The terminal: the title, then the passage.
        let shown = w.ok("search", "übergang").stdout
        XCTAssertTrue(shown.contains("\(fachtag)  event  lk-augsburg  Fachtag Übergangsmanagement"), shown)
        XCTAssertTrue(shown.contains("«Übergang»smanagement"), shown)
    }

    func testRankingLimitAndShortWords() throws {
        let w = workspace()
        // bm25 weighs a word by how rare it is: a few records without it.
        for title in ["Zahlen lesen", "Berichte schreiben", "Gremien besuchen"] { w.ok("add", "tip", "title=\(title)") }
        let body = w.ok("add", "tip", "title=Zahlen zeigen", "body=Die Kita-Daten jedes Jahr zeigen").lastLine
        let title = w.ok("add", "tip", "title=Kita-Monitoring", "body=Kita-Plätze und Kita-Bedarf").lastLine
        XCTAssertEqual(ids(w, "kita"), [title, body], "bm25: the record with the word in its title and more often first")
        XCTAssertEqual(ids(w, "kita", "--limit", "1"), [title])
        XCTAssertEqual(Set(ids(w, "ki")), [title, body], "a word of two letters is found as a part too")
        let scores = results(w, "kita").compactMap { $0["score"] as? Double }
        XCTAssertEqual(scores.count, 2)
        if scores.count == 2 { XCTAssertGreaterThan(scores[0], scores[1], "higher is better") }
    }

    func testNoHitsIsNotAnErrorAndAnEmptyQueryIs() {
        let w = workspace()
        w.ok("add", "tip", "title=Den Nutzen erzählen")
        let none = w.ok("search", "Ausbildungsmesse")
        XCTAssertEqual(none.stdout, "No records match Ausbildungsmesse.\n")
        XCTAssertEqual(results(w, "Ausbildungsmesse").count, 0)
        for args in [["search"], ["search", ""], ["search", "  "]] {
            let r = w.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains("Nothing to search for"), r.stderr)
        }
        let kind = w.run(["search", "Nutzen", "--kind", "Vortrag"])
        XCTAssertEqual(kind.status, 2)
        XCTAssertTrue(kind.stderr.contains("Unknown kind 'Vortrag'"), kind.stderr)
        XCTAssertEqual(w.run(["search", "Nutzen", "--limit", "0"]).status, 2)
    }

    func testIndexFollowsEditDeleteImportSyncAndRebuild() throws {
        let region = self.region()
        let la = region.join("lk-augsburg")
        let event = la.ok("add", "event", "title=Netzwerktreffen Schule-Wirtschaft").lastLine
        XCTAssertEqual(ids(la, "wirtschaft"), [event])

        // An edit: the old words go, the new ones come.
        la.ok("edit", event, "title=Netzwerktreffen Jugendberufsagentur")
        XCTAssertEqual(ids(la, "wirtschaft"), [])
        XCTAssertEqual(ids(la, "berufsagentur"), [event])
        // A follow-up item's text.
        la.ok("edit", event, "follow_ups+=Protokoll an die Kammern")
        XCTAssertEqual(ids(la, "kammern"), [event])

        // An import.
        let exported = tempDir("kbm-search-export")
        let other = workspace()
        let imported = other.ok("add", "product", "title=Elternratgeber Ausbildung", "type=Broschüre").lastLine
        other.ok("export", exported)
        la.ok("import", exported)
        XCTAssertEqual(ids(la, "elternratgeber"), [imported])

        // A sync brings another office's record in.
        la.sync()
        let ke = region.join("stadt-kempten")
        let theirs = ke.ok("add", "tip", "title=Mit dem Stadtrat reden", "body=Der Stadtrat will Zahlen über die Ganztagsbetreuung.").lastLine
        ke.sync()
        la.sync()
        XCTAssertEqual(ids(la, "ganztag"), [theirs], "an imported record from the region is found")
        // Their edit, after the next sync.
        ke.ok("edit", theirs, "body=Der Stadtrat will Zahlen zur Schulsozialarbeit.")
        ke.sync()
        la.sync()
        XCTAssertEqual(ids(la, "ganztag"), [])
        XCTAssertEqual(ids(la, "sozialarbeit"), [theirs])
        // Their deletion.
        ke.ok("delete", theirs)
        ke.sync()
        la.sync()
        XCTAssertEqual(ids(la, "sozialarbeit"), [])

        // A deletion here.
        la.ok("delete", imported)
        XCTAssertEqual(ids(la, "elternratgeber"), [])

        // `kbm rebuild` and `kbm doctor --repair` rebuild the index (here after it was emptied by hand).
        let emptyIndex = "sqlite3 \(la.cwd)/.kbm/store.sqlite \"DELETE FROM search_index; DELETE FROM search_docs;\""
        KBMRunner.sh(emptyIndex)
        XCTAssertEqual(ids(la, "berufsagentur"), [])
        la.ok("rebuild")
        XCTAssertEqual(ids(la, "berufsagentur"), [event])
        XCTAssertEqual(ids(la, "kammern"), [event])
        KBMRunner.sh(emptyIndex)
        let doctor = la.run(["doctor"])
        XCTAssertEqual(doctor.status, 1)
        // One record: the one deleted here (not yet synced) stays deleted through `kbm rebuild`.
        XCTAssertTrue(doctor.stdout.contains("The search index misses 1 record and holds 0 that are gone."), doctor.stdout + doctor.stderr)
        la.ok("doctor", "--repair")
        XCTAssertEqual(ids(la, "berufsagentur"), [event])
        XCTAssertTrue(la.ok("doctor").stdout.contains("search index") == false)
    }

    func testForgetLeavesNoWordsOfThePersonInTheIndex() throws {
        let w = workspace()
        for i in 1...3 { w.ok("add", "tip", "title=Tipp \(i)", "body=Allgemeiner Text \(i)") }
        let person = w.ok("add", "akteur", "name=Xaverius Quandtmeier", "type=person", "notes=Zzyzxwort im Gespräch").lastLine
        XCTAssertEqual(ids(w, "quandtmeier"), [person])
        w.ok("forget", person)
        XCTAssertEqual(ids(w, "quandtmeier"), [])
        XCTAssertEqual(ids(w, "zzyzx"), [])
        // Not in the database file at all (the index keeps a folded copy of the text).
        let db = w.cwd + "/.kbm/store.sqlite"
        KBMRunner.sh("sqlite3 \(db) 'PRAGMA wal_checkpoint(TRUNCATE);'")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        for word in ["quandtmeier", "Quandtmeier", "zzyzxwort", "Zzyzxwort"] {
            XCTAssertNil(bytes.range(of: Data(word.utf8)), "\(word) is still in \(db)")
        }
    }

    func testOtherOfficesTextIsMadeSafeForTheTerminal() throws {
        let w = workspace()
        let hostile = "Fachtag \u{1B}[2J Inklusion"
        w.ok("add", "event", "title=\(hostile)")
        let out = w.ok("search", "inklusion").stdout
        XCTAssertFalse(out.contains("\u{1B}"), out)
        XCTAssertTrue(out.contains("\\u{1B}"), out)
    }
}

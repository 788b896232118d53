import Foundation
import KBMTestSupport
import XCTest

/// Issue 17: `kbm report`. Every figure a report shows is read back from the HTML by Python's
/// html.parser (the `data-figure`, `data-table` and chart `data-*` attributes kbm emits) and
/// compared with the same figure computed here from `kbm list --json`, never with the report's code.
final class ReportTests: RegionTestCase {
    var dir = ""
    let today = "2025-12-01"
    var kbm: KBMRunner { KBMRunner(cwd: dir, environment: ["KBM_TODAY": today]) }

    override func setUp() {
        super.setUp()
        dir = standaloneWorkspace("kbm-report").cwd
    }

    /// Python reads the page: key figures, tables (rows of cell texts), chart bars and cells,
    /// the marking, paragraphs, and whether any script element or external reference is in it.
    static let reader = #"""
    import json, sys
    from html.parser import HTMLParser
    class R(HTMLParser):
        def __init__(self):
            super().__init__()
            self.out = {"figures": {}, "tables": {}, "bars": {}, "cells": {}, "periods": {}, "scripts": 0, "paragraphs": [], "marking": None, "text": ""}
            self.figure = None; self.table = None; self.row = None; self.cell = None; self.chart = None; self.para = None
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "script": self.out["scripts"] += 1
            if "data-figure" in a: self.figure = a["data-figure"]; self.out["figures"][self.figure] = ""
            if "data-marking" in a: self.out["marking"] = a["data-marking"]
            if tag == "table" and "data-table" in a: self.table = a["data-table"]; self.out["tables"][self.table] = []
            if tag == "p" and "data-table" in a: self.out["tables"][a["data-table"]] = []
            if tag == "tr" and self.table and "data-key" in a: self.row = []
            if tag == "td" and self.row is not None: self.cell = ""
            if tag == "svg" and "data-chart" in a: self.chart = a["data-chart"]; self.out["bars"][self.chart] = {}; self.out["cells"][self.chart] = {}; self.out["periods"][self.chart] = {}
            if tag == "g" and "data-label" in a: self.out["bars"][self.chart][a["data-label"]] = a["data-value"]
            if tag == "g" and "data-row" in a: self.out["cells"][self.chart][a["data-row"] + "|" + a["data-column"]] = a["data-value"]
            if tag == "g" and "data-period" in a: self.out["periods"][self.chart][a["data-period"]] = [a["data-value"], a["data-median"]]
            if tag == "p": self.para = ""
            for k, v in attrs:
                if k in ("src", "href") or (v and ("https://" in v)): self.out["external"] = self.out.get("external", 0) + 1
        def handle_endtag(self, tag):
            if tag == "span": self.figure = None
            if tag == "td" and self.cell is not None: self.row.append(self.cell); self.cell = None
            if tag == "tr" and self.row is not None: self.out["tables"][self.table].append(self.row); self.row = None
            if tag == "table": self.table = None
            if tag == "svg": self.chart = None
            if tag == "p" and self.para is not None: self.out["paragraphs"].append(self.para); self.para = None
        def handle_data(self, d):
            if self.figure: self.out["figures"][self.figure] += d
            if self.cell is not None: self.cell += d
            if self.para is not None: self.para += d
            self.out["text"] += d
    r = R(); r.feed(open(sys.argv[1], encoding="utf-8").read()); print(json.dumps(r.out))
    """#

    struct Page: Decodable {
        var figures: [String: String]
        var tables: [String: [[String]]]
        var bars: [String: [String: String]]
        var cells: [String: [String: String]]
        var periods: [String: [String: [String]]]
        var scripts: Int
        var paragraphs: [String]
        var marking: String?
        var text: String
        var external: Int?

        func figure(_ id: String) -> Int? { figures[id].flatMap { Int($0.replacingOccurrences(of: ".", with: "")) } }
    }

    func read(_ html: String, file: StaticString = #filePath, line: UInt = #line) -> Page? {
        let script = dir + "/read-report.py"
        try? Data(Self.reader.utf8).write(to: URL(fileURLWithPath: script))
        let r = KBMRunner.exec("/usr/bin/env", ["python3", script, html], cwd: dir)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return try? JSONDecoder().decode(Page.self, from: Data(r.stdout.utf8))
    }

    /// German thousands: 1234 → "1.234".
    func german(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(ch)
        }
        return out
    }

    @discardableResult
    func followUp(_ id: String, _ text: String, owner: String? = nil, due: String? = nil, status: String? = nil) -> String {
        kbm.ok("edit", id, "follow_ups+=\(text)")
        let items = (kbm.json(id)["follow_ups"] as? [[String: Any]]) ?? []
        let item = items.first { ($0["text"] as? String) == text }?["id"] as? String ?? "?"
        var edits: [String] = []
        if let owner { edits.append("follow_ups.\(item).owner=\(owner)") }
        if let due { edits.append("follow_ups.\(item).due=\(due)") }
        if let status { edits.append("follow_ups.\(item).status=\(status)") }
        if !edits.isEmpty {
            let r = kbm.run(["edit", id] + edits)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        return item
    }

    func seed() {
        let fachtag = kbm.ok("add", "Veranstaltung", "Titel=Fachtag Übergang Schule–Beruf", "Beginn=14.03.2025 09:30", "Teilnehmende=120",
                             "goals+=Netzwerk stärken", "Ergebnisse=Gut besucht, drei neue Kooperationen").lastLine
        followUp(fachtag, "Protokoll verschicken", owner: "Anna Berger", due: "21.03.2025")
        followUp(fachtag, "Raum buchen", status: "erledigt")
        followUp(fachtag, "Presse", owner: "Ben Huber", status: "verworfen")
        let konferenz = kbm.ok("add", "event", "title=Bildungskonferenz 2025", "start=2025-11-02", "participants=1234", "type=bildungskonferenz").lastLine
        followUp(konferenz, "Bericht an den Kreistag", owner: "Ben Huber", due: "10.01.2026")
        followUp(konferenz, "Dank an Referenten", owner: "Anna Berger", due: "2025-11-20")
        kbm.ok("add", "event", "title=Geplant im Dezember", "start=2025-12-20", "participants=50")
        kbm.ok("add", "event", "title=Vorjahr", "start=2024-05-01", "participants=7")
        kbm.ok("add", "event", "title=<script>alert('x')</script> Messe", "start=2025-06-01", "participants=300")
        kbm.ok("add", "product", "title=Newsletter Frühjahr", "published=2025-02-01", "target_groups+=Eltern", "target_groups+=Schulen", "channels+=E-Mail")
        kbm.ok("add", "Produkt", "Titel=Flyer Ausbildung", "Veröffentlicht=01.04.2025", "Zielgruppen+=Eltern", "type=flyer")
        kbm.ok("add", "product", "title=Alt", "published=2023-04-01")
        kbm.ok("add", "Erfolg", "Titel=Netzwerk Übergang gegründet", "Datum=05.05.2025", "Art=Netzwerk", "Nachweise+=Protokoll 05.05.2025")
        kbm.ok("add", "achievement", "title=Fördermittel eingeworben", "date=2025-09-01", "type=funding")
        kbm.ok("add", "achievement", "title=Früher", "date=2024-09-01", "type=decision")
        kbm.ok("add", "stakeholder", "name=Bildungsausschuss", "type=committee", "organisation=Landkreis Augsburg")
    }

    // MARK: bilanz

    func testBilanzFiguresMatchTheRecords() throws {
        seed()
        kbm.ok("report", "bilanz", "--year", "2025", "-o", "bilanz.html")
        let page = try XCTUnwrap(read(dir + "/bilanz.html"))
        let all = kbm.listJSON()
        func ofKind(_ k: String) -> [[String: Any]] { all.filter { ($0["kind"] as? String) == k } }
        func inYear(_ v: Any?) -> Bool { (v as? String).map { $0.hasPrefix("2025-") } ?? false }
        let held = ofKind("event").filter { inYear($0["start"]) && String(($0["start"] as? String ?? "").prefix(10)) <= today }
        let followUps = held.flatMap { ($0["follow_ups"] as? [[String: Any]]) ?? [] }
        let products = ofKind("product").filter { inYear($0["published"]) }

        XCTAssertEqual(page.figure("events-held"), held.count)
        XCTAssertEqual(page.figure("participants"), held.reduce(0) { $0 + (($1["participants"] as? Int) ?? 0) })
        XCTAssertEqual(page.figures["participants"], german(120 + 1234 + 300), "German thousands")
        XCTAssertEqual(page.figure("events-with-goals"), held.filter { !((($0["goals"] as? [String]) ?? []).isEmpty) }.count)
        XCTAssertEqual(page.figure("events-with-outcomes"), held.filter { $0["outcomes"] != nil }.count)
        XCTAssertEqual(page.figure("products-published"), products.count)
        XCTAssertEqual(page.figure("achievements"), ofKind("achievement").filter { inYear($0["date"]) }.count)
        XCTAssertEqual(page.figure("followups-done"), followUps.filter { ($0["status"] as? String) == "done" }.count)
        XCTAssertEqual(page.figure("followups-open"), followUps.filter { ($0["status"] as? String ?? "open") == "open" }.count)
        XCTAssertEqual(page.figure("committees"), ofKind("stakeholder").filter { ($0["type"] as? String) == "committee" }.count)
        XCTAssertEqual(page.figure("new-stakeholders"), ofKind("stakeholder").filter { inYear($0["created"]) || ($0["created"] as? String ?? "").hasPrefix("2025") }.count)

        // Tables: one row per event held, achievement and product, with German dates.
        XCTAssertEqual(page.tables["events"]?.map { $0[1] }.sorted(), held.map { $0["title"] as? String ?? "" }.sorted())
        XCTAssertEqual(page.tables["events"]?.first?[0], "14.03.2025")
        XCTAssertEqual(page.tables["achievements"]?.count, 2)
        XCTAssertEqual(page.tables["achievements"]?.first?[2], "Netzwerk", "the German label of the type")
        XCTAssertEqual(page.tables["products"]?.count, products.count)

        // Charts: the bars hold the figures of the records.
        var perQuarter: [String: Int] = [:], peoplePerQuarter: [String: Int] = [:]
        for e in held {
            let month = Int(((e["start"] as? String) ?? "").dropFirst(5).prefix(2)) ?? 0
            let q = "\((month - 1) / 3 + 1). Quartal 2025"
            perQuarter[q, default: 0] += 1
            peoplePerQuarter[q, default: 0] += (e["participants"] as? Int) ?? 0
        }
        for q in 1...4 {
            let key = "\(q). Quartal 2025"
            XCTAssertEqual(page.bars["events-per-quarter"]?[key], german(perQuarter[key] ?? 0), key)
            XCTAssertEqual(page.bars["participants-per-quarter"]?[key], german(peoplePerQuarter[key] ?? 0), key)
        }
        var byGroup: [String: Int] = [:]
        for p in products { for g in (p["target_groups"] as? [String]) ?? ["ohne Zielgruppe"] { byGroup[g, default: 0] += 1 } }
        XCTAssertEqual(page.bars["products-by-target-group"], byGroup.mapValues(german))
        let labels = ["open": "offen", "done": "erledigt", "dropped": "verworfen"]
        for (code, label) in labels {
            XCTAssertEqual(page.bars["followups-by-status"]?[label], german(followUps.filter { ($0["status"] as? String ?? "open") == code }.count), label)
        }

        // Escaped, self-contained.
        XCTAssertEqual(page.scripts, 0)
        XCTAssertNil(page.external)
        XCTAssertTrue(page.text.contains("<script>alert('x')</script> Messe"), "the title is shown as text")
        let raw = try String(contentsOfFile: dir + "/bilanz.html", encoding: .utf8)
        XCTAssertTrue(raw.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Messe"))
        XCTAssertTrue(raw.contains("@media print") && raw.contains("size: A4"))
    }

    func testAnEmptyYearIsStatedAndMarkdownHasTheSameFigures() throws {
        seed()
        kbm.ok("report", "bilanz", "--year", "2019", "-o", "leer.html")
        let page = try XCTUnwrap(read(dir + "/leer.html"))
        XCTAssertTrue(page.paragraphs.contains("Keine Veranstaltungen im Jahr 2019."), "\(page.paragraphs)")
        XCTAssertEqual(page.figure("events-held"), 0)
        kbm.ok("report", "bilanz", "--year", "2025", "-o", "bilanz.md")
        let md = try String(contentsOfFile: dir + "/bilanz.md", encoding: .utf8)
        XCTAssertTrue(md.contains("- **\(german(1654))** Teilnehmende"), md)
        XCTAssertTrue(md.contains("\\<script\\>"), "Markdown escapes markup")
        XCTAssertTrue(md.hasPrefix("# Bilanz des Bildungsbüros"))
    }

    // MARK: nachverfolgung

    func testNachverfolgungByOwnerMatchesTheRecords() throws {
        seed()
        kbm.ok("report", "nachverfolgung", "-o", "nv.html")
        let page = try XCTUnwrap(read(dir + "/nv.html"))
        let open = kbm.listJSON().filter { ($0["kind"] as? String) == "event" }.flatMap { ($0["follow_ups"] as? [[String: Any]]) ?? [] }
            .filter { ($0["status"] as? String ?? "open") == "open" }
        let overdue = open.filter { ($0["due"] as? String).map { $0 < today } ?? false }
        XCTAssertEqual(page.figure("followups-open"), open.count)
        XCTAssertEqual(page.figure("followups-overdue"), overdue.count)
        XCTAssertEqual(overdue.count, 2, "21.03.2025 and 20.11.2025 are before today; 10.01.2026 is not")
        var byOwner: [String: (Int, Int)] = [:]
        for f in open {
            let owner = f["owner"] as? String ?? "ohne Zuständigkeit"
            let late = (f["due"] as? String).map { $0 < today } ?? false
            byOwner[owner, default: (0, 0)].0 += 1
            byOwner[owner, default: (0, 0)].1 += late ? 1 : 0
        }
        let rows = page.tables["by-owner"] ?? []
        XCTAssertEqual(rows.count, byOwner.count)
        for row in rows {
            XCTAssertEqual(row[1], german(byOwner[row[0]]?.0 ?? -1), row[0])
            XCTAssertEqual(row[2], german(byOwner[row[0]]?.1 ?? -1), row[0])
        }
        XCTAssertEqual(page.tables["by-event"]?.filter { $0[5] == "überfällig" }.count, overdue.count)
    }

    // MARK: akteure, indikatoren

    func testAkteureIsInternalWithTheMatrix() throws {
        kbm.ok("add", "stakeholder", "name=Dr. Kritisch", "type=person", "influence=hoch", "stance=Kritiker", "key_person=ja", "last_contact=01.01.2025")
        kbm.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation", "influence=high", "stance=supporter")
        kbm.ok("report", "akteure", "-o", "akteure.html")
        let page = try XCTUnwrap(read(dir + "/akteure.html"))
        XCTAssertEqual(page.marking, "intern")
        let people = kbm.listJSON().filter { ($0["kind"] as? String) == "stakeholder" }
        XCTAssertEqual(page.figure("stakeholders"), people.count)
        XCTAssertEqual(page.figure("critics"), people.filter { ($0["stance"] as? String) == "critical" }.count)
        XCTAssertEqual(page.figure("key-persons"), people.filter { ($0["key_person"] as? Bool) == true }.count)
        // Every cell of the matrix, from the JSON (codes) and the German labels of schema/labels.de.json.
        let influence = ["high": "hoch", "medium": "mittel", "low": "gering"]
        let stance = ["supporter": "Fürsprecher", "neutral": "neutral", "critical": "Kritiker", "unknown": "unbekannt"]
        XCTAssertEqual(page.cells["influence-stance"]?.count, 12)
        for (i, iLabel) in influence {
            for (st, sLabel) in stance {
                let n = people.filter { ($0["influence"] as? String) == i && (($0["stance"] as? String) ?? "unknown") == st }.count
                XCTAssertEqual(page.cells["influence-stance"]?["\(iLabel)|\(sLabel)"], String(n), "\(iLabel)|\(sLabel)")
            }
        }
        XCTAssertEqual(page.cells["influence-stance"]?["hoch|Kritiker"], "1")
        let day = { (iso: String) -> Int in
            let p = iso.split(separator: "-").compactMap { Int($0) }
            return (p[0] * 12 + p[1]) * 31 + p[2]   // good enough for "more than six months": months of 31 days
        }
        XCTAssertEqual(page.figure("contact-overdue"), people.filter { ($0["last_contact"] as? String).map { day(today) - day($0) > 190 } ?? false }.count)
        XCTAssertEqual(page.figure("contact-overdue"), 1, "01.01.2025 is eleven months before today")
    }

    func testIndikatorenAgainstTheRegionFromTwoCounties() throws {
        let region = region()
        let a = region.join("lk-augsburg"), d = region.join("lk-dillingen")
        func indicator(_ k: KBMRunner, _ values: [(String, String)]) {
            let id = k.ok("add", "Indikator", "Bezeichnung=Übertrittsquote Gymnasium", "unit=%", "Quelle=Bayerisches Landesamt für Statistik").lastLine
            for (period, value) in values {
                k.ok("edit", id, "values+=\(period)")
                let item = ((k.json(id)["values"] as? [[String: Any]]) ?? []).first { ($0["period"] as? String) == period }?["id"] as? String ?? "?"
                k.ok("edit", id, "values.\(item).value=\(value)")
            }
        }
        indicator(a, [("2023", "30,5"), ("2024", "32"), ("2024/25", "1.234")])
        indicator(d, [("2023", "40"), ("2024", "-"), ("2024/25", "1.000,5")])
        a.ok("add", "event", "title=Fachtag Augsburg", "start=2025-03-01", "participants=80")
        d.ok("add", "event", "title=Fachtag Dillingen", "start=2025-04-01", "participants=55")
        d.ok("add", "event", "title=Netzwerktreffen Dillingen", "start=2025-10-01", "participants=12")
        d.sync(); a.sync()
        let env = KBMRunner(cwd: a.cwd, environment: ["KBM_TODAY": today])
        env.ok("report", "indikatoren", "--county", "lk-augsburg", "-o", a.cwd + "/ind.html")
        let script = a.cwd + "/read-report.py"
        try Data(Self.reader.utf8).write(to: URL(fileURLWithPath: script))
        let r = KBMRunner.exec("/usr/bin/env", ["python3", script, a.cwd + "/ind.html"], cwd: a.cwd)
        let page = try JSONDecoder().decode(Page.self, from: Data(r.stdout.utf8))
        // From the JSON: both counties' stored values, the median of those present.
        let records = env.listJSON().filter { ($0["kind"] as? String) == "indicator" }
        XCTAssertEqual(records.count, 2)
        func stored(_ county: String, _ period: String) -> Double? {
            let r = records.first { ($0["county"] as? String) == county }
            let item = ((r?["values"] as? [[String: Any]]) ?? []).first { ($0["period"] as? String) == period }
            return (item?["value"] as? String).flatMap(Double.init)
        }
        XCTAssertEqual(stored("lk-augsburg", "2023"), 30.5, "German input stored as 30.5")
        XCTAssertEqual(stored("lk-augsburg", "2024/25"), 1234)
        XCTAssertNil(stored("lk-dillingen", "2024"), "'-' is missing, not zero")
        let chart = page.periods["indicator-Übertrittsquote Gymnasium"] ?? [:]
        XCTAssertEqual(chart["2023"], ["30,5", "35,3"], "median of 30,5 and 40 in German format, one decimal")
        XCTAssertEqual(chart["2024"], ["32", "32"], "only one county has a value")
        XCTAssertEqual(chart["2024/25"], ["1.234", "1.117,3"])
        XCTAssertTrue(page.text.contains("Quelle: Bayerisches Landesamt für Statistik"))

        // --county counts that county's records only, as `kbm list --county` lists them; without it, the region.
        for county in ["lk-augsburg", "lk-dillingen", nil] as [String?] {
            let file = a.cwd + "/bilanz-\(county ?? "region").html"
            let r = env.run(["report", "bilanz", "--year", "2025", "-o", file] + (county.map { ["--county", $0] } ?? []))
            XCTAssertEqual(r.status, 0, r.stderr)
            let out = KBMRunner.exec("/usr/bin/env", ["python3", script, file], cwd: a.cwd)
            let bilanz = try JSONDecoder().decode(Page.self, from: Data(out.stdout.utf8))
            let listed: [[String: Any]] = env.decoded(["list", "event", "--json"] + (county.map { ["--county", $0] } ?? [])) ?? []
            XCTAssertEqual(listed.count, ["lk-augsburg": 1, "lk-dillingen": 2][county ?? ""] ?? 3, "the events of \(county ?? "the region") arrived")
            XCTAssertEqual(bilanz.figure("events-held"), listed.count, county ?? "region")
            XCTAssertEqual(bilanz.figure("participants"), listed.reduce(0) { $0 + (($1["participants"] as? Int) ?? 0) }, county ?? "region")
        }
    }

    // MARK: indicator values

    func testIndicatorValuesTakeGermanNumbersAndKeepMissingMarkersMissing() {
        let id = kbm.ok("add", "Indikator", "Bezeichnung=Betreuungsquote", "Einheit=%").lastLine
        kbm.ok("edit", id, "Werte+=2024/25")
        let item = ((kbm.json(id)["values"] as? [[String: Any]]) ?? []).first?["id"] as? String ?? "?"
        let typed = [("12,5", "12.5"), ("1.234", "1234"), ("1.234,75", "1234.75"), ("7", "7")]
        for (input, stored) in typed {
            kbm.ok("edit", id, "values.\(item).Wert=\(input)")
            let value = ((kbm.json(id)["values"] as? [[String: Any]]) ?? []).first?["value"] as? String
            XCTAssertEqual(value, stored, input)
        }
        for marker in ["-", "x", "…", "."] {
            kbm.ok("edit", id, "values.\(item).value=12,5")
            kbm.ok("edit", id, "values.\(item).value=\(marker)")
            let first = ((kbm.json(id)["values"] as? [[String: Any]]) ?? []).first
            XCTAssertNil(first?["value"], "\(marker) is missing, not zero")
            XCTAssertEqual(first?["period"] as? String, "2024/25")
        }
        kbm.refused(["edit", id, "values.\(item).value=zwölf"], "value", "expected a number like 12,5", "zwölf")
        // A hand-edited file with a German number is refused with its line: files store 12.5.
        let file = kbm.ok("show", id, "--file").stdout.replacingOccurrences(of: "period: 2024/25", with: "period: 2024/25\n    value: \"12,5\"")
        let path = dir + "/indicator.md"
        try? Data(file.replacingOccurrences(of: "period: \"2024/25\"", with: "period: \"2024/25\"\n    value: \"12,5\"").utf8).write(to: URL(fileURLWithPath: path))
        kbm.refused(["edit", id, "--file", path], "values.value", "expected a number stored like 1234.5")
    }

    // MARK: bad input

    func testBadInputIsRefusedNamingTheArgument() {
        kbm.refused(["report", "jahresbericht", "-o", "x.html"], "Unknown report 'jahresbericht'", "bilanz", "nachverfolgung", "akteure", "indikatoren")
        kbm.refused(["report", "bilanz", "-o", "fehlt/bilanz.html"], "-o", "the folder fehlt does not exist")
        kbm.refused(["report", "bilanz", "-o", "bilanz.docx"], "-o", ".html, .md or .pdf")
        kbm.refused(["report", "bilanz", "--year", "zwanzig", "-o", "b.html"], "--year", "zwanzig")
        kbm.refused(["report", "bilanz", "--from", "31.02.2025", "-o", "b.html"], "--from")
        kbm.refused(["report", "bilanz", "--county", "lk-nirgendwo", "-o", "b.html"], "--county", "lk-nirgendwo")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/b.html"))
        // Without chromium on the PATH, a PDF names the Debian package.
        let noChromium = KBMRunner(cwd: dir, environment: ["PATH": "/nonexistent"])
        noChromium.refused(["report", "bilanz", "-o", "b.pdf"], "chromium", "apt-get install chromium")
    }

    // MARK: PDF and pictures (headless Chromium)

    /// The sample region's `bilanz` and `indikatoren` as PNG (one A4 page at 150 dpi) and PDF, as
    /// CI makes them; the PDF has pages and the report's text, the PNG is a real picture of that size.
    func testSampleRegionRendersToPNGAndPDF() throws {
        guard KBMRunner.exec("/bin/sh", ["-c", "command -v chromium && command -v pdftotext"], cwd: dir).status == 0 else {
            throw XCTSkip("chromium or pdftotext is not installed (scripts/setup-tests.sh installs the Debian packages chromium and poppler-utils)")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let agency = tempDir("kbm-report-sample")
        let k = KBMRunner(cwd: agency, environment: ["KBM_TODAY": "2026-02-03"])
        k.ok("init", "--county", "transferagentur", "--user", "Transferagentur <ta@example.org>")
        k.ok("import", root.appendingPathComponent("sample-repo").path)
        for (report, needle) in [("bilanz", "Veranstaltungen je Quartal"), ("indikatoren", "Übertrittsquote an das Gymnasium")] {
            let period = report == "bilanz" ? ["--year", "2025"] : []
            for file in ["\(report).html", "\(report).pdf"] {
                let r = k.run(["report", report, "--county", "lk-augsburg", "-o", file] + period)
                XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
            }
            let text = KBMRunner.exec("/usr/bin/env", ["pdftotext", agency + "/\(report).pdf", "-"], cwd: agency).stdout
            XCTAssertTrue(text.contains(needle), "\(report).pdf: \(text.prefix(400))")
            let shot = KBMRunner.exec("/usr/bin/env", ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(agency)/profile-\(report)",
                                                       "--screenshot=\(agency)/\(report).png", "--window-size=1240,1754", "file://\(agency)/\(report).html"], cwd: agency)
            let png = try Data(contentsOf: URL(fileURLWithPath: agency + "/\(report).png"))
            XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(report).png is a PNG: \(shot.stderr)")
            // The IHDR chunk: width and height, big-endian, at bytes 16..<24.
            let size = png.count >= 24 ? (png[16..<20].reduce(0) { $0 << 8 | Int($1) }, png[20..<24].reduce(0) { $0 << 8 | Int($1) }) : (0, 0)
            XCTAssertEqual(size.0, 1240)
            XCTAssertEqual(size.1, 1754)
        }
    }

    func testPDFHasPagesAndText() throws {
        guard KBMRunner.exec("/bin/sh", ["-c", "command -v chromium && command -v pdftotext"], cwd: dir).status == 0 else {
            throw XCTSkip("chromium or pdftotext is not installed (scripts/setup-tests.sh installs the Debian packages chromium and poppler-utils)")
        }
        seed()
        kbm.ok("report", "bilanz", "--year", "2025", "-o", "bilanz.pdf")
        let info = KBMRunner.exec("/usr/bin/env", ["pdfinfo", dir + "/bilanz.pdf"], cwd: dir)
        let pages = info.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        XCTAssertGreaterThanOrEqual(pages, 1, info.stdout + info.stderr)
        let text = KBMRunner.exec("/usr/bin/env", ["pdftotext", "-layout", dir + "/bilanz.pdf", "-"], cwd: dir).stdout
        XCTAssertTrue(text.contains("Bilanz des Bildungsbüros"), text)
        XCTAssertTrue(text.contains("Veranstaltungen je Quartal"), "the chart's title is text in the PDF")
        XCTAssertTrue(text.contains(german(1654)), text)
    }
}

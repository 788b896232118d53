import Foundation
import KBMRecords
import KBMReports
import XCTest

/// The report models on records made here, each figure checked against a count written out by
/// hand for these records; the renderers checked for escaping, German numbers and self-containment.
final class ReportModelTests: XCTestCase {
    var serial = 0
    let county = County("lk-augsburg")!
    let other = County("lk-dillingen")!

    func record(_ kind: String, county: County? = nil, created: String = "2024-06-01T08:00:00Z", _ fields: [String: FieldValue]) -> Record {
        serial += 1
        let id = RecordID(String(format: "01JD3Q5V8X2M4N6P8R0T2W%04d", serial))!
        return Record(id: id, kind: kind, county: county ?? self.county, created: Timestamp(created)!, updated: Timestamp(created)!, fields: fields)
    }

    func region() -> [Record] {
        [
            record("event", ["title": .text("Fachtag Übergang"), "start": .text("2025-03-14T09:30"), "participants": .int(120),
                             "goals": .strings(["Netzwerk stärken"]), "outcomes": .text("Gut besucht"),
                             "follow_ups": .items([Item(id: "f1", fields: ["text": "Protokoll", "owner": "Anna", "due": "2025-03-21", "status": "open"]),
                                                   Item(id: "f2", fields: ["text": "Raum", "status": "done"])])]),
            record("event", ["title": .text("Bildungskonferenz"), "start": .text("2025-11-02"), "participants": .int(1234),
                             "follow_ups": .items([Item(id: "f1", fields: ["text": "Bericht", "owner": "Ben", "due": "2026-01-10"])])]),
            record("event", ["title": .text("Geplant"), "start": .text("2025-12-20"), "participants": .int(50)]),   // after "today"
            record("event", ["title": .text("Vorjahr"), "start": .text("2024-05-01"), "participants": .int(7)]),
            record("event", county: other, ["title": .text("Anderswo"), "start": .text("2025-05-01"), "participants": .int(99)]),
            record("product", ["title": .text("Newsletter 1"), "published": .text("2025-02-01"), "target_groups": .strings(["Eltern", "Schulen"]), "channels": .strings(["E-Mail"])]),
            record("product", ["title": .text("Flyer"), "published": .text("2025-04-01"), "target_groups": .strings(["Eltern"])]),
            record("product", ["title": .text("Alt"), "published": .text("2023-04-01")]),
            record("achievement", ["title": .text("<script>alert(1)</script> Netzwerk"), "date": .text("2025-05-05"), "type": .text("network")]),
            record("stakeholder", created: "2025-02-02T10:00:00Z", ["name": .text("Bildungsausschuss"), "type": .text("committee")]),
        ]
    }

    func input(year: Int = 2025, county: County? = nil) -> ReportInput {
        ReportInput(records: region(), period: .year(year), county: county ?? self.county, today: "2025-12-01")
    }

    func testBilanzFigures() {
        let b = Bilanz(input())
        XCTAssertEqual(b.eventsHeld.map { $0.title() }, ["Fachtag Übergang", "Bildungskonferenz"], "held: in 2025, started by today, this county")
        XCTAssertEqual(b.participants, 120 + 1234)
        XCTAssertEqual(b.eventsWithGoals, 1)
        XCTAssertEqual(b.eventsWithOutcomes, 1)
        XCTAssertEqual(b.productsPublished.count, 2)
        XCTAssertEqual(b.productsByTargetGroup.map { "\($0.0)=\($0.1)" }, ["Eltern=2", "Schulen=1"])
        XCTAssertEqual(b.productsByChannel.map { "\($0.0)=\($0.1)" }, ["E-Mail=1", "ohne Kanal=1"])
        XCTAssertEqual(b.followUps(status: "open"), 2, "a follow-up without a status is open")
        XCTAssertEqual(b.followUps(status: "done"), 1)
        XCTAssertEqual(b.achievements.count, 1)
        XCTAssertEqual(b.newStakeholders.count, 1)
        XCTAssertEqual(b.quarters.map { "\($0.label):\($0.events):\($0.participants)" },
                       ["1. Quartal 2025:1:120", "2. Quartal 2025:0:0", "3. Quartal 2025:0:0", "4. Quartal 2025:1:1234"])
    }

    func testBilanzHTMLEscapesRecordTextsAndWritesGermanNumbers() {
        let html = HTMLRenderer.render(Bilanz(input()).document())
        XCTAssertFalse(html.contains("<script"), "no script element, ever")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Netzwerk"))
        XCTAssertTrue(html.contains("data-figure=\"participants\">1.354<"), "German thousands")
        XCTAssertTrue(html.contains("data-figure=\"events-held\">2<"))
        XCTAssertTrue(html.contains("Netzwerk</td>") || html.contains(">Netzwerk<"), "the type's German label")
        XCTAssertTrue(html.contains("@page { size: A4"))
        for external in ["http://", "https://", "src=", "<link", "@import"] where external != "http://" {
            XCTAssertFalse(html.contains(external), "self-contained: \(external)")
        }
        XCTAssertEqual(html.components(separatedBy: "http://").count - 1, html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1,
                       "the only http:// is the SVG namespace")
        let md = MarkdownRenderer.render(Bilanz(input()).document())
        XCTAssertTrue(md.contains("\\<script\\>alert(1)\\</script\\> Netzwerk"), md)
        XCTAssertTrue(md.contains("- **1.354** Teilnehmende"), md)
    }

    func testAnEmptyYearSaysSo() {
        let doc = Bilanz(input(year: 2019)).document()
        let html = HTMLRenderer.render(doc)
        XCTAssertTrue(html.contains("Keine Veranstaltungen im Jahr 2019."), html)
        XCTAssertTrue(html.contains("data-figure=\"events-held\">0<"))
        XCTAssertTrue(MarkdownRenderer.render(doc).contains("Keine Veranstaltungen im Jahr 2019."))
    }

    func testNachverfolgungByOwnerAndOverdue() {
        let n = Nachverfolgung(ReportInput(records: region(), period: .all, county: county, today: "2025-12-01"))
        XCTAssertEqual(n.open.count, 2)
        XCTAssertEqual(n.overdue.map { $0.item.fields["text"] }, ["Protokoll"], "due 21.03.2025 < today; 10.01.2026 is not")
        XCTAssertEqual(n.byOwner.map { "\($0.owner):\($0.open):\($0.overdue)" }, ["Anna:1:1", "Ben:1:0"])
        let html = HTMLRenderer.render(n.document())
        XCTAssertTrue(html.contains("data-figure=\"followups-overdue\">1<"))
    }

    func testAkteureMatrixIsMarkedInternal() {
        let people = [
            record("stakeholder", ["name": .text("A"), "influence": .text("high"), "stance": .text("critical"), "key_person": .bool(true)]),
            record("stakeholder", ["name": .text("B"), "influence": .text("high"), "stance": .text("critical")]),
            record("stakeholder", ["name": .text("C"), "influence": .text("low"), "last_contact": .text("2025-01-01")]),
        ]
        let a = Akteure(ReportInput(records: people, period: .all, county: county, today: "2025-12-01"))
        XCTAssertEqual(a.matrix, [[0, 0, 2, 0], [0, 0, 0, 0], [0, 0, 0, 1]])
        XCTAssertEqual(a.keyPersons.count, 1)
        XCTAssertEqual(a.critics.count, 2)
        XCTAssertEqual(a.contactOverdue.map { $0.title() }, ["C"])
        let html = HTMLRenderer.render(a.document())
        XCTAssertTrue(html.contains("data-marking=\"intern\""))
        XCTAssertTrue(html.contains("data-row=\"hoch\" data-column=\"Kritiker\" data-value=\"2\""), "German labels in the matrix")
    }

    func testIndikatorenMedianAndRange() {
        func indicator(_ c: County, _ values: [(String, String?)]) -> Record {
            record("indicator", county: c, ["name": .text("Übertrittsquote Gymnasium"), "unit": .text("%"), "source": .text("Bayerisches Landesamt für Statistik"),
                                            "values": .items(values.enumerated().map { i, v in Item(id: "v\(i)", fields: ["period": v.0].merging(v.1.map { ["value": $0] } ?? [:]) { a, _ in a }) })])
        }
        let records = [
            indicator(county, [("2023", "30.5"), ("2024", "32")]),
            indicator(other, [("2023", "40"), ("2024", nil)]),
            indicator(County("stadt-kempten")!, [("2023", "20"), ("2024", "44.25")]),
        ]
        let s = Indikatoren(ReportInput(records: records, period: .all, county: county, today: "2025-12-01")).series
        XCTAssertEqual(s.count, 1)
        XCTAssertEqual(s[0].points.map(\.period), ["2023", "2024"])
        XCTAssertEqual(s[0].points[0].median, 30.5)
        XCTAssertEqual(s[0].points[0].minimum, 20)
        XCTAssertEqual(s[0].points[0].maximum, 40)
        XCTAssertEqual(s[0].points[1].median, (32 + 44.25) / 2, "a missing value is missing, not zero")
        XCTAssertEqual(s[0].points[1].counties, 2)
        let html = HTMLRenderer.render(Indikatoren(ReportInput(records: records, period: .all, county: county, today: "2025-12-01")).document())
        XCTAssertTrue(html.contains("data-period=\"2024\" data-value=\"32\" data-median=\"38,1\""), "German decimals")
        XCTAssertTrue(html.contains("Quelle: Bayerisches Landesamt für Statistik"))
        // One value only: said, not a crash.
        let single = [indicator(county, [("2024/25", "12.5")])]
        let one = HTMLRenderer.render(Indikatoren(ReportInput(records: single, period: .all, county: county, today: "2025-12-01")).document())
        XCTAssertTrue(one.contains("Nur ein Wert"), one)
    }

    func testGermanNumbers() {
        XCTAssertEqual(GermanFormat.integer(1234567), "1.234.567")
        XCTAssertEqual(GermanFormat.integer(-1234), "-1.234")
        XCTAssertEqual(GermanFormat.integer(999), "999")
        XCTAssertEqual(GermanFormat.number(12.5), "12,5")
        XCTAssertEqual(GermanFormat.number(1234.0), "1.234")
        XCTAssertEqual(GermanFormat.number(38.125), "38,1")
        XCTAssertEqual(GermanFormat.number(0.05, decimals: 2), "0,05")
        XCTAssertEqual(GermanFormat.date("2025-03-14T09:30"), "14.03.2025")
    }

    func testDecimalInputTakesGermanNumbersAndMissingMarkers() {
        let table: [(String, DecimalInput.Parsed)] = [
            ("12,5", .value(12.5)), ("1.234", .value(1234)), ("1.234,5", .value(1234.5)), ("1234.5", .value(1234.5)),
            ("12.5", .value(12.5)), ("-3", .value(-3)), ("0.125", .value(0.125)), ("1.234.567", .value(1234567)),
            ("-", .missing), (".", .missing), ("x", .missing), ("…", .missing), ("", .missing),
            ("12,5,5", .invalid), ("zwölf", .invalid), ("1.23,4", .invalid),
        ]
        for (text, expected) in table { XCTAssertEqual(DecimalInput.parse(text), expected, text) }
        XCTAssertEqual(DecimalInput.canonical(1234.5), "1234.5")
        XCTAssertEqual(DecimalInput.canonical(12), "12")
        XCTAssertTrue(DecimalInput.isCanonical("12.5"))
        XCTAssertFalse(DecimalInput.isCanonical("12,5"))
    }
}

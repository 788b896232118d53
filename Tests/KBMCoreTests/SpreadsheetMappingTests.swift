import Foundation
@testable import KBMCore
import KBMRecords
import KBMSpreadsheet
import XCTest

/// The one mapping between cells and field values, as a table.
final class SpreadsheetMappingTests: XCTestCase {
    let stakeholders = SpreadsheetMapping(schema: .current, kind: "stakeholder")
    let events = SpreadsheetMapping(schema: .current, kind: "event")

    func field(_ name: String, _ m: SpreadsheetMapping) throws -> FieldSpec { try XCTUnwrap(Schema.current.field(name, of: m.kind)) }

    func testCellsToValues() throws {
        let cases: [(String, SpreadsheetMapping, SpreadsheetCell, FieldValue?)] = [
            ("stance", stakeholders, .text("Fürsprecherin"), .text("supporter")),
            ("stance", stakeholders, .text(" KRITISCH "), .text("critical")),
            ("stance", stakeholders, .text("critical"), .text("critical")),
            ("type", stakeholders, .text("Behoerde"), .text("office")),
            ("key_person", stakeholders, .text("Ja"), .bool(true)),
            ("key_person", stakeholders, .bool(false), .bool(false)),
            ("key_person", stakeholders, .number(1), .bool(true)),
            ("last_contact", stakeholders, .text("1.2.2026"), .text("2026-02-01")),
            ("last_contact", stakeholders, .date(year: 2026, month: 2, day: 1), .text("2026-02-01")),
            ("participants", events, .text("1.234"), .int(1234)),
            ("participants", events, .number(85), .int(85)),
            ("committees", stakeholders, .text("Kreistag; Bildungsbeirat ;"), .strings(["Bildungsbeirat", "Kreistag"])),
            ("committees", stakeholders, .text("A; B\nC"), .strings(["A; B", "C"])),
            ("goals", events, .text("zweitens\r\nerstens"), .strings(["zweitens", "erstens"])),
            ("name", stakeholders, .text("  Jörg  "), .text("  Jörg  ")),
            ("name", stakeholders, .number(1234), .text("1234")),
            ("notes", stakeholders, .text("a\r\nb"), .text("a\nb")),
            ("stance", stakeholders, .text("   "), nil),
            ("stance", stakeholders, .empty, nil),
        ]
        for (name, mapping, cell, expected) in cases {
            let spec = try field(name, mapping)
            guard case .success(let value) = mapping.value(cell, spec) else { XCTFail("\(name) \(cell): refused"); continue }
            XCTAssertEqual(value, expected, "\(name) \(cell)")
        }
    }

    func testRefusedCells() throws {
        let cases: [(String, SpreadsheetMapping, SpreadsheetCell, String)] = [
            ("stance", stakeholders, .text("Freund"), "expected one of Fürsprecher, neutral, Kritiker, unbekannt"),
            ("last_contact", stakeholders, .text("31.04.2026"), "not a date, April has 30 days"),
            ("last_contact", stakeholders, .text("morgen"), "expected a date like 14.03.2026 or 2026-03-14"),
            ("last_contact", stakeholders, .number(46136), "expected a date like 14.03.2026, got the number 46136 (format the cell as a date, or type the date)"),
            ("participants", events, .text("1,5"), "expected a whole number ≥ 0 (such as 85 or 1.234)"),
            ("participants", events, .number(-3), "expected a whole number ≥ 0"),
            ("participants", events, .text("12.34"), "expected a whole number ≥ 0 (such as 85 or 1.234)"),
            ("key_person", stakeholders, .text("vielleicht"), "expected ja or nein"),
            ("name", stakeholders, .text("zwei\nZeilen"), "expected a single line of text, got several lines"),
            ("partners", events, .text("IHK"), "\"IHK\" is not a record id (ids look like 01JD3Q5V8X2M4N6P8R0T2W4Y6Z)"),
        ]
        for (name, mapping, cell, expected) in cases {
            let spec = try field(name, mapping)
            guard case .failure(let problem) = mapping.value(cell, spec) else { XCTFail("\(name) \(cell): accepted"); continue }
            XCTAssertEqual(problem.expected, expected, "\(name) \(cell)")
        }
    }

    /// What export writes, import reads back as the same value.
    func testExportedCellsReadBackAsTheSameValue() throws {
        let values: [(String, SpreadsheetMapping, FieldValue)] = [
            ("stance", stakeholders, .text("unknown")), ("key_person", stakeholders, .bool(true)), ("key_person", stakeholders, .bool(false)),
            ("last_contact", stakeholders, .text("2026-12-31")), ("committees", stakeholders, .strings(["A; B", "Kreistag"])),
            ("participants", events, .int(1234)), ("goals", events, .strings(["b", "a"])), ("notes", stakeholders, .text("„x“\n👍")),
            ("type", events, .text("online")), ("co_owners", events, .strings(["lk-augsburg", "stadt-kempten"])),
        ]
        for (name, mapping, value) in values {
            let spec = try field(name, mapping)
            let cell = mapping.cell(value, spec)
            guard case .success(let back) = mapping.value(cell, spec) else { XCTFail("\(name): \(cell) refused"); continue }
            XCTAssertEqual(back, value, "\(name) via \(cell)")
            // and through CSV text
            guard case .success(let viaCSV) = mapping.value(.text(SpreadsheetMapping.csvText(cell)), spec) else { XCTFail("\(name): CSV text refused"); continue }
            XCTAssertEqual(viaCSV, value, "\(name) via CSV")
        }
    }

    func testHeaders() {
        let schema = Schema.current
        XCTAssertEqual(SpreadsheetMapping.column(header: " letzter kontakt ", kind: "stakeholder", schema: schema), .field(schema.field("last_contact", of: "stakeholder")!))
        XCTAssertEqual(SpreadsheetMapping.column(header: "Schluesselperson", kind: "stakeholder", schema: schema), .field(schema.field("key_person", of: "stakeholder")!))
        XCTAssertEqual(SpreadsheetMapping.column(header: "id", kind: "event", schema: schema), .id)
        XCTAssertEqual(SpreadsheetMapping.column(header: "Landkreis", kind: "event", schema: schema), .county)
        XCTAssertNil(SpreadsheetMapping.column(header: "Haltnug", kind: "stakeholder", schema: schema))
        XCTAssertEqual(stakeholders.suggestion(for: "Haltnug"), "Haltung")
        XCTAssertEqual(stakeholders.suggestion(for: "Emial"), "E-Mail")
        XCTAssertFalse(SpreadsheetMapping(schema: schema, kind: "stakeholder").exportFields(includeLocal: false).contains { $0.name == "email" })
        XCTAssertTrue(SpreadsheetMapping(schema: schema, kind: "stakeholder").exportFields(includeLocal: false).contains { $0.name == "stance" })
        XCTAssertFalse(SpreadsheetMapping(schema: schema, kind: "event").exportFields(includeLocal: true).contains { $0.name == "follow_ups" })
    }
}

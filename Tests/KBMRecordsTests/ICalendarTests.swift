import Foundation
import XCTest
@testable import KBMRecords

/// The pure iCalendar writer: escaping, folding, all-day and timed entries.
final class ICalendarTests: XCTestCase {
    func testTextEscapesBackslashSemicolonCommaAndLineBreaks() {
        XCTAssertEqual(ICalendar.text("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng")
        XCTAssertEqual(ICalendar.text("Zitat \"so\": Übergang 🎓"), "Zitat \"so\": Übergang 🎓")
        // Control characters a TEXT value may not hold are left out; a tab stays.
        XCTAssertEqual(ICalendar.text("a\u{1B}[31mb\u{7}\tc"), "a[31mb\tc")
    }

    func testFoldingKeepsEveryLineAt75OctetsAndNeverSplitsAUTF8Sequence() {
        let samples = [
            String(repeating: "a", count: 200),
            "SUMMARY:" + String(repeating: "ü", count: 100),
            "DESCRIPTION:" + String(repeating: "🎓", count: 50),
            "SUMMARY:" + String(repeating: "x", count: 66) + "👩‍👩‍👧‍👦" + String(repeating: "ß", count: 40),
            "SUMMARY:e" + String(repeating: "\u{301}", count: 60),
            "SHORT:ok",
        ]
        for line in samples {
            let folded = ICalendar.fold(line)
            for (i, part) in folded.enumerated() {
                XCTAssertLessThanOrEqual(part.utf8.count, 75, line)
                XCTAssertEqual(part.utf8.first == UInt8(ascii: " "), i > 0, line)
                // Each physical line is valid UTF-8 on its own.
                XCTAssertNotNil(String(validating: Array(part.utf8), as: UTF8.self), line)
            }
            // Unfolding (drop CRLF + one space) gives the line back.
            let unfolded = folded.enumerated().flatMap { $0.offset == 0 ? Array($0.element.utf8) : Array($0.element.utf8.dropFirst()) }
            XCTAssertEqual(unfolded, Array(line.utf8), line)
        }
        XCTAssertEqual(ICalendar.fold("SHORT:ok"), ["SHORT:ok"])
        XCTAssertEqual(ICalendar.fold(String(repeating: "a", count: 75)).count, 1)
        XCTAssertEqual(ICalendar.fold(String(repeating: "a", count: 76)), [String(repeating: "a", count: 75), " a"])
    }

    func record(_ fields: [String: FieldValue]) throws -> Record {
        var r = Record(id: try XCTUnwrap(RecordID("01JD3Q5V8X2M4N6P8R0T2W4Y6Z")), kind: "event", county: try XCTUnwrap(County("lk-augsburg")),
                       created: try XCTUnwrap(Timestamp("2026-03-01T08:00:00Z")), updated: try XCTUnwrap(Timestamp("2026-03-14T09:30:00Z")))
        r.fields = fields
        return r
    }

    func testAllDayAndTimedEntries() throws {
        let allDay = try record(["title": .text("Messe"), "start": .text("2026-12-31"), "end": .text("2026-12-31")])
        let text = ICalendar.write(events: [allDay], name: "kbm")
        XCTAssertTrue(text.contains("\r\nDTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"), text)
        XCTAssertTrue(text.contains("\r\nUID:01JD3Q5V8X2M4N6P8R0T2W4Y6Z@kbm\r\nDTSTAMP:20260314T093000Z\r\n"), text)
        let timed = try record(["title": .text("Fachtag"), "start": .text("2026-04-24T09:30"), "end": .text("2026-04-24T16:15")])
        let t = ICalendar.write(events: [timed], name: "kbm")
        XCTAssertTrue(t.contains("\r\nDTSTART;TZID=Europe/Berlin:20260424T093000\r\nDTEND;TZID=Europe/Berlin:20260424T161500\r\n"), t)
        XCTAssertTrue(t.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"), t)
        XCTAssertTrue(t.hasSuffix("END:VCALENDAR\r\n"))
        XCTAssertFalse(t.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        // An event without a valid start is no entry.
        XCTAssertFalse(ICalendar.isSchedulable(try record(["title": .text("offen")])))
        XCTAssertFalse(ICalendar.write(events: [try record(["title": .text("offen")])], name: "kbm").contains("BEGIN:VEVENT"))
    }
}

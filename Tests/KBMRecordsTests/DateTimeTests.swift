import Foundation
import XCTest
@testable import KBMRecords

/// An event's start and end: a date, or a date and a time of day (`2026-04-24T09:30`).
final class DateTimeTests: XCTestCase {
    func parsed(_ text: String) -> String? { try? DateInput.parseDateTime(text).get() }
    func why(_ text: String) -> String? {
        if case .failure(let e) = DateInput.parseDateTime(text) { return e.message }
        return nil
    }

    func testEveryWayOfWritingATimeGivesTheCanonicalForm() {
        for typed in ["2026-04-24 09:30", "24.04.2026 09:30", "2026-04-24T09:30", "24.4.2026 9:30", "24.04.2026 09:30 Uhr",
                      " 2026-04-24  09:30 ", "24.04.2026 9:30Uhr"] {
            XCTAssertEqual(parsed(typed), "2026-04-24T09:30", typed)
        }
        XCTAssertEqual(parsed("2026-04-24 00:00"), "2026-04-24T00:00")
        XCTAssertEqual(parsed("31.12.2026 23:59"), "2026-12-31T23:59")
    }

    func testAPlainDateStaysAPlainDate() {
        XCTAssertEqual(parsed("2026-04-24"), "2026-04-24")
        XCTAssertEqual(parsed("24.04.2026"), "2026-04-24")
    }

    func testWrongTimesSayWhatIsWrong() {
        XCTAssertEqual(why("2026-04-24 25:00"), "2026-04-24 25:00: there is no hour 25 (a day has the hours 00 to 23)")
        XCTAssertEqual(why("24.04.2026 09:75"), "24.04.2026 09:75: there is no minute 75 (an hour has the minutes 00 to 59)")
        XCTAssertEqual(why("31.04.2026 09:30"), "31.04.2026 09:30: April has 30 days")
        XCTAssertEqual(why("2026-04-24 9.30"), "2026-04-24 9.30: \"9.30\" is not a time of day (write times as 09:30)")
        XCTAssertEqual(why("2026-04-24 09:30:00"), "2026-04-24 09:30:00: \"09:30:00\" is not a time of day (write times as 09:30)")
        for bad in ["morgen 09:30", "", "2026-04-24T", "09:30"] {
            XCTAssertNil(parsed(bad), bad)
            XCTAssertNotNil(why(bad), bad)
        }
        XCTAssertTrue(why("morgen")?.contains("expected a date like 2026-03-14 or a date and time like 2026-03-14 09:30") ?? false)
    }

    func testStoredValuesAreCheckedStrictly() {
        for good in ["2026-04-24", "2026-04-24T09:30", "2028-02-29T00:00", "2026-12-31T23:59"] {
            XCTAssertTrue(DateTimeValue.isValid(good), good)
        }
        for bad in ["2026-04-24 09:30", "2026-04-24T9:30", "2026-04-24T24:00", "2026-04-24T09:60", "2026-04-31T09:30",
                    "2026-04-24T09:30Z", "2026-04-24T09:30:00", "24.04.2026", "2026-04-24T09:3x"] {
            XCTAssertFalse(DateTimeValue.isValid(bad), bad)
        }
        XCTAssertTrue(DateTimeValue.hasTime("2026-04-24T09:30"))
        XCTAssertFalse(DateTimeValue.hasTime("2026-04-24"))
        XCTAssertEqual(DateTimeValue.dayNumber("2026-04-24T09:30"), DateValue.dayNumber("2026-04-24"))
    }

    func testEndBeforeStartCountsTimesOnlyWhenBothHaveOne() {
        func before(_ start: String, _ end: String) -> Bool? { DateTimeValue.endsBeforeStart(start: start, end: end) }
        XCTAssertEqual(before("2026-04-24T09:30", "2026-04-24T09:00"), true)
        XCTAssertEqual(before("2026-04-24T09:30", "2026-04-24T09:30"), false)
        XCTAssertEqual(before("2026-04-24T09:30", "2026-04-24T17:00"), false)
        XCTAssertEqual(before("2026-04-24T23:00", "2026-04-25T01:00"), false)
        XCTAssertEqual(before("2026-04-25T01:00", "2026-04-24T23:00"), true)
        // A plain date lasts the whole day.
        XCTAssertEqual(before("2026-04-24T09:30", "2026-04-24"), false)
        XCTAssertEqual(before("2026-04-24", "2026-04-24T08:00"), false)
        XCTAssertEqual(before("2026-04-25", "2026-04-24T23:00"), true)
        XCTAssertEqual(before("2026-04-25", "2026-04-24"), true)
        XCTAssertNil(before("2026-04-25", "gestern"))
    }

    func testTimedRecordsRoundTripThroughTheCanonicalWriter() throws {
        let text = Fixtures.file(kind: "event", ["title: Fachtag Übergang „Schule–Beruf“ 🎓", "start: \"2026-04-24T09:30\"", "end: \"2026-04-24T16:15\""])
        let record = try RecordParser.parse(text)
        XCTAssertEqual(record["start"], .text("2026-04-24T09:30"))
        XCTAssertEqual(record["end"], .text("2026-04-24T16:15"))
        XCTAssertEqual(RecordWriter.write(record), text)
        // A value typed by a coordinator lands in the same form.
        let spec = try XCTUnwrap(Schema.current.field("start", of: "event"))
        XCTAssertEqual(try FieldRules.scalarValue("24.04.2026 09:30", spec: spec), .text("2026-04-24T09:30"))
        XCTAssertThrowsError(try FieldRules.scalarValue("24.04.2026 24:30", spec: spec)) { error in
            XCTAssertTrue("\(error)".contains("start"), "\(error)")
            XCTAssertTrue("\(error)".contains("there is no hour 24"), "\(error)")
        }
        // A product's `published` stays a plain date.
        let published = try XCTUnwrap(Schema.current.field("published", of: "product"))
        XCTAssertThrowsError(try FieldRules.scalarValue("24.04.2026 09:30", spec: published))
    }
}

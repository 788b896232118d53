import Foundation
import KBMTestSupport
import XCTest
@testable import KBMRecords

final class IdentifierTests: XCTestCase {
    func testRecordIDPattern() throws {
        let regex = try NSRegularExpression(pattern: RecordID.pattern)
        func matchesPattern(_ text: String) -> Bool {
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        let valid = ["01JD3Q5V8X2M4N6P8R0T2W4Y6Z", "00000000000000000000000000", "7ZZZZZZZZZZZZZZZZZZZZZZZZZ", "0123456789ABCDEFGHJKMNPQRS"]
        let invalid = ["", "01JD3Q5V8X2M4N6P8R0T2W4Y6", "01JD3Q5V8X2M4N6P8R0T2W4Y6ZZ", "81JD3Q5V8X2M4N6P8R0T2W4Y6Z",
                       "01jd3q5v8x2m4n6p8r0t2w4y6z", "01JD3Q5V8X2M4N6P8R0T2W4Y6I", "01JD3Q5V8X2M4N6P8R0T2W4Y6L",
                       "01JD3Q5V8X2M4N6P8R0T2W4Y6O", "01JD3Q5V8X2M4N6P8R0T2W4Y6U", " 1JD3Q5V8X2M4N6P8R0T2W4Y6Z",
                       "01JD3Q5V8X2M4N6P8R0T2W4Y6Ä", "01JD3Q5V8X2M4N6P8R0T2W4Y-Z"]
        for text in valid {
            XCTAssertNotNil(RecordID(text), text)
            XCTAssertTrue(matchesPattern(text), text)
        }
        for text in invalid {
            XCTAssertNil(RecordID(text), text)
            XCTAssertFalse(matchesPattern(text), text)
        }
        // isValid agrees with the published pattern on every single-character change of a valid id.
        let base = Array("01JD3Q5V8X2M4N6P8R0T2W4Y6Z")
        for position in base.indices {
            for scalar in (32...126).compactMap(Unicode.Scalar.init) {
                var chars = base
                chars[position] = Character(scalar)
                let text = String(chars)
                XCTAssertEqual(RecordID.isValid(text), matchesPattern(text), text)
            }
        }
        XCTAssertEqual(RecordID("01JD3Q5V8X2M4N6P8R0T2W4Y6Z")?.shard, "z")
        XCTAssertEqual(RecordID("01JD3Q5V8X2M4N6P8R0T2W4Y61")?.shard, "1")
    }

    func testGeneratorMakesSortedUniqueIDsInOneMillisecond() {
        var generator = RecordIDGenerator()
        let now = Date(timeIntervalSince1970: 1_795_000_000.123)
        var ids: [RecordID] = []
        for _ in 0..<10_000 { ids.append(generator.next(now: now)) }
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertEqual(ids, ids.sorted())
        XCTAssertTrue(ids.allSatisfy { RecordID.isValid($0.rawValue) })
        // All carry the same time prefix (the first 10 characters).
        XCTAssertEqual(Set(ids.map { $0.rawValue.prefix(10) }).count, 1)
        // A clock that goes back does not break the order.
        let earlier = generator.next(now: Date(timeIntervalSince1970: 1_700_000_000))
        XCTAssertGreaterThan(earlier, ids.last!)
        let later = generator.next(now: Date(timeIntervalSince1970: 1_795_000_001))
        XCTAssertGreaterThan(later, earlier)
    }

    func testGeneratorAcrossRealTime() {
        var generator = RecordIDGenerator()
        var ids: [RecordID] = []
        for _ in 0..<10_000 { ids.append(generator.next()) }
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertEqual(ids, ids.sorted())
    }

    func testEncodingOfTimeAndRandomness() {
        XCTAssertEqual(RecordIDGenerator.encode(millis: 0, high: 0, low: 0).rawValue, "00000000000000000000000000")
        XCTAssertEqual(RecordIDGenerator.encode(millis: 0xFFFF_FFFF_FFFF, high: .max, low: .max).rawValue, "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")
        XCTAssertEqual(RecordIDGenerator.encode(millis: 1, high: 0, low: 1).rawValue, "00000000010000000000000001")
        XCTAssertEqual(RecordIDGenerator.encode(millis: 32, high: 1, low: 0).rawValue, "0000000010000G000000000000")
        // Time sorts before randomness.
        XCTAssertLessThan(RecordIDGenerator.encode(millis: 5, high: .max, low: .max), RecordIDGenerator.encode(millis: 6, high: 0, low: 0))
        XCTAssertLessThan(RecordIDGenerator.encode(millis: 5, high: 0, low: .max), RecordIDGenerator.encode(millis: 5, high: 1, low: 0))
    }

    func testCountySlugs() {
        for good in ["lk-augsburg", "transferagentur", "a", "stadt-augsburg-2", "x1"] { XCTAssertNotNil(County(good), good) }
        for bad in ["", "LK-Augsburg", "lk_augsburg", "lk--augsburg", "-lk", "lk-", "lk augsburg", "lk-äugsburg", String(repeating: "a", count: 65)] {
            XCTAssertNil(County(bad), bad)
        }
        XCTAssertEqual(County.agency.rawValue, "transferagentur")
    }

    func testTimestampFormatting() {
        XCTAssertEqual(Timestamp(Date(timeIntervalSince1970: 0)).rawValue, "1970-01-01T00:00:00Z")
        XCTAssertEqual(Timestamp(Date(timeIntervalSince1970: 951_782_400)).rawValue, "2000-02-29T00:00:00Z")     // a leap day
        XCTAssertEqual(Timestamp(Date(timeIntervalSince1970: 1_709_251_199)).rawValue, "2024-02-29T23:59:59Z")
        XCTAssertEqual(Timestamp(Date(timeIntervalSince1970: 1_709_251_200)).rawValue, "2024-03-01T00:00:00Z")
        XCTAssertEqual(Timestamp(Date(timeIntervalSince1970: 1_795_754_206)).rawValue, "2026-11-27T04:36:46Z")
        XCTAssertEqual(Timestamp(Date(timeIntervalSince1970: 1_795_754_206.999)).rawValue, "2026-11-27T04:36:46Z")
        XCTAssertEqual(Timestamp(Date(timeIntervalSince1970: 4_102_444_799)).rawValue, "2099-12-31T23:59:59Z")
        XCTAssertEqual(Timestamp(Date(timeIntervalSince1970: -1)).rawValue, "1969-12-31T23:59:59Z")
        XCTAssertEqual(Timestamp(Date(timeIntervalSince1970: -0.5)).rawValue, "1969-12-31T23:59:59Z")
        // Agrees with Foundation's ISO 8601 formatter on many instants.
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var random = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: TimeInterval(Int.random(in: 0...4_102_444_799, using: &random)))
            XCTAssertEqual(Timestamp(date).rawValue, formatter.string(from: date))
        }
        XCTAssertLessThan(Timestamp("2026-01-01T00:00:00Z")!, Timestamp("2026-01-01T00:00:01Z")!)
        for bad in ["2026-01-01 00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z",
                    "2026-02-29T00:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00+01:00", "2026-1-01T00:00:00Z", "2026-01-01t00:00:00z"] {
            XCTAssertNil(Timestamp(bad), bad)
        }
    }

    func testDateValues() {
        XCTAssertFalse(DateValue.isValid("2026-02-29"))
        XCTAssertTrue(DateValue.isValid("2024-02-29"))
        XCTAssertTrue(DateValue.isValid("2000-02-29"))
        XCTAssertFalse(DateValue.isValid("1900-02-29"))
        for good in ["2026-01-01", "2026-12-31", "2026-04-30", "0001-01-01"] { XCTAssertTrue(DateValue.isValid(good), good) }
        for bad in ["2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-1", "26-01-01", "2026/01/01", "14.3.",
                    "2026-01-01T00:00:00Z", "", "２０２６-01-01", "2026-01-+1", "2026--1-01"] {
            XCTAssertFalse(DateValue.isValid(bad), bad)
        }
        XCTAssertEqual(DateValue.dayNumber("1970-01-01"), 0)
        XCTAssertEqual(DateValue.dayNumber("2024-03-01"), 19783)
        XCTAssertEqual(DateValue.dayNumber("1969-12-31"), -1)
        XCTAssertNil(DateValue.dayNumber("2026-02-29"))
    }
}

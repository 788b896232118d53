import Foundation
import XCTest
import KBMFuzz
import KBMRecords

/// Inputs worth keeping from the fuzz runs and the hostile-repository suite: each must satisfy the
/// parser property (a clear RecordParseError, or a canonical round trip) without crashing.
/// No fuzz run so far found a crash or a property failure; a failing input found later goes here
/// (`kbm-fuzz parser --replay fuzz-out/failure-…` reproduces it).
final class FuzzRegressionTests: XCTestCase {
    static let header = "---\nid: 01JD3Q5V8X2M4N6P8R0T2W4Y6Z\nkind: event\ncounty: lk-augsburg\nformat: 1\ncreated: 2026-01-10T08:00:00Z\nupdated: 2026-01-10T08:00:00Z\ntitle: T\n"

    static let cases: [(String, [UInt8])] = [
        ("empty", []),
        ("only the opening line", Array("---\n".utf8)),
        ("NUL in a value", Array((header + "location: a\u{0}b\n---\n").utf8)),
        ("lone CR in the body", Array((header + "---\n\na\rb\n").utf8)),
        ("invalid UTF-8", Array(header.utf8) + [0xFF, 0xFE, 0x0A] + Array("---\n".utf8)),
        ("10,000 flow levels", Array((header + "goals: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n---\n").utf8)),
        ("10,000 block levels on one line", Array((header + "goals:\n" + String(repeating: "- ", count: 10_000) + "x\n---\n").utf8)),
        ("billion laughs", Array((header + "x_a: &a [lol, lol]\nx_b: [*a, *a, *a]\n---\n").utf8)),
        ("a 900 KiB value", Array((header + "location: " + String(repeating: "x", count: 900 * 1024) + "\n---\n").utf8)),
        ("just over 1 MiB", Array((header + "---\n\n" + String(repeating: "y", count: 1 << 20)).utf8)),
        ("BOM and CRLF", Array(("\u{FEFF}" + header + "---\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)),
        ("unclosed quote", Array((header + "location: \"abc\n---\n").utf8)),
        ("duplicate key", Array((header + "title: U\n---\n").utf8)),
        ("tab indentation", Array((header + "goals:\n\t- a\n---\n").utf8)),
        ("YAML directive", Array(("%YAML 1.2\n" + header + "---\n").utf8)),
        ("document end marker", Array((header + "...\n---\n").utf8)),
        ("a closing line with trailing spaces", Array((header + "--- \n").utf8)),
    ]

    func testKeptInputsSatisfyTheParserProperty() {
        for (name, input) in Self.cases {
            XCTAssertNil(ParserFuzz.check(input), name)
        }
    }

    func testDeepAndHugeInputsAreRefusedWithAReason() {
        for (name, input) in Self.cases where name.contains("10,000") || name.contains("billion") || name.contains("over 1 MiB") {
            XCTAssertThrowsError(try RecordParser.parse(data: input), name) { error in
                XCTAssertTrue(error is RecordParseError, "\(name): \(error)")
            }
        }
    }

    /// A few thousand merge inputs from fixed byte patterns (all zeros, all ones, counting).
    func testMergePropertyOnFixedPatterns() {
        for length in [0, 1, 7, 64, 255] {
            for fill: UInt8 in [0x00, 0xFF, 0x55] {
                XCTAssertNil(MergeFuzz.check(Array(repeating: fill, count: length)), "fill \(fill) × \(length)")
            }
            XCTAssertNil(MergeFuzz.check((0..<length).map { UInt8(truncatingIfNeeded: $0) }), "counting × \(length)")
        }
    }
}

import Foundation
import XCTest
@testable import KBMRecords
import Yams

/// What the parser refuses, and that each refusal names file, line and field. In `Fixtures.file`
/// lines 1–7 are the `---` line and the header, so the first given line is line 8.
final class ParserStrictnessTests: XCTestCase {
    func testErrorMessageNamesFileLineFieldExpectationAndFoundValue() {
        let text = Fixtures.file(["title: Fachtag", "start: 14.3."])
        XCTAssertThrowsError(try RecordParser.parse(text, path: "counties/lk-augsburg/event/z/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md")) { error in
            XCTAssertEqual("\(error)", "counties/lk-augsburg/event/z/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md:9: field 'start': expected a date like 2026-03-14 or a date and time like 2026-03-14T09:30, got \"14.3.\"")
        }
        XCTAssertThrowsError(try RecordParser.parse(text)) { error in
            XCTAssertEqual("\(error)", "line 9: field 'start': expected a date like 2026-03-14 or a date and time like 2026-03-14T09:30, got \"14.3.\"")
        }
    }

    func testControlCharactersAreRefusedOnTheirOwnLine() {
        // libyaml's reader refuses them; the line was counted from the front matter (one short).
        for (lines, line, hex) in [(["title: Fachtag \u{1B}[31m"], 8, "001B"), (["title: Fachtag", "location: \"Aula\u{7}\""], 9, "0007"),
                                   (["title: Fachtag", "goals:", "  - a", "  - b\u{1}c"], 11, "0001")] {
            XCTAssertThrowsError(try RecordParser.parse(Fixtures.file(lines), path: "x.md")) { error in
                XCTAssertEqual("\(error)", "x.md:\(line): invalid YAML: control characters are not allowed (U+\(hex))")
            }
        }
        // CRLF files and a byte order mark count the same lines.
        let crlf = "\u{FEFF}" + Fixtures.file(["title: Fachtag", "location: Aula \u{1B}"]).replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertThrowsError(try RecordParser.parse(crlf, path: "x.md")) { error in
            XCTAssertEqual("\(error)", "x.md:9: invalid YAML: control characters are not allowed (U+001B)")
        }
    }

    func testAnchorsAliasesAndTagsAreRefusedWithLineAndField() {
        assertParseError(Fixtures.file(["title: &a Fachtag"]), line: 8, field: "title", contains: "anchors")
        assertParseError(Fixtures.file(["title: Fachtag", "location: x", "goals: [a, *b]"]), line: 10, field: "goals", contains: "aliases")
        assertParseError(Fixtures.file(["title: Fachtag", "goals:", "  - &x a", "  - *x"]), line: 10, field: "goals", contains: "anchors")
        assertParseError(Fixtures.file(["title: Fachtag", "tags:", "  - a", "  - *x"]), line: 11, field: "tags", contains: "aliases")
        assertParseError(Fixtures.file(["title: !!str Fachtag"]), line: 8, field: "title", contains: "tags")
        assertParseError(Fixtures.file(["title: Fachtag", "participants: !!int 5"]), line: 9, field: "participants", contains: "tags")
        assertParseError(Fixtures.file(["title: Fachtag", "location: ! x"]), line: 9, field: "location", contains: "tags")
        assertParseError(Fixtures.file(["title: Fachtag", "follow_ups:", "  - id: a", "    text: !custom x"]), line: 11, field: "follow_ups", contains: "tags")
        assertParseError(Fixtures.file(["title: Fachtag", "x_future: {a: &y 1}"]), line: 9, field: "x_future", contains: "anchors")
        // On a key, before the field name is read: the line is still named.
        assertParseError(Fixtures.file(["title: Fachtag", "&k location: x"]), line: 9, field: nil, contains: "anchors")
        // The same characters inside text are only text.
        XCTAssertNoThrow(try RecordParser.parse(Fixtures.file([
            "title: \"&a *b !c [[[[[[[[[[[[[[[[[[[[[[[[\"", "location: Rock & Roll *live* !", "goals:", "  - 'x: *y'",
        ])))
    }

    func testNodeCheckRefusesExplicitTags() throws {
        // The node check behind the quick text scan refuses tags that differ from what YAML would resolve.
        let reader = NodeReader(path: "p", schema: .current)
        let tagged = try XCTUnwrap(try Yams.compose(yaml: "a: !!str 5\n"))
        XCTAssertThrowsError(try reader.checkPlain(tagged, field: "a")) { error in
            XCTAssertEqual((error as? RecordParseError)?.line, 2)
        }
        XCTAssertNoThrow(try reader.checkPlain(try XCTUnwrap(try Yams.compose(yaml: "1: 1\n\"2\": [x]\nc: {d: no}\n")), field: nil))
        XCTAssertThrowsError(try reader.checkPlain(try XCTUnwrap(try Yams.compose(yaml: "a: !x [1]\n")), field: "a"))
        // Yams holds anchors weakly, so they are gone from the nodes once it returns: that is why the
        // text scan, not the node check, is what refuses anchors and aliases.
        assertParseError(Fixtures.file(["title: T", "x_future:", "  - &x [1]", "  - *x"]), line: 10, field: "x_future", contains: "anchors")
    }

    func testDuplicateKeysAreRefusedAtTheRepeat() {
        assertParseError(Fixtures.file(["title: A", "location: x", "title: B"]), line: 10, field: "title", contains: "more than once (first on line 8)")
        assertParseError(Fixtures.file(["county: lk-b", "title: A"]), line: 8, field: "county", contains: "first on line 4")
        assertParseError(Fixtures.file(["title: A", "follow_ups:", "  - id: a", "    text: x", "    text: y"]), line: 12, field: "text", contains: "more than once")
        assertParseError(Fixtures.file(["title: A", "'location': x", "\"location\": y"]), line: 10, field: "location", contains: "more than once")
        // Typed differently by YAML (an int and a string), the same name for kbm.
        assertParseError(Fixtures.file(["title: A", "1: x", "\"1\": y"]), line: 10, field: "1", contains: "more than once (first on line 9)")
        assertParseError(Fixtures.file(["title: A", "follow_ups:", "  - id: a", "    text: x", "    no: 1", "    'no': 2"]), line: 13, field: "no", contains: "more than once")
    }

    func testHeaderProblems() {
        let lines = Fixtures.file(["title: T"]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func without(_ prefix: String) -> String { lines.filter { !$0.hasPrefix(prefix) }.joined(separator: "\n") }
        func replacing(_ prefix: String, _ line: String) -> String { lines.map { $0.hasPrefix(prefix) ? line : $0 }.joined(separator: "\n") }
        assertParseError(without("created:"), line: 2, field: "created", contains: "missing")
        assertParseError(without("id:"), line: 2, field: "id", contains: "missing")
        assertParseError(without("kind:"), line: 2, field: "kind", contains: "no kind")
        assertParseError(replacing("kind:", "kind: meeting"), line: 3, field: "kind", contains: "unknown kind \"meeting\"; expected one of stakeholder, event, product, tip")
        assertParseError(replacing("id:", "id: 01jd3q5v8x2m4n6p8r0t2w4y6z"), line: 2, field: "id", contains: "got \"01jd3q5v8x2m4n6p8r0t2w4y6z\"")
        assertParseError(replacing("id:", "id: 81JD3Q5V8X2M4N6P8R0T2W4Y6Z"), line: 2, field: "id", contains: "ULID")
        assertParseError(replacing("id:", "id: 01JD3Q5V8X2M4N6P8R0T2W4Y6"), line: 2, field: "id", contains: "ULID")
        assertParseError(replacing("id:", "id: 01JD3Q5V8X2M4N6P8R0T2W4Y6U"), line: 2, field: "id", contains: "ULID")
        assertParseError(replacing("county:", "county: LK Augsburg"), line: 4, field: "county", contains: "got \"LK Augsburg\"")
        assertParseError(replacing("county:", "county: lk--augsburg"), line: 4, field: "county")
        assertParseError(replacing("county:", "county: [lk-a]"), line: 4, field: "county", contains: "single value")
        assertParseError(replacing("format:", "format: 0"), line: 5, field: "format")
        assertParseError(replacing("format:", "format: eins"), line: 5, field: "format")
        assertParseError(replacing("created:", "created: 2026-03-01 08:00"), line: 6, field: "created", contains: "UTC time")
        assertParseError(replacing("updated:", "updated: 2026-02-30T08:00:00Z"), line: 7, field: "updated")
    }

    func testFieldValueProblems() {
        assertParseError(Fixtures.file(["location: x"]), line: 2, field: "title", contains: "required for a event")
        assertParseError(Fixtures.file(["title:"]), line: 2, field: "title", contains: "missing")
        assertParseError(Fixtures.file(["title: T", "type: conference"]), line: 9, field: "type", contains: "expected one of fachtag, bildungskonferenz")
        assertParseError(Fixtures.file(["title: T", "participants: viele"]), line: 9, field: "participants", contains: "expected a whole number ≥ 0, got \"viele\"")
        assertParseError(Fixtures.file(["title: T", "participants: 1.5"]), line: 9, field: "participants")
        assertParseError(Fixtures.file(["title: T", "participants: 1e3"]), line: 9, field: "participants")
        assertParseError(Fixtures.file(["title: T", "participants: -1"]), line: 9, field: "participants", contains: "≥ 0")
        assertParseError(Fixtures.file(["title: T", "participants: 99999999999999999999999"]), line: 9, field: "participants")
        assertParseError(Fixtures.file(["title: T", "participants: [1]"]), line: 9, field: "participants", contains: "single value, got a list")
        assertParseError(Fixtures.file(["title: T", "start: 2026-02-29"]), line: 9, field: "start")
        assertParseError(Fixtures.file(["title: \"zwei\\nZeilen\""]), line: 8, field: "title", contains: "several lines")
        assertParseError(Fixtures.file(["title: T", "tags: bildung"]), line: 9, field: "tags", contains: "expected a set of text values")
        assertParseError(Fixtures.file(["title: T", "tags:", "  - a", "  - [b]"]), line: 11, field: "tags", contains: "single value")
        assertParseError(Fixtures.file(["title: T", "partners:", "  - 01JD3Q5V8X2M4N6P8R0T2W4Y70", "  - Stadtwerke"]), line: 11, field: "partners", contains: "record id")
        assertParseError(Fixtures.file(["title: T", "co_owners:", "  - lk-a", "  - LK B"]), line: 11, field: "co_owners", contains: "county slug")
        assertParseError(Fixtures.file(["title: T", "outcomes: x"]), line: 9, field: "outcomes", contains: "body")
        assertParseError(Fixtures.file(kind: "stakeholder", ["name: N", "key_person: yes"]), line: 9, field: "key_person", contains: "true or false")
        assertParseError(Fixtures.file(kind: "stakeholder", ["name: N", "type: Person"]), line: 9, field: "type")
        assertParseError(Fixtures.file(kind: "tip", ["title: T", "theme: other"]), line: 9, field: "theme")
    }

    func testItemProblems() {
        assertParseError(Fixtures.file(["title: T", "follow_ups:", "  - id: a", "    text: x", "  - text: y"]), line: 12, field: "follow_ups", contains: "needs an `id:`")
        assertParseError(Fixtures.file(["title: T", "follow_ups:", "  - id: \"\"", "    text: x"]), line: 10, field: "follow_ups", contains: "needs an `id:`")
        assertParseError(Fixtures.file(["title: T", "follow_ups:", "  - id: a", "    text: x", "  - id: b", "    text: y", "  - id: a", "    text: z"]),
                         line: 14, field: "follow_ups", contains: "item id \"a\" appears twice")
        assertParseError(Fixtures.file(["title: T", "follow_ups:", "  - id: a", "    owner: x"]), line: 10, field: "follow_ups.text", contains: "required")
        assertParseError(Fixtures.file(["title: T", "follow_ups:", "  - id: a", "    text: x", "    due: morgen"]), line: 12, field: "follow_ups.due", contains: "got \"morgen\"")
        assertParseError(Fixtures.file(["title: T", "follow_ups:", "  - id: a", "    text: x", "    status: offen"]), line: 12, field: "follow_ups.status", contains: "expected one of open, done, dropped")
        assertParseError(Fixtures.file(["title: T", "follow_ups:", "  - just text"]), line: 10, field: "follow_ups", contains: "expected an item")
        assertParseError(Fixtures.file(["title: T", "follow_ups: x"]), line: 9, field: "follow_ups", contains: "a list of items")
    }

    func testConflictProblems() {
        assertParseError(Fixtures.file(["title: T", "conflicts: x"]), line: 9, field: "conflicts", contains: "list of conflicts")
        assertParseError(Fixtures.file(["title: T", "conflicts:", "  - kind: field"]), line: 10, field: "conflicts", contains: "`field:`")
        assertParseError(Fixtures.file(["title: T", "conflicts:", "  - field: title", "    ours:", "      county: a"]), line: 10, field: "conflicts", contains: "`theirs:`")
        assertParseError(Fixtures.file(["title: T", "conflicts:", "  - field: participants", "    ours:", "      value: viele", "    theirs:", "      county: b"]),
                         line: 12, field: "participants", contains: "whole number")
    }

    func testFileLevelProblems() {
        assertParseError("title: x\n", line: 1, field: nil, contains: "start with a '---' line")
        assertParseError("", line: 1, field: nil, contains: "start with a '---' line")
        assertParseError("---\nid: x\n", line: nil, field: nil, contains: "not closed")
        assertParseError("---\n- a\n- b\n---\n", line: 2, field: nil, contains: "field: value")
        assertParseError("---\n---\n", line: 2, field: nil, contains: "field: value")
        assertParseError(Fixtures.file(["title: \"nicht zu"]), line: 9, field: nil, contains: "invalid YAML")
        assertParseError(Fixtures.file(["title: T", "  location: x"]), line: 9, field: nil, contains: "invalid YAML")
        assertParseError(Fixtures.file(["title: T", "\tlocation: x"]), line: 9, field: nil, contains: "invalid YAML")
    }

    func testInvalidUTF8IsRefusedWithItsLine() {
        var bytes = Array(Fixtures.file(["title: T", "location: Stra"]).utf8)
        let index = bytes.firstIndex(of: UInt8(ascii: "S"))!
        bytes.insert(contentsOf: [0xC3, 0x28], at: index + 4)   // a broken two-byte sequence
        XCTAssertThrowsError(try RecordParser.parse(data: bytes, path: "f.md")) { error in
            let error = error as? RecordParseError
            XCTAssertEqual(error?.line, 9)
            XCTAssertEqual(error?.path, "f.md")
            XCTAssertTrue(error?.message.contains("UTF-8") ?? false)
        }
        for broken: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let data = Array("---\n".utf8) + broken + Array("\n---\n".utf8)
            XCTAssertThrowsError(try RecordParser.parse(data: data)) { error in
                XCTAssertEqual((error as? RecordParseError)?.line, 2)
            }
        }
    }

    func testFilesOverOneMebibyteAreRefused() {
        let big = Fixtures.file(["title: T"], body: String(repeating: "x", count: RecordParser.maxFileSize))
        XCTAssertThrowsError(try RecordParser.parse(data: Array(big.utf8))) { error in
            XCTAssertTrue("\(error)".contains("larger than 1024 KiB"), "\(error)")
        }
        XCTAssertThrowsError(try RecordParser.parse(big)) { error in
            XCTAssertTrue("\(error)".contains("larger"), "\(error)")
        }
        // Just under the limit is fine.
        let header = Fixtures.file(["title: T"], body: "")
        let fits = Fixtures.file(["title: T"], body: String(repeating: "x", count: RecordParser.maxFileSize - header.utf8.count))
        XCTAssertEqual(fits.utf8.count, RecordParser.maxFileSize)
        XCTAssertNoThrow(try RecordParser.parse(data: Array(fits.utf8)))
    }

    private func assertRefusedQuickly(_ text: String, line: Int?, field: String?, _ message: String, sourceLine: UInt = #line) {
        let start = Date()
        assertParseError(text, line: line, field: field, contains: message, sourceLine: sourceLine)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "took too long", line: sourceLine)
    }

    func testHugeNestingIsRefusedQuicklyWithoutCrashing() {
        let deep = 10_000
        assertRefusedQuickly(Fixtures.file(["title: T", "goals: " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep)]),
                             line: 9, field: "goals", "nested too deeply")
        assertRefusedQuickly(Fixtures.file(["title: T", "x_future: " + String(repeating: "{a: ", count: deep) + "1" + String(repeating: "}", count: deep)]),
                             line: 9, field: "x_future", "nested too deeply")
        // 10,000 indented lines would exceed the file size limit; 1,000 stay under it.
        assertRefusedQuickly(Fixtures.file(["title: T", "x_future:"] + (1...1_000).map { String(repeating: " ", count: $0) + "k\($0):" }),
                             line: 9 + RecordParser.maxIndent + 1, field: "x_future", "nested too deeply")
        assertRefusedQuickly(Fixtures.file(["title: T", "goals:", "  " + String(repeating: "- ", count: deep) + "x"]),
                             line: 10, field: "goals", "nested too deeply")
        assertRefusedQuickly(Fixtures.file(["title: T", "goals:"] + (0..<1_000).map { String(repeating: "  ", count: $0) + "- " }),
                             line: 10 + RecordParser.maxIndent / 2 + 1, field: "goals", "nested too deeply")
        // Unclosed brackets, with no closing `---` at all.
        assertRefusedQuickly("---\nx: " + String(repeating: "[", count: 100_000), line: nil, field: nil, "not closed")
        assertRefusedQuickly("---\nx: " + String(repeating: "[", count: 100_000) + "\n---\n", line: 2, field: "x", "nested too deeply")
        // Deep but allowed: kbm's own deepest structure and a few flow levels.
        XCTAssertNoThrow(try RecordParser.parse(Fixtures.file(["title: T", "x_future: [[[[[[[[1]]]]]]]]"])))
    }

    func testBillionLaughsIsRefusedQuickly() {
        var lines = ["title: T", "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        assertRefusedQuickly(Fixtures.file(lines), line: 9, field: "a0", "anchors")
        // As keys, which a YAML library would hash (and so expand) to find duplicates.
        var keys = ["title: T", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 { keys.append("? *a\(level - 1)\n: \(level)") }
        assertRefusedQuickly(Fixtures.file(keys), line: 9, field: "a0", "anchors")
    }
}

import Foundation
import XCTest
@testable import KBMRecords

/// Table tests for every field type: what a file may say, what it means, and how it is written back.
final class FieldTypeTableTests: XCTestCase {
    enum Expected: Sendable {
        case success(FieldValue?)
        case failure(line: Int)
    }

    struct Case: Sendable {
        let name: String
        let kind: String
        let field: String
        /// The field's lines as a hand edit.
        let input: [String]
        /// The parsed value (nil: the field is empty/absent), or the error's line for a refusal.
        let expected: Expected
        /// The canonical lines (nil: the same as input).
        var canonical: [String]? = nil
    }

    static let cases: [Case] = [
        // string
        .init(name: "plain string", kind: "event", field: "location", input: ["location: Augsburg, Rathaus"], expected: .success(.text("Augsburg, Rathaus"))),
        .init(name: "quoted trap", kind: "event", field: "location", input: ["location: 'no'"], expected: .success(.text("no")), canonical: ["location: \"no\""]),
        .init(name: "escapes", kind: "event", field: "location", input: ["location: \"a\\tb\\\\c\\\"d\\re\""], expected: .success(.text("a\tb\\c\"d\re"))),
        .init(name: "number stays text", kind: "event", field: "location", input: ["location: 0777"], expected: .success(.text("0777")), canonical: ["location: \"0777\""]),
        .init(name: "date stays text", kind: "event", field: "location", input: ["location: 2026-01-01"], expected: .success(.text("2026-01-01")), canonical: ["location: \"2026-01-01\""]),
        .init(name: "empty quoted", kind: "event", field: "location", input: ["location: ''"], expected: .success(.text("")), canonical: ["location: \"\""]),
        .init(name: "empty plain is absent", kind: "event", field: "location", input: ["location:"], expected: .success(nil), canonical: []),
        .init(name: "null is absent", kind: "event", field: "location", input: ["location: null"], expected: .success(nil), canonical: []),
        .init(name: "tilde is absent", kind: "event", field: "location", input: ["location: ~"], expected: .success(nil), canonical: []),
        .init(name: "quoted tilde is text", kind: "event", field: "location", input: ["location: \"~\""], expected: .success(.text("~"))),
        .init(name: "folded to one line", kind: "event", field: "location", input: ["location: >-", "  eins", "  zwei"], expected: .success(.text("eins zwei")), canonical: ["location: eins zwei"]),
        .init(name: "two lines refused", kind: "event", field: "location", input: ["location: |-", "  eins", "  zwei"], expected: .failure(line: 9)),
        .init(name: "list refused", kind: "event", field: "location", input: ["location: [a]"], expected: .failure(line: 9)),
        // text
        .init(name: "literal text", kind: "tip", field: "quote", input: ["quote: |-", "  eins", "", "  zwei"], expected: .success(.text("eins\n\nzwei"))),
        .init(name: "literal keep newline", kind: "tip", field: "quote", input: ["quote: |", "  eins"], expected: .success(.text("eins\n"))),
        .init(name: "quoted multi-line", kind: "tip", field: "quote", input: ["quote: \"eins\\nzwei\""], expected: .success(.text("eins\nzwei")), canonical: ["quote: |-", "  eins", "  zwei"]),
        .init(name: "trailing space forces quotes", kind: "tip", field: "quote", input: ["quote: \"eins \\nzwei\""], expected: .success(.text("eins \nzwei"))),
        .init(name: "two trailing newlines force quotes", kind: "tip", field: "quote", input: ["quote: |+", "  eins", ""], expected: .success(.text("eins\n\n")), canonical: ["quote: \"eins\\n\\n\""]),
        .init(name: "single line text", kind: "tip", field: "quote", input: ["quote: kurz"], expected: .success(.text("kurz"))),
        // enum
        .init(name: "enum value", kind: "event", field: "type", input: ["type: fachtag"], expected: .success(.text("fachtag"))),
        .init(name: "enum quoted", kind: "event", field: "type", input: ["type: \"online\""], expected: .success(.text("online")), canonical: ["type: online"]),
        .init(name: "enum wrong case", kind: "event", field: "type", input: ["type: Fachtag"], expected: .failure(line: 9)),
        .init(name: "enum unknown", kind: "event", field: "type", input: ["type: party"], expected: .failure(line: 9)),
        // date
        .init(name: "plain date", kind: "event", field: "start", input: ["start: 2026-03-14"], expected: .success(.text("2026-03-14")), canonical: ["start: \"2026-03-14\""]),
        .init(name: "quoted date", kind: "event", field: "start", input: ["start: '2024-02-29'"], expected: .success(.text("2024-02-29")), canonical: ["start: \"2024-02-29\""]),
        .init(name: "no such day", kind: "event", field: "start", input: ["start: 2026-02-29"], expected: .failure(line: 9)),
        .init(name: "german date", kind: "event", field: "start", input: ["start: 14.3.2026"], expected: .failure(line: 9)),
        .init(name: "timestamp is not a date", kind: "event", field: "start", input: ["start: 2026-03-14T10:00:00Z"], expected: .failure(line: 9)),
        .init(name: "date field refuses a time", kind: "product", field: "published", input: ["published: 2026-03-14T10:00"], expected: .failure(line: 9)),
        .init(name: "date field", kind: "product", field: "published", input: ["published: 2026-03-14"], expected: .success(.text("2026-03-14")), canonical: ["published: \"2026-03-14\""]),
        // datetime (an event's start and end): a plain date, or a date and a time of day
        .init(name: "date and time", kind: "event", field: "start", input: ["start: 2026-04-24T09:30"], expected: .success(.text("2026-04-24T09:30")), canonical: ["start: \"2026-04-24T09:30\""]),
        .init(name: "quoted date and time", kind: "event", field: "end", input: ["end: \"2026-04-24T23:59\""], expected: .success(.text("2026-04-24T23:59"))),
        .init(name: "midnight", kind: "event", field: "start", input: ["start: '2026-04-24T00:00'"], expected: .success(.text("2026-04-24T00:00")), canonical: ["start: \"2026-04-24T00:00\""]),
        .init(name: "time with a space is not canonical", kind: "event", field: "start", input: ["start: 2026-04-24 09:30"], expected: .failure(line: 9)),
        .init(name: "no hour 24", kind: "event", field: "start", input: ["start: 2026-04-24T24:00"], expected: .failure(line: 9)),
        .init(name: "no minute 60", kind: "event", field: "start", input: ["start: 2026-04-24T09:60"], expected: .failure(line: 9)),
        .init(name: "time with seconds", kind: "event", field: "start", input: ["start: 2026-04-24T09:30:00"], expected: .failure(line: 9)),
        .init(name: "one-digit hour", kind: "event", field: "start", input: ["start: 2026-04-24T9:30"], expected: .failure(line: 9)),
        .init(name: "time on no such day", kind: "event", field: "start", input: ["start: 2026-04-31T09:30"], expected: .failure(line: 9)),
        // int
        .init(name: "int", kind: "event", field: "participants", input: ["participants: 42"], expected: .success(.int(42))),
        .init(name: "zero", kind: "event", field: "participants", input: ["participants: 0"], expected: .success(.int(0))),
        .init(name: "quoted int", kind: "event", field: "participants", input: ["participants: '7'"], expected: .success(.int(7)), canonical: ["participants: 7"]),
        .init(name: "plus sign", kind: "event", field: "participants", input: ["participants: +7"], expected: .success(.int(7)), canonical: ["participants: 7"]),
        .init(name: "negative", kind: "event", field: "participants", input: ["participants: -3"], expected: .failure(line: 9)),
        .init(name: "octal-looking", kind: "event", field: "participants", input: ["participants: 0o17"], expected: .failure(line: 9)),
        .init(name: "float", kind: "event", field: "participants", input: ["participants: 3.0"], expected: .failure(line: 9)),
        .init(name: "words", kind: "event", field: "participants", input: ["participants: zwölf"], expected: .failure(line: 9)),
        // bool
        .init(name: "true", kind: "stakeholder", field: "key_person", input: ["key_person: true"], expected: .success(.bool(true))),
        .init(name: "false", kind: "stakeholder", field: "key_person", input: ["key_person: false"], expected: .success(.bool(false))),
        .init(name: "quoted true", kind: "stakeholder", field: "key_person", input: ["key_person: \"true\""], expected: .success(.bool(true)), canonical: ["key_person: true"]),
        .init(name: "yes refused", kind: "stakeholder", field: "key_person", input: ["key_person: yes"], expected: .failure(line: 9)),
        .init(name: "True refused", kind: "stakeholder", field: "key_person", input: ["key_person: True"], expected: .failure(line: 9)),
        // set
        .init(name: "set sorted", kind: "event", field: "tags", input: ["tags:", "  - zeta", "  - alpha", "  - zeta"], expected: .success(.strings(["alpha", "zeta"])), canonical: ["tags:", "  - alpha", "  - zeta"]),
        .init(name: "set flow", kind: "event", field: "tags", input: ["tags: [b, 'a', \"no\"]"], expected: .success(.strings(["a", "b", "no"])), canonical: ["tags:", "  - a", "  - b", "  - \"no\""]),
        .init(name: "set empty flow", kind: "event", field: "tags", input: ["tags: []"], expected: .success(nil), canonical: []),
        .init(name: "set NFC", kind: "event", field: "tags", input: ["tags:", "  - \"u\\u0308\"", "  - ü"], expected: .success(.strings(["ü"])), canonical: ["tags:", "  - ü"]),
        .init(name: "set of scalar refused", kind: "event", field: "tags", input: ["tags: a"], expected: .failure(line: 9)),
        .init(name: "set of maps refused", kind: "event", field: "tags", input: ["tags:", "  - a: b"], expected: .failure(line: 10)),
        // list
        .init(name: "list keeps order and repeats", kind: "event", field: "goals", input: ["goals:", "  - b", "  - a", "  - b"], expected: .success(.strings(["b", "a", "b"]))),
        .init(name: "list indentless", kind: "event", field: "goals", input: ["goals:", "- b", "- a"], expected: .success(.strings(["b", "a"])), canonical: ["goals:", "  - b", "  - a"]),
        .init(name: "list with empty element", kind: "event", field: "goals", input: ["goals:", "  - \"\"", "  - x"], expected: .success(.strings(["", "x"]))),
        // refs
        .init(name: "refs sorted", kind: "event", field: "partners", input: ["partners:", "  - 01JD3Q5V8X2M4N6P8R0T2W4Y71", "  - 01JD3Q5V8X2M4N6P8R0T2W4Y70"],
              expected: .success(.strings(["01JD3Q5V8X2M4N6P8R0T2W4Y70", "01JD3Q5V8X2M4N6P8R0T2W4Y71"])), canonical: ["partners:", "  - \"01JD3Q5V8X2M4N6P8R0T2W4Y70\"", "  - \"01JD3Q5V8X2M4N6P8R0T2W4Y71\""]),
        .init(name: "refs lower case refused", kind: "event", field: "partners", input: ["partners:", "  - 01jd3q5v8x2m4n6p8r0t2w4y71"], expected: .failure(line: 10)),
        // counties
        .init(name: "counties", kind: "tip", field: "co_owners", input: ["co_owners:", "  - lk-b", "  - lk-a"], expected: .success(.strings(["lk-a", "lk-b"])), canonical: ["co_owners:", "  - lk-a", "  - lk-b"]),
        .init(name: "bad county", kind: "tip", field: "co_owners", input: ["co_owners:", "  - lk-a", "  - Lk-B"], expected: .failure(line: 11)),
        // items
        .init(name: "items", kind: "event", field: "follow_ups",
              input: ["follow_ups:", "  - id: b", "    text: Zwei", "  - id: a", "    text: Eins", "    owner: Anna", "    due: \"2026-03-01\"", "    status: open"],
              expected: .success(.items([Item(id: "b", fields: ["text": "Zwei"]), Item(id: "a", fields: ["text": "Eins", "owner": "Anna", "due": "2026-03-01", "status": "open"])]))),
        .init(name: "items fields reordered", kind: "event", field: "follow_ups",
              input: ["follow_ups:", "  - status: done", "    future: x", "    text: 'no'", "    id: '1'"],
              expected: .success(.items([Item(id: "1", fields: ["text": "no", "status": "done", "future": "x"])])),
              canonical: ["follow_ups:", "  - id: \"1\"", "    text: \"no\"", "    status: done", "    future: x"]),
        .init(name: "items flow", kind: "event", field: "follow_ups", input: ["follow_ups: [{id: a, text: t}]"],
              expected: .success(.items([Item(id: "a", fields: ["text": "t"])])), canonical: ["follow_ups:", "  - id: a", "    text: t"]),
        .init(name: "item without id", kind: "event", field: "follow_ups", input: ["follow_ups:", "  - text: t"], expected: .failure(line: 10)),
        .init(name: "item nested value", kind: "event", field: "follow_ups", input: ["follow_ups:", "  - id: a", "    text: [t]"], expected: .failure(line: 11)),
    ]

    func testEveryFieldTypeIsCovered() {
        let types = Set(Self.cases.compactMap { Schema.current.field($0.field, of: $0.kind)?.type.rawValue })
        XCTAssertEqual(types, ["string", "text", "enum", "date", "datetime", "int", "bool", "set", "list", "refs", "counties", "items"])
    }

    func testTable() {
        for c in Self.cases {
            let title = c.kind == "stakeholder" ? "name: Nina" : "title: T"
            let text = Fixtures.file(kind: c.kind, [title] + c.input)
            switch c.expected {
            case .success(let value):
                do {
                    let record = try RecordParser.parse(text)
                    XCTAssertEqual(record.fields[c.field], value, c.name)
                    let written = RecordWriter.write(record)
                    XCTAssertEqual(written, Fixtures.file(kind: c.kind, [title] + (c.canonical ?? c.input)), c.name)
                    XCTAssertEqual(try RecordParser.parse(written), record, c.name)
                } catch {
                    XCTFail("\(c.name): \(error)")
                }
            case .failure(line: let line):
                do {
                    _ = try RecordParser.parse(text)
                    XCTFail("\(c.name): expected a parse error")
                } catch let error as RecordParseError {
                    XCTAssertEqual(error.line, line, "\(c.name): \(error)")
                    XCTAssertTrue(error.field?.hasPrefix(c.field) ?? false, "\(c.name): \(error)")
                    XCTAssertTrue(error.description.contains("field '\(error.field ?? "")'"), c.name)
                } catch {
                    XCTFail("\(c.name): \(error)")
                }
            }
        }
    }

    func testUserInputForEveryType() throws {
        func spec(_ field: String, _ kind: String = "event") throws -> FieldSpec { try XCTUnwrap(Schema.current.field(field, of: kind)) }
        XCTAssertEqual(try FieldRules.scalarValue("Gru\u{308}n", spec: spec("location")), .text("Grün"))
        XCTAssertThrowsError(try FieldRules.scalarValue("a\nb", spec: spec("location")))
        XCTAssertEqual(try FieldRules.scalarValue("a\r\nb", spec: spec("outcomes")), .text("a\nb"))
        XCTAssertEqual(try FieldRules.scalarValue("online", spec: spec("type")), .text("online"))
        XCTAssertThrowsError(try FieldRules.scalarValue("party", spec: spec("type")))
        XCTAssertEqual(try FieldRules.scalarValue("2024-02-29", spec: spec("start")), .text("2024-02-29"))
        XCTAssertThrowsError(try FieldRules.scalarValue("2026-02-29", spec: spec("start")))
        XCTAssertEqual(try FieldRules.scalarValue(" 12 ", spec: spec("participants")), .int(12))
        XCTAssertThrowsError(try FieldRules.scalarValue("-1", spec: spec("participants")))
        XCTAssertEqual(try FieldRules.scalarValue("ja", spec: spec("key_person", "stakeholder")), .bool(true))
        XCTAssertEqual(try FieldRules.scalarValue("nein", spec: spec("key_person", "stakeholder")), .bool(false))
        XCTAssertThrowsError(try FieldRules.scalarValue("vielleicht", spec: spec("key_person", "stakeholder")))
        XCTAssertEqual(try FieldRules.scalarValue("b, a, b", spec: spec("tags")), .strings(["a", "b"]))
        XCTAssertEqual(try FieldRules.scalarValue("b, a, b", spec: spec("goals")), .strings(["b", "a", "b"]))
        XCTAssertEqual(try FieldRules.scalarValue("Schule\\, Beruf, x", spec: spec("goals")), .strings(["Schule, Beruf", "x"]))
        XCTAssertEqual(try FieldRules.scalarValue("", spec: spec("tags")), .strings([]))
        XCTAssertThrowsError(try FieldRules.scalarValue("abc", spec: spec("partners")))
        XCTAssertEqual(try FieldRules.scalarValue("lk-b,lk-a", spec: spec("co_owners")), .strings(["lk-a", "lk-b"]))
        XCTAssertThrowsError(try FieldRules.scalarValue("LK", spec: spec("co_owners")))
        XCTAssertThrowsError(try FieldRules.scalarValue("x", spec: spec("follow_ups")))
        XCTAssertEqual(FieldRules.suggestion(for: "titel", among: ["title", "type", "tags"]), "title")
        XCTAssertNil(FieldRules.suggestion(for: "xyzzy", among: ["title", "type"]))
    }
}

import Foundation
import XCTest
@testable import KBMRecords
import Yams

/// parse(write(r)) == r and write(parse(f)) == f, and hand edits that are normalised.
final class RoundTripTests: XCTestCase {
    private func assertRoundTrip(_ record: Record, file: StaticString = #filePath, line: UInt = #line) {
        let text = RecordWriter.write(record)
        do {
            let parsed = try RecordParser.parse(text)
            XCTAssertEqual(parsed, record, "file:\n\(text)", file: file, line: line)
            XCTAssertEqual(RecordWriter.write(parsed), text, file: file, line: line)
            let fromData = try RecordParser.parse(data: Array(text.utf8))
            XCTAssertEqual(fromData, record, file: file, line: line)
        } catch {
            XCTFail("\(error)\nfile:\n\(text)", file: file, line: line)
        }
    }

    func testEveryTrapStringInEveryTextLikeField() {
        for raw in TrapStrings.singleLine {
            let trap = raw.precomposedStringWithCanonicalMapping
            var record = Fixtures.minimal(kind: "event", title: trap)
            record["location"] = .text(trap)
            record["goals"] = .strings([trap, "x", trap])
            record["tags"] = .strings([trap])
            record["follow_ups"] = .items([Item(id: trap.isEmpty ? "leer" : trap, fields: ["text": trap, "owner": trap])])
            record["outcomes"] = trap.isEmpty ? nil : .text(trap)
            assertRoundTrip(record)
        }
        for raw in TrapStrings.singleLine + TrapStrings.multiLine {
            let trap = raw.precomposedStringWithCanonicalMapping
            var tip = Fixtures.minimal(kind: "tip")
            tip["quote"] = .text(trap)           // text in the front matter
            tip["body"] = trap.isEmpty ? nil : .text(trap)   // text as the Markdown body
            assertRoundTrip(tip)
        }
    }

    func testTrapStringsStayStringsForOtherYAMLReadersToo() throws {
        // The front matter must mean the same to any YAML reader: check with Yams' own typed decoding.
        // Except a leading U+FEFF, which Yams itself drops (kbm's parser puts it back).
        for raw in TrapStrings.singleLine + TrapStrings.multiLine where !raw.hasPrefix("\u{FEFF}") {
            let trap = raw.precomposedStringWithCanonicalMapping
            var tip = Fixtures.minimal(kind: "tip")
            tip["quote"] = .text(trap)
            let text = RecordWriter.write(tip)
            let frontMatter = text.dropFirst(4).components(separatedBy: "\n---\n")[0] + "\n"
            let loaded = try XCTUnwrap(try Yams.load(yaml: String(frontMatter)) as? [String: Any], text)
            XCTAssertEqual(loaded["quote"] as? String, trap, "quote \(trap.debugDescription) read as \(String(describing: loaded["quote"]))")
        }
    }

    func testBodyKeepsDashLinesBlankLinesTrailingNewlinesAndCR() throws {
        for body in ["---", "a\n---\nb", "---\n---", "x\n\n\n", "\n\nx", "ende\r", "a\r\nb", "  eingerückt", "Tab\t", "trailing  \n"] {
            var record = Fixtures.minimal(kind: "stakeholder", title: "Frau Muster")
            record["notes"] = .text(body)
            assertRoundTrip(record)
        }
    }

    func testLeadingZeroWidthNoBreakSpaceIsKept() throws {
        // Yams drops U+FEFF at the start of a scalar; the parser restores it from the quoted source.
        var record = Fixtures.minimal(kind: "event", title: "\u{FEFF}Titel")
        record["tags"] = .strings(["\u{FEFF}", "\u{FEFF}x"])
        record["follow_ups"] = .items([Item(id: "\u{FEFF}1", fields: ["text": "\u{FEFF}t"])])
        record["x_future"] = .opaque(" \"\\uFEFFz\"\n")
        assertRoundTrip(record)
        let handWritten = Fixtures.file(["title: '\u{FEFF}a'", "location: \"\\ufeffb\"", "end: \"\\U0000FEFF\""].map { $0 })
        XCTAssertThrowsError(try RecordParser.parse(handWritten))   // end is a date
        let ok = try RecordParser.parse(Fixtures.file(["title: '\u{FEFF}a'", "location: \"\\ufeffb\"", "goals: [\"\\U0000FEFF\"]"]))
        XCTAssertEqual(ok["title"], .text("\u{FEFF}a"))
        XCTAssertEqual(ok["location"], .text("\u{FEFF}b"))
        XCTAssertEqual(ok["goals"], .strings(["\u{FEFF}"]))
    }

    func testEmptyStringIsKeptInFrontMatterFields() {
        var record = Fixtures.minimal(kind: "event", title: "")
        record.fields["location"] = .text("")
        XCTAssertTrue(RecordWriter.write(record).contains("title: \"\"\nlocation: \"\"\n"))
        assertRoundTrip(record)
    }

    func testHandEditsAreAcceptedAndNormalised() throws {
        let canonical = Fixtures.eventFile
        let handEdits: [(String, String)] = [
            ("CRLF", canonical.withCRLF),
            ("BOM", "\u{FEFF}" + canonical),
            ("BOM and CRLF", "\u{FEFF}" + canonical.withCRLF),
            ("NFD", canonical.decomposedStringWithCanonicalMapping),
            ("no blank line before the body", canonical.replacingOccurrences(of: "---\n\nErste", with: "---\nErste")),
            ("no final newline", String(canonical.dropLast())),
            ("single quotes", canonical
                .replacingOccurrences(of: "start: \"2026-03-14\"", with: "start: '2026-03-14'")
                .replacingOccurrences(of: "- \"no\"", with: "- 'no'")
                .replacingOccurrences(of: "text: \"Raum: buchen\"", with: "text: 'Raum: buchen'")
                .replacingOccurrences(of: "kind: event", with: "kind: 'event'")),
            ("double quotes everywhere", canonical
                .replacingOccurrences(of: "title: Fachtag Übergang Schule–Beruf", with: "title: \"Fachtag \\u00dcbergang Schule\\u2013Beruf\"")
                .replacingOccurrences(of: "participants: 120", with: "participants: \"120\"")),
            ("other key order", Fixtures.file([
                "co_owners: [stadt-augsburg, lk-dillingen]",
                "tags: [übergang, bildung, bildung]",
                "press:", "- Augsburger Allgemeine",
                "follow_ups:",
                "- text: \"Raum: buchen\"", "  status: done", "  id: f2",
                "partners: [01JD3Q5V8X2M4N6P8R0T2W4Y71, 01JD3Q5V8X2M4N6P8R0T2W4Y70]",
                "participants: 120",
                "target_groups: [Lehrkräfte, Eltern]",
                "goals: [Netzwerk stärken, 'no']",
                "location: Augsburg, Rathaus   # mit Kommentar",
                "end: 2026-03-15",
                "start: 2026-03-14",
                "type: fachtag",
                "title: >-",
                "  Fachtag Übergang",
                "  Schule–Beruf",
            ], body: "Erste Zeile\n\nZweite Zeile nach Leerzeile")
                .replacingOccurrences(of: "format: 1\n", with: "")
                .replacingOccurrences(of: "id: 01JD3Q5V8X2M4N6P8R0T2W4Y6Z\n", with: "# Kommentar\nformat: 1\nid: 01JD3Q5V8X2M4N6P8R0T2W4Y6Z\n")),
        ]
        var expected = Fixtures.event()
        // The reordered edit has only one follow-up.
        for (name, text) in handEdits {
            do {
                let record = try RecordParser.parse(text)
                if name == "other key order" {
                    expected.fields["follow_ups"] = .items([Item(id: "f2", fields: ["text": "Raum: buchen", "status": "done"])])
                    XCTAssertEqual(record, expected, name)
                    XCTAssertEqual(RecordWriter.write(record), RecordWriter.write(expected), name)
                } else {
                    XCTAssertEqual(record, Fixtures.event(), name)
                    XCTAssertEqual(RecordWriter.write(record), canonical, name)
                }
            } catch {
                XCTFail("\(name): \(error)")
            }
        }
    }

    func testCRLFFileNormalisesButLFFileKeepsCRInBody() throws {
        var record = Fixtures.minimal(kind: "tip")
        record["body"] = .text("zeile\r\nmit cr\r")
        let text = RecordWriter.write(record)
        XCTAssertEqual(try RecordParser.parse(text), record)
        // The same file saved with CRLF: its own line ends go, the body's CRs stay.
        XCTAssertEqual(try RecordParser.parse(text.withCRLF), record)
        // A plain LF text saved as CRLF loses nothing but the CRs of the line ends.
        let lf = Fixtures.file(kind: "tip", ["title: Tipp"], body: "a\nb")
        XCTAssertEqual(try RecordParser.parse(lf.withCRLF)["body"], .text("a\nb"))
    }

    func testConflictsRoundTripWithValuesOfSeveralTypes() throws {
        var record = Fixtures.event()
        let alice = { (value: FieldValue?) in FieldConflict.Side(value: value, county: "lk-augsburg", author: "Alice", commit: "a1b2c3") }
        let bob = { (value: FieldValue?) in FieldConflict.Side(value: value, county: "lk-dillingen", author: "Bob \"B\" Müller", commit: "d4e5f6") }
        record.conflicts = [
            FieldConflict(kind: "field", field: "title", base: .text("Alt"), ours: alice(.text("no")), theirs: bob(.text("Neu: Titel"))),
            FieldConflict(kind: "field", field: "participants", base: .int(100), ours: alice(.int(120)), theirs: bob(.int(0))),
            FieldConflict(kind: "delete", field: "tags", base: .strings(["a", "b"]), ours: alice(nil), theirs: bob(.strings(["a", "c"]))),
            FieldConflict(kind: "field", field: "goals", base: nil, ours: alice(.strings(["2", "1"])), theirs: bob(.strings(["1"]))),
            FieldConflict(kind: "field", field: "follow_ups", base: nil,
                          ours: alice(.items([Item(id: "f1", fields: ["text": "A", "status": "open", "x_new": "neu"])])),
                          theirs: bob(.items([Item(id: "f1", fields: ["text": "B", "due": "2026-03-20"])]))),
            FieldConflict(kind: "field", field: "outcomes", base: .text("eins\nzwei"), ours: alice(.text("eins\nzwei\ndrei\n")), theirs: bob(.text("---\n"))),
            FieldConflict(kind: "field", field: "x_future", base: .opaque("\n  - a\n  - b\n"),
                          ours: alice(.opaque("\n  nested:\n    - \"eins\"\n  flag: yes\n")), theirs: bob(.opaque(" 7\n"))),
            FieldConflict(kind: "field", field: "start", base: .text("2026-03-14"), ours: alice(.text("2026-03-15")), theirs: bob(.text("2026-03-16"))),
        ]
        record.conflicts = RecordWriter.canonicalOrder(record.conflicts, kind: "event", schema: .current)
        assertRoundTrip(record)
        let text = RecordWriter.write(record)
        XCTAssertTrue(text.contains("""
          - field: x_future
            kind: field
            base:
              - a
              - b
            ours:
              county: lk-augsburg
              author: Alice
              commit: a1b2c3
              value:
                nested:
                  - "eins"
                flag: yes

        """), text)
        // The order in the file does not depend on the order in the record.
        var shuffled = record
        shuffled.conflicts.reverse()
        XCTAssertEqual(RecordWriter.write(shuffled), text)
        XCTAssertEqual(try RecordParser.parse(RecordWriter.write(shuffled)), record)

        var stakeholder = Fixtures.minimal(kind: "stakeholder", title: "Frau Muster")
        stakeholder.conflicts = [
            FieldConflict(kind: "field", field: "key_person", base: nil, ours: alice(.bool(true)), theirs: bob(.bool(false))),
            FieldConflict(kind: "field", field: "co_owners", base: .strings(["lk-a"]), ours: alice(.strings(["lk-a", "lk-b"])), theirs: bob(nil)),
            FieldConflict(kind: "field", field: "notes", base: nil, ours: alice(.text("")), theirs: bob(.text(" x \n"))),
        ]
        stakeholder.conflicts = RecordWriter.canonicalOrder(stakeholder.conflicts, kind: "stakeholder", schema: .current)
        assertRoundTrip(stakeholder)
    }

    func testUnknownConflictFieldsAndItemFieldsAreKept() throws {
        let text = Fixtures.file([
            "title: T",
            "follow_ups:",
            "  - id: a",
            "    text: x",
            "    future_flag: ja",
            "conflicts:",
            "  - field: title",
            "    kind: field",
            "    ours:",
            "      county: lk-a",
            "      author: A",
            "      commit: c1",
            "      value: Eins",
            "    theirs:",
            "      county: lk-b",
            "      author: B",
            "      commit: c2",
        ])
        let record = try RecordParser.parse(text)
        XCTAssertEqual(record["follow_ups"], .items([Item(id: "a", fields: ["text": "x", "future_flag": "ja"])]))
        XCTAssertEqual(record.conflicts.first?.theirs.value, nil)
        XCTAssertEqual(record.conflicts.first?.ours.value, .text("Eins"))
        XCTAssertEqual(RecordWriter.write(record), text)
    }
}

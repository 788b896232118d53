import Foundation
import XCTest
@testable import KBMRecords

/// The canonical record file: deterministic bytes, schema order, NFC, LF, final newline, local diffs.
final class CanonicalFormatTests: XCTestCase {
    func testEventIsWrittenExactly() {
        XCTAssertEqual(RecordWriter.write(Fixtures.event()), Fixtures.eventFile)
    }

    func testCanonicalFileParsesToTheRecordAndBack() throws {
        let record = try RecordParser.parse(Fixtures.eventFile)
        XCTAssertEqual(record, Fixtures.event())
        XCTAssertEqual(RecordWriter.write(record), Fixtures.eventFile)
    }

    func testWritingIsDeterministic() {
        let first = RecordWriter.write(Fixtures.event())
        for _ in 0..<20 { XCTAssertEqual(RecordWriter.write(Fixtures.event()), first) }
    }

    func testFieldsComeInSchemaOrderWhateverTheDictionaryOrder() throws {
        let text = RecordWriter.write(Fixtures.event())
        let keys = fieldOwners(of: text).map(\.owner).filter { !$0.hasPrefix("<") && $0 != "---" }
        var seen: [String] = []
        for key in keys where seen.last != key { seen.append(key) }
        let expected = Schema.current.orderedFields(of: "event").map(\.name).filter { Fixtures.event().fields[$0] != nil && $0 != "outcomes" }
        XCTAssertEqual(seen, expected)
        XCTAssertEqual(fieldOwners(of: text).prefix(7).map(\.line), [
            "---", "id: 01JD3Q5V8X2M4N6P8R0T2W4Y6Z", "kind: event", "county: lk-augsburg", "format: 1",
            "created: 2026-03-01T08:00:00Z", "updated: 2026-03-14T09:30:00Z",
        ])
    }

    func testUTF8NFCWithLFAndAFinalNewline() {
        var record = Fixtures.event()
        // Decomposed input (u + combining diaeresis) is written composed.
        record["title"] = .text("Gru\u{308}ße")
        let text = RecordWriter.write(record)
        XCTAssertTrue(text.contains("title: Grüße\n"))
        XCTAssertEqual(text, text.precomposedStringWithCanonicalMapping)
        XCTAssertFalse(text.utf8.contains(UInt8(ascii: "\r")))
        XCTAssertTrue(text.hasSuffix("\n"))
        XCTAssertFalse(text.hasSuffix("\n\n") && !text.hasSuffix("Leerzeile\n"))
        XCTAssertTrue(RecordWriter.write(Fixtures.minimal()).hasSuffix("---\n"))
    }

    func testSetsAreWrittenSortedAndWithoutRepeatsListsKeepTheirOrder() throws {
        var record = Fixtures.minimal(kind: "event")
        record["tags"] = .strings(["zeta", "alpha", "zeta", "Mitte"])
        record["goals"] = .strings(["zweitens", "erstens", "zweitens"])
        record["co_owners"] = .strings(["lk-b", "lk-a"])
        let text = RecordWriter.write(record)
        XCTAssertTrue(text.contains("goals:\n  - zweitens\n  - erstens\n  - zweitens\n"), text)
        XCTAssertTrue(text.contains("tags:\n  - Mitte\n  - alpha\n  - zeta\n"), text)
        XCTAssertTrue(text.contains("co_owners:\n  - lk-a\n  - lk-b\n"), text)
        let parsed = try RecordParser.parse(text)
        XCTAssertEqual(parsed["tags"], .strings(["Mitte", "alpha", "zeta"]))
        XCTAssertEqual(parsed["goals"], .strings(["zweitens", "erstens", "zweitens"]))
    }

    func testEmptyFieldsAreLeftOut() {
        var record = Fixtures.minimal(kind: "event")
        record.fields["tags"] = .strings([])
        record.fields["follow_ups"] = .items([])
        XCTAssertEqual(RecordWriter.write(record), RecordWriter.write(Fixtures.minimal(kind: "event")))
        XCTAssertEqual(RecordWriter.write(Fixtures.minimal(kind: "event")), Fixtures.file(["title: Tipp"]))
    }

    /// Changing one field changes only that field's lines, for every field of every kind.
    func testAChangeToOneFieldChangesOnlyItsLines() throws {
        let base = Fixtures.event()
        let changes: [String: FieldValue] = [
            "title": .text("Anderer Titel"), "type": .text("online"), "start": .text("2026-04-01"),
            "end": .text("2026-04-02"), "location": .text("Online"), "goals": .strings(["Netzwerk stärken", "neu", "no"]),
            "target_groups": .strings(["Eltern"]), "participants": .int(121),
            "partners": .strings([Fixtures.partnerA.rawValue]),
            "follow_ups": .items([Item(id: "f1", fields: ["text": "Protokoll verschicken", "owner": "Ben", "status": "done"])]),
            "press": .strings(["BR"]), "outcomes": .text("Erste Zeile\n\nGeändert"), "tags": .strings(["bildung"]),
            "co_owners": .strings(["lk-dillingen"]),
        ]
        var generator = RecordGenerator(seed: 1)   // for fields added to the schema later
        for spec in Schema.current.orderedFields(of: "event") {
            var newValue = changes[spec.name] ?? generator.value(for: spec, isBody: spec.name == "outcomes")
            while newValue == base.fields[spec.name] { newValue = generator.value(for: spec, isBody: spec.name == "outcomes") }
            for variant in base.fields[spec.name] == nil ? [newValue] : [newValue, nil] {
                var changed = base
                changed.fields[spec.name] = variant
                let before = fieldOwners(of: RecordWriter.write(base))
                let after = fieldOwners(of: RecordWriter.write(changed))
                let owner = spec.name == "outcomes" ? "<body>" : spec.name
                var prefix = 0
                while prefix < min(before.count, after.count), before[prefix].line == after[prefix].line { prefix += 1 }
                var suffix = 0
                while suffix < min(before.count, after.count) - prefix,
                      before[before.count - 1 - suffix].line == after[after.count - 1 - suffix].line { suffix += 1 }
                let changedLines = before[prefix..<(before.count - suffix)] + after[prefix..<(after.count - suffix)]
                XCTAssertFalse(changedLines.isEmpty, spec.name)
                for entry in changedLines {
                    XCTAssertEqual(entry.owner, owner, "changing \(spec.name) touched line \(entry.line.debugDescription)")
                }
            }
        }
    }

    func testUnknownFieldsAreKeptAfterTheKnownOnesSortedByName() throws {
        let text = Fixtures.file([
            "zz_future: 7",
            "title: Fachtag",
            "a_future:",
            "  nested:",
            "    - 'eins'",
            "    - zwei",
            "  flag: yes",
            "m_future: [a, b]",
            "\"#odd key\": \"x\"",
        ])
        let record = try RecordParser.parse(text)
        XCTAssertEqual(record.fields["zz_future"], .opaque(" 7\n"))
        XCTAssertEqual(record.fields["a_future"], .opaque("\n  nested:\n    - \"eins\"\n    - zwei\n  flag: yes\n"))
        XCTAssertEqual(record.fields["m_future"], .opaque("\n  - a\n  - b\n"))
        XCTAssertEqual(record.fields["#odd key"], .opaque(" \"x\"\n"))
        let written = RecordWriter.write(record)
        XCTAssertEqual(written, Fixtures.file([
            "title: Fachtag",
            "\"#odd key\": \"x\"",
            "a_future:",
            "  nested:",
            "    - \"eins\"",
            "    - zwei",
            "  flag: yes",
            "m_future:",
            "  - a",
            "  - b",
            "zz_future: 7",
        ]))
        XCTAssertEqual(try RecordParser.parse(written), record)
    }

    func testRecordLayoutPathsRoundTrip() throws {
        let record = Fixtures.event()
        let path = RecordLayout.path(of: record)
        XCTAssertEqual(path, "counties/lk-augsburg/event/z/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md")
        let parsed = try XCTUnwrap(RecordLayout.parse(path: path))
        XCTAssertEqual(parsed.county, record.county)
        XCTAssertEqual(parsed.kind, "event")
        XCTAssertEqual(parsed.id, record.id)
        var generator = RecordIDGenerator()
        for kind in Schema.current.kindNames {
            for _ in 0..<50 {
                let id = generator.next()
                let p = RecordLayout.path(county: County("transferagentur")!, kind: kind, id: id)
                let back = try XCTUnwrap(RecordLayout.parse(path: p), p)
                XCTAssertEqual(back.kind, kind)
                XCTAssertEqual(back.id, id)
                XCTAssertEqual(back.county.rawValue, "transferagentur")
            }
        }
        for bad in [
            "counties/lk-augsburg/event/y/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md",   // wrong shard
            "counties/lk-augsburg/events/z/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md",  // unknown folder
            "counties/LK/event/z/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md",            // bad county
            "counties/lk-augsburg/event/z/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.txt",
            "counties/lk-augsburg/event/z/01jd3q5v8x2m4n6p8r0t2w4y6z.md",
            "x/lk-augsburg/event/z/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md",
            "counties/lk-augsburg/event/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md",
            "counties/lk-augsburg/event/z/extra/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md",
        ] {
            XCTAssertNil(RecordLayout.parse(path: bad), bad)
        }
    }
}

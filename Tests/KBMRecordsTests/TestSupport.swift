import Foundation
import XCTest
@testable import KBMRecords

/// The package root, found from this file's path (Tests/KBMRecordsTests/TestSupport.swift).
func packageRoot(_ file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

enum Fixtures {
    static let id = RecordID("01JD3Q5V8X2M4N6P8R0T2W4Y6Z")!
    static let partnerA = RecordID("01JD3Q5V8X2M4N6P8R0T2W4Y70")!
    static let partnerB = RecordID("01JD3Q5V8X2M4N6P8R0T2W4Y71")!
    static let county = County("lk-augsburg")!
    static let created = Timestamp("2026-03-01T08:00:00Z")!
    static let updated = Timestamp("2026-03-14T09:30:00Z")!

    /// An event with every field set.
    static func event() -> Record {
        Record(id: id, kind: "event", county: county, created: created, updated: updated, fields: [
            "title": .text("Fachtag Übergang Schule–Beruf"),
            "type": .text("fachtag"),
            "start": .text("2026-03-14"),
            "end": .text("2026-03-15"),
            "location": .text("Augsburg, Rathaus"),
            "goals": .strings(["Netzwerk stärken", "no"]),
            "target_groups": .strings(["Eltern", "Lehrkräfte"]),
            "participants": .int(120),
            "partners": .strings([partnerA.rawValue, partnerB.rawValue]),
            "follow_ups": .items([
                Item(id: "f1", fields: ["text": "Protokoll verschicken", "owner": "Anna", "due": "2026-03-21", "status": "open"]),
                Item(id: "f2", fields: ["text": "Raum: buchen", "status": "done"]),
            ]),
            "press": .strings(["Augsburger Allgemeine"]),
            "outcomes": .text("Erste Zeile\n\nZweite Zeile nach Leerzeile"),
            "tags": .strings(["bildung", "übergang"]),
            "co_owners": .strings(["lk-dillingen", "stadt-augsburg"]),
        ])
    }

    /// The canonical file of `event()`, written out by hand.
    static let eventFile = """
    ---
    id: 01JD3Q5V8X2M4N6P8R0T2W4Y6Z
    kind: event
    county: lk-augsburg
    format: 1
    created: 2026-03-01T08:00:00Z
    updated: 2026-03-14T09:30:00Z
    title: Fachtag Übergang Schule–Beruf
    type: fachtag
    start: "2026-03-14"
    end: "2026-03-15"
    location: Augsburg, Rathaus
    goals:
      - Netzwerk stärken
      - "no"
    target_groups:
      - Eltern
      - Lehrkräfte
    participants: 120
    partners:
      - "01JD3Q5V8X2M4N6P8R0T2W4Y70"
      - "01JD3Q5V8X2M4N6P8R0T2W4Y71"
    follow_ups:
      - id: f1
        text: Protokoll verschicken
        owner: Anna
        due: "2026-03-21"
        status: open
      - id: f2
        text: "Raum: buchen"
        status: done
    press:
      - Augsburger Allgemeine
    tags:
      - bildung
      - übergang
    co_owners:
      - lk-dillingen
      - stadt-augsburg
    ---

    Erste Zeile

    Zweite Zeile nach Leerzeile

    """

    static func minimal(kind: String = "tip", title: String = "Tipp") -> Record {
        let titleField = Schema.current.kind(kind)?.title ?? "title"
        return Record(id: id, kind: kind, county: county, created: created, updated: updated, fields: [titleField: .text(title)])
    }

    /// The header lines of a hand-made file (lines 1–7), then `lines`, then the closing `---`.
    static func file(kind: String = "event", _ lines: [String], body: String? = nil) -> String {
        var out = """
        ---
        id: 01JD3Q5V8X2M4N6P8R0T2W4Y6Z
        kind: \(kind)
        county: lk-augsburg
        format: 1
        created: 2026-03-01T08:00:00Z
        updated: 2026-03-14T09:30:00Z

        """
        for line in lines { out += line + "\n" }
        out += "---\n"
        if let body { out += "\n" + body + "\n" }
        return out
    }
}

/// Asserts that parsing `text` fails with exactly this line and field, and a message containing `contains`.
func assertParseError(_ text: String, line: Int?, field: String?, contains: String? = nil, path: String? = "x.md",
                      file: StaticString = #filePath, sourceLine: UInt = #line) {
    do {
        let record = try RecordParser.parse(text, path: path)
        XCTFail("expected a parse error, got \(record)", file: file, line: sourceLine)
    } catch let error as RecordParseError {
        XCTAssertEqual(error.line, line, "line of: \(error)", file: file, line: sourceLine)
        XCTAssertEqual(error.field, field, "field of: \(error)", file: file, line: sourceLine)
        XCTAssertEqual(error.path, path, file: file, line: sourceLine)
        if let contains {
            XCTAssertTrue(error.description.contains(contains), "\(error.description) should contain \(contains)", file: file, line: sourceLine)
        }
    } catch {
        XCTFail("expected a RecordParseError, got \(error)", file: file, line: sourceLine)
    }
}

/// Lines of a file, each with the top-level field it belongs to (`<header>` for the id … updated
/// lines, `<body>` after the front matter, `---` for the markers).
func fieldOwners(of text: String) -> [(line: String, owner: String)] {
    var out: [(String, String)] = []
    var owner = "---"
    var inBody = false
    var markers = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if !inBody && line == "---" {
            markers += 1
            inBody = markers == 2
            out.append((line, "---"))
            owner = inBody ? "<body>" : "---"
            continue
        }
        if !inBody, let first = line.first, first != " ", let colon = line.firstIndex(of: ":") {
            owner = String(line[..<colon])
            if Schema.headerFields.contains(owner) { owner = "<header>" }
        }
        out.append((line, owner))
    }
    return out
}

extension String {
    /// The UTF-8 bytes with every LF turned into CRLF (byte-wise, so a "\r\n" grapheme is not special).
    var withCRLF: String {
        var bytes: [UInt8] = []
        for byte in utf8 {
            if byte == UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\r")) }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Foundation
import KBMSpreadsheet
import KBMTestSupport
import XCTest

final class CSVTests: XCTestCase {
    func texts(_ table: CSVTable) -> [[String]] { table.rows.map { $0.cells.map(\.text) } }

    func testBOMSemicolonQuotedLineBreaksAndBlankRows() throws {
        let text = "\u{FEFF}Name;Notizen;Themen\r\n\"Müller; Anna\";\"Zeile 1\r\nZeile \"\"2\"\"\";\"A\nB\"\r\n;;\r\n\r\nJörg Weiß;👍;\r\n"
        let table = try CSVReader.parse(Data(text.utf8))
        XCTAssertEqual(table.encoding, .utf8BOM)
        XCTAssertEqual(table.separator, ";")
        XCTAssertEqual(texts(table), [["Name", "Notizen", "Themen"], ["Müller; Anna", "Zeile 1\nZeile \"2\"", "A\nB"], ["Jörg Weiß", "👍", ""]])
        // Row numbers as a spreadsheet program shows them: blank rows count, line breaks in a cell do not.
        XCTAssertEqual(table.rows.map(\.number), [1, 2, 5])
    }

    func testWindows1252AsGermanExcelSavesIt() throws {
        // "Schlüsselperson;Straße" with „ and € in Windows-1252
        var bytes: [UInt8] = Array("Schl".utf8) + [0xFC] + Array("sselperson;Stra".utf8) + [0xDF] + Array("e\r\n".utf8)
        bytes += [0x84] + Array("Zitat".utf8) + [0x93, 0x3B, 0x80] + Array("5\r\n".utf8)
        let table = try CSVReader.parse(Data(bytes))
        XCTAssertEqual(table.encoding, .windows1252)
        XCTAssertEqual(texts(table), [["Schlüsselperson", "Straße"], ["„Zitat“", "€5"]])
    }

    func testSeparatorDetection() throws {
        XCTAssertEqual(try CSVReader.parse(Data("a,b,c\n1,2,3\n".utf8)).separator, ",")
        XCTAssertEqual(try CSVReader.parse(Data("a\tb\tc;x\n1\t2\n".utf8)).separator, "\t")
        XCTAssertEqual(try CSVReader.parse(Data("\"a;b\",c\n".utf8)).separator, ",", "separators inside quotes do not count")
        let hinted = try CSVReader.parse(Data("sep=,\nName,Ort\nA,B\n".utf8))
        XCTAssertEqual(texts(hinted), [["Name", "Ort"], ["A", "B"]])
        XCTAssertEqual(hinted.rows.first?.number, 2)
    }

    /// Property: whatever the fields hold (separators, quotes, line breaks, spaces, umlauts,
    /// emoji), what CSVWriter writes CSVReader reads back the same, row for row.
    func testWriterAndReaderRoundTripRandomFields() throws {
        let pieces = ["a", "Ä", "ß", "🎓", ";", ",", "\t", "\"", "\n", "\r\n", " ", "=1+2", "sep=", "x y", "„z“", "0"]
        for seed in UInt64(1)...200 {
            var random = SplitMix64(seed: seed)
            let columns = 1 + random.below(5)
            var rows: [[String]] = []
            for _ in 0..<(1 + random.below(6)) {
                rows.append((0..<columns).map { _ in (0..<random.below(5)).map { _ in random.pick(pieces) }.joined() })
            }
            // Every row has something in it (blank rows are skipped by design), and a first
            // cell that is not Excel's "sep=" hint.
            rows = rows.map { $0.enumerated().map { $0.offset == 0 ? "k" + $0.element : $0.element } }
            let read = try CSVReader.parse(CSVWriter.data(rows))
            XCTAssertEqual(read.rows.map { r in (0..<columns).map { r[$0].text } }, rows.map { $0.map { $0.replacingOccurrences(of: "\r\n", with: "\n") } }, "seed \(seed)")
            XCTAssertEqual(read.rows.map(\.number), Array(1...rows.count), "seed \(seed)")
        }
    }

    func testUnclosedQuoteIsAnError() {
        XCTAssertThrowsError(try CSVReader.parse(Data("Name;Notizen\nA;\"offen\nB;C\n".utf8), path: "x.csv")) { error in
            XCTAssertEqual("\(error)", "x.csv: row 2: a quoted field (starting with \") is never closed; the file may be cut off")
        }
    }

    func testWriterForGermanExcelRoundTrips() throws {
        let rows = [["ID", "Name", "Notizen"], ["1", "Müller; Anna", "Zeile 1\nZeile \"2\""], ["2", " Leerzeichen ", "🎓 ß"]]
        let data = CSVWriter.data(rows)
        XCTAssertTrue(data.starts(with: [0xEF, 0xBB, 0xBF]), "a BOM, so Excel reads UTF-8")
        XCTAssertEqual(String(decoding: data.dropFirst(3), as: UTF8.self),
                       "ID;Name;Notizen\r\n1;\"Müller; Anna\";\"Zeile 1\nZeile \"\"2\"\"\"\r\n2;\" Leerzeichen \";🎓 ß\r\n")
        XCTAssertEqual(texts(try CSVReader.parse(data)), rows)
        // Python's csv module reads it the same.
        let dir = KBMRunner.makeTempDir("kbm-csv")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try data.write(to: URL(fileURLWithPath: dir + "/out.csv"))
        let json = Independent.python("""
            import csv, json, sys
            with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
                print(json.dumps(list(csv.reader(f, delimiter=';'))))
            """, [dir + "/out.csv"])
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String]], rows)
    }
}

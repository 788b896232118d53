import Foundation
import KBMSpreadsheet
import KBMTestSupport
import XCTest

final class XLSXTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = KBMRunner.makeTempDir("kbm-xlsx") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A 50,000-row sheet (about 60 MB of XML) is streamed: the process's peak memory grows by far
    /// less than the sheet's size while every row arrives.
    func testAFiftyThousandRowSheetIsStreamed() throws {
        let path = dir + "/gross.xlsx"
        Independent.python("""
            import sys, openpyxl
            wb = openpyxl.Workbook(write_only=True)
            ws = wb.create_sheet('Akteure')
            ws.append(['Name'] + ['Spalte %d' % i for i in range(15)])
            for r in range(50000):
                ws.append(['Person %d' % r] + ['Wert %d in Spalte %d, etwas länger' % (r, i) for i in range(15)])
            wb.save(sys.argv[1])
            """, [path])
        let before = Self.residentKiB()
        var peak = before
        var count = 0, last = 0
        try XLSXReader(path: path).rows { row in
            count += 1
            last = row.number
            if count % 2000 == 0 { peak = max(peak, Self.residentKiB()) }
            if row.number == 50_001 { XCTAssertEqual(row[15], .text("Wert 49999 in Spalte 14, etwas länger")) }
        }
        XCTAssertEqual(count, 50_001)
        XCTAssertEqual(last, 50_001)
        let grownMiB = Double(peak - before) / 1024
        XCTAssertLessThan(grownMiB, 20, "peak memory grew by \(grownMiB) MiB while reading the sheet")
        print("50,000 rows: peak memory grew by \(grownMiB) MiB")
    }

    /// This process's resident memory now (VmRSS), in KiB.
    static func residentKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    /// openpyxl writes inline strings; Excel-style shared strings come from LibreOffice below.
    func testReadsWhatOpenpyxlWrites() throws {
        let path = dir + "/openpyxl.xlsx"
        Independent.python("""
            import sys, datetime, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = 'Akteure'
            ws.append(['Name', 'Letzter Kontakt', 'Teilnehmende', 'Schlüsselperson', 'Notizen', 'Summe'])
            ws.append(['Jörg Weiß-Öztürk', datetime.date(2026, 4, 24), 85, True, 'Zeile 1\\nZeile „2“ 👍', None])
            ws.append([])
            ws.append(['Anna', datetime.datetime(1900, 3, 1, 12, 30), 1234.5, False, None, None])
            ws['F2'] = '=C2*2'
            wb.create_sheet('Zweites')['A1'] = 'nur hier'
            wb.save(sys.argv[1])
            """, [path])
        let reader = try XLSXReader(path: path)
        XCTAssertEqual(reader.sheetNames, ["Akteure", "Zweites"])
        let rows = try Independent.rows(path)
        XCTAssertEqual(rows.map(\.number), [1, 2, 4], "blank rows are skipped, numbers kept")
        XCTAssertEqual(rows[1].cells[0...4], [.text("Jörg Weiß-Öztürk"), .date(year: 2026, month: 4, day: 24), .number(85), .bool(true), .text("Zeile 1\nZeile „2“ 👍")])
        XCTAssertEqual(rows[2].cells[0...3], [.text("Anna"), .date(year: 1900, month: 3, day: 1), .number(1234.5), .bool(false)])
        XCTAssertEqual(try Independent.rows(path, sheet: "zweites").first?.cells, [.text("nur hier")])
        XCTAssertThrowsError(try Independent.rows(path, sheet: "Drittes")) { error in
            XCTAssertTrue("\(error)".contains("has no sheet named \"Drittes\"; its sheets: \"Akteure\", \"Zweites\""), "\(error)")
        }
    }

    /// LibreOffice converts a CSV (German dates, a formula) into XLSX with shared strings, date
    /// cells and formulas with their cached values.
    func testReadsWhatLibreOfficeWrites() throws {
        let csv = dir + "/liste.csv"
        try Data("Name,Beginn,Teilnehmende,Doppelt\n\"Bildungskonferenz, Augsburg\",2026-03-14,85,=C2*2\nÜbergang Schule–Beruf,2026-12-01,12,=C3*2\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        // CSV filter options: comma, double quote, UTF-8 (76), first line 1.
        try Independent.libreOfficeConvert([csv], to: "xlsx", outDir: dir, inFilter: "CSV:44,34,76,1")
        let rows = try Independent.rows(dir + "/liste.xlsx")
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[1].cells, [.text("Bildungskonferenz, Augsburg"), .date(year: 2026, month: 3, day: 14), .number(85), .number(170)])
        XCTAssertEqual(rows[2].cells, [.text("Übergang Schule–Beruf"), .date(year: 2026, month: 12, day: 1), .number(12), .number(24)])
    }

    func testOwnWorkbookReadBackByOpenpyxlAndByTheReader() throws {
        let path = dir + "/own.xlsx"
        let header = ["ID", "Name", "Beginn", "Teilnehmende", "Themen"]
        let rows: [[SpreadsheetCell]] = [
            [.text("01A"), .text("Jörg „Weiß“ 🎓"), .date(year: 2026, month: 4, day: 24), .number(85), .text("Übergang\nDigitalisierung")],
            [.text("01B"), .text(String(repeating: "lang ", count: 40)), .empty, .number(1234), .empty],
        ]
        try XLSXWriter.write([SheetContent(name: "Akteur", header: header, rows: rows), SheetContent(name: "Veranstaltung", header: ["ID"], rows: [])], to: path)
        let read = try Independent.rows(path)
        XCTAssertEqual(read.map(\.cells), [header.map(SpreadsheetCell.text)] + rows.map { row in
            var r = row
            while r.last == .empty { r.removeLast() }
            return r
        })
        let json = Independent.python("""
            import sys, json, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb['Akteur']
            out = {'sheets': wb.sheetnames, 'freeze': ws.freeze_panes, 'filter': ws.auto_filter.ref,
                   'bold': ws['A1'].font.b, 'wrap': ws['E2'].alignment.wrap_text, 'date_format': ws['C2'].number_format,
                   'widthB': ws.column_dimensions['B'].width,
                   'rows': [[c.isoformat() if hasattr(c, 'isoformat') else c for c in r] for r in ws.iter_rows(values_only=True)]}
            print(json.dumps(out))
            """, [path])
        let out = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(out["sheets"] as? [String], ["Akteur", "Veranstaltung"])
        XCTAssertEqual(out["freeze"] as? String, "A2")
        XCTAssertEqual(out["filter"] as? String, "A1:E3")
        XCTAssertEqual(out["bold"] as? Bool, true)
        XCTAssertEqual(out["wrap"] as? Bool, true)
        XCTAssertEqual(out["date_format"] as? String, "dd.mm.yyyy")
        XCTAssertGreaterThan(out["widthB"] as? Double ?? 0, 30)
        let values = try XCTUnwrap(out["rows"] as? [[Any]])
        XCTAssertEqual(values[1][1] as? String, "Jörg „Weiß“ 🎓")
        XCTAssertEqual(values[1][2] as? String, "2026-04-24T00:00:00")
        XCTAssertEqual(values[1][3] as? Int, 85)
        XCTAssertEqual(values[1][4] as? String, "Übergang\nDigitalisierung")
        XCTAssertTrue(values[2][2] is NSNull)
    }

    func testNotAZipIsRefused() throws {
        let good = dir + "/good.xlsx"
        try XLSXWriter.write([SheetContent(name: "Akteur", header: ["Name"], rows: [[.text("A")]])], to: good)
        let data = try Data(contentsOf: URL(fileURLWithPath: good))
        let cut = dir + "/cut.xlsx"
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        XCTAssertThrowsError(try XLSXReader(path: cut)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(cut): is not an .xlsx workbook: the file is not a zip archive"), "\(error)")
        }
        let text = dir + "/text.xlsx"
        try Data("Name;Ort\n".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertThrowsError(try XLSXReader(path: text))
    }

    /// A sheet that unpacks to more than the limit is refused while unpacking, whatever the
    /// archive declares.
    func testZipBombIsRefused() throws {
        let path = dir + "/bomb.xlsx"
        Independent.python("""
            import sys, zipfile
            src = sys.argv[1]
            wb = zipfile.ZipFile(src, 'w', zipfile.ZIP_DEFLATED)
            wb.writestr('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
            wb.writestr('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Akteur" sheetId="1" r:id="rId1"/></sheets></workbook>')
            wb.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
            with wb.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
                f.write(b'<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>Name</t></is></c></row></sheetData>')
                chunk = b' ' * (1 << 20)
                for _ in range(3):
                    f.write(chunk)
                f.write(b'</worksheet>')
            wb.close()
            """, [path])
        var limits = XLSXReader.Limits()
        limits.sheetBytes = 2 << 20
        let reader = try XLSXReader(path: path, limits: limits)
        XCTAssertThrowsError(try reader.rows { _ in }) { error in
            XCTAssertTrue("\(error)".contains("refused: its part xl/worksheets/sheet1.xml unpacks to more than 2 MB"), "\(error)")
        }
        XCTAssertNoThrow(try XLSXReader(path: path).rows { _ in }, "the default limit takes it")
    }

    /// A bomb whose archive lies about the unpacked size (1,000 bytes declared, 3 MB inside) is
    /// stopped while unpacking, not trusted.
    func testZipBombWithALyingSizeIsRefused() throws {
        let path = dir + "/lying.xlsx"
        Independent.python("""
            import sys, zipfile, struct
            path = sys.argv[1]
            sheet = 'xl/worksheets/sheet1.xml'
            with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as wb:
                wb.writestr('xl/workbook.xml', '<workbook xmlns:r="r"><sheets><sheet name="Akteur" sheetId="1" r:id="rId1"/></sheets></workbook>')
                wb.writestr('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
                wb.writestr(sheet, '<worksheet><sheetData>' + ' ' * (3 << 20) + '</sheetData></worksheet>')
            with zipfile.ZipFile(path) as z:
                local = z.getinfo(sheet).header_offset
            data = bytearray(open(path, 'rb').read())
            struct.pack_into('<I', data, local + 22, 1000)
            i = data.find(b'PK\\x01\\x02')
            while i != -1:
                n = struct.unpack_from('<H', data, i + 28)[0]
                if bytes(data[i + 46:i + 46 + n]) == sheet.encode():
                    struct.pack_into('<I', data, i + 24, 1000)
                i = data.find(b'PK\\x01\\x02', i + 4)
            open(path, 'wb').write(data)
            """, [path])
        var limits = XLSXReader.Limits()
        limits.sheetBytes = 1 << 20
        let reader = try XLSXReader(path: path, limits: limits)
        XCTAssertThrowsError(try reader.rows { _ in }) { error in
            XCTAssertTrue("\(error)".contains("refused: its part xl/worksheets/sheet1.xml unpacks to more than 1 MB (declared: 1000 bytes)"), "\(error)")
        }
    }

    func testDateSerials() throws {
        // 1900 system: serial 60 is Excel's phantom 29 February 1900.
        let path = dir + "/serials.xlsx"
        Independent.python("""
            import sys, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            for v in [1, 59, 61, 45658, 46136.75]:
                c = ws.cell(row=ws.max_row + 1 if ws['A1'].value is not None else 1, column=1, value=v)
                c.number_format = 'DD.MM.YYYY'
            wb.save(sys.argv[1])
            """, [path])
        let cells = try Independent.rows(path).map { $0.cells[0] }
        XCTAssertEqual(cells, [.date(year: 1900, month: 1, day: 1), .date(year: 1900, month: 2, day: 28), .date(year: 1900, month: 3, day: 1),
                               .date(year: 2025, month: 1, day: 1), .date(year: 2026, month: 4, day: 24)])
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads .xlsx workbooks (Office Open XML) written by Excel, LibreOffice, openpyxl and others:
/// shared and inline strings, numbers, booleans, dates (a number whose style has a date format,
/// 1900 or 1904 date system) and the cached values of formulas. A sheet is streamed row by row
/// from a temporary file, so a large sheet costs little memory; what a zip entry unpacks to is
/// limited (`Limits`), so a zip bomb is refused, not unpacked.
public final class XLSXReader {
    /// How much the parts of a workbook may unpack to.
    public struct Limits: Sendable {
        /// One worksheet's XML.
        public var sheetBytes: UInt64 = 512 << 20
        /// The shared strings, the styles, the workbook and its relations (held in memory).
        public var partBytes: UInt64 = 64 << 20
        public init() {}
    }

    public let path: String
    /// The sheets' names, in the workbook's order.
    public let sheetNames: [String]
    let archive: Archive
    let limits: Limits
    let sheetPaths: [String]
    let sharedStrings: [String]
    /// Per cell style index (the `s` attribute): whether its number format is a date.
    let dateStyles: [Bool]
    let date1904: Bool

    /// Opens a workbook. Throws `SpreadsheetError` when the file is not a zip archive, is no
    /// workbook, or a part unpacks to more than `limits` allow.
    public init(path: String, limits: Limits = Limits()) throws {
        self.path = path
        self.limits = limits
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw SpreadsheetError(path: path, "cannot read the file: no such file or not readable")
        }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw SpreadsheetError(path: path, "is not an .xlsx workbook: the file is not a zip archive (it may be cut off, or another format renamed to .xlsx). Save it again from the spreadsheet program as .xlsx, or as CSV")
        }
        let workbookPath = "xl/workbook.xml"
        guard archive[workbookPath] != nil else {
            throw SpreadsheetError(path: path, "is a zip archive but not an .xlsx workbook (it has no xl/workbook.xml)")
        }
        let relations = try XLSXReader.parseRelations(XLSXReader.part(archive, "xl/_rels/workbook.xml.rels", limit: limits.partBytes, path: path) ?? Data())
        let workbook = WorkbookParser()
        try XLSXReader.run(workbook, on: XLSXReader.part(archive, workbookPath, limit: limits.partBytes, path: path) ?? Data(), path: path)
        sheetNames = workbook.sheets.map(\.name)
        sheetPaths = workbook.sheets.map { sheet in
            let target = relations.first { $0.id == sheet.relation }?.target ?? "worksheets/sheet\(sheet.index + 1).xml"
            return XLSXReader.resolve(target)
        }
        date1904 = workbook.date1904
        let stringsPath = relations.first { $0.type.hasSuffix("/sharedStrings") }.map { XLSXReader.resolve($0.target) } ?? "xl/sharedStrings.xml"
        if let data = try XLSXReader.part(archive, stringsPath, limit: limits.partBytes, path: path) {
            let strings = SharedStringsParser()
            try XLSXReader.run(strings, on: data, path: path)
            sharedStrings = strings.strings
        } else {
            sharedStrings = []
        }
        let stylesPath = relations.first { $0.type.hasSuffix("/styles") }.map { XLSXReader.resolve($0.target) } ?? "xl/styles.xml"
        if let data = try XLSXReader.part(archive, stylesPath, limit: limits.partBytes, path: path) {
            let styles = StylesParser()
            try XLSXReader.run(styles, on: data, path: path)
            dateStyles = styles.cellFormats.map { id in StylesParser.isDateFormat(id: id, code: styles.formats[id]) }
        } else {
            dateStyles = []
        }
        guard !sheetNames.isEmpty else { throw SpreadsheetError(path: path, "the workbook has no sheets") }
    }

    /// Calls `body` with every non-blank row of the sheet named `sheet` (folded: case and
    /// surrounding spaces ignored), or of the first sheet. Throws `SpreadsheetError` for an unknown
    /// sheet or a malformed one; rethrows what `body` throws.
    public func rows(sheet: String? = nil, _ body: (SpreadsheetRow) throws -> Void) throws {
        let index: Int
        if let sheet {
            let key = sheet.trimmingCharacters(in: .whitespaces).lowercased()
            guard let found = sheetNames.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == key }) else {
                throw SpreadsheetError(path: path, "has no sheet named \"\(sheet)\"; its sheets: \(sheetNames.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            index = found
        } else {
            index = 0
        }
        let entryPath = sheetPaths[index]
        guard let entry = archive[entryPath] else {
            throw SpreadsheetError(path: path, "sheet \"\(sheetNames[index])\" is missing from the workbook (\(entryPath))")
        }
        // Unpacked to a temporary file and parsed from there in chunks: memory stays small.
        let temp = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kbm-sheet-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: temp) }
        guard FileManager.default.createFile(atPath: temp.path, contents: nil), let handle = try? FileHandle(forWritingTo: temp) else {
            throw SpreadsheetError(path: path, "cannot unpack sheet \"\(sheetNames[index])\" to a temporary file in \(NSTemporaryDirectory())")
        }
        do {
            defer { try? handle.close() }
            try XLSXReader.extract(archive, entry, limit: limits.sheetBytes, path: path) { handle.write($0) }
        }
        guard let stream = InputStream(url: temp) else {
            throw SpreadsheetError(path: path, "cannot read back sheet \"\(sheetNames[index])\"")
        }
        let (ok, parser) = try withoutActuallyEscaping(body) { body -> (Bool, XMLParser) in
            let sheetParser = SheetParser(strings: sharedStrings, dateStyles: dateStyles, date1904: date1904, body: body)
            let parser = XMLParser(stream: stream)
            parser.delegate = sheetParser
            let ok = parser.parse()
            parser.delegate = nil
            if let error = sheetParser.failure { throw error }
            return (ok, parser)
        }
        if !ok {
            throw SpreadsheetError(path: path, "sheet \"\(sheetNames[index])\" is not well-formed XML (\(parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error") near line \(parser.lineNumber))")
        }
    }

    // MARK: parts

    struct Relation { var id: String; var target: String; var type: String }

    static func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }

    static func parseRelations(_ data: Data) throws -> [Relation] {
        let parser = RelationsParser()
        try run(parser, on: data, path: "")
        return parser.relations
    }

    static func run(_ delegate: XMLParserDelegate, on data: Data, path: String) throws {
        guard !data.isEmpty else { return }
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw SpreadsheetError(path: path, "a part of the workbook is not well-formed XML (line \(parser.lineNumber))")
        }
    }

    /// The unpacked bytes of a part, nil when the archive lacks it; refused past `limit`.
    static func part(_ archive: Archive, _ name: String, limit: UInt64, path: String) throws -> Data? {
        guard let entry = archive[name] else { return nil }
        var data = Data()
        try extract(archive, entry, limit: limit, path: path) { data.append($0) }
        return data
    }

    /// Unpacks an entry chunk by chunk, stopping with an error as soon as it would exceed `limit`
    /// (what the archive declares is checked first, what really comes out while unpacking).
    static func extract(_ archive: Archive, _ entry: Entry, limit: UInt64, path: String, _ consume: (Data) -> Void) throws {
        let tooLarge = SpreadsheetError(path: path, "refused: its part \(entry.path) unpacks to more than \(limit >> 20) MB (declared: \(entry.uncompressedSize) bytes). A workbook this large is not a list of records; this may be a zip bomb")
        guard entry.uncompressedSize <= limit else { throw tooLarge }
        var total: UInt64 = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                total += UInt64(chunk.count)
                guard total <= limit else { throw tooLarge }
                consume(chunk)
            }
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw SpreadsheetError(path: path, "is a damaged .xlsx workbook: cannot unpack \(entry.path) (\(error)). Save it again from the spreadsheet program")
        }
    }
}

// MARK: XML of the parts

final class RelationsParser: NSObject, XMLParserDelegate {
    var relations: [XLSXReader.Relation] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        guard local(name) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        relations.append(.init(id: id, target: target, type: attributes["Type"] ?? ""))
    }
}

final class WorkbookParser: NSObject, XMLParserDelegate {
    struct Sheet { var name: String; var relation: String; var index: Int }
    var sheets: [Sheet] = []
    var date1904 = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch local(name) {
        case "sheet":
            let relation = attributes.first { $0.key == "r:id" || $0.key.hasSuffix(":id") }?.value ?? ""
            sheets.append(Sheet(name: attributes["name"] ?? "Sheet\(sheets.count + 1)", relation: relation, index: sheets.count))
        case "workbookPr":
            date1904 = ["1", "true"].contains(attributes["date1904"]?.lowercased() ?? "")
        default: break
        }
    }
}

/// `<si>` entries; the text of `<t>` elements, except phonetic runs (`<rPh>`).
final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false
    var inPhonetic = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch local(name) {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
}

/// The number formats (`<numFmt>`) and the cell formats (`<cellXfs><xf numFmtId>`).
final class StylesParser: NSObject, XMLParserDelegate {
    var formats: [Int: String] = [:]
    var cellFormats: [Int] = []
    var inCellXfs = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch local(name) {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init) { formats[id] = attributes["formatCode"] ?? "" }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs: cellFormats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if local(name) == "cellXfs" { inCellXfs = false }
    }

    /// Built-in date formats (14–17, 22, 27–36, 50–58), or a custom one that shows a day or a year.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if let code {
            var out = ""
            var quoted = false, bracket = false, escaped = false
            for ch in code {
                if escaped { escaped = false; continue }
                if ch == "\\" { escaped = true; continue }
                if ch == "\"" { quoted.toggle(); continue }
                if quoted { continue }
                if ch == "[" { bracket = true; continue }
                if ch == "]" { bracket = false; continue }
                if !bracket { out.append(ch) }
            }
            let lower = out.lowercased()
            return lower.contains("d") || lower.contains("y")
        }
        return (14...17).contains(id) || id == 22 || (27...36).contains(id) || (50...58).contains(id)
    }
}

/// A worksheet's `<row>` and `<c>` elements, handed on row by row.
final class SheetParser: NSObject, XMLParserDelegate {
    let strings: [String]
    let dateStyles: [Bool]
    let date1904: Bool
    let body: (SpreadsheetRow) throws -> Void
    var failure: Error?

    var rowNumber = 0
    var cells: [SpreadsheetCell] = []
    var column = 0
    var type = "n"
    var style = 0
    var value = ""
    var inline = ""
    var inValue = false
    var inInlineText = false
    var inPhonetic = false
    var hasValue = false
    var formula = ""
    var inFormula = false

    init(strings: [String], dateStyles: [Bool], date1904: Bool, body: @escaping (SpreadsheetRow) throws -> Void) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.body = body
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch local(name) {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
            column = 0
        case "c":
            if let ref = attributes["r"], let index = ColumnName.index(ofReference: ref) { column = index }
            type = attributes["t"] ?? "n"
            style = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
            inline = ""
            formula = ""
            hasValue = false
        case "v": inValue = true; hasValue = true
        case "f": inFormula = true
        case "t": inInlineText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string } else if inInlineText { inline += string } else if inFormula { formula += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "v": inValue = false
        case "f": inFormula = false
        case "t": inInlineText = false
        case "rPh": inPhonetic = false
        case "c":
            let cell = makeCell()
            if column < 16_384 {
                if cells.count <= column { cells.append(contentsOf: repeatElement(.empty, count: column - cells.count + 1)) }
                cells[column] = cell
            }
            column += 1
        case "row":
            let row = SpreadsheetRow(number: rowNumber, cells: cells)
            cells = []
            guard !row.isBlank else { return }
            do { try body(row) } catch { failure = error; parser.abortParsing() }
        default: break
        }
    }

    func makeCell() -> SpreadsheetCell {
        // A formula whose value was never computed (openpyxl writes them so): shown as the
        // formula, so that the importer can say what it is instead of reading an empty cell.
        if !formula.isEmpty && value.isEmpty && type != "inlineStr" { return .text("=" + formula) }
        switch type {
        case "s":
            guard let i = Int(value.trimmingCharacters(in: .whitespaces)), i >= 0, i < strings.count else { return .empty }
            return strings[i].isEmpty ? .empty : .text(strings[i])
        case "inlineStr":
            return inline.isEmpty ? .empty : .text(inline)
        case "str":
            return value.isEmpty ? .empty : .text(value)
        case "b":
            return .bool(value.trimmingCharacters(in: .whitespaces) == "1")
        case "e":
            return value.isEmpty ? .empty : .text(value)
        case "d":
            let parts = value.prefix(10).split(separator: "-").compactMap { Int($0) }
            return parts.count == 3 ? .date(year: parts[0], month: parts[1], day: parts[2]) : .text(value)
        default:
            guard hasValue, let n = Double(value.trimmingCharacters(in: .whitespaces)) else { return .empty }
            if style < dateStyles.count, dateStyles[style], let date = SheetParser.date(serial: n, date1904: date1904) {
                return date
            }
            return .number(n)
        }
    }

    /// The calendar day of an Excel serial number. In the 1900 system Excel counts a
    /// 29 February 1900 that never was: serials from 61 on are days since 1899-12-30.
    static func date(serial: Double, date1904: Bool) -> SpreadsheetCell? {
        guard serial.isFinite, serial >= 0, serial < 3_000_000 else { return nil }
        let whole = Int(serial.rounded(.down))
        var days: Int  // days since 1970-01-01
        if date1904 {
            days = whole - 24_107
        } else if whole >= 61 {
            days = whole - 25_569
        } else {
            days = whole - 25_568
        }
        let (y, m, d) = civil(days)
        return .date(year: y, month: m, day: d)
    }

    static func civil(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// The local name of an element (`x:row` → `row`): some writers use a prefix for the main namespace.
private func local(_ name: String) -> Substring {
    if let colon = name.lastIndex(of: ":") { return name[name.index(after: colon)...] }
    return Substring(name)
}

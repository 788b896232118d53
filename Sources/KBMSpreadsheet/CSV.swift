import Foundation

/// The text encoding a CSV file was read in.
public enum CSVEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case utf16 = "UTF-16"
    case windows1252 = "Windows-1252"
}

/// A CSV file read into rows.
public struct CSVTable: Sendable {
    public var rows: [SpreadsheetRow]
    public var separator: Character
    public var encoding: CSVEncoding
}

/// Reads CSV as spreadsheet programs write it: the separator (`;`, `,` or tab) and the encoding
/// (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252, what German Excel writes for
/// "CSV (Trennzeichen-getrennt)") are detected; quoted fields may hold separators, quotes ("") and
/// line breaks. Blank rows are skipped; row numbers count them, as a spreadsheet program shows them.
public enum CSVReader {
    /// Larger files are refused: a CSV is read whole.
    public static let maxFileSize = 256 << 20

    /// Reads the file at `path`. Throws `SpreadsheetError` when it cannot be read, is too large or
    /// holds a quoted field that is never closed.
    public static func read(path: String) throws -> CSVTable {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maxFileSize {
            throw SpreadsheetError(path: path, "the file holds \(size) bytes; a CSV file may hold at most \(maxFileSize >> 20) MB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpreadsheetError(path: path, "cannot read the file: no such file or not readable")
        }
        return try parse(data, path: path)
    }

    /// Parses CSV bytes; `path` names the file in errors.
    public static func parse(_ data: Data, path: String = "CSV") throws -> CSVTable {
        let (text, encoding) = decode(data)
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var separator: Unicode.Scalar
        // Excel's own hint line: "sep=;"
        if scalars.count >= 5, String(String.UnicodeScalarView(scalars[0..<4])).lowercased() == "sep=",
           scalars.count == 5 || scalars[5] == "\n" || scalars[5] == "\r" {
            separator = scalars[4]
            start = 5
            if start < scalars.count, scalars[start] == "\r" { start += 1 }
            if start < scalars.count, scalars[start] == "\n" { start += 1 }
        } else {
            separator = detectSeparator(scalars)
        }
        var rows: [SpreadsheetRow] = []
        var row: [SpreadsheetCell] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var quoted = false
        var rowNumber = start > 0 ? 2 : 1
        var quoteRow = 0
        func endField() {
            var value = String(field)
            if quoted { value = value.replacingOccurrences(of: "\r\n", with: "\n") }
            row.append(value.isEmpty ? .empty : .text(value))
            field = String.UnicodeScalarView()
            quoted = false
        }
        func endRow() {
            endField()
            let r = SpreadsheetRow(number: rowNumber, cells: row)
            if !r.isBlank { rows.append(r) }
            row = []
            rowNumber += 1
        }
        var i = start
        let n = scalars.count
        while i < n {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < n, scalars[i + 1] == "\"" { field.append("\""); i += 2; continue }
                    inQuotes = false
                } else {
                    field.append(c)
                }
                i += 1
                continue
            }
            if c == "\"" && field.isEmpty && !quoted {
                inQuotes = true
                quoted = true
                quoteRow = rowNumber
            } else if c == separator {
                endField()
            } else if c == "\r" {
                if i + 1 < n, scalars[i + 1] == "\n" { i += 1 }
                endRow()
            } else if c == "\n" {
                endRow()
            } else {
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            throw SpreadsheetError(path: path, "row \(quoteRow): a quoted field (starting with \") is never closed; the file may be cut off")
        }
        if !field.isEmpty || !row.isEmpty || quoted { endRow() }
        return CSVTable(rows: rows, separator: Character(separator), encoding: encoding)
    }

    /// The text of the bytes and the encoding it was read in.
    static func decode(_ data: Data) -> (String, CSVEncoding) {
        let bytes = [UInt8](data.prefix(3))
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return (String(decoding: data.dropFirst(3), as: UTF8.self), .utf8BOM)
        }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let little = bytes[0] == 0xFF
            let body = [UInt8](data.dropFirst(2))
            var units: [UInt16] = []
            units.reserveCapacity(body.count / 2)
            var k = 0
            while k + 1 < body.count {
                units.append(little ? UInt16(body[k]) | UInt16(body[k + 1]) << 8 : UInt16(body[k]) << 8 | UInt16(body[k + 1]))
                k += 2
            }
            return (String(decoding: units, as: UTF16.self), .utf16)
        }
        if let text = String(validatingUTF8Bytes: data) { return (text, .utf8) }
        return (windows1252(data), .windows1252)
    }

    /// Windows-1252: Latin-1 except 0x80–0x9F, which hold €, „, “, ” and friends.
    static func windows1252(_ data: Data) -> String {
        var out = String.UnicodeScalarView()
        for b in data {
            if b >= 0x80 && b <= 0x9F, let s = Unicode.Scalar(cp1252High[Int(b - 0x80)]) {
                out.append(s)
            } else {
                out.append(Unicode.Scalar(b))
            }
        }
        return String(out)
    }

    static let cp1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// The separator of the header line (outside quotes): the most frequent of `;`, tab and `,`;
    /// `;` when none occurs (one column).
    static func detectSeparator(_ scalars: [Unicode.Scalar]) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [";": 0, "\t": 0, ",": 0]
        var inQuotes = false
        for c in scalars {
            if c == "\"" { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if c == "\n" || c == "\r" { break }
            if counts[c] != nil { counts[c, default: 0] += 1 }
        }
        let order: [Unicode.Scalar] = [";", "\t", ","]
        var best: Unicode.Scalar = ";"
        var bestCount = 0
        for s in order where counts[s, default: 0] > bestCount { best = s; bestCount = counts[s, default: 0] }
        return best
    }
}

extension String {
    /// The text of UTF-8 bytes, or nil when they are not valid UTF-8.
    init?(validatingUTF8Bytes data: Data) {
        var ok = true
        var decoder = UTF8()
        var iterator = data.makeIterator()
        var scalars = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): scalars.append(s)
            case .emptyInput: break loop
            case .error: ok = false; break loop
            }
        }
        guard ok else { return nil }
        self = String(scalars)
    }
}

/// Writes CSV for German Excel: UTF-8 with a BOM, `;` between fields, CRLF between rows, and
/// quotes around fields that hold a `;`, `,`, tab, quote, line break or leading or trailing spaces.
/// Line breaks inside a field are written as LF, as Excel does.
public enum CSVWriter {
    public static func data(_ rows: [[String]]) -> Data {
        var out = "\u{FEFF}"
        for row in rows {
            out += row.map(field).joined(separator: ";")
            out += "\r\n"
        }
        return Data(out.utf8)
    }

    static func field(_ text: String) -> String {
        // Commas and tabs too, so that a reader detecting the separator sees only the `;`s.
        let needsQuotes = text.contains { $0 == ";" || $0 == "," || $0 == "\t" || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Writes the rows to `path` (atomically). Throws `SpreadsheetError` when it cannot.
    public static func write(_ rows: [[String]], to path: String) throws {
        do {
            try data(rows).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SpreadsheetError(path: path, "cannot write the file: \(error.localizedDescription)")
        }
    }
}

import Foundation

/// One cell of a spreadsheet row, as the file holds it.
public enum SpreadsheetCell: Hashable, Sendable {
    case empty
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A date cell (a number with a date format in XLSX); the time of day is dropped.
    case date(year: Int, month: Int, day: Int)

    /// Whether the cell holds nothing, or only spaces.
    public var isBlank: Bool {
        switch self {
        case .empty: return true
        case .text(let t): return t.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
        default: return false
        }
    }

    /// The cell as a person reads it: text as is, whole numbers without a fraction (12, not 12.0),
    /// booleans as TRUE/FALSE, dates as ISO (2026-04-24).
    public var text: String {
        switch self {
        case .empty: return ""
        case .text(let t): return t
        case .number(let n): return SpreadsheetCell.format(n)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .date(let y, let m, let d): return SpreadsheetCell.iso(y, m, d)
        }
    }

    static func format(_ n: Double) -> String {
        if n.rounded() == n, abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    static func iso(_ y: Int, _ m: Int, _ d: Int) -> String {
        let yy = String(y), mm = m < 10 ? "0\(m)" : "\(m)", dd = d < 10 ? "0\(d)" : "\(d)"
        return "\(String(repeating: "0", count: max(0, 4 - yy.count)))\(yy)-\(mm)-\(dd)"
    }
}

/// A row of a sheet: its number as the spreadsheet program shows it (1 is the first row), and its
/// cells from column A on (trailing empty cells may be missing).
public struct SpreadsheetRow: Hashable, Sendable {
    public let number: Int
    public let cells: [SpreadsheetCell]

    public init(number: Int, cells: [SpreadsheetCell]) {
        self.number = number
        self.cells = cells
    }

    /// The cell in column `index` (0 is column A), empty past the end.
    public subscript(_ index: Int) -> SpreadsheetCell { index < cells.count ? cells[index] : .empty }

    /// Whether every cell is blank: such rows are skipped by the readers.
    public var isBlank: Bool { cells.allSatisfy(\.isBlank) }
}

/// Why a spreadsheet file cannot be read or written: the file and what is wrong, for a person.
public struct SpreadsheetError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
public enum ColumnName {
    public static func letters(_ index: Int) -> String {
        var n = index + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// The column index of a cell reference such as `AB12` (27), or nil.
    public static func index(ofReference ref: String) -> Int? {
        var n = 0
        var seen = false
        for u in ref.utf8 {
            if u >= 65 && u <= 90 { n = n * 26 + Int(u - 64); seen = true } else if u >= 97 && u <= 122 { n = n * 26 + Int(u - 96); seen = true } else { break }
            if n > 16_384 { return nil }
        }
        return seen ? n - 1 : nil
    }
}

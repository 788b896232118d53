import CXlsxWriter
import Foundation

/// One sheet to write: its name, the header row and the data rows.
public struct SheetContent: Sendable {
    public var name: String
    public var header: [String]
    public var rows: [[SpreadsheetCell]]

    public init(name: String, header: [String], rows: [[SpreadsheetCell]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }
}

/// Writes .xlsx workbooks with libxlsxwriter: per sheet a bold header row that stays in view
/// (frozen) with an autofilter, columns as wide as their content (within limits), dates as real
/// date cells shown as DD.MM.YYYY, and wrapped text where a cell holds line breaks or long text.
/// Text is always written as text (never as a formula).
public enum XLSXWriter {
    /// Excel's limit for the text of one cell.
    public static let maxCellText = 32_767

    /// Writes `sheets` to `path` (through a temporary file beside it, renamed when complete).
    /// Throws `SpreadsheetError` naming the sheet, row and column of a cell Excel cannot hold,
    /// or what libxlsxwriter reports.
    public static func write(_ sheets: [SheetContent], to path: String) throws {
        let temp = path + ".kbm-\(UUID().uuidString.prefix(8)).tmp.xlsx"
        let workbook = try Workbook(path: temp, errorPath: path)
        defer { try? FileManager.default.removeItem(atPath: temp) }
        for sheet in sheets { try workbook.add(sheet) }
        try workbook.close()
        do {
            if FileManager.default.fileExists(atPath: path) { _ = try FileManager.default.replaceItemAt(URL(fileURLWithPath: path), withItemAt: URL(fileURLWithPath: temp)) } else { try FileManager.default.moveItem(atPath: temp, toPath: path) }
        } catch {
            throw SpreadsheetError(path: path, "cannot write the file: \(error.localizedDescription)")
        }
    }
}

/// Owns one libxlsxwriter workbook handle; `close()` writes the file and frees it (deinit frees
/// an unclosed one without a file worth keeping).
final class Workbook {
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    let errorPath: String
    let bold: UnsafeMutablePointer<lxw_format>
    let date: UnsafeMutablePointer<lxw_format>
    let wrap: UnsafeMutablePointer<lxw_format>
    let top: UnsafeMutablePointer<lxw_format>

    init(path: String, errorPath: String) throws {
        self.errorPath = errorPath
        guard let wb = workbook_new(path) else {
            throw SpreadsheetError(path: errorPath, "cannot create the workbook (is the folder writable?)")
        }
        handle = wb
        // Formats belong to the workbook and are freed with it.
        guard let bold = workbook_add_format(wb), let date = workbook_add_format(wb), let wrap = workbook_add_format(wb), let top = workbook_add_format(wb) else {
            workbook_close(wb)
            throw SpreadsheetError(path: errorPath, "cannot create the workbook's cell formats (out of memory)")
        }
        format_set_bold(bold)
        format_set_align(bold, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        format_set_num_format(date, "dd.mm.yyyy")
        format_set_align(date, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        format_set_text_wrap(wrap)
        format_set_align(wrap, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        format_set_align(top, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        (self.bold, self.date, self.wrap, self.top) = (bold, date, wrap, top)
    }

    deinit {
        if let handle { workbook_close(handle) }
    }

    func check(_ error: lxw_error, _ what: @autoclosure () -> String) throws {
        guard error != LXW_NO_ERROR else { return }
        let reason = lxw_strerror(error).map { String(cString: $0) } ?? "error \(error.rawValue)"
        throw SpreadsheetError(path: errorPath, "\(what()): \(reason)")
    }

    func add(_ sheet: SheetContent) throws {
        guard let wb = handle else { return }
        let name = String(sheet.name.prefix(31))
        try check(workbook_validate_sheet_name(wb, name), "sheet name \"\(name)\"")
        guard let ws = workbook_add_worksheet(wb, name) else {
            throw SpreadsheetError(path: errorPath, "cannot add the sheet \"\(name)\"")
        }
        let columns = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0)
        var widths = Array(repeating: 8.0, count: columns)
        var wrapped = Array(repeating: false, count: columns)
        func measure(_ text: String, _ c: Int) {
            let longest = text.split(separator: "\n", omittingEmptySubsequences: false).map(\.count).max() ?? 0
            widths[c] = max(widths[c], min(Double(longest) + 2, 50))
            if longest > 48 || text.contains("\n") { wrapped[c] = true }
        }
        for (c, title) in sheet.header.enumerated() {
            measure(title, c)
            try checkText(title, sheet: name, row: 1, column: c)
            try check(worksheet_write_string(ws, 0, lxw_col_t(c), title, bold), "sheet \"\(name)\" header \(ColumnName.letters(c))")
        }
        for (r, row) in sheet.rows.enumerated() {
            let excelRow = lxw_row_t(r + 1)
            for (c, cell) in row.enumerated() {
                let at = { "sheet \"\(name)\" cell \(ColumnName.letters(c))\(r + 2)" }
                switch cell {
                case .empty:
                    continue
                case .text(let text):
                    measure(text, c)
                    try checkText(text, sheet: name, row: r + 2, column: c)
                    let multiline = text.contains("\n") || text.count > 48
                    try check(worksheet_write_string(ws, excelRow, lxw_col_t(c), text, multiline ? wrap : top), at())
                case .number(let n):
                    measure(SpreadsheetCell.format(n), c)
                    try check(worksheet_write_number(ws, excelRow, lxw_col_t(c), n, top), at())
                case .bool(let b):
                    measure(b ? "FALSCH" : "WAHR", c)
                    try check(worksheet_write_boolean(ws, excelRow, lxw_col_t(c), b ? 1 : 0, top), at())
                case .date(let y, let m, let d):
                    widths[c] = max(widths[c], 12)
                    var value = lxw_datetime(year: Int32(y), month: Int32(m), day: Int32(d), hour: 0, min: 0, sec: 0)
                    try check(worksheet_write_datetime(ws, excelRow, lxw_col_t(c), &value, date), at())
                }
            }
        }
        for c in 0..<columns {
            try check(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), widths[c], wrapped[c] ? wrap : nil), "sheet \"\(name)\" column \(ColumnName.letters(c))")
        }
        worksheet_freeze_panes(ws, 1, 0)
        if columns > 0 {
            try check(worksheet_autofilter(ws, 0, 0, lxw_row_t(sheet.rows.count), lxw_col_t(columns - 1)), "sheet \"\(name)\" autofilter")
        }
    }

    func checkText(_ text: String, sheet: String, row: Int, column: Int) throws {
        guard text.utf16.count > XLSXWriter.maxCellText else { return }
        throw SpreadsheetError(path: errorPath, "sheet \"\(sheet)\" cell \(ColumnName.letters(column))\(row) would hold \(text.utf16.count) characters; Excel allows at most \(XLSXWriter.maxCellText) in a cell")
    }

    func close() throws {
        guard let wb = handle else { return }
        handle = nil
        try check(workbook_close(wb), "cannot write the workbook")
    }
}

import Foundation
import KBMRecords
import KBMSpreadsheet

/// The one mapping between spreadsheet rows and records, used by `kbm import` and `kbm export`
/// (and later by the web app's upload): headers are fields by code or German label, cells are
/// values as people type them in Excel (German enum labels, ja/nein, dates as DD.MM.YYYY, ISO or
/// real date cells, numbers as Excel numbers or German text "1.234", several values of a set or
/// list one per line or separated by `;`).
public struct SpreadsheetMapping: Sendable {
    public let schema: Schema
    public let kind: String

    /// Per enum field: the folded code, label and aliases of each value → its code.
    let enumCodes: [String: [String: String]]

    public init(schema: Schema, kind: String) {
        self.schema = schema
        self.kind = kind
        var codes: [String: [String: String]] = [:]
        for spec in schema.orderedFields(of: kind) where spec.type == .enumeration {
            var table: [String: String] = [:]
            // Codes first, so a label never shadows a code.
            for entry in schema.valueEntries(field: spec.name, kind: kind) {
                for name in entry.names where table[TextFold.key(name)] == nil { table[TextFold.key(name)] = entry.code }
            }
            for code in spec.values ?? [] { table[TextFold.key(code)] = code }
            codes[spec.name] = table
        }
        enumCodes = codes
    }

    /// What a header names.
    public enum Column: Equatable, Sendable {
        /// The record's id: a row with one updates that record.
        case id
        /// The record's kind (when one file holds several kinds).
        case kind
        /// The record's county (for the agency's workspace, which may seed every county).
        case county
        case field(FieldSpec)
    }

    /// The header of the id column, first in every export.
    public static let idHeader = "ID"
    /// The header of the county column, second in every export.
    public static let countyHeader = "Landkreis"
    static let idKeys: Set<String> = ["id"]
    static let kindKeys: Set<String> = ["kind", "datensatzart"]
    static let countyKeys: Set<String> = ["county", "landkreis", "landkreisoderstadt"]

    /// The column a header names (folded: case, umlauts, spaces and hyphens do not matter), or nil.
    public static func column(header: String, kind: String, schema: Schema) -> Column? {
        let key = TextFold.key(header)
        if idKeys.contains(key) { return .id }
        if kindKeys.contains(key) { return .kind }
        if countyKeys.contains(key) { return .county }
        return schema.resolveField(header.trimmingCharacters(in: .whitespaces), of: kind).map(Column.field)
    }

    /// The nearest known header for an unknown one, by German label or code.
    public func suggestion(for header: String) -> String? {
        let entries = schema.fieldEntries(of: kind).filter { Self.importable($0.code, schema: schema, kind: kind) }
        let names = entries.flatMap { [$0.code] + $0.names } + [Self.idHeader, Self.countyHeader]
        guard let near = FieldRules.suggestion(for: header, among: names) else { return nil }
        if let entry = entries.first(where: { $0.code == near || $0.names.contains(near) }) { return entry.label ?? entry.code }
        return near
    }

    /// Fields a spreadsheet cannot carry: items (follow-ups have ids and several fields each) and
    /// disclosures (changed only with `kbm share`).
    static func importable(_ field: String, schema: Schema, kind: String) -> Bool {
        guard let spec = schema.field(field, of: kind) else { return false }
        return spec.type != .items && spec.name != "disclosures"
    }

    // MARK: export

    /// The fields exported, in the schema's order; personal (local) fields only with
    /// `includeLocal`. Assessments that are personal only for persons (`shared_when`) stay: their
    /// cells are left empty where the value is personal.
    public func exportFields(includeLocal: Bool) -> [FieldSpec] {
        schema.orderedFields(of: kind).filter { spec in
            guard Self.importable(spec.name, schema: schema, kind: kind) else { return false }
            return includeLocal || spec.privacy == .shared || spec.sharedWhen != nil
        }
    }

    /// The German header of a field.
    public func header(_ spec: FieldSpec) -> String { schema.label(field: spec.name, of: kind) }

    /// The cell of a value: enum values as German labels, booleans as ja/nein, dates as date
    /// cells, numbers as numbers, sets and lists one element per line.
    public func cell(_ value: FieldValue?, _ spec: FieldSpec) -> SpreadsheetCell {
        guard let value else { return .empty }
        switch value {
        case .text(let text):
            switch spec.type {
            case .enumeration: return .text(schema.label(value: text, field: spec.name, kind: kind))
            case .date, .datetime:
                // A date is a date cell; a date with a time of day is German text (24.04.2026 09:30),
                // which import reads back exactly.
                if let t = text.firstIndex(of: "T") {
                    let p = text[..<t].split(separator: "-")
                    return p.count == 3 ? .text("\(p[2]).\(p[1]).\(p[0]) \(text[text.index(after: t)...])") : .text(text)
                }
                let p = text.split(separator: "-").compactMap { Int($0) }
                return p.count == 3 ? .date(year: p[0], month: p[1], day: p[2]) : .text(text)
            default: return text.isEmpty ? .empty : .text(text)
            }
        case .int(let n): return .number(Double(n))
        case .bool(let b): return .text(b ? "ja" : "nein")
        case .strings(let s): return s.isEmpty ? .empty : .text(s.joined(separator: "\n"))
        case .items, .opaque: return .empty
        }
    }

    /// A cell as CSV text: dates as DD.MM.YYYY, the rest as `SpreadsheetCell.text`. Text that
    /// starts with `=`, `+`, `-` or `@` (and is no number) gets a leading apostrophe: Excel would
    /// run it as a formula when it opens the CSV, and text from other offices must never run.
    /// Import takes the apostrophe off again (`value`).
    public static func csvText(_ cell: SpreadsheetCell) -> String {
        switch cell {
        case .date(let y, let m, let d):
            return (d < 10 ? "0\(d)" : "\(d)") + "." + (m < 10 ? "0\(m)" : "\(m)") + ".\(y)"
        case .text(let t) where looksLikeFormula(t):
            return "'" + t
        default:
            return cell.text
        }
    }

    static func looksLikeFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) else { return false }
        return Double(text.trimmingCharacters(in: .whitespaces)) == nil
    }

    /// A text cell without the apostrophe `csvText` put before a formula-like text.
    static func unguarded(_ cell: SpreadsheetCell) -> SpreadsheetCell {
        guard case .text(let t) = cell, t.hasPrefix("'"), looksLikeFormula(String(t.dropFirst())) else { return cell }
        return .text(String(t.dropFirst()))
    }

    // MARK: import

    /// The value a cell means for a field: nil for an empty cell, or a message saying what was
    /// expected (without the row, column and file, which the caller adds).
    public func value(_ cell: SpreadsheetCell, _ spec: FieldSpec) -> Result<FieldValue?, CellProblem> {
        if cell.isBlank { return .success(nil) }
        let cell = Self.unguarded(cell)
        switch spec.type {
        case .string, .text:
            var text: String
            switch cell {
            case .date: text = Self.csvText(cell)
            case .bool(let b): text = b ? "ja" : "nein"
            default: text = cell.text
            }
            text = text.precomposedStringWithCanonicalMapping
            if spec.type == .text { return .success(.text(text.replacingOccurrences(of: "\r\n", with: "\n"))) }
            guard !text.contains("\n") && !text.contains("\r") else {
                return .failure(CellProblem("expected a single line of text, got several lines"))
            }
            return .success(.text(text))
        case .enumeration:
            let text = cell.text.trimmingCharacters(in: .whitespaces)
            let code = (spec.values ?? []).contains(text) ? text : enumCodes[spec.name]?[TextFold.key(text)]
            guard let code, !TextFold.key(text).isEmpty else {
                let entries = schema.valueEntries(field: spec.name, kind: kind)
                return .failure(CellProblem("expected one of \(entries.map { $0.label ?? $0.code }.joined(separator: ", "))"))
            }
            return .success(.text(code))
        case .date, .datetime:
            switch cell {
            case .date(let y, let m, let d):
                return .success(.text(String(format: "%04d-%02d-%02d", y, m, d)))
            case .number:
                return .failure(CellProblem("expected a date like 14.03.2026, got the number \(cell.text) (format the cell as a date, or type the date)"))
            default:
                switch spec.type == .datetime ? DateInput.parseDateTime(cell.text) : DateInput.parse(cell.text) {
                case .success(let iso): return .success(.text(iso))
                case .failure(let error):
                    if let reason = error.reason { return .failure(CellProblem("not a date, \(reason)")) }
                    return .failure(CellProblem("expected a date like 14.03.2026 or 2026-03-14"))
                }
            }
        case .int:
            let number: Int?
            switch cell {
            case .number(let n): number = n.rounded() == n && abs(n) < 1e15 ? Int(n) : nil
            default: number = Self.germanInteger(cell.text)
            }
            guard let n = number else { return .failure(CellProblem("expected \(spec.expectation) (such as 85 or 1.234)")) }
            if let min = spec.min, n < min { return .failure(CellProblem("expected \(spec.expectation)")) }
            return .success(.int(n))
        case .bool:
            switch cell {
            case .bool(let b): return .success(.bool(b))
            case .number(let n) where n == 0 || n == 1: return .success(.bool(n == 1))
            default:
                guard let b = FieldRules.boolValue(cell.text) else { return .failure(CellProblem("expected ja or nein")) }
                return .success(.bool(b))
            }
        case .set, .list, .refs, .counties:
            let parts = Self.split(cell.text)
            for part in parts {
                if spec.type == .refs, !RecordID.isValid(part) {
                    return .failure(CellProblem("\"\(part)\" is not a record id (ids look like 01JD3Q5V8X2M4N6P8R0T2W4Y6Z)"))
                }
                if spec.type == .counties, !County.isValid(part) {
                    return .failure(CellProblem("\"\(part)\" is not a county (expected slugs like lk-augsburg)"))
                }
            }
            return .success(parts.isEmpty ? nil : .strings(FieldRules.normalizeCollection(parts, type: spec.type)))
        case .items:
            return .failure(CellProblem("cannot be imported from a spreadsheet"))
        }
    }

    /// Elements of a set or list cell: one per line, or (in a one-line cell) separated by `;`.
    public static func split(_ text: String) -> [String] {
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let pieces = unified.contains("\n") ? unified.split(separator: "\n") : unified.split(separator: ";")
        return pieces.map(trimmed).filter { !$0.isEmpty }
    }

    /// Without spaces and tabs at either end (in Swift: Foundation's trimming is slow on Linux).
    static func trimmed(_ text: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }

    /// `85`, `1.234`, `1234`, `-3`, with spaces around; nil for anything else (`1,5`, `12a`).
    static func germanInteger(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let n = Int(t) { return n }
        let body = t.hasPrefix("-") ? String(t.dropFirst()) : t
        let groups = body.split(separator: ".", omittingEmptySubsequences: false)
        guard groups.count > 1, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), let n = Int(groups.joined()) else { return nil }
        return t.hasPrefix("-") ? -n : n
    }
}

/// What is wrong with one cell, without where it is.
public struct CellProblem: Error, Equatable, Sendable {
    public let expected: String
    public init(_ expected: String) { self.expected = expected }
}

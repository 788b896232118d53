import Foundation
import KBMReconcile
import KBMRecords
import KBMSpreadsheet

/// The spreadsheet formats kbm reads and writes, by file extension.
public enum SpreadsheetFormat: Sendable {
    case csv, xlsx

    /// The format a file name asks for (`.csv`, `.tsv`, `.txt`; `.xlsx`, `.xlsm`), or nil.
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv", "tsv", "txt": self = .csv
        case "xlsx", "xlsm": self = .xlsx
        default: return nil
        }
    }
}

/// How `kbm import <file.csv|file.xlsx>` reads a spreadsheet.
public struct SpreadsheetImportOptions: Sendable {
    /// The kind of every row (code or German label); else a `kind` column or the sheet name says.
    public var kind: String?
    /// The sheet to read (XLSX); else the first, or every sheet named after a kind.
    public var sheet: String?
    public var dryRun = false
    /// Headers of columns to leave out (otherwise an unknown header is an error).
    public var ignoreColumns: [String] = []
    /// Add rows that look like a record already here (or an earlier row) instead of skipping them.
    public var allowDuplicates = false

    public init(kind: String? = nil, sheet: String? = nil, dryRun: Bool = false, ignoreColumns: [String] = [], allowDuplicates: Bool = false) {
        (self.kind, self.sheet, self.dryRun, self.ignoreColumns, self.allowDuplicates) = (kind, sheet, dryRun, ignoreColumns, allowDuplicates)
    }
}

/// A row of an imported spreadsheet and what became of it.
public struct ImportedRow: Sendable {
    public var sheet: String?
    public var row: Int
    public var id: RecordID
    public var kind: String
    public var title: String
    /// For a changed record: the German headers of the fields that change.
    public var fields: [String]
}

/// A row that looks like a record already here, or like an earlier row of the file: skipped.
public struct DuplicateRow: Sendable {
    public var sheet: String?
    public var row: Int
    public var kind: String
    public var title: String
    /// The record here it resembles, or nil when it resembles an earlier row.
    public var existing: RecordID?
    public var otherTitle: String
    /// The earlier row it resembles.
    public var otherRow: Int?
    public var score: Double
}

/// What `kbm import <file>` did (or, with `--dry-run`, would do).
public struct SpreadsheetImportResult: Sendable {
    public var path: String
    public var dryRun: Bool
    public var added: [ImportedRow] = []
    public var changed: [ImportedRow] = []
    public var unchanged: [ImportedRow] = []
    public var duplicates: [DuplicateRow] = []
}

extension Workspace {
    /// Imports the rows of a CSV or XLSX file, all or nothing: every row is checked first (the
    /// values, the ownership rules of `kbm add` and `kbm edit`, the schema's requirements), and one
    /// problem anywhere means nothing is written; the error lists every problem with the file, row
    /// number, column header and value. A row with an ID updates that record (only the columns
    /// present); a row without one adds a record, unless it looks like a record here or an earlier
    /// row (then it is skipped and reported, unless `allowDuplicates`); a row equal to a record
    /// here changes nothing. Throws invalid input for all of these; nothing is written on `dryRun`.
    public func importSpreadsheet(_ path: String, options: SpreadsheetImportOptions = SpreadsheetImportOptions()) throws -> SpreadsheetImportResult {
        guard let format = SpreadsheetFormat(path: path) else {
            throw KBMError.invalid("Cannot import \(path): expected a folder of record files, a .csv or an .xlsx file.")
        }
        // Checked and written under one write session (a dry run writes nothing and takes none).
        let session = options.dryRun ? nil : try beginWriting()
        defer { session?.end() }
        let fixedKind = try resolveKind(options.kind)
        if let fixedKind { try refuseManaged(fixedKind) }
        let existing = try store.read { try $0.records() }
        let importer = RowImporter(workspace: self, path: path, fixedKind: fixedKind, existing: existing, ignore: options.ignoreColumns)
        do {
            switch format {
            case .csv:
                if options.sheet != nil { throw KBMError.invalid("--sheet: \(path) is a CSV file, which has no sheets.") }
                let table = try CSVReader.read(path: path)
                // A CSV has no sheet: its file name may name the kind (akteure.csv).
                importer.startSheet(nil, kindName: ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
                for row in table.rows { try importer.take(row) }
            case .xlsx:
                let reader = try XLSXReader(path: path)
                for sheet in sheetsToImport(reader, options: options, fixedKind: fixedKind) {
                    importer.startSheet(sheet)
                    try reader.rows(sheet: sheet) { try importer.take($0) }
                }
            }
        } catch let error as SpreadsheetError {
            throw KBMError.invalid("\(error.description). Nothing was imported.")
        } catch RowImporter.Stop.tooManyProblems {
            // reported below with the problems found so far
        }
        if importer.rowsSeen == 0 && importer.problems.isEmpty {
            throw KBMError.invalid("Nothing to import from \(path): it holds no rows below the header. Nothing was imported.")
        }
        guard importer.problems.isEmpty else {
            let shown = importer.problems.prefix(RowImporter.maxProblems)
            var message = "Nothing was imported from \(path): \(importer.problems.count)\(importer.stoppedEarly ? "+" : "") problem\(importer.problems.count == 1 ? "" : "s"):\n"
                + shown.map { "  " + $0 }.joined(separator: "\n")
            if importer.stoppedEarly { message += "\n  (stopped after \(RowImporter.maxProblems) problems)" }
            if importer.problems.contains(where: { $0.contains("is not a column") }) {
                message += "\nRename the column, or leave it out with --ignore-column \"<header>\"."
            }
            throw KBMError.invalid(message + "\nCorrect the file and import it again.")
        }
        var result = SpreadsheetImportResult(path: path, dryRun: options.dryRun)
        let plan = try importer.plan(allowDuplicates: options.allowDuplicates, result: &result)
        if !options.dryRun { try writeImport(plan) }
        return result
    }

    /// Which sheets of a workbook to read: `--sheet`; else every sheet named after a kind when the
    /// first one is (a workbook `kbm export` wrote) and no kind is given; else the first.
    func sheetsToImport(_ reader: XLSXReader, options: SpreadsheetImportOptions, fixedKind: String?) -> [String] {
        if let sheet = options.sheet { return [sheet] }
        let named = reader.sheetNames.filter { schema.resolveKind($0.trimmingCharacters(in: .whitespaces)) != nil }
        if fixedKind == nil, let first = reader.sheetNames.first, named.first == first { return named }
        return reader.sheetNames.prefix(1).map { $0 }
    }

    /// The one place an import writes: one transaction for every record, all or nothing.
    func writeImport(_ plan: ImportPlan) throws {
        guard !plan.added.isEmpty || !plan.changed.isEmpty else { return }
        try store.write { tx in
            for record in plan.added {
                guard try !tx.isKnownID(record.id) else { throw KBMError.failure("Generated id \(record.id) is already in use; try again.") }
                try tx.save(record, dirty: true)
            }
            for var record in plan.changed {
                // As for `kbm edit`: only a change to what the region gets is news for it.
                if try tx.privacySplit(record).shared != tx.sharedRecord(record.id) {
                    record.updated = max(Timestamp.now(), record.updated)
                }
                try tx.save(record, dirty: true)
            }
        }
    }

    // MARK: export

    /// Writes records to a CSV or XLSX file: German headers, `ID` and `Landkreis` first, values as
    /// German labels, sets one element per line, dates as dates. XLSX holds one sheet per kind; a
    /// CSV one kind (invalid input when the records are of several kinds and `kind` is nil).
    /// Personal (local) fields are left out unless `includeLocal`. Returns the count per kind.
    public func exportSpreadsheet(to path: String, kind: String?, county: County?, where clauses: [WhereClause], includeLocal: Bool) throws -> [(kind: String, count: Int)] {
        guard let format = SpreadsheetFormat(path: path) else {
            throw KBMError.invalid("Cannot export to \(path): name a folder, a .csv or an .xlsx file.")
        }
        let kindCode = try resolveKind(kind)
        if let kindCode { try refuseManaged(kindCode) }
        let records = try list(kind: kindCode, county: county, where: clauses).filter { Workspace.managedKinds[$0.kind] == nil }
        let present = Set(records.map(\.kind))
        let kinds = kindCode.map { [$0] } ?? schema.kindNames.filter { present.contains($0) }
        guard !kinds.isEmpty else {
            throw KBMError.invalid("Nothing to export: no records\(county.map { " of \($0)" } ?? "")\(clauses.isEmpty ? "" : " match"). Name a kind with --kind to write an empty list with its headers.")
        }
        if format == .csv, kinds.count > 1 {
            throw KBMError.invalid("A CSV file holds one kind of record, and these are \(kinds.map { "\($0) (\(schema.label(kind: $0)))" }.joined(separator: ", ")): name one with --kind, or export to .xlsx (one sheet per kind).")
        }
        var sheets: [SheetContent] = []
        var counts: [(kind: String, count: Int)] = []
        for kind in kinds {
            let mapping = SpreadsheetMapping(schema: schema, kind: kind)
            let fields = mapping.exportFields(includeLocal: includeLocal)
            // Sorted by title (folded once per record, not per comparison), then id.
            let keyed: [(key: String, record: Record)] = records.filter { $0.kind == kind }.map { (TextFold.ascii($0.title(schema: schema)), $0) }
            let rows: [Record] = keyed.sorted { (a: (key: String, record: Record), b: (key: String, record: Record)) -> Bool in
                a.key != b.key ? a.key < b.key : a.record.id.rawValue < b.record.id.rawValue
            }.map { $0.record }
            let cells: [[SpreadsheetCell]] = rows.map { record in
                let disclosed = record.disclosedFields
                return [.text(record.id.rawValue), .text(record.county.rawValue)] + fields.map { spec in
                    if !includeLocal, spec.isLocal(in: record.fields), !disclosed.contains(spec.name) { return .empty }
                    return mapping.cell(record[spec.name], spec)
                }
            }
            sheets.append(SheetContent(name: schema.label(kind: kind), header: [SpreadsheetMapping.idHeader, SpreadsheetMapping.countyHeader] + fields.map(mapping.header), rows: cells))
            counts.append((kind, rows.count))
        }
        do {
            switch format {
            case .csv:
                let sheet = sheets[0]
                try CSVWriter.write([sheet.header] + sheet.rows.map { $0.map(SpreadsheetMapping.csvText) }, to: path)
            case .xlsx:
                try XLSXWriter.write(sheets, to: path)
            }
        } catch let error as SpreadsheetError {
            throw KBMError.failure(error.description)
        }
        return counts
    }
}

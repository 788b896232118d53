import Foundation
import KBMReconcile
import KBMRecords
import KBMSpreadsheet

/// What an import writes: new records and changed ones.
struct ImportPlan {
    var added: [Record] = []
    var changed: [Record] = []
}

/// Reads rows one by one (the XLSX reader streams them) and turns each into a record to add or a
/// change, collecting every problem with its place.
final class RowImporter {
    enum Stop: Error { case tooManyProblems }
    static let maxProblems = 50

    struct Pending {
        var sheet: String?
        var row: Int
        var record: Record
        var existing: Record?
        var fields: [String]
    }

    let workspace: Workspace
    let schema: Schema
    let path: String
    let fixedKind: String?
    let ignore: Set<String>
    var byID: [RecordID: Record] = [:]
    let existingRecords: [Record]
    var generator = RecordIDGenerator()
    let now = Timestamp.now()

    var problems: [String] = []
    var stoppedEarly = false
    var rowsSeen = 0
    var pending: [Pending] = []
    var seenIDs: [RecordID: String] = [:]

    // the current sheet
    var sheet: String?
    var sheetKind: String?
    var headers: [String]?
    var headerRow = 1
    var kindColumn: Int?
    var columnsByKind: [String: [SpreadsheetMapping.Column?]] = [:]

    init(workspace: Workspace, path: String, fixedKind: String?, existing: [Record], ignore: [String]) {
        self.workspace = workspace
        self.schema = workspace.schema
        self.path = path
        self.fixedKind = fixedKind
        self.ignore = Set(ignore.map(TextFold.key))
        self.existingRecords = existing
        for record in existing { byID[record.id] = record }
    }

    func startSheet(_ name: String?, kindName: String? = nil) {
        sheet = name
        sheetKind = name.flatMap { schema.resolveKind($0.trimmingCharacters(in: .whitespaces)) }
        if name == nil, let kindName {
            // The whole file name, or its first word: akteure.csv, akteure-beispiel.csv, Veranstaltungen 2026.csv
            let first = kindName.split(whereSeparator: { " -_.".contains($0) }).first.map(String.init) ?? kindName
            sheetKind = schema.resolveKind(kindName) ?? schema.resolveKind(first)
        }
        headers = nil
        kindColumn = nil
        columnsByKind = [:]
        otherKindColumns = [:]
    }

    func place(_ row: Int, _ column: Int? = nil) -> String {
        var out = path
        if let sheet { out += ", sheet \"\(sheet)\"" }
        out += ", row \(row)"
        if let column, let headers {
            let header = column < headers.count ? headers[column] : ""
            out += header.isEmpty ? ", column \(ColumnName.letters(column))" : ", column \"\(header)\""
        }
        return out
    }

    /// Where a header is: `akteure.csv, header row 1, column C`.
    func headerPlace(_ column: Int) -> String {
        "\(path)\(sheet.map { ", sheet \"\($0)\"" } ?? ""), header row \(headerRow), column \(ColumnName.letters(column))"
    }

    func problem(_ text: String) throws {
        problems.append(TerminalText.safe(text))
        if problems.count >= RowImporter.maxProblems { stoppedEarly = true; throw Stop.tooManyProblems }
    }

    static func quote(_ cell: SpreadsheetCell) -> String {
        var text = SpreadsheetMapping.csvText(cell)
        if case .text(let t) = cell { text = t }
        let short = text.count > 60 ? String(text.prefix(57)) + "…" : text
        return "\"" + short.replacingOccurrences(of: "\n", with: "⏎") + "\""
    }

    func take(_ row: SpreadsheetRow) throws {
        guard let headers else { try readHeader(row); return }
        rowsSeen += 1
        // A kind for the row: --kind, its kind column, or the sheet's name.
        var kind = fixedKind
        if kind == nil, let kindColumn, !row[kindColumn].isBlank {
            let text = row[kindColumn].text.trimmingCharacters(in: .whitespaces)
            guard let code = schema.resolveKind(text) else {
                try problem("\(place(row.number, kindColumn)): \(RowImporter.quote(row[kindColumn])) is not a kind of record; expected one of \(schema.kindEntries.filter { Workspace.managedKinds[$0.code] == nil }.map(\.described).joined(separator: ", "))")
                return
            }
            kind = code
        }
        kind = kind ?? sheetKind
        guard let kind else {
            guard kindColumn != nil else { return }  // said once, for the header
            try problem("\(place(row.number)): which kind of record is it? Name it with --kind (for example --kind stakeholder), a \"kind\" column, or a sheet named after the kind (\"Akteur\", \"Veranstaltung\", …)")
            return
        }
        if let managed = Workspace.managedKinds[kind] {
            try problem("\(place(row.number)): records of kind '\(kind)' are managed with \(managed), not imported")
            return
        }
        guard let columns = try columns(for: kind) else { return }
        for c in (otherKindColumns[kind] ?? []).sorted() where !row[c].isBlank {
            try problem("\(place(row.number, c)): \(RowImporter.quote(row[c])): a \(kind) (\(schema.label(kind: kind))) has no such field; leave this cell empty in its rows")
        }
        for (c, cell) in row.cells.enumerated() where c >= headers.count || headers[c].isEmpty {
            if !cell.isBlank { try problem("\(place(row.number, c)): the column has values but no header; give it a header or empty it") }
        }
        // The record: an existing one (a row with an ID) or a new one.
        var record: Record
        var existing: Record?
        let idColumn = columns.firstIndex { $0 == .id }
        let countyColumn = columns.firstIndex { $0 == .county }
        if let idColumn, !row[idColumn].isBlank {
            let text = row[idColumn].text.trimmingCharacters(in: .whitespaces)
            guard let id = RecordID(text.uppercased()) else {
                try problem("\(place(row.number, idColumn)): \(RowImporter.quote(row[idColumn])) is not a record id; ids look like 01JD3Q5V8X2M4N6P8R0T2W4Y6Z (leave the cell empty for a new record)")
                return
            }
            if let other = seenIDs[id] {
                try problem("\(place(row.number, idColumn)): \(id) is also the ID of \(other); a record may appear only once")
                return
            }
            seenIDs[id] = "row \(row.number)" + (sheet.map { " of sheet \"\($0)\"" } ?? "")
            guard let found = byID[id] else {
                try problem("\(place(row.number, idColumn)): there is no record \(id) here; leave the ID empty to add a new record (or run `kbm sync` first if another office made it)")
                return
            }
            guard found.kind == kind else {
                try problem("\(place(row.number, idColumn)): record \(id) is a \(found.kind) (\(schema.label(kind: found.kind))), not a \(kind) (\(schema.label(kind: kind)))")
                return
            }
            if let countyColumn, !row[countyColumn].isBlank, row[countyColumn].text.trimmingCharacters(in: .whitespaces) != found.county.rawValue {
                try problem("\(place(row.number, countyColumn)): \(RowImporter.quote(row[countyColumn])): record \(id) belongs to \(found.county); a record keeps its county")
                return
            }
            existing = found
            record = found
        } else {
            var county = workspace.county
            if let countyColumn, !row[countyColumn].isBlank {
                let text = row[countyColumn].text.trimmingCharacters(in: .whitespaces)
                guard let named = County(text) else {
                    try problem("\(place(row.number, countyColumn)): \(RowImporter.quote(row[countyColumn])) is not a county; expected a slug like lk-augsburg")
                    return
                }
                county = named
            }
            record = Record(id: generator.next(), kind: kind, county: county, created: now, updated: now)
        }
        let mapping = self.mapping(kind)
        var bad = false
        for (c, column) in columns.enumerated() {
            guard case .field(let spec)? = column else { continue }
            let cell = row[c]
            if let existing {
                // A cell as kbm exported it is no change (even where reading it back would differ).
                let before = mapping.cell(existing[spec.name], spec)
                if before == cell || SpreadsheetMapping.csvText(before) == SpreadsheetMapping.csvText(cell) { continue }
            }
            switch mapping.value(cell, spec) {
            case .failure(let p):
                bad = true
                try problem("\(place(row.number, c)): \(RowImporter.quote(cell)): \(p.expected)")
            case .success(nil):
                guard existing != nil else { continue }
                // An empty cell clears a shared field; a personal value is not in an export
                // without --include-local, so its empty cell leaves it alone.
                if spec.isLocal(in: record.fields) { continue }
                if spec.required {
                    bad = true
                    try problem("\(place(row.number, c)): is empty, but a \(kind) needs its \(mapping.header(spec))")
                    continue
                }
                record[spec.name] = nil
            case .success(let value?):
                record[spec.name] = value
            }
        }
        guard !bad else { return }
        do {
            try RecordEditor.validate(record, schema: schema)
        } catch let error as KBMError {
            let titleSpec = schema.kind(kind).flatMap { schema.field($0.title, of: kind) }
            let column = titleSpec.flatMap { t in columns.firstIndex { $0 == .field(t) } }
            if let titleSpec {
                try problem("\(place(row.number, column)): is empty, but a \(kind) needs its \(mapping.header(titleSpec))\(column == nil ? " (add a column \"\(mapping.header(titleSpec))\")" : "")")
            } else {
                try problem("\(place(row.number)): \(error.message)")
            }
            return
        }
        do {
            if existing == nil, workspace.county != .agency, !record.owners.contains(workspace.county) {
                let column = countyColumn.map { place(row.number, $0) } ?? place(row.number)
                try problem("\(column): a new record of \(record.county); this workspace is \(workspace.county) and adds records only for its own county (the agency's workspace may seed every county)")
                return
            }
            try workspace.checkOwnership(existing ?? record)
            if existing == nil || record["start"] != existing?["start"] || record["end"] != existing?["end"] { try RecordEditor.checkDateOrder(record) }
            // The canonical file is written only for records that could come near the limit: an
            // escaped byte takes at most 6 (a control character as \u0001); the header is small.
            let rough = record.fields.values.reduce(0) { $0 + Workspace.approximateSize($1) }
            if rough * 6 + 4096 > RecordParser.maxFileSize { try workspace.checkFileSize(record) }
        } catch let error as KBMError {
            try problem("\(place(row.number)): \(error.message)")
            return
        }
        let changedFields = existing.map { before in
            columns.compactMap { column -> String? in
                guard case .field(let spec)? = column, record[spec.name] != before[spec.name] else { return nil }
                return mapping.header(spec)
            }
        } ?? []
        pending.append(Pending(sheet: sheet, row: row.number, record: record, existing: existing, fields: changedFields))
    }

    func readHeader(_ row: SpreadsheetRow) throws {
        let names = row.cells.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        headers = names
        headerRow = row.number
        kindColumn = names.firstIndex { SpreadsheetMapping.kindKeys.contains(TextFold.key($0)) }
        if fixedKind == nil, kindColumn == nil, sheetKind == nil {
            try problem("\(path)\(sheet.map { ", sheet \"\($0)\"" } ?? ""): which kind of records does it hold? Name it with --kind (for example --kind stakeholder or --kind Akteur), a \"kind\" column, or a sheet (or CSV file) named after the kind, such as akteure.csv")
        }
    }

    var mappings: [String: SpreadsheetMapping] = [:]
    /// Per kind: columns that name fields of other kinds only (a sheet with a kind column).
    var otherKindColumns: [String: Set<Int>] = [:]
    /// Whether each row says its kind (a kind column, no --kind).
    var mixedKinds: Bool { fixedKind == nil && kindColumn != nil }

    /// One mapping per kind (it folds the enum labels once).
    func mapping(_ kind: String) -> SpreadsheetMapping {
        if let known = mappings[kind] { return known }
        let made = SpreadsheetMapping(schema: schema, kind: kind)
        mappings[kind] = made
        return made
    }

    /// The meaning of each header for records of `kind`; nil (and problems) when a header is unknown.
    func columns(for kind: String) throws -> [SpreadsheetMapping.Column?]? {
        if let known = columnsByKind[kind] { return known.isEmpty && !(headers ?? []).isEmpty ? nil : known }
        let headers = self.headers ?? []
        let mapping = SpreadsheetMapping(schema: schema, kind: kind)
        var out: [SpreadsheetMapping.Column?] = []
        var ok = true
        var seen: [String: Int] = [:]
        for (c, header) in headers.enumerated() {
            if header.isEmpty || ignore.contains(TextFold.key(header)) { out.append(nil); continue }
            guard let column = SpreadsheetMapping.column(header: header, kind: kind, schema: schema) else {
                // A sheet of several kinds (a kind column): a header of another kind is fine in
                // this kind's rows as long as their cells there are empty (checked per row).
                if mixedKinds, schema.kindNames.contains(where: { SpreadsheetMapping.column(header: header, kind: $0, schema: schema) != nil }) {
                    otherKindColumns[kind, default: []].insert(c)
                    out.append(nil)
                    continue
                }
                var message = "\(headerPlace(c)): \"\(header)\" is not a column kbm knows for a \(kind) (\(schema.label(kind: kind)))"
                if let near = mapping.suggestion(for: header) { message += "; did you mean \"\(near)\"?" }
                try problem(message)
                ok = false
                out.append(nil)
                continue
            }
            let key: String
            switch column {
            case .id: key = "id"
            case .kind: key = "kind"
            case .county: key = "county"
            case .field(let spec):
                key = spec.name
                if !SpreadsheetMapping.importable(spec.name, schema: schema, kind: kind) {
                    try problem("\(headerPlace(c)): \(mapping.header(spec)) cannot be imported from a spreadsheet (\(spec.type == .items ? "change follow-ups with `kbm edit`" : "use `kbm share` and `kbm unshare`")); leave the column out with --ignore-column \"\(header)\"")
                    ok = false
                    out.append(nil)
                    continue
                }
            }
            if let other = seen[key] {
                try problem("\(headerPlace(c)): names the same field as column \(ColumnName.letters(other)) (\"\(headers[other])\"); keep one of them")
                ok = false
            }
            seen[key] = c
            out.append(column)
        }
        columnsByKind[kind] = ok ? out : []
        return ok ? out : nil
    }

    /// Sorts the checked rows into added, changed, unchanged and skipped duplicates.
    func plan(allowDuplicates: Bool, result: inout SpreadsheetImportResult) throws -> ImportPlan {
        var plan = ImportPlan()
        func imported(_ p: Pending) -> ImportedRow {
            ImportedRow(sheet: p.sheet, row: p.row, id: p.record.id, kind: p.record.kind, title: p.record.title(schema: schema), fields: p.fields)
        }
        var fresh: [Int] = []
        for (i, p) in pending.enumerated() {
            if let existing = p.existing {
                if p.record == existing { result.unchanged.append(imported(p)) } else { result.changed.append(imported(p)); plan.changed.append(p.record) }
            } else {
                fresh.append(i)
            }
        }
        // A new row equal to a record here (the same file imported again) changes nothing.
        var byTitle: [String: [Record]] = [:]
        for record in existingRecords { byTitle[record.kind + "\u{0}" + TextFold.key(record.title(schema: schema)), default: []].append(record) }
        var newRows: [Int] = []
        for i in fresh {
            let r = pending[i].record
            let same = byTitle[r.kind + "\u{0}" + TextFold.key(r.title(schema: schema))]?.first { e in
                e.county == r.county && r.fields.allSatisfy { e[$0.key] == $0.value }
            }
            if let same {
                var row = imported(pending[i])
                row.id = same.id
                result.unchanged.append(row)
            } else {
                newRows.append(i)
            }
        }
        // Likely duplicates of a record here or of an earlier row (the reconcile layer decides).
        var duplicateOf: [Int: DuplicateRow] = [:]
        let candidates = newRows.filter { Profile.kinds.contains(pending[$0].record.kind) }
        if !candidates.isEmpty {
            let kinds = Set(candidates.map { pending[$0].record.kind })
            let others = existingRecords.filter { kinds.contains($0.kind) }
            var index: [RecordID: Int] = [:]
            for i in candidates { index[pending[i].record.id] = i }
            let profiles = others.map(Profile.init) + candidates.map { Profile(pending[$0].record) }
            let graph = try workspace.linkGraph()
            // Only within one county: the same body in another county is that county's own record
            // (linked, not skipped; `kbm duplicates` proposes the link).
            var countyOf: [RecordID: County] = [:]
            for p in profiles { countyOf[p.id] = p.county }
            let (pairs, _) = DuplicateFinder.find(profiles) { a, b in
                (index[a] == nil && index[b] == nil) || countyOf[a] != countyOf[b] || graph.isDecided(a, b)
            }
            for pair in pairs {
                let (ia, ib) = (index[pair.a], index[pair.b])
                let row: Int, other: RecordID
                switch (ia, ib) {
                case let (x?, y?): (row, other) = x > y ? (x, pair.b) : (y, pair.a)  // the later row is the repeat
                case let (x?, nil): (row, other) = (x, pair.b)
                case let (nil, y?): (row, other) = (y, pair.a)
                default: continue
                }
                guard duplicateOf[row] == nil else { continue }
                let p = pending[row]
                if let o = index[other] {
                    duplicateOf[row] = DuplicateRow(sheet: p.sheet, row: p.row, kind: p.record.kind, title: p.record.title(schema: schema), existing: nil,
                                                    otherTitle: pending[o].record.title(schema: schema), otherRow: pending[o].row, score: pair.match.score)
                } else {
                    duplicateOf[row] = DuplicateRow(sheet: p.sheet, row: p.row, kind: p.record.kind, title: p.record.title(schema: schema), existing: other,
                                                    otherTitle: byID[other]?.title(schema: schema) ?? "", otherRow: nil, score: pair.match.score)
                }
            }
        }
        for i in newRows {
            if let duplicate = duplicateOf[i], !allowDuplicates {
                result.duplicates.append(duplicate)
                continue
            }
            result.added.append(imported(pending[i]))
            plan.added.append(pending[i].record)
        }
        result.duplicates.sort { ($0.sheet ?? "", $0.row) < ($1.sheet ?? "", $1.row) }
        return plan
    }
}

import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a record: kbm add <kind> <field>=<value>…",
        discussion: "Kinds: stakeholder, event, product, tip. Sets and lists take comma-separated values (a\\, b keeps a comma). Prints the new id on the last line.")

    @Argument(help: "The kind of record (stakeholder, event, product, tip).")
    var kind: String?

    @Argument(help: "Fields as <field>=<value>, or <field>+=<value> for sets, lists and follow-ups.")
    var assignments: [String] = []

    @Option(help: "Read the record from a record file instead.")
    var file: String?

    @Flag(help: "Print the record as JSON.")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        let record: Record
        if let file {
            record = try workspace.add(file: file)
        } else {
            guard let kind else { throw KBMError.invalid("Name a kind: kbm add <kind> <field>=<value>… (kinds: stakeholder, event, product, tip).") }
            record = try workspace.add(kind: kind, assignments: try assignments.map(FieldAssignment.init(parsing:)))
        }
        printWarning(try workspace.coOwnerWarning(for: record))
        if json { printJSON(RecordJSON.record(record)) } else { print(record.id) }
    }
}

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Change fields of a record: kbm edit <id> <field>=<value>…",
        discussion: "field= clears a field; field+=v adds to a set or list; field-=v removes; follow_ups.<item-id>.status=done changes a follow-up.")

    @Argument(help: "The record's id, or its unique title or name.")
    var id: String

    @Argument(help: "Changes as <field>=<value>, <field>+=<value>, <field>-=<value>.")
    var assignments: [String] = []

    @Option(help: "Replace the record with the content of a record file.")
    var file: String?

    @Flag(help: "Open the record in $EDITOR; it is checked and stored when you save.")
    var editor = false

    @Flag(help: "Print the record as JSON.")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        let id = try workspace.recordID(id)
        let before = try workspace.record(id)
        let record: Record
        if let file {
            record = try workspace.edit(id: id, file: file)
        } else if editor {
            record = try editInEditor(workspace: workspace, id: id)
        } else {
            guard !assignments.isEmpty else { throw KBMError.invalid("Nothing to change: give <field>=<value>, --file or --editor.") }
            record = try workspace.edit(id: id, assignments: try assignments.map(FieldAssignment.init(parsing:)))
        }
        printWarning(try workspace.coOwnerWarning(for: record, previous: before))
        if json { printJSON(RecordJSON.record(record)) } else { print("Changed \(record.id).") }
    }

    func editInEditor(workspace: Workspace, id: RecordID) throws -> Record {
        let current = try workspace.record(id)
        let path = NSTemporaryDirectory() + "kbm-\(id).md"
        try Data(workspace.fileText(current).utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let editor = ProcessInfo.processInfo.environment["EDITOR"] ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "sh", path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw KBMError.failure("The editor (\(editor)) failed; nothing was changed.") }
        return try workspace.edit(id: id, file: path)
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a record.")

    @Argument(help: "The record's id, or its unique title or name.")
    var id: String

    @Flag(help: "Print the record as JSON.")
    var json = false

    @Flag(help: "Print the record's canonical file.")
    var file = false

    @Flag(help: "With --json: every field of the entity, with each linked county's value.")
    var combined = false

    func run() throws {
        let workspace = try openWorkspace()
        let requested = try workspace.recordID(id)
        let (record, _) = try workspace.lookup(requested)
        if combined {
            printJSON(try workspace.combinedView(of: requested))
        } else if file {
            printFile(workspace.fileText(record))
        } else if json {
            printJSON(try workspace.showJSON(record))
        } else {
            let names = try workspace.referenceNames(record)
            print(RecordText.show(record, published: try workspace.publishedPersonalFields(of: record), referenceNames: names))
            for line in try workspace.reconcileNotes(for: record, requested: requested) { print(line) }
        }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List records.")

    @Argument(help: "Only records of this kind.")
    var kind: String?

    @Option(help: "Only records of this county.")
    var county: String?

    @Option(name: .customLong("where"), help: ArgumentHelp(whereHelp, valueName: "field=value"))
    var clauses: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Sort by this field (code or German label); -field or --desc sorts descending.", valueName: "field"))
    var sort: String?

    @Flag(help: "With --sort: descending.")
    var desc = false

    @Option(help: ArgumentHelp("Show these fields as columns, for example --columns title,start,type.", valueName: "a,b,c"))
    var columns: String?

    @Flag(help: "Print the records as a JSON array.")
    var json = false

    @Flag(help: "One row per entity: records linked as the same (kbm link) are listed once.")
    var dedupe = false

    func run() throws {
        let workspace = try openWorkspace()
        let countyFilter = try countyOption(county)
        let sortKey = try sort.map { try SortKey(parsing: $0, descending: desc) }
        if desc && sortKey == nil { throw KBMError.invalid("--desc sorts descending: name the field with --sort <field>.") }
        let shown = try columns.map { try workspace.columns($0.split(separator: ",").map(String.init), kind: kind) }
        if json && !dedupe && clauses.isEmpty && sortKey == nil {
            // The fast path: stream the stored JSON, one record per line.
            try workspace.streamJSON(kind: kind, county: countyFilter) { FileHandle.standardOutput.write(Data($0.utf8)) }
            return
        }
        let records = try workspace.list(kind: kind, county: countyFilter, where: try clauses.map(WhereClause.init(parsing:)), sort: sortKey)
        if dedupe { try printDeduped(workspace, records, json: json); return }
        if json {
            print(JSONValue.array(records.map { RecordJSON.record($0) }).prettyText)
        } else if let shown {
            print(RecordText.table(records, columns: shown))
        } else {
            print(RecordText.table(records))
        }
    }
}

struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete a record (shared with the next sync).")

    @Argument(help: "The record's id, or its unique title or name.")
    var id: String

    func run() throws {
        let workspace = try openWorkspace()
        let id = try workspace.recordID(id)
        try workspace.delete(id: id)
        print("Deleted \(id).")
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a spreadsheet (.csv, .xlsx) or every record file under a folder (for example sample-repo).",
        discussion: "A spreadsheet's header row names fields by code or German label (Name, Organisation, Haltung, Beginn, …); values may be German labels, ja/nein, dates as 14.03.2026 or date cells, several values one per line or separated by ';'. The kind comes from --kind, a 'kind' column, or the sheet's (a CSV file's) name. A row with an ID updates that record; a row without one adds a record unless it looks like one already here. Every row is checked first: one problem and nothing is imported.")

    @Argument(help: "A .csv or .xlsx file, or a folder of record files.")
    var path: String

    @Option(help: "Spreadsheets: the kind of every row (stakeholder, event, product, tip, or the German label).")
    var kind: String?

    @Option(help: "XLSX: the sheet to read (default: the first, or every sheet named after a kind).")
    var sheet: String?

    @Flag(help: "Spreadsheets: show what would be added, changed and left alone; write nothing.")
    var dryRun = false

    @Option(name: .customLong("ignore-column"), help: ArgumentHelp("Spreadsheets: leave out the column with this header (repeatable).", valueName: "header"))
    var ignoreColumns: [String] = []

    @Flag(help: "Spreadsheets: add rows that look like a record already here (or an earlier row) instead of skipping them.")
    var allowDuplicates = false

    @Flag(help: "Folders: import the files that pass the ownership and managed-kind checks and list the refused ones (without it, one refused file and nothing is imported).")
    var skipRefused = false

    @Flag(help: "Spreadsheets: print the outcome as JSON.")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
        if (exists && isDir.boolValue) || (!exists && SpreadsheetFormat(path: path) == nil) {
            for (set, name) in [(kind != nil, "--kind"), (sheet != nil, "--sheet"), (dryRun, "--dry-run"), (!ignoreColumns.isEmpty, "--ignore-column"), (allowDuplicates, "--allow-duplicates"), (json, "--json")] where set {
                throw KBMError.invalid("\(name) is for spreadsheets; \(path) is a folder of record files.")
            }
            let result = try workspace.importFolder(path, skipRefused: skipRefused)
            print("Imported \(path): \(result.added) added, \(result.changed) changed, \(result.unchanged) unchanged.")
            if !result.refused.isEmpty {
                print("Refused \(result.refused.count) file\(result.refused.count == 1 ? "" : "s") (not imported):")
                for refused in result.refused { print("  \(refused.path): \(refused.reason)") }
            }
            return
        }
        if skipRefused { throw KBMError.invalid("--skip-refused is for folders of record files; a spreadsheet is imported all or nothing.") }
        let options = SpreadsheetImportOptions(kind: kind, sheet: sheet, dryRun: dryRun, ignoreColumns: ignoreColumns, allowDuplicates: allowDuplicates)
        let result = try workspace.importSpreadsheet(path, options: options)
        if json { printJSON(Self.json(result)); return }
        printImport(result)
    }

    static func where_(_ sheet: String?, _ row: Int) -> String {
        (sheet.map { "sheet \"\($0)\" " } ?? "") + "row \(row)"
    }

    func printImport(_ r: SpreadsheetImportResult) {
        let counts = "\(r.added.count) added, \(r.changed.count) changed, \(r.unchanged.count) unchanged, \(r.duplicates.count) skipped as likely duplicate\(r.duplicates.count == 1 ? "" : "s")"
        if r.dryRun {
            print("Dry run of \(r.path), nothing written: would be \(counts).")
            for row in r.added { print("  add     \(Self.where_(row.sheet, row.row)): \(row.kind) \"\(row.title)\"") }
            for row in r.changed { print("  change  \(Self.where_(row.sheet, row.row)): \(row.id) \"\(row.title)\": \(row.fields.joined(separator: ", "))") }
            for row in r.unchanged { print("  as is   \(Self.where_(row.sheet, row.row)): \(row.id) \"\(row.title)\"") }
        } else {
            print("Imported \(r.path): \(counts).")
        }
        guard !r.duplicates.isEmpty else { return }
        print("Skipped (they look like records already here; add them anyway with --allow-duplicates, or give the row the record's ID to update it):")
        for d in r.duplicates {
            let other = d.existing.map { "record \($0) \"\(d.otherTitle)\"" } ?? "row \(d.otherRow ?? 0) \"\(d.otherTitle)\""
            print("  \(Self.where_(d.sheet, d.row)): \"\(d.title)\" looks like \(other) (score \(String(format: "%.2f", d.score)))")
        }
    }

    static func json(_ r: SpreadsheetImportResult) -> JSONValue {
        func row(_ x: ImportedRow) -> JSONValue {
            var pairs: [(String, JSONValue)] = [("row", .number(x.row)), ("id", .string(x.id.rawValue)), ("kind", .string(x.kind)), ("title", .string(x.title))]
            if let sheet = x.sheet { pairs.append(("sheet", .string(sheet))) }
            if !x.fields.isEmpty { pairs.append(("fields", .array(x.fields.map(JSONValue.string)))) }
            return .object(pairs)
        }
        let duplicates: [JSONValue] = r.duplicates.map { d in
            var pairs: [(String, JSONValue)] = [("row", .number(d.row)), ("kind", .string(d.kind)), ("title", .string(d.title)), ("like", .string(d.otherTitle))]
            if let sheet = d.sheet { pairs.append(("sheet", .string(sheet))) }
            if let id = d.existing { pairs.append(("existing", .string(id.rawValue))) }
            if let other = d.otherRow { pairs.append(("earlier_row", .number(other))) }
            return .object(pairs)
        }
        return .object([
            ("file", .string(r.path)), ("dry_run", .bool(r.dryRun)),
            ("added", .array(r.added.map(row))), ("changed", .array(r.changed.map(row))),
            ("unchanged", .array(r.unchanged.map(row))), ("duplicates", .array(duplicates)),
        ])
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export records to a spreadsheet (.csv, .xlsx) or as record files into a folder.",
        discussion: "XLSX: one sheet per kind; CSV (for German Excel: UTF-8 with BOM, ';'): one kind, named with --kind when there are several. Personal (local) fields are left out unless --include-local.")

    @Argument(help: "A .csv or .xlsx file, or a folder.")
    var path: String

    @Option(help: "Only records of this kind.")
    var kind: String?

    @Option(help: "Only records of this county.")
    var county: String?

    @Option(name: .customLong("where"), help: ArgumentHelp(whereHelp, valueName: "field=value"))
    var clauses: [String] = []

    @Flag(help: "Also write personal (local) fields: e-mail, phone, notes, last contact, assessments of persons.")
    var includeLocal = false

    func run() throws {
        let workspace = try openWorkspace()
        if SpreadsheetFormat(path: path) != nil {
            let counts = try workspace.exportSpreadsheet(to: path, kind: kind, county: try countyOption(county),
                                                         where: try clauses.map(WhereClause.init(parsing:)), includeLocal: includeLocal)
            let total = counts.reduce(0) { $0 + $1.count }
            print("Exported \(total) record\(total == 1 ? "" : "s") to \(path) (\(counts.map { "\($0.count) \($0.kind)" }.joined(separator: ", "))).")
        } else {
            if kind != nil || county != nil || !clauses.isEmpty {
                throw KBMError.invalid("--kind, --county and --where are for spreadsheets (.csv, .xlsx); a folder export writes every record.")
            }
            let count = try workspace.export(to: path, includeLocal: includeLocal)
            print("Exported \(count) records to \(path).")
        }
        if includeLocal { printWarning("\(path) holds personal data (contact details, notes, assessments of persons): keep it safe and delete it when done.") }
    }
}

/// The help of `--where` (list and count).
let whereHelp = "Only records where <field> <op> <value>: = != < <= > >= or ~ (contains); codes or German labels (type=Bildungskonferenz, status=erledigt, start>=01.03.2026, follow_ups.status=offen). Repeatable."

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
            try workspace.streamJSON(kind: kind, county: countyFilter)
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
    static let configuration = CommandConfiguration(abstract: "Load every record file under a folder (for example sample-repo).")

    @Argument(help: "The folder to import.")
    var dir: String

    @Flag(help: "Import the files that pass the ownership and managed-kind checks and list the refused ones (without it, one refused file and nothing is imported).")
    var skipRefused = false

    func run() throws {
        let workspace = try openWorkspace()
        let result = try workspace.importFolder(dir, skipRefused: skipRefused)
        print("Imported \(dir): \(result.added) added, \(result.changed) changed, \(result.unchanged) unchanged.")
        if !result.refused.isEmpty {
            print("Refused \(result.refused.count) file\(result.refused.count == 1 ? "" : "s") (not imported):")
            for refused in result.refused { print("  \(refused.path): \(refused.reason)") }
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write every record as its canonical file (local fields included).")

    @Argument(help: "The folder to write to.")
    var dir: String

    func run() throws {
        let workspace = try openWorkspace()
        let count = try workspace.export(to: dir)
        print("Exported \(count) records to \(dir).")
    }
}

/// The help of `--where` (list and count).
let whereHelp = "Only records where <field> <op> <value>: = != < <= > >= or ~ (contains); codes or German labels (type=Bildungskonferenz, status=erledigt, start>=01.03.2026, follow_ups.status=offen). Repeatable."

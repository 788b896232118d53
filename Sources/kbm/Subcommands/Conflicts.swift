import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List open conflicts: fields two offices changed differently.")

    @Flag(help: "Print the conflicts as a JSON array.")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        let list = try workspace.conflicts()
        let violations = try workspace.constraintViolations()
        // The JSON lists conflicts only; `kbm status --json` has the references under "violations".
        if json { print(JSONValue.array(list.map(\.json)).prettyText); return }
        for violation in violations {
            print("⚠ \(violation.text). The reference is kept; remove it with `kbm edit \(violation.record.id) \(violation.field)-=\(violation.missing)` or restore the record.")
        }
        if list.isEmpty { print("No open conflicts."); return }
        for view in list {
            let c = view.conflict
            func show(_ v: FieldValue?) -> String { v.map(RecordText.plain) ?? "(empty)" }
            print("\(view.record.id)  \(view.record.kind) \"\(view.record.title())\"  field '\(c.field)'\(c.kind == "delete" ? " (deleted on one side, edited on the other)" : "")")
            print("    base:        \(show(c.base))")
            print("    \(c.ours.county) (\(c.ours.author)): \(show(c.ours.value))")
            print("    \(c.theirs.county) (\(c.theirs.author)): \(show(c.theirs.value))")
            if c.field != "*" { print("    shown for now: \(show(view.provisional))") }
            print("    settle with: kbm resolve \(view.record.id) \(c.field == "*" ? "--all" : c.field) --ours | --theirs\(c.field == "*" ? "" : " | --value <v>")")
        }
    }
}

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Settle a conflict: kbm resolve <id> <field> (--ours | --theirs | --value <v>), or <id> --all (--ours | --theirs).",
        discussion: "--ours takes your county's value, --theirs the other office's. The resolution is an ordinary edit: the next sync shares it and the conflict closes everywhere.")

    @Argument(help: "The record's id, or its unique title or name.")
    var id: String

    @Argument(help: "The conflicted field.")
    var field: String?

    @Flag(help: "Settle every conflict of the record.")
    var all = false

    @Flag(help: "Take your county's value.")
    var ours = false

    @Flag(help: "Take the other office's value.")
    var theirs = false

    @Option(help: "Take this value.")
    var value: String?

    func validate() throws {
        let choices = [ours, theirs, value != nil].filter { $0 }.count
        guard choices == 1 else { throw ValidationError("Choose exactly one of --ours, --theirs or --value <v>.") }
        guard all != (field != nil) else { throw ValidationError("Name one field, or use --all.") }
        if all && value != nil { throw ValidationError("--all takes --ours or --theirs, not --value.") }
    }

    func run() throws {
        let workspace = try openWorkspace()
        let choice: ResolveRequest = ours ? .ours : theirs ? .theirs : .value(value ?? "")
        let record = try workspace.resolve(id: try workspace.recordID(id), field: all ? nil : field, choice: choice)
        print("Resolved \(all ? "all conflicts" : "'\(field ?? "")'") of \(record.id). The next `kbm sync` shares the decision.")
    }
}

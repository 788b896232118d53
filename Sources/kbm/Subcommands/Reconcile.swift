import ArgumentParser
import Foundation
import KBMCore
import KBMReconcile
import KBMRecords

struct Duplicates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List records that may describe one person, body, event or product: kbm duplicates [--kind k] [--county c].",
        discussion: "Pairs already linked (kbm link), merged (kbm merge) or dismissed are not listed. kbm duplicates --dismiss <a> <b> records that two records are not the same; the pair stops appearing in every office after sync.")

    @Option(help: "Only records of this kind (stakeholder, event, product, tip).")
    var kind: String?

    @Option(help: "Only pairs with a record of this county.")
    var county: String?

    @Option(help: "Only pairs scoring at least this (0…1, default \(Scorer.defaultMinScore)).")
    var minScore: Double = Scorer.defaultMinScore

    @Option(help: "Why (with --dismiss).")
    var reason: String?

    @Flag(help: "Record that the two records given are not the same.")
    var dismiss = false

    @Argument(help: "With --dismiss: the two record ids.")
    var ids: [String] = []

    @Flag(help: "Print the pairs as a JSON array of {a, b, score, reasons, …}.")
    var json = false

    func validate() throws {
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score: expected a number from 0 to 1, got \(minScore).") }
        if dismiss && ids.count != 2 { throw ValidationError("--dismiss takes two record ids: kbm duplicates --dismiss <a> <b>.") }
        if !dismiss && !ids.isEmpty { throw ValidationError("Record ids go with --dismiss; to link records use `kbm link <id> <id>…`.") }
    }

    func run() throws {
        let workspace = try openWorkspace()
        if dismiss {
            let link = try workspace.dismiss(try workspace.recordID(ids[0]), try workspace.recordID(ids[1]), reason: reason)
            print("Marked \(ids[0]) and \(ids[1]) as not the same (link \(link.id)). The next `kbm sync` shares the decision.")
            print(link.id)
            return
        }
        let countyFilter = try countyOption(county)
        let (pairs, stats) = try workspace.duplicates(kind: kind, county: countyFilter, minScore: minScore)
        if json {
            print("[" + pairs.map(Duplicates.jsonText).joined(separator: ",\n ") + "]")
            return
        }
        if pairs.isEmpty {
            print("No likely duplicates (\(stats.comparisons) pairs compared of \(stats.allPairs) possible).")
            return
        }
        for p in pairs {
            print(String(format: "%.2f", p.match.score) + "  \(p.a.kind)")
            print("      \(p.a.id)  \(p.a.county)  \(p.a.title())")
            print("      \(p.b.id)  \(p.b.county)  \(p.b.title())")
            print("      " + p.match.reasons.joined(separator: "; "))
        }
        print("\(pairs.count) likely duplicate\(pairs.count == 1 ? "" : "s") (\(stats.comparisons) pairs compared of \(stats.allPairs) possible). Decide with `kbm link <a> <b>`, `kbm merge <keep> <drop>` (same county) or `kbm duplicates --dismiss <a> <b>`.")
    }

    static func jsonText(_ p: DuplicateView) -> String {
        func s(_ text: String) -> String { JSONValue.string(text).text }
        let fields = [
            "\"a\": " + s(p.a.id.rawValue),
            "\"b\": " + s(p.b.id.rawValue),
            "\"score\": " + String(format: "%.3f", p.match.score),
            "\"reasons\": [" + p.match.reasons.map(s).joined(separator: ", ") + "]",
            "\"kind\": " + s(p.a.kind),
            "\"a_title\": " + s(p.a.title()), "\"a_county\": " + s(p.a.county.rawValue),
            "\"b_title\": " + s(p.b.title()), "\"b_county\": " + s(p.b.county.rawValue),
        ]
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

struct Link: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record that records of several counties describe one entity: kbm link <id> <id>…",
        discussion: "Creates a link record of your county (shared with the next sync). Each county keeps its own record; kbm show lists the linked ones, kbm list --dedupe and kbm count count the entity once.")

    @Argument(help: "Two or more record ids.")
    var ids: [String]

    @Option(help: "Why they are the same.")
    var reason: String?

    func validate() throws {
        guard ids.count >= 2 else { throw ValidationError("Give at least two record ids: kbm link <id> <id>…") }
    }

    func run() throws {
        let workspace = try openWorkspace()
        let link = try workspace.link(try ids.map(workspace.recordID), reason: reason)
        print("Linked \(ids.joined(separator: ", ")) as one entity (link \(link.id)). The next `kbm sync` shares it.")
        print(link.id)
    }
}

struct Unlink: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Undo your county's links (same / not the same) naming a record: kbm unlink <id>.",
        discussion: "Links made by other counties stay; kbm says whose they are. A merge cannot be undone.")

    @Argument(help: "The record's id, or its unique title or name.")
    var id: String

    func run() throws {
        let workspace = try openWorkspace()
        let outcome = try workspace.unlink(try workspace.recordID(id))
        for d in outcome.removed {
            print("Removed link \(d.id) (\(d.relation.rawValue): \(d.records.map(\.rawValue).joined(separator: ", "))).")
        }
        for d in outcome.foreign {
            print("Kept link \(d.id) (\(d.relation.rawValue)): it belongs to \(d.county); only that county can undo it.")
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fold a duplicate into another record of your county: kbm merge <keep-id> <drop-id>.",
        discussion: "Fields merge as in sync; different values become conflicts (kbm conflicts) showing the kept value. The dropped record is deleted and its id leads to the kept one (kbm show <drop-id>). If two offices merge the same pair in opposite directions at once, after sync every office takes the record with the smaller id as survivor.")

    @Argument(help: "The record to keep.")
    var keep: String

    @Argument(help: "The record to fold in and delete.")
    var drop: String

    @Option(help: "Why they are the same.")
    var reason: String?

    @Flag(help: "Print the kept record as JSON.")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        let outcome = try workspace.merge(keep: try workspace.recordID(keep), drop: try workspace.recordID(drop), reason: reason)
        if json { printJSON(RecordJSON.record(outcome.kept)); return }
        print("Merged \(drop) into \(keep) (link \(outcome.link.id)).")
        if !outcome.conflicts.isEmpty {
            print("\(outcome.conflicts.count) field\(outcome.conflicts.count == 1 ? "" : "s") differed: \(outcome.conflicts.map(\.field).joined(separator: ", ")). The kept values are shown; see `kbm conflicts`.")
        }
        print(keep)
    }
}

struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Count records per kind; with --dedupe, linked records count once.")

    @Argument(help: "Only this kind.")
    var kind: String?

    @Option(help: "Only records of this county.")
    var county: String?

    @Option(name: .customLong("where"), help: ArgumentHelp(whereHelp, valueName: "field=value"))
    var clauses: [String] = []

    @Option(help: ArgumentHelp("Count per value of this field (code or German label), for example --by type.", valueName: "field"))
    var by: String?

    @Flag(help: "Count entities: records linked as the same (kbm link) count once.")
    var dedupe = false

    @Flag(help: "Print the counts as JSON.")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        let countyFilter = try countyOption(county)
        let clauses = try self.clauses.map(WhereClause.init(parsing:))
        if let by {
            if dedupe { throw KBMError.invalid("--by counts records; it does not combine with --dedupe.") }
            let rows = try workspace.countBy(by, kind: kind, county: countyFilter, where: clauses)
            if json { printJSON(.object(rows.map { ($0.value, .number($0.count)) })); return }
            let width = max(12, rows.map(\.value.count).max() ?? 0)
            for row in rows { print("\(TerminalText.safe(row.value).padding(toLength: width, withPad: " ", startingAt: 0)) \(row.count)") }
            print("\("total".padding(toLength: width, withPad: " ", startingAt: 0)) \(try workspace.list(kind: kind, county: countyFilter, where: clauses).count)")
            return
        }
        let counts = try workspace.entityCounts(kind: kind, county: countyFilter, where: clauses)
        if json {
            printJSON(.object(counts.map { ($0.kind, .object([("records", .number($0.records)), ("entities", .number($0.entities))])) }))
            return
        }
        for c in counts {
            let n = dedupe ? c.entities : c.records
            print("\(c.kind.padding(toLength: 12, withPad: " ", startingAt: 0)) \(n)" + (dedupe && c.entities != c.records ? "  (\(c.records) records)" : ""))
        }
        let total = counts.reduce(0) { $0 + (dedupe ? $1.entities : $1.records) }
        print("total        \(total)")
    }
}

/// `kbm list --dedupe`: one row per entity, the counties of its records after the title.
func printDeduped(_ workspace: Workspace, _ records: [Record], json: Bool) throws {
    let rows = try workspace.dedupe(records)
    if json {
        printJSON(.array(rows.map { row in
            guard case .object(var pairs) = RecordJSON.record(row.shown) else { return RecordJSON.record(row.shown) }
            pairs.append(("linked", .array(row.members.filter { $0.id != row.shown.id }.map { .string($0.id.rawValue) })))
            return .object(pairs)
        }))
        return
    }
    guard !rows.isEmpty else { print("No records."); return }
    let kindWidth = max(4, rows.map(\.shown.kind.count).max() ?? 0)
    let countyWidth = max(6, rows.map(\.shown.county.rawValue.count).max() ?? 0)
    for row in rows {
        let r = row.shown
        let others = Set(row.members.map(\.county.rawValue)).subtracting([r.county.rawValue]).sorted()
        let also = row.members.count > 1 ? "  (+\(row.members.count - 1) linked\(others.isEmpty ? "" : ": " + others.joined(separator: ", ")))" : ""
        print("\(r.id)  \(r.kind.padding(toLength: kindWidth, withPad: " ", startingAt: 0))  \(r.county.rawValue.padding(toLength: countyWidth, withPad: " ", startingAt: 0))  \(r.title())\(also)\(r.conflicts.isEmpty ? "" : "  ⚠")")
    }
    let recordCount = rows.reduce(0) { $0 + $1.members.count }
    print("\(rows.count) entit\(rows.count == 1 ? "y" : "ies") (\(recordCount) record\(recordCount == 1 ? "" : "s"))")
}

import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct Followups: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followups",
        abstract: "Follow-ups of all events, by due date; mark one done or dropped.",
        discussion: "kbm followups [--open|--done|--dropped] [--overdue] [--due-before DATE] [--owner TEXT] [--county c] [--json]; kbm followups done <item-id>; kbm followups drop <item-id>. An item id may be shortened to any part of its start or end that only one item has.",
        subcommands: [FollowupsList.self, FollowupsDone.self, FollowupsDrop.self],
        defaultSubcommand: FollowupsList.self)
}

struct FollowupsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List follow-ups (open ones unless --done or --dropped).")

    @Flag(help: "Open follow-ups (the default).")
    var open = false

    @Flag(help: "Follow-ups marked done.")
    var done = false

    @Flag(help: "Follow-ups dropped.")
    var dropped = false

    @Flag(help: "Only open follow-ups due before today.")
    var overdue = false

    @Option(help: ArgumentHelp("Only follow-ups due before this date (24.04.2026 or 2026-04-24).", valueName: "date"))
    var dueBefore: String?

    @Option(help: "Only follow-ups whose owner contains this text.")
    var owner: String?

    @Option(help: "Only follow-ups of this county's events.")
    var county: String?

    @Flag(help: "Print the follow-ups as a JSON array.")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        var filter = FollowUpFilter()
        if open { filter.statuses.insert("open") }
        if done { filter.statuses.insert("done") }
        if dropped { filter.statuses.insert("dropped") }
        filter.overdueOnly = overdue
        filter.dueBefore = dueBefore
        filter.owner = owner
        filter.county = try countyOption(county)
        let items = try workspace.followUps(filter)
        if json {
            printJSON(.array(items.map { f in
                .object([("item", .string(f.item)), ("text", .string(f.text)), ("status", .string(f.status)),
                         ("owner", f.owner.map(JSONValue.string) ?? .null), ("due", f.due.map(JSONValue.string) ?? .null),
                         ("overdue", .bool(f.overdue)), ("event", .string(f.event.rawValue)),
                         ("event_title", .string(f.eventTitle)), ("county", .string(f.county.rawValue))])
            }))
            return
        }
        guard !items.isEmpty else { print("No follow-ups."); return }
        let header = ["due", "status", "owner", "follow-up", "event", "item"]
        let rows = items.map { f in
            [f.due ?? "-", f.overdue ? "OVERDUE" : f.status, f.owner ?? "", f.text, f.eventTitle, f.item].map(TerminalText.safe)
        }
        let widths = header.indices.map { i in min(40, max(header[i].count, rows.map { $0[i].count }.max() ?? 0)) }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, width in
                let cut = cell.count > width ? String(cell.prefix(width - 1)) + "…" : cell
                return cut.padding(toLength: width, withPad: " ", startingAt: 0)
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        print(line(header))
        for row in rows { print(line(row)) }
        let late = items.filter(\.overdue).count
        print("\(items.count) follow-up\(items.count == 1 ? "" : "s")" + (late > 0 ? ", \(late) overdue" : ""))
    }
}

/// `kbm followups done|drop <item-id>`: one item's status, through `kbm edit`'s checks.
protocol FollowupStatusCommand: ParsableCommand {
    var item: String { get }
    static var status: String { get }
    static var verb: String { get }
}

extension FollowupStatusCommand {
    func run() throws {
        let (before, after) = try openWorkspace().setFollowUpStatus(item, to: Self.status)
        let what = "\"\(TerminalText.safe(after.text))\" (\(TerminalText.safe(after.eventTitle)))"
        if before.status == after.status {
            print("Follow-up \(after.item) \(what) was already \(Self.verb).")
        } else {
            print("Follow-up \(after.item) \(what) is \(Self.verb) now (was \(before.status)).")
        }
    }
}

struct FollowupsDone: FollowupStatusCommand {
    static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark a follow-up done.")
    static let status = "done"
    static let verb = "done"

    @Argument(help: "The item id, or a part of its start or end that only this item has.")
    var item: String
}

struct FollowupsDrop: FollowupStatusCommand {
    static let configuration = CommandConfiguration(commandName: "drop", abstract: "Mark a follow-up dropped.")
    static let status = "dropped"
    static let verb = "dropped"

    @Argument(help: "The item id, or a part of its start or end that only this item has.")
    var item: String
}

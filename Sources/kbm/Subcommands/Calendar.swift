import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Write the events as an iCalendar file (.ics) for Outlook, Thunderbird or a phone.",
        discussion: "One entry per event with a start (all-day, or timed in Europe/Berlin); importing the file again updates the entries. --followups adds the open follow-ups as tasks with their due dates.")

    @Argument(help: "The .ics file to write (replaced if it exists).")
    var file: String

    @Option(help: "Only the events of this county.")
    var county: String?

    @Option(help: ArgumentHelp("Leave out events that ended before this date (2026-04-24 or 24.04.2026).", valueName: "date"))
    var from: String?

    @Flag(help: "Add every open follow-up as a task (VTODO) with its due date and the event's title.")
    var followups = false

    func run() throws {
        let workspace = try openWorkspace()
        let export = try workspace.calendar(county: try countyOption(county), from: from, followUps: followups)
        do {
            try Data(export.text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw KBMError.failure("Could not write \(file): \((error as NSError).localizedDescription)")
        }
        var line = "Wrote \(file): \(export.events) event\(export.events == 1 ? "" : "s")"
        if followups { line += ", \(export.todos) open follow-up\(export.todos == 1 ? "" : "s") as tasks" }
        print(line + ".")
        if !export.withoutStart.isEmpty {
            let n = export.withoutStart.count
            print("Left out \(n) event\(n == 1 ? "" : "s") without a start date:")
            for record in export.withoutStart.prefix(10) { print("  \(record.id)  \(record.title())") }
            if n > 10 { print("  … and \(n - 10) more") }
        }
    }
}

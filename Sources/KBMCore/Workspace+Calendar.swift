import Foundation
import KBMRecords

/// What `kbm calendar` wrote.
public struct CalendarExport: Sendable {
    /// The iCalendar text (CRLF line ends).
    public var text: String
    public var events: Int
    /// Open follow-ups written as tasks (with `--followups`).
    public var todos: Int
    /// Events left out because they have no start date.
    public var withoutStart: [Record]
}

extension Workspace {
    /// The events (of `county`, or of every county here) as an iCalendar file. `from` (a date as a
    /// coordinator types it) leaves out events that ended before it; with `followUps`, every open
    /// follow-up of those counties' events becomes a task (an overdue task still matters, so
    /// `from` does not filter them).
    ///
    /// Throws an invalid-input error naming `--county` or `--from` for a county this region does
    /// not know or a date that does not exist.
    public func calendar(county: County?, from: String?, followUps: Bool) throws -> CalendarExport {
        try checkCountyFilter(county)
        var fromDay: Int?
        if let from {
            switch DateInput.parse(from) {
            case .success(let iso): fromDay = DateValue.dayNumber(iso)
            case .failure(let error): throw KBMError.invalid("--from: \(error.message)")
            }
        }
        let all = try list(kind: "event", county: county, where: [])
        let withoutStart = all.filter { !ICalendar.isSchedulable($0) }
        let events = all.filter(ICalendar.isSchedulable).filter { record in
            guard let fromDay else { return true }
            let last = [record["start"], record["end"]].compactMap { $0?.stringValue.flatMap(DateTimeValue.dayNumber) }.max()
            return (last ?? Int.min) >= fromDay
        }.sorted { ($0["start"]?.stringValue ?? "", $0.id.rawValue) < ($1["start"]?.stringValue ?? "", $1.id.rawValue) }
        let todos = followUps ? all.filter { !ICalendar.openFollowUps($0).isEmpty } : []
        let name = "kbm " + (county?.rawValue ?? "region")
        let text = ICalendar.write(events: events, todos: todos, name: name, schema: schema)
        let todoCount = todos.reduce(0) { $0 + ICalendar.openFollowUps($1).count }
        return CalendarExport(text: text, events: events.count, todos: todoCount, withoutStart: withoutStart)
    }

    /// A `--county` filter must name a county of this region (its office registry, its records, or
    /// this workspace's own): a typo is an error, never an empty answer.
    public func checkCountyFilter(_ county: County?) throws {
        guard let county else { return }
        let known = try knownCounties()
        guard known.contains(county) else {
            throw KBMError.invalid("--county: \(county) is not a county of this region. Counties: \(known.map(\.rawValue).joined(separator: ", ")).")
        }
    }
}

import Foundation
import KBMRecords
import KBMStore

/// One follow-up item of an event (`follow_ups`), with the event it belongs to.
public struct FollowUp: Equatable, Sendable {
    public var event: RecordID
    public var eventTitle: String
    public var county: County
    public var item: String
    public var text: String
    public var owner: String?
    /// ISO date, or nil.
    public var due: String?
    /// The status code: open, done or dropped.
    public var status: String
    /// Open and due before today.
    public var overdue: Bool
}

/// Which follow-ups `kbm followups` lists.
public struct FollowUpFilter: Sendable {
    /// Status codes (open, done, dropped); empty: open ones.
    public var statuses: Set<String> = []
    public var overdueOnly = false
    /// Only items due before this date (DD.MM.YYYY or ISO).
    public var dueBefore: String?
    /// Only items whose owner contains this text (case- and accent-insensitive).
    public var owner: String?
    public var county: County?
    public init() {}
}

extension Workspace {
    static let followUpField = "follow_ups"

    /// Today in this laptop's time zone, as an ISO date.
    static func today() -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    /// Every follow-up item of every event here, in stored order (no filter).
    func allFollowUps(county: County? = nil) throws -> [FollowUp] {
        let today = Workspace.today()
        let events = try store.read { try $0.records(RecordFilter(kind: "event", county: county)) }
        return events.flatMap { event in
            (event[Workspace.followUpField]?.itemsValue ?? []).map { item in
                let status = item.fields["status"] ?? "open"
                let due = item.fields["due"]
                return FollowUp(event: event.id, eventTitle: event.title(schema: schema), county: event.county, item: item.id,
                                text: item.fields["text"] ?? "", owner: item.fields["owner"], due: due, status: status,
                                overdue: status == "open" && due.map { $0 < today } ?? false)
            }
        }
    }

    /// The follow-ups `filter` selects, by due date (items without one last), then event title.
    /// Throws an invalid-input error for a date that is not one.
    public func followUps(_ filter: FollowUpFilter) throws -> [FollowUp] {
        let before: String? = try filter.dueBefore.map { text in
            switch DateInput.parse(text) {
            case .success(let iso): return iso
            case .failure(let error): throw KBMError.invalid("--due-before: \(error.message)")
            }
        }
        let statuses = filter.statuses.isEmpty ? ["open"] : filter.statuses
        return try allFollowUps(county: filter.county).filter { f in
            statuses.contains(f.status)
                && (!filter.overdueOnly || f.overdue)
                && before.map { b in f.due.map { $0 < b } ?? false } ?? true
                && filter.owner.map { o in f.owner.map { TextFold.contains($0, o) } ?? false } ?? true
        }.sorted { a, b in
            switch (a.due, b.due) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return (a.eventTitle, a.event.rawValue, a.item) < (b.eventTitle, b.event.rawValue, b.item)
            }
        }
    }

    /// The follow-up an item id names: the whole id, or any part of its start or end that only
    /// one item has (case-insensitive). Throws an invalid-input error listing the candidates
    /// when several items fit, or saying so when none does.
    public func followUp(_ reference: String) throws -> FollowUp {
        let ref = reference.trimmingCharacters(in: .whitespaces).uppercased()
        guard !ref.isEmpty else { throw KBMError.invalid("Name a follow-up by its item id (`kbm followups` lists them).") }
        let all = try allFollowUps()
        if let exact = all.first(where: { $0.item.uppercased() == ref }) { return exact }
        let candidates = all.filter { $0.item.uppercased().hasPrefix(ref) || $0.item.uppercased().hasSuffix(ref) }
        if candidates.count == 1, let only = candidates.first { return only }
        let shown = TerminalText.safe(reference)
        guard !candidates.isEmpty else {
            throw KBMError.invalid("No follow-up has an item id that starts or ends with \"\(shown)\". `kbm followups --open --done --dropped` lists them all.")
        }
        let rows = candidates.map { "  \($0.item)  \(TerminalText.safe($0.text))  (\(TerminalText.safe($0.eventTitle)), \($0.county))" }
        throw KBMError.invalid("\(candidates.count) follow-ups have an item id that starts or ends with \"\(shown)\"; give more of it:\n" + rows.joined(separator: "\n"))
    }

    /// Sets the status of one follow-up (`done`, `dropped`, `open`): an ordinary edit of its event,
    /// with the same checks as `kbm edit` (only the event's owners change it). Returns the item
    /// as it was and as it is now.
    public func setFollowUpStatus(_ reference: String, to status: String) throws -> (before: FollowUp, after: FollowUp) {
        let before = try followUp(reference)
        let assignment = try FieldAssignment(parsing: "\(Workspace.followUpField).\(before.item).status=\(status)")
        _ = try edit(id: before.event, assignments: [assignment])
        let after = try allFollowUps().first { $0.item == before.item } ?? before
        return (before, after)
    }
}

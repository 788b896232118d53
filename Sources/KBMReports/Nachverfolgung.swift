import Foundation
import KBMRecords

/// `nachverfolgung`: the open follow-ups of the events (of the period, when one is given), by
/// owner and by event, and which of them are overdue (due before today).
public struct Nachverfolgung {
    public let input: ReportInput

    public init(_ input: ReportInput) {
        self.input = input
        open = input.records("event").filter { input.period.contains($0.startDay) || (input.period.from == nil && input.period.to == nil) }
            .flatMap { e in (e["follow_ups"]?.itemsValue ?? []).filter { $0.status == "open" }.map { Entry(event: e, item: $0) } }
            .sorted { ($0.due ?? "9999", $0.event.title(), $0.item.fields["text"] ?? "") < ($1.due ?? "9999", $1.event.title(), $1.item.fields["text"] ?? "") }
    }

    public struct Entry: Sendable, Equatable {
        public var event: Record
        public var item: Item
        public var owner: String { item.fields["owner"].flatMap { FieldRules.isBlank($0) ? nil : $0 } ?? Nachverfolgung.noOwner }
        public var due: String? { item.fields["due"] }
    }

    static let noOwner = "ohne Zuständigkeit"

    /// Open follow-ups of the events whose start lies in the period (every event without one),
    /// ordered by due date (none last), event and text.
    public let open: [Entry]

    /// An open follow-up is overdue when its due date is before today.
    public func isOverdue(_ entry: Entry) -> Bool { entry.due.map { $0 < input.today } ?? false }

    public var overdue: [Entry] { open.filter(isOverdue) }

    /// Owners with their open and overdue follow-ups, most open first.
    public var byOwner: [(owner: String, open: Int, overdue: Int)] {
        var late: [String: Int] = [:]
        for e in open where isOverdue(e) { late[e.owner, default: 0] += 1 }
        return tally(open.map(\.owner)).map { owner, n in (owner, n, late[owner] ?? 0) }
    }

    public func document() -> ReportDocument {
        let schema = input.schema
        let entries = open
        let label = { (item: String) in schema.label(field: "follow_ups", of: "event", item: item) }
        var sections: [ReportDocument.Section] = []
        sections.append(.init("Auf einen Blick", [
            .paragraph("Offene Folgeprozesse der Veranstaltungen (\(input.period.label)); überfällig ist, was vor dem \(GermanFormat.date(input.today)) fällig war."),
            .figures([
                KeyFigure("followups-open", "Folgeprozesse offen", entries.count),
                KeyFigure("followups-overdue", "davon überfällig", overdue.count),
                KeyFigure("owners", "Zuständige", Set(entries.map(\.owner)).count),
            ]),
        ]))
        if entries.isEmpty {
            sections.append(.init("Nach Zuständigkeit", [.paragraph("Keine offenen Folgeprozesse.")]))
            return ReportDocument(title: "Nachverfolgung der Folgeprozesse", subtitle: input.subtitle, sections: sections)
        }
        let owners = byOwner
        sections.append(.init("Nach Zuständigkeit", [
            .table(Table(id: "by-owner", columns: [label("owner"), "offen", "davon überfällig"], rows: owners.map { [$0.owner, GermanFormat.integer($0.open), GermanFormat.integer($0.overdue)] })),
            .chart(.bars(BarChart(id: "open-by-owner", title: "Offene Folgeprozesse nach Zuständigkeit", categoryLabel: label("owner"), valueLabel: "Anzahl offener Folgeprozesse",
                                  source: "kbm, Folgeprozesse der Veranstaltungen", bars: owners.map { .init($0.owner, Double($0.open)) }))),
        ]))
        sections.append(.init("Nach Veranstaltung", [
            .table(Table(id: "by-event", columns: [schema.label(kind: "event"), "Datum", label("text"), label("owner"), label("due"), "überfällig"],
                         rows: entries.sorted { ($0.event.startDay ?? "", $0.event.title()) < ($1.event.startDay ?? "", $1.event.title()) }.map { e in
                             [e.event.title(), GermanFormat.date(e.event.startDay ?? ""), e.item.fields["text"] ?? "", e.owner, e.due.map(GermanFormat.date) ?? "", isOverdue(e) ? "überfällig" : ""]
                         }, widths: [20, 13, 24, 19, 13, 11])),
        ]))
        return ReportDocument(title: "Nachverfolgung der Folgeprozesse", subtitle: input.subtitle, sections: sections)
    }
}

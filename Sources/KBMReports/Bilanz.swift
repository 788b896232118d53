import Foundation
import KBMRecords

/// `bilanz`: the balance sheet of a period for the Kreistag ("Bilanzierung des Erreichten"):
/// achievements; events held with goals, participants and outcomes; products by target group
/// and channel; follow-ups done and open; new stakeholders; committees. Every figure is one
/// property here.
public struct Bilanz {
    public let input: ReportInput
    let schema: Schema

    public init(_ input: ReportInput) {
        self.input = input
        self.schema = input.schema
        // The three lists every figure is counted from, computed once.
        achievements = input.records("achievement").filter { input.period.contains($0.text("date")) }
            .sorted { ($0.text("date") ?? "", $0.title()) < ($1.text("date") ?? "", $1.title()) }
        eventsHeld = input.records("event").filter { e in
            guard let day = e.startDay else { return false }
            return input.period.contains(day) && day <= input.today
        }.sorted { ($0.startDay ?? "", $0.title()) < ($1.startDay ?? "", $1.title()) }
        productsPublished = input.records("product").filter { input.period.contains($0.text("published")) }
            .sorted { ($0.text("published") ?? "", $0.title()) < ($1.text("published") ?? "", $1.title()) }
    }

    // MARK: figures

    /// Achievements dated in the period, oldest first.
    public let achievements: [Record]

    /// Events that started in the period, on or before today, oldest first.
    public let eventsHeld: [Record]

    /// The participants of the events held, summed (events without a count add nothing).
    public var participants: Int { eventsHeld.reduce(0) { $0 + ($1.int("participants") ?? 0) } }
    public var eventsWithGoals: Int { eventsHeld.filter { !$0.list("goals").isEmpty }.count }
    public var eventsWithOutcomes: Int { eventsHeld.filter { !FieldRules.isBlank($0.text("outcomes") ?? "") }.count }

    /// Products published in the period, oldest first.
    public let productsPublished: [Record]

    /// Products published by target group (a product with two target groups counts in both;
    /// one without any under "ohne Zielgruppe").
    public var productsByTargetGroup: [(String, Int)] {
        tally(productsPublished.flatMap { p in p.list("target_groups").isEmpty ? ["ohne Zielgruppe"] : p.list("target_groups") })
    }

    public var productsByChannel: [(String, Int)] {
        tally(productsPublished.flatMap { p in p.list("channels").isEmpty ? ["ohne Kanal"] : p.list("channels") })
    }

    /// The follow-ups of the events held, by status code.
    public func followUps(status: String) -> Int {
        eventsHeld.flatMap { $0["follow_ups"]?.itemsValue ?? [] }.filter { $0.status == status }.count
    }

    /// Stakeholders first recorded in the period.
    public var newStakeholders: [Record] {
        input.records("stakeholder").filter { input.period.contains($0.created.rawValue) }
    }

    /// The committees (stakeholders of type committee) the office works in.
    public var committees: [Record] {
        input.records("stakeholder").filter { $0.text("type") == "committee" }.sorted { $0.title() < $1.title() }
    }

    /// Events held and participants per quarter: every quarter of a year report, otherwise the
    /// quarters that had events.
    public var quarters: [(label: String, events: Int, participants: Int)] {
        var keys: [String] = []
        if let year = input.period.year { keys = (1...4).map { "\(year)-Q\($0)" } }
        var events: [String: Int] = [:], people: [String: Int] = [:]
        for e in eventsHeld {
            guard let day = e.startDay, let month = Int(day.dropFirst(5).prefix(2)) else { continue }
            let key = "\(day.prefix(4))-Q\((month - 1) / 3 + 1)"
            if !keys.contains(key) { keys.append(key) }
            events[key, default: 0] += 1
            people[key, default: 0] += e.int("participants") ?? 0
        }
        return keys.sorted().map { key in
            let parts = key.split(separator: "-")
            return ("\(parts[1].dropFirst()). Quartal \(parts[0])", events[key] ?? 0, people[key] ?? 0)
        }
    }

    // MARK: document

    /// The first goal, and how many more: a table cell, not the whole list.
    static func goalsSummary(_ goals: [String]) -> String {
        guard let first = goals.first else { return "" }
        return clipped(first, to: 70) + (goals.count > 1 ? " (+\(goals.count - 1) weitere)" : "")
    }

    /// The outcomes as one short line: Markdown headings and list marks dropped, clipped.
    static func outcomeSummary(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { line -> String in
                var l = Substring(line)
                while let first = l.first, "-*+ ".contains(first) { l = l.dropFirst() }
                return String(l)
            }
        return clipped(lines.joined(separator: " "), to: 110)
    }

    func label(_ field: String, _ kind: String, item: String? = nil) -> String { schema.label(field: field, of: kind, item: item) }
    func value(_ code: String, _ field: String, _ kind: String, item: String? = nil) -> String {
        schema.label(value: code, field: field, kind: kind, item: item)
    }

    public func document() -> ReportDocument {
        let period = input.period
        let held = eventsHeld
        let statusField = "follow_ups"
        var sections: [ReportDocument.Section] = []

        sections.append(.init("Auf einen Blick", [
            .paragraph("Was das Bildungsbüro \(period.phrase) erreicht hat, gezählt aus den gemeinsamen Datensätzen."),
            .figures([
                KeyFigure("achievements", "Erfolge", achievements.count),
                KeyFigure("events-held", "Veranstaltungen durchgeführt", held.count),
                KeyFigure("participants", "Teilnehmende", participants),
                KeyFigure("products-published", "Produkte veröffentlicht", productsPublished.count),
                KeyFigure("followups-done", "Folgeprozesse erledigt", followUps(status: "done")),
                KeyFigure("followups-open", "Folgeprozesse offen", followUps(status: "open")),
                KeyFigure("new-stakeholders", "neue Akteure", newStakeholders.count),
                KeyFigure("committees", "Gremien", committees.count),
            ]),
        ]))

        sections.append(.init("Erfolge", [
            .table(Table(id: "achievements", columns: [label("date", "achievement"), label("title", "achievement"), label("type", "achievement"), label("evidence", "achievement")],
                         rows: achievements.map { a in
                             [a.text("date").map(GermanFormat.date) ?? "", a.title(), a.text("type").map { value($0, "type", "achievement") } ?? "", a.list("evidence").joined(separator: ", ")]
                         }, empty: "Keine Erfolge \(period.phrase) erfasst.", widths: [14, 40, 18, 28])),
        ]))

        var eventBlocks: [ReportDocument.Block] = []
        if held.isEmpty {
            eventBlocks.append(.paragraph("Keine Veranstaltungen \(period.phrase)."))
        } else {
            eventBlocks.append(.figures([
                KeyFigure("events-with-goals", "mit festgehaltenen Zielen", eventsWithGoals),
                KeyFigure("events-with-outcomes", "mit festgehaltenen Ergebnissen", eventsWithOutcomes),
            ]))
            eventBlocks.append(.table(Table(id: "events", columns: ["Datum", label("title", "event"), label("type", "event"), label("participants", "event"), label("goals", "event"), label("outcomes", "event")],
                rows: held.map { e in
                    [GermanFormat.date(e.startDay ?? ""), e.title(), e.text("type").map { value($0, "type", "event") } ?? "",
                     e.int("participants").map(GermanFormat.integer) ?? "", Self.goalsSummary(e.list("goals")), Self.outcomeSummary(e.text("outcomes") ?? "")]
                }, widths: [13, 21, 14, 13, 18, 21])))
            let q = quarters
            eventBlocks.append(.chart(.bars(BarChart(id: "events-per-quarter", title: "Veranstaltungen je Quartal", categoryLabel: "Quartal", valueLabel: "Anzahl Veranstaltungen",
                                                     source: "kbm, Datensätze „Veranstaltung“ (Beginn)", bars: q.map { .init($0.label, Double($0.events)) }))))
            eventBlocks.append(.chart(.bars(BarChart(id: "participants-per-quarter", title: "Teilnehmende je Quartal", categoryLabel: "Quartal", valueLabel: "Anzahl Teilnehmende (Personen)",
                                                     source: "kbm, Datensätze „Veranstaltung“ (Teilnehmende)", bars: q.map { .init($0.label, Double($0.participants)) }))))
        }
        sections.append(.init(schema.vocabulary.kindAliases["event"]?.first ?? "Veranstaltungen", eventBlocks))

        let products = productsPublished
        var productBlocks: [ReportDocument.Block] = []
        if products.isEmpty {
            productBlocks.append(.paragraph("Keine Produkte \(period.phrase) veröffentlicht."))
        } else {
            productBlocks.append(.table(Table(id: "products", columns: [label("published", "product"), label("title", "product"), label("type", "product")],
                rows: products.map { p in [GermanFormat.date(p.text("published") ?? ""), p.title(), p.text("type").map { value($0, "type", "product") } ?? ""] })))
            productBlocks.append(.chart(.bars(BarChart(id: "products-by-target-group", title: "Produkte nach Zielgruppe", categoryLabel: label("target_groups", "product"), valueLabel: "Anzahl Produkte",
                                                       source: "kbm, Datensätze „Produkt“ (Zielgruppen)", bars: productsByTargetGroup.map { .init($0.0, Double($0.1)) }))))
            productBlocks.append(.table(Table(id: "products-by-channel", columns: [label("channels", "product"), "Anzahl Produkte"], rows: productsByChannel.map { [$0.0, GermanFormat.integer($0.1)] })))
        }
        sections.append(.init(schema.vocabulary.kindAliases["product"]?.first ?? "Produkte", productBlocks))

        let statuses = schema.field(statusField, of: "event")?.itemFields?.first { $0.name == "status" }?.values ?? ["open", "done", "dropped"]
        sections.append(.init(label(statusField, "event"), [
            .paragraph("Stand der Folgeprozesse der Veranstaltungen \(period.phrase)."),
            .chart(.bars(BarChart(id: "followups-by-status", title: "Folgeprozesse nach Stand", categoryLabel: label(statusField, "event", item: "status"), valueLabel: "Anzahl Folgeprozesse",
                                  source: "kbm, Folgeprozesse der Veranstaltungen", bars: statuses.map { .init(value($0, statusField, "event", item: "status"), Double(followUps(status: $0))) }))),
        ]))

        sections.append(.init("Gremien und neue Akteure", [
            .table(Table(id: "committees", columns: ["Gremium", label("organisation", "stakeholder")], rows: committees.map { [$0.title(), $0.text("organisation") ?? ""] }, empty: "Keine Gremien erfasst.")),
            .table(Table(id: "new-stakeholders", columns: ["Neu erfasst", label("name", "stakeholder"), label("type", "stakeholder")],
                         rows: newStakeholders.sorted { $0.created < $1.created }.map { s in
                             [GermanFormat.date(s.created.rawValue), s.title(), s.text("type").map { value($0, "type", "stakeholder") } ?? ""]
                         }, empty: "Keine neuen Akteure \(period.phrase).")),
        ]))

        return ReportDocument(title: "Bilanz des Bildungsbüros", subtitle: input.subtitle, sections: sections)
    }
}

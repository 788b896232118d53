import Foundation
import KBMRecords

/// The reports kbm makes, by the name `kbm report <name>` takes.
public enum ReportKind: String, CaseIterable, Sendable {
    case bilanz, nachverfolgung, akteure, indikatoren

    /// The kinds of records a report reads (the others are not loaded).
    public var kinds: [String] {
        switch self {
        case .bilanz: return ["achievement", "event", "product", "stakeholder"]
        case .nachverfolgung: return ["event"]
        case .akteure: return ["stakeholder"]
        case .indikatoren: return ["indicator"]
        }
    }

    /// What each report is, in a line (for `kbm report --help` and the error for an unknown name).
    public var summary: String {
        switch self {
        case .bilanz: return "the year's balance sheet for the Kreistag"
        case .nachverfolgung: return "open and overdue follow-ups by owner and event"
        case .akteure: return "the stakeholder map (internal)"
        case .indikatoren: return "each indicator over time against the region"
        }
    }
}

/// A period of days, both ends included, as ISO dates (`2025-01-01` … `2025-12-31`).
public struct ReportPeriod: Sendable, Equatable {
    public var from: String?
    public var to: String?
    /// The calendar year, when the period is one.
    public var year: Int?

    public init(from: String?, to: String?) {
        self.from = from
        self.to = to
        self.year = nil
    }

    public static func year(_ year: Int) -> ReportPeriod {
        var p = ReportPeriod(from: String(format: "%04d-01-01", year), to: String(format: "%04d-12-31", year))
        p.year = year
        return p
    }

    public static let all = ReportPeriod(from: nil, to: nil)

    /// Whether a date (or date and time) lies in the period; a missing date never does, unless
    /// the period is open at both ends.
    public func contains(_ date: String?) -> Bool {
        guard let date, date.count >= 10 else { return from == nil && to == nil }
        let day = String(date.prefix(10))
        if let from, day < from { return false }
        if let to, day > to { return false }
        return true
    }

    /// `im Jahr 2025`, `vom 01.03.2025 bis 30.06.2025`, `seit 01.03.2025`, or `insgesamt`.
    public var phrase: String {
        if let year { return "im Jahr \(year)" }
        switch (from, to) {
        case let (f?, t?): return "vom \(GermanFormat.date(f)) bis \(GermanFormat.date(t))"
        case let (f?, nil): return "seit \(GermanFormat.date(f))"
        case let (nil, t?): return "bis \(GermanFormat.date(t))"
        case (nil, nil): return "insgesamt"
        }
    }

    /// `Jahr 2025`, `01.03.2025–30.06.2025`, `alle Zeiträume`.
    public var label: String {
        if let year { return "Jahr \(year)" }
        switch (from, to) {
        case let (f?, t?): return "\(GermanFormat.date(f))–\(GermanFormat.date(t))"
        case let (f?, nil): return "ab \(GermanFormat.date(f))"
        case let (nil, t?): return "bis \(GermanFormat.date(t))"
        case (nil, nil): return "alle Zeiträume"
        }
    }
}

/// What a report is made of: every record here, the period, the county (nil for the whole
/// region; a report counts only that county's records, except the regional comparison of
/// indicators) and today's date (ISO), which decides what is held and what is overdue.
public struct ReportInput: Sendable {
    public var records: [Record]
    public var period: ReportPeriod
    public var county: County?
    public var today: String
    public var schema: Schema

    public init(records: [Record], period: ReportPeriod, county: County?, today: String, schema: Schema = .current) {
        self.records = records
        self.period = period
        self.county = county
        self.today = today
        self.schema = schema
    }

    /// The records of a kind of the county asked for (all counties without `--county`).
    func records(_ kind: String) -> [Record] { records.filter { $0.kind == kind && (county == nil || $0.county == county) } }
    /// The records of a kind of every county: for the regional comparison.
    func regionRecords(_ kind: String) -> [Record] { records.filter { $0.kind == kind } }

    /// `Landkreis lk-augsburg` or `Region`, for subtitles.
    var scope: String { county.map { "Gebiet \($0.rawValue)" } ?? "alle Landkreise der Region" }

    var subtitle: String { "\(scope) · \(period.label) · Stand \(GermanFormat.date(today))" }
}

/// Makes the document of a report.
public enum Reports {
    public static func document(_ kind: ReportKind, _ input: ReportInput) -> ReportDocument {
        switch kind {
        case .bilanz: return Bilanz(input).document()
        case .nachverfolgung: return Nachverfolgung(input).document()
        case .akteure: return Akteure(input).document()
        case .indikatoren: return Indikatoren(input).document()
        }
    }
}

// MARK: record helpers shared by the reports

extension Record {
    func text(_ field: String) -> String? { self[field]?.stringValue }
    func int(_ field: String) -> Int? { if case .int(let n)? = self[field] { return n } else { return nil } }
    func list(_ field: String) -> [String] { self[field]?.strings ?? [] }
    /// The day an event starts (`2025-04-24`), without the time.
    var startDay: String? { text("start").map { String($0.prefix(10)) } }
}

extension Item {
    /// A follow-up without a status is open (that is how `kbm edit follow_ups+=…` adds one).
    var status: String { fields["status"] ?? "open" }
}

/// Counts of values, sorted by count (most first), then by label.
func tally(_ values: [String]) -> [(String, Int)] {
    var counts: [String: Int] = [:]
    for v in values { counts[v, default: 0] += 1 }
    return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
}

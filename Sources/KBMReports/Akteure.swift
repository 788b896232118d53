import Foundation
import KBMRecords

/// `akteure`: the stakeholder map, marked "intern": influence × stance as a matrix, key
/// persons, critics, committees, and whom no one has contacted for six months. It shows local
/// (personal) fields of this workspace, so it is not for handing out.
public struct Akteure {
    public let input: ReportInput
    public init(_ input: ReportInput) { self.input = input }

    public var stakeholders: [Record] { input.records("stakeholder").sorted { $0.title() < $1.title() } }

    /// Stakeholders by influence (rows, high first) and stance (columns); those without an
    /// assessment are left out of the matrix.
    public var matrix: [[Int]] {
        let people = stakeholders
        return ["high", "medium", "low"].map { influence in
            ["supporter", "neutral", "critical", "unknown"].map { stance in
                people.filter { $0.text("influence") == influence && ($0.text("stance") ?? "unknown") == stance }.count
            }
        }
    }

    public var keyPersons: [Record] { stakeholders.filter { if case .bool(true)? = $0["key_person"] { return true } else { return false } } }
    public var critics: [Record] { stakeholders.filter { $0.text("stance") == "critical" } }

    /// Stakeholders whose last contact is more than six months before today (or never recorded
    /// for a key person).
    public var contactOverdue: [Record] {
        guard let today = DateValue.dayNumber(input.today) else { return [] }
        return stakeholders.filter { s in
            guard let last = s.text("last_contact").flatMap(DateValue.dayNumber) else { return false }
            return today - last > 182
        }
    }

    public func document() -> ReportDocument {
        let schema = input.schema
        let v = { (code: String, field: String) in schema.label(value: code, field: field, kind: "stakeholder") }
        let l = { (field: String) in schema.label(field: field, of: "stakeholder") }
        let row = { (s: Record) -> [String] in [s.title(), s.text("organisation") ?? "", s.text("influence").map { v($0, "influence") } ?? "", s.text("stance").map { v($0, "stance") } ?? ""] }
        let columns = [l("name"), l("organisation"), l("influence"), l("stance")]
        let sections: [ReportDocument.Section] = [
            .init("Auf einen Blick", [
                .paragraph("Nur für den internen Gebrauch: enthält Einschätzungen zu Personen (lokale Felder)."),
                .figures([
                    KeyFigure("stakeholders", "Akteure", stakeholders.count),
                    KeyFigure("key-persons", "Schlüsselpersonen", keyPersons.count),
                    KeyFigure("critics", "Kritiker", critics.count),
                    KeyFigure("contact-overdue", "letzter Kontakt älter als 6 Monate", contactOverdue.count),
                ]),
            ]),
            .init("Einfluss und Haltung", [
                .chart(.matrix(MatrixChart(id: "influence-stance", title: "Akteure nach Einfluss und Haltung", rowLabel: l("influence"), columnLabel: l("stance"),
                                           source: "kbm, Datensätze „Akteur“ (Einschätzungen)", rows: ["high", "medium", "low"].map { v($0, "influence") },
                                           columns: ["supporter", "neutral", "critical", "unknown"].map { v($0, "stance") }, counts: matrix))),
            ]),
            .init("Schlüsselpersonen", [.table(Table(id: "key-persons", columns: columns, rows: keyPersons.map(row), empty: "Keine Schlüsselpersonen erfasst."))]),
            .init("Kritiker", [.table(Table(id: "critics", columns: columns, rows: critics.map(row), empty: "Keine Kritiker erfasst."))]),
            .init("Gremien", [.table(Table(id: "committees", columns: [l("name"), l("organisation")],
                                           rows: stakeholders.filter { $0.text("type") == "committee" }.map { [$0.title(), $0.text("organisation") ?? ""] }, empty: "Keine Gremien erfasst."))]),
            .init("Lange kein Kontakt", [.table(Table(id: "contact-overdue", columns: [l("name"), l("organisation"), l("last_contact")],
                                                      rows: contactOverdue.map { [$0.title(), $0.text("organisation") ?? "", GermanFormat.date($0.text("last_contact") ?? "")] },
                                                      empty: "Mit allen Akteuren gab es in den letzten sechs Monaten Kontakt."))]),
        ]
        return ReportDocument(title: "Akteurslandkarte", subtitle: input.subtitle, marking: "intern", sections: sections)
    }
}

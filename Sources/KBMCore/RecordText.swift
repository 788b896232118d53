import Foundation
import KBMRecords

/// Human-readable views of records for the terminal. Values come from other offices' files, so
/// each one is made safe (`TerminalText`): a single-line position shows a line break as `\u{A}`,
/// a multi-line text keeps its lines.
public enum RecordText {
    /// One record, field by field; conflicted fields are marked, and so are the personal fields
    /// that stay on this laptop (all local fields but those in `published`, see
    /// `Workspace.publishedPersonalFields`; without it, those the record's disclosures name).
    /// `referenceNames` gives the names of the records a reference field (an event's partners)
    /// names, shown beside their ids (`Workspace.referenceNames`).
    public static func show(_ record: Record, schema: Schema = .current, published: Set<String>? = nil,
                            referenceNames: [(field: String, names: [(id: RecordID, title: String?)])] = []) -> String {
        let published = published ?? record.disclosedFields
        var lines = ["\(record.kind) \(record.id)", "  county:  \(record.county)", "  created: \(record.created)", "  updated: \(record.updated)"]
        let conflicted = Set(record.conflicts.map(\.field))
        let fields = RecordJSON.fields(record.fields, kind: record.kind, schema: schema)
        let width = (fields.map(\.0.count).max() ?? 0) + 1
        for (name, _) in fields {
            guard let value = record.fields[name] else { continue }
            let mark = conflicted.contains(name) ? " ⚠ conflict" : ""
            let label = (name + ":").padding(toLength: width, withPad: " ", startingAt: 0)
            let spec = schema.field(name, of: record.kind)
            let local = spec.map { $0.isLocal(in: record.fields) && !published.contains(name) } ?? false ? " (local only)" : ""
            switch value {
            case .text(let s) where s.contains("\n"):
                lines.append("  \(label)\(mark)\(local)")
                lines += s.split(separator: "\n", omittingEmptySubsequences: false).map { "    │ " + TerminalText.safe(String($0)) }
            case .strings(let s) where spec?.type == .refs && referenceNames.contains(where: { $0.field == name }):
                // One line per reference: the id and the name of the record it names.
                let names = referenceNames.first { $0.field == name }?.names ?? []
                lines.append("  \(label)\(mark)\(local)")
                for ref in s {
                    let title = names.first { $0.id.rawValue == ref }?.title
                    lines.append("    - \(TerminalText.safe(ref))  \(title.map(TerminalText.safe) ?? "(not in this store)")")
                }
            case .strings(let s):
                lines.append("  \(label) \(TerminalText.safe(s.joined(separator: ", ")))\(mark)\(local)")
            case .items(let items):
                lines.append("  \(label)\(mark)\(local)")
                // The item's first required field leads (a follow-up's text, an indicator value's period).
                let head = spec?.itemFields?.first(where: \.required)?.name ?? "text"
                for item in items {
                    let rest = item.fields.keys.sorted().filter { $0 != head }.compactMap { k in item.fields[k].map { "\(k): \($0)" } }
                    let line = "    - [\(item.id)] \(item.fields[head] ?? "")" + (rest.isEmpty ? "" : " (\(rest.joined(separator: ", ")))")
                    lines.append(TerminalText.safe(line))
                }
            default:
                lines.append("  \(label) \(TerminalText.safe(plain(value)))\(mark)\(local)")
            }
        }
        for conflict in record.conflicts {
            lines.append(TerminalText.safe("  ⚠ conflict in '\(conflict.field)': \(conflict.ours.county) (\(conflict.ours.author)) has \(conflict.ours.value.map(plain) ?? "(deleted)"), \(conflict.theirs.county) (\(conflict.theirs.author)) has \(conflict.theirs.value.map(plain) ?? "(deleted)")"))
        }
        return lines.joined(separator: "\n")
    }

    public static func plain(_ value: FieldValue) -> String {
        switch value {
        case .text(let s): return s
        case .int(let n): return String(n)
        case .bool(let b): return b ? "yes" : "no"
        case .strings(let s): return s.joined(separator: ", ")
        case .items(let items): return items.map { $0.fields["text"] ?? $0.id }.joined(separator: "; ")
        case .opaque(let raw): return raw.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// A table: id, kind, county, title.
    public static func table(_ records: [Record], schema: Schema = .current) -> String {
        guard !records.isEmpty else { return "No records." }
        var out = ""
        let kindWidth = max(4, records.map(\.kind.count).max() ?? 0)
        let countyWidth = max(6, records.map(\.county.rawValue.count).max() ?? 0)
        for r in records {
            let mark = r.conflicts.isEmpty ? "" : "  ⚠"
            out += "\(r.id)  \(r.kind.padding(toLength: kindWidth, withPad: " ", startingAt: 0))  \(r.county.rawValue.padding(toLength: countyWidth, withPad: " ", startingAt: 0))  \(TerminalText.safe(r.title(schema: schema)))\(mark)\n"
        }
        out += "\(records.count) record\(records.count == 1 ? "" : "s")"
        return out
    }

    /// `kbm list --columns a,b,c`: a header row, then one row per record.
    public static func table(_ records: [Record], columns: [Column]) -> String {
        guard !records.isEmpty else { return "No records." }
        let rows = records.map { r in columns.map { TerminalText.safe($0.cell(r)) } }
        let widths = columns.indices.map { i in max(columns[i].name.count, rows.map { $0[i].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = line(columns.map(\.name)) + "\n"
        for (r, cells) in zip(records, rows) { out += line(cells) + (r.conflicts.isEmpty ? "" : "  ⚠") + "\n" }
        out += "\(records.count) record\(records.count == 1 ? "" : "s")"
        return out
    }
}

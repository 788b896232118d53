import Foundation
import KBMRecords
import KBMStore

/// A record `kbm search` found: where it is, how well it matches, and a passage with the hits marked.
public struct SearchResult: Equatable, Sendable {
    public var id: RecordID
    public var kind: String
    public var county: County
    public var title: String
    /// A passage of the record (`SearchSnippet`), hits between « and ».
    public var snippet: String
    /// Higher is better (SQLite's bm25, sign turned); 0 when only words shorter than three letters were searched.
    public var score: Double
}

extension Workspace {
    /// Full-text search over every text field of every record here (local fields included):
    /// every word must occur, as a word or a part of one (`übergang` finds `Übergangsmanagement`),
    /// case- and umlaut-insensitive (`schueler` finds `Schüler`). Best matches first, at most
    /// `limit` (nil: all). Throws an invalid-input error for an empty query or an unknown kind.
    public func search(_ words: [String], kind: String? = nil, county: County? = nil, limit: Int? = 20) throws -> [SearchResult] {
        let terms = SearchText.terms(words)
        guard !terms.isEmpty else {
            throw KBMError.invalid("Nothing to search for: give one or more words, for example `kbm search Übergang Schule`.")
        }
        if let limit, limit < 1 { throw KBMError.invalid("--limit: expected a number of at least 1, got \(limit).") }
        let kind = try resolveKind(kind)
        return try store.read { tx in
            try tx.search(terms, kind: kind, county: county, limit: limit).map { hit in
                let texts = try tx.record(hit.id).map { SearchText.fields(of: $0, schema: schema) } ?? []
                let titleField = schema.kind(hit.kind)?.title ?? ""
                return SearchResult(id: hit.id, kind: hit.kind, county: hit.county, title: hit.title,
                                    snippet: SearchSnippet.make(texts, terms: terms, titleField: titleField),
                                    score: hit.score == 0 ? 0 : -hit.score)
            }
        }
    }

    /// The record an argument names: a record id (any case), or else the one record whose title
    /// or name is this text (case- and accent-insensitive, `ü` = `ue`). Several such records, or
    /// none, are an invalid-input error listing them. Every command that takes a record id calls this.
    public func recordID(_ text: String) throws -> RecordID {
        if let id = RecordID(text.trimmingCharacters(in: .whitespaces).uppercased()) { return id }
        let matches = try store.read { try $0.records(titled: text) }
        if matches.count == 1, let only = matches.first { return only.id }
        let shown = TerminalText.safe(text)
        guard !matches.isEmpty else {
            throw KBMError.invalid("\"\(shown)\" is not a record id, and no record has it as its title or name. Ids look like 01JD3Q5V8X2M4N6P8R0T2W4Y6Z; `kbm search \(shown)` finds records by their words, `kbm list` shows them all.")
        }
        let rows = matches.map { "  \($0.id)  \($0.kind)  \($0.county)  \(TerminalText.safe($0.title))" }
        throw KBMError.invalid("\(matches.count) records are titled \"\(shown)\"; name one by its id:\n" + rows.joined(separator: "\n"))
    }

    /// `kbm show --json`: the record's JSON, and after its fields `linked` (the ids of the records
    /// linked to it as the same entity) and, for an event's partners, `partner_names` (id → name,
    /// null for a record not in this store).
    public func showJSON(_ record: Record) throws -> JSONValue {
        guard case .object(var pairs) = RecordJSON.record(record, schema: schema) else { return RecordJSON.record(record, schema: schema) }
        let graph = try linkGraph()
        let linked = graph.group(of: record.id).filter { $0 != record.id }
        pairs.append(("linked", .array(linked.map { .string($0.rawValue) })))
        for (field, names) in try referenceNames(record) {
            pairs.append((field == "partners" ? "partner_names" : "\(field)_names",
                          .object(names.map { ($0.id.rawValue, $0.title.map(JSONValue.string) ?? .null) })))
        }
        return .object(pairs)
    }

    /// The records a record's reference fields (an event's partners) name, with their titles
    /// (nil: not in this store); a merged-away record leads to the one it was merged into.
    public func referenceNames(_ record: Record) throws -> [(field: String, names: [(id: RecordID, title: String?)])] {
        guard record.kind != "link" else { return [] }
        let refs = schema.orderedFields(of: record.kind).filter { $0.type == .refs }.compactMap { spec -> (String, [String])? in
            let ids = record.fields[spec.name]?.strings ?? []
            return ids.isEmpty ? nil : (spec.name, ids)
        }
        guard !refs.isEmpty else { return [] }
        let graph = try linkGraph()
        return try store.read { tx in
            try refs.map { field, ids in
                // The parser lets only record ids into a refs field.
                (field, try ids.compactMap(RecordID.init).map { id -> (id: RecordID, title: String?) in
                    let target = try tx.record(id) ?? tx.record(graph.resolve(id))
                    return (id, target.map { $0.title(schema: schema) })
                })
            }
        }
    }
}

/// A passage of a record around the first hit, with every hit between « and ».
public enum SearchSnippet {
    public static let open = "«"
    public static let close = "»"

    /// The passage: from the first field other than the title that holds a hit (the title is
    /// shown beside it), else from the title, else the start of the first text; about `width`
    /// characters, cut ends marked with "…", line breaks as spaces.
    public static func make(_ texts: [(field: String, text: String)], terms: [String], titleField: String, width: Int = 90) -> String {
        let ordered = texts.filter { $0.field != titleField } + texts.filter { $0.field == titleField }
        for (_, text) in ordered {
            let chars = Array(text)
            let hits = hitRanges(chars, terms: terms)
            guard let first = hits.first else { continue }
            return render(chars, hits: hits, from: max(0, first.lowerBound - width / 3), width: width)
        }
        guard let first = ordered.first else { return "" }
        return render(Array(first.text), hits: [], from: 0, width: width)
    }

    /// The ranges of `chars` (original characters) whose folded text is one of `terms`, merged.
    static func hitRanges(_ chars: [Character], terms: [String]) -> [Range<Int>] {
        // The folded text, and for each folded character the original character it comes from.
        var folded: [Character] = []
        var origin: [Int] = []
        for (i, ch) in chars.enumerated() {
            for f in SearchText.fold(String(ch)) {
                folded.append(f)
                origin.append(i)
            }
        }
        var ranges: [Range<Int>] = []
        for term in Set(terms) {
            let t = Array(term)
            guard !t.isEmpty, t.count <= folded.count else { continue }
            var i = 0
            while i + t.count <= folded.count {
                if folded[i] == t[0] && Array(folded[i..<(i + t.count)]) == t {
                    ranges.append(origin[i]..<(origin[i + t.count - 1] + 1))
                    i += t.count
                } else {
                    i += 1
                }
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for r in ranges {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        return merged
    }

    static func render(_ chars: [Character], hits: [Range<Int>], from start: Int, width: Int) -> String {
        let end = min(chars.count, start + width)
        var out = start > 0 ? "…" : ""
        for i in start..<end {
            if hits.contains(where: { $0.lowerBound == i }) || (i == start && hits.contains { $0.contains(i) && $0.lowerBound < i }) { out += open }
            let ch = chars[i]
            out.append(ch.isNewline || ch == "\t" ? " " : ch)
            if hits.contains(where: { $0.upperBound == i + 1 }) || (i == end - 1 && hits.contains { $0.contains(i) && $0.upperBound > i + 1 }) { out += close }
        }
        if end < chars.count { out += "…" }
        return out
    }
}

import GRDB
import KBMRecords

/// What `kbm search` looks through: the text values of a record (local fields included), and the
/// fold that makes "schueler" find "Schüler".
public enum SearchText {
    /// The text values of `record`, title first, then the fields in schema order: strings and
    /// texts as they are, enum values as their German labels, sets and lists joined, follow-up
    /// items with their text and owner. Dates, numbers, references, counties and disclosures
    /// are left out.
    public static func fields(of record: KBMRecords.Record, schema: Schema) -> [(field: String, text: String)] {
        guard let spec = schema.kind(record.kind) else { return [] }
        var out: [(field: String, text: String)] = []
        let title = record.title(schema: schema)
        if !title.isEmpty { out.append((spec.title, title)) }
        for field in schema.orderedFields(of: record.kind) where field.name != spec.title {
            guard let value = record.fields[field.name], let text = text(value, field: field, kind: record.kind, schema: schema), !text.isEmpty else { continue }
            out.append((field.name, text))
        }
        return out
    }

    static func text(_ value: FieldValue, field: FieldSpec, kind: String, schema: Schema) -> String? {
        switch (field.type, value) {
        case (.string, .text(let s)), (.text, .text(let s)): return s
        case (.enumeration, .text(let code)): return schema.label(value: code, field: field.name, kind: kind)
        case (.set, .strings(let s)), (.list, .strings(let s)): return s.joined(separator: ", ")
        case (.items, .items(let items)) where field.name != "disclosures":
            return items.map { item in
                (field.itemFields ?? []).compactMap { itemField -> String? in
                    guard let v = item.fields[itemField.name] else { return nil }
                    switch itemField.type {
                    case .string, .text: return v
                    case .enumeration: return schema.label(value: v, field: field.name, kind: kind, item: itemField.name)
                    default: return nil
                    }
                }.joined(separator: " · ")
            }.joined(separator: "\n")
        default: return nil
        }
    }

    /// Lower case in the German ASCII spelling (`TextFold.ascii`: ä → ae, ß → ss, accents
    /// dropped); plain ASCII takes a fast path.
    public static func fold(_ text: String) -> String {
        var ascii = true
        for byte in text.utf8 where byte >= 0x80 { ascii = false; break }
        guard ascii else { return TextFold.ascii(text) }
        return String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// The search words of a query: split at white space, folded, empty ones dropped.
    public static func terms(_ words: [String]) -> [String] {
        words.flatMap { $0.split(whereSeparator: { $0.isWhitespace }) }.map { fold(String($0)) }.filter { !$0.isEmpty }
    }

    /// The trigram tokenizer finds only parts of three letters or more.
    public static let indexedLength = 3
}

/// A record that matches a search, best first (bm25: lower is better).
public struct SearchHit: Equatable, Sendable {
    public var id: RecordID
    public var kind: String
    public var county: County
    public var title: String
    /// SQLite's bm25 rank: negative, lower is a better match (0 when only words of one or two letters were searched).
    public var score: Double
}

/// The full-text index (tables `search_index`, FTS5 with the trigram tokenizer, and
/// `search_docs`, which gives each record id its row). `save` and `delete` keep it up to date,
/// so no caller can forget it.
extension StoreTransaction {
    /// Indexes `record` (every field, local ones included) under its id.
    func index(_ record: KBMRecords.Record) throws {
        let texts = SearchText.fields(of: record, schema: schema)
        let title = texts.first.map { $0.field == schema.kind(record.kind)?.title ? $0.text : "" } ?? ""
        let body = texts.dropFirst(title.isEmpty ? 0 : 1).map(\.text).joined(separator: "\n")
        let doc: Int64
        if let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT doc FROM search_docs WHERE id = ?"), arguments: [record.id.rawValue]) {
            doc = existing
            try db.cachedStatement(sql: "DELETE FROM search_index WHERE rowid = ?").execute(arguments: [doc])
        } else {
            try db.cachedStatement(sql: "INSERT INTO search_docs(id) VALUES (?)").execute(arguments: [record.id.rawValue])
            doc = db.lastInsertedRowID
        }
        try db.cachedStatement(sql: "INSERT INTO search_index(rowid, title, body) VALUES (?, ?, ?)")
            .execute(arguments: [doc, SearchText.fold(title), SearchText.fold(body)])
    }

    /// Indexes the record stored under `id` as it is now (shared and local fields).
    func reindex(_ id: RecordID) throws {
        guard let record = try record(id) else { return try removeFromIndex(id) }
        try index(record)
    }

    /// Takes a record out of the index.
    func removeFromIndex(_ id: RecordID) throws {
        guard let doc = try Int64.fetchOne(db.cachedStatement(sql: "SELECT doc FROM search_docs WHERE id = ?"), arguments: [id.rawValue]) else { return }
        try db.cachedStatement(sql: "DELETE FROM search_index WHERE rowid = ?").execute(arguments: [doc])
        try db.cachedStatement(sql: "DELETE FROM search_docs WHERE doc = ?").execute(arguments: [doc])
    }

    /// Rebuilds the whole index from the records table (`kbm rebuild`, `kbm doctor --repair`, and
    /// once after the migration that adds it). Rows that cannot be decoded are left out (doctor lists them).
    public func rebuildSearchIndex() throws {
        try db.execute(sql: "DELETE FROM search_index")
        try db.execute(sql: "DELETE FROM search_docs")
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM records ORDER BY id")
        while let row = try cursor.next() {
            guard let record = try? decode(row) else { continue }
            try index(record)
        }
        // Merged into one segment: nothing of a removed text stays behind in older segments.
        try db.execute(sql: "INSERT INTO search_index(search_index) VALUES ('optimize')")
        try setSetting(Self.searchIndexSetting, Self.searchIndexVersion)
    }

    /// Merges the index into one segment, so the words of deleted records and removed values
    /// are gone from the file, not only marked deleted (`kbm forget`, `kbm purge`).
    public func compactSearchIndex() throws {
        try db.execute(sql: "INSERT INTO search_index(search_index) VALUES ('optimize')")
    }

    /// The ids the index holds rows for, sorted (for tests and checks: a deleted record must leave no row).
    func indexedIDs() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT d.id FROM search_index JOIN search_docs d ON d.doc = search_index.rowid ORDER BY d.id")
    }

    /// How the index differs from the records table: records it has no row for, and rows of
    /// records that are gone (for `kbm doctor`).
    public func searchIndexMismatch() throws -> (missing: Int, stale: Int) {
        let indexed = Set(try indexedIDs())
        let stored = Set(try String.fetchAll(db, sql: "SELECT id FROM records"))
        return (stored.subtracting(indexed).count, indexed.subtracting(stored).count)
    }

    static let searchIndexSetting = "search_index"
    /// Bumped when what is indexed changes, so an older index is rebuilt when the store opens.
    static let searchIndexVersion = "1"

    /// Whether the index was built by this version (else the store rebuilds it when it opens).
    func searchIndexIsCurrent() throws -> Bool {
        try setting(Self.searchIndexSetting) == Self.searchIndexVersion
    }

    /// The records holding every one of `terms` (already folded, see `SearchText.terms`), best
    /// first, at most `limit` (nil: all). Terms of three letters or more go through the index;
    /// shorter ones are matched as parts of the indexed text.
    public func search(_ terms: [String], kind: String? = nil, county: County? = nil, limit: Int? = nil) throws -> [SearchHit] {
        let long = terms.filter { $0.count >= SearchText.indexedLength }
        let short = terms.filter { $0.count < SearchText.indexedLength }
        var clauses: [String] = []
        var args: [DatabaseValueConvertible] = []
        if !long.isEmpty {
            clauses.append("search_index MATCH ?")
            args.append(long.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND "))
        }
        for term in short {
            let pattern = "%" + term.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            clauses.append("(search_index.title LIKE ? ESCAPE '\\' OR search_index.body LIKE ? ESCAPE '\\')")
            args += [pattern, pattern]
        }
        guard !clauses.isEmpty else { return [] }
        // Kind and county narrow the index's rows before they are ranked. The unary + keeps
        // SQLite from handing the IN list to FTS5, which would then run the MATCH once per
        // listed row (minutes at 100k records instead of 50 ms).
        var filters: [String] = []
        if let kind { filters.append("r.kind = ?"); args.append(kind) }
        if let county { filters.append("r.county = ?"); args.append(county.rawValue) }
        if !filters.isEmpty {
            clauses.append("+search_index.rowid IN (SELECT d.doc FROM records r JOIN search_docs d ON d.id = r.id WHERE \(filters.joined(separator: " AND ")))")
        }
        // Ranked and cut on the index alone (joining first costs more than ranking: at 100k
        // records a word in two of three of them takes 0.27 s joined, 0.11 s alone). The title
        // counts five times as much as the rest.
        let score = long.isEmpty ? "0.0" : "bm25(search_index, 5.0, 1.0)"
        var ranked = """
            SELECT search_index.rowid AS doc, \(score) AS score FROM search_index
            WHERE \(clauses.joined(separator: " AND ")) ORDER BY score, search_index.rowid
            """
        if let limit { ranked += " LIMIT ?"; args.append(limit) }
        let sql = """
            SELECT r.id, r.kind, r.county, r.title, s.score FROM (\(ranked)) s
            JOIN search_docs d ON d.doc = s.doc JOIN records r ON r.id = d.id
            ORDER BY s.score, r.title, r.id
            """
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).compactMap { row in
            guard let id = RecordID(row["id"]), let county = County(row["county"]) else { return nil }
            return SearchHit(id: id, kind: row["kind"], county: county, title: row["title"], score: row["score"])
        }
    }

    /// The records whose title (a stakeholder's name, an event's title …) is `text`, compared
    /// case- and accent-insensitively (`TextFold.equal`: `Übergang` = `uebergang` = `ubergang`).
    /// The German ASCII spelling is looked up in the index; only when that finds nothing are all
    /// titles compared (`ubergang` for `Übergang`).
    public func records(titled text: String) throws -> [SearchHit] {
        let folded = SearchText.fold(text.trimmingCharacters(in: .whitespaces))
        guard !folded.isEmpty else { return [] }
        let rows: [Row]
        if folded.count >= SearchText.indexedLength {
            let phrase = "\"" + folded.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            rows = try Row.fetchAll(db, sql: """
                SELECT r.id, r.kind, r.county, r.title FROM search_index JOIN search_docs d ON d.doc = search_index.rowid
                JOIN records r ON r.id = d.id WHERE search_index MATCH ? AND search_index.title = ? ORDER BY r.kind, r.county, r.id
                """, arguments: ["title : " + phrase, folded])
        } else {
            rows = try Row.fetchAll(db, sql: """
                SELECT r.id, r.kind, r.county, r.title FROM search_index JOIN search_docs d ON d.doc = search_index.rowid
                JOIN records r ON r.id = d.id WHERE search_index.title = ? ORDER BY r.kind, r.county, r.id
                """, arguments: [folded])
        }
        // Umlauts as plain letters (`ubergang`): a title of about the same length, compared
        // folded. A ß typed as ss (or the other way round) changes the length by one.
        let typed = text.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
        let length = typed.count
        let sharpS = typed.filter { $0 == "ß" || $0 == "ẞ" }.count
        let doubleS = typed.lowercased().components(separatedBy: "ss").count - 1
        let found = rows.isEmpty
            ? try Row.fetchAll(db, sql: "SELECT id, kind, county, title FROM records WHERE length(title) BETWEEN ? AND ? ORDER BY kind, county, id",
                               arguments: [length - doubleS, length + sharpS]).filter { TextFold.equal($0["title"], text) }
            : rows
        return found.compactMap { row in
            guard let id = RecordID(row["id"]), let county = County(row["county"]) else { return nil }
            return SearchHit(id: id, kind: row["kind"], county: county, title: row["title"], score: 0)
        }
    }
}

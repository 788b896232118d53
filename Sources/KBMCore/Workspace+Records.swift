import Foundation
import KBMRecords
import KBMStore

/// A record file `kbm import` did not store, and why.
public struct RefusedImport: Equatable, Sendable {
    public var path: String
    public var reason: String
}

/// What `kbm import` did.
public struct ImportResult: Equatable, Sendable {
    public var added = 0
    public var changed = 0
    public var unchanged = 0
    /// Files refused by the ownership and managed-kind rules (stored only with `--skip-refused`: not at all).
    public var refused: [RefusedImport] = []
}

extension Workspace {
    var idGenerator: RecordIDGenerator { RecordIDGenerator() }

    /// The kind a coordinator names, by its code or its German label (`veranstaltung`, `Praxistipp`).
    func requireKind(_ kind: String) throws -> KindSchema {
        guard let code = schema.resolveKind(kind), let spec = schema.kind(code) else {
            var message = "Unknown kind '\(kind)'."
            if let near = FieldRules.suggestion(for: kind, among: schema.kindNames) { message += " Did you mean '\(near)'?" }
            throw KBMError.invalid(message + " Kinds: \(schema.kindEntries.map(\.described).joined(separator: ", ")).")
        }
        return spec
    }

    /// The code of an optional kind argument or option, or an invalid-input error.
    public func resolveKind(_ kind: String?) throws -> String? {
        try kind.map { try requireKind($0).kind }
    }

    /// Kinds that have their own commands, because their records carry decisions with rules
    /// (reconciliation links, the office registry): the generic record commands refuse them.
    static let managedKinds: [String: String] = [
        "link": "`kbm link`, `kbm duplicates --dismiss`, `kbm merge` and `kbm unlink`",
        "office": "`kbm registry …` (in the agency's workspace)",
    ]

    func refuseManaged(_ kind: String) throws {
        if let commands = Workspace.managedKinds[kind] {
            throw KBMError.invalid("Records of kind '\(kind)' are managed with \(commands), not with add, edit or delete.")
        }
    }

    /// Parses an id argument, or explains what an id looks like.
    public static func parseID(_ text: String) throws -> RecordID {
        guard let id = RecordID(text.uppercased()) else {
            throw KBMError.invalid("\"\(text)\" is not a record id; ids look like 01JD3Q5V8X2M4N6P8R0T2W4Y6Z (see `kbm list`).")
        }
        return id
    }

    /// Adds a record of `kind` with these fields; the record belongs to this workspace's county.
    public func add(kind: String, assignments: [FieldAssignment]) throws -> Record {
        let kind = try requireKind(kind).kind
        try refuseManaged(kind)
        let session = try beginWriting()
        defer { session.end() }
        var generator = RecordIDGenerator()
        let now = Timestamp.now()
        var record = Record(id: generator.next(), kind: kind, county: county, created: now, updated: now)
        try RecordEditor.apply(assignments, to: &record, schema: schema) { generator.next().rawValue }
        try checkWritable(record)
        let stored = record
        try store.write { tx in
            guard try !tx.isKnownID(stored.id) else { throw KBMError.failure("Generated id \(stored.id) is already in use; try again.") }
            try tx.save(stored, dirty: true)
        }
        return record
    }

    /// Adds a record read from a record file.
    public func add(file path: String) throws -> Record {
        let record = try readRecordFile(path)
        try refuseManaged(record.kind)
        try checkOwnership(record)
        try checkWritable(record, source: path)
        try checkDisclosuresUnchanged(record, was: nil, source: path)
        let session = try beginWriting()
        defer { session.end() }
        try store.write { tx in
            guard try !tx.isKnownID(record.id) else {
                throw KBMError.invalid("\(path): a record with id \(record.id) already exists (or existed); ids are never reused. Use `kbm edit \(record.id) --file \(path)`.")
            }
            try tx.save(record, dirty: true)
        }
        return record
    }

    func readRecordFile(_ path: String) throws -> Record {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KBMError.invalid("Cannot read \(path): no such file or not readable.")
        }
        if data.count > RecordParser.maxFileSize {
            let record = Workspace.peekID(data).map { "record \($0) " } ?? ""
            throw KBMError.invalid("\(path): \(record)is a file of \(Workspace.byteSize(data.count)) (\(data.count) bytes); a record file may hold at most \(Workspace.byteSize(RecordParser.maxFileSize)) (\(RecordParser.maxFileSize) bytes), or the other offices cannot read it. Nothing was stored.")
        }
        do {
            return try RecordParser.parse(data: data, path: path, schema: schema)
        } catch let e as RecordParseError {
            throw KBMError.invalid(e.description)
        }
    }

    /// Records may be created and changed here only for this county, or where it co-owns them.
    func checkOwnership(_ record: Record) throws {
        guard county == .agency || record.owners.contains(county) else {
            throw KBMError.invalid("Record \(record.id) belongs to \(record.county); this workspace is \(county). Only its owners (and the agency) change it.")
        }
    }

    /// The record with this id, or an invalid-input error.
    public func record(_ id: RecordID) throws -> Record {
        guard let record = try store.read({ try $0.record(id) }) else {
            throw KBMError.invalid("No record with id \(id). `kbm list` shows the records here.")
        }
        return record
    }

    /// Changes fields of a record.
    public func edit(id: RecordID, assignments: [FieldAssignment]) throws -> Record {
        let session = try beginWriting()
        defer { session.end() }
        var record = try self.record(id)
        try refuseManaged(record.kind)
        try checkOwnership(record)
        var generator = RecordIDGenerator()
        let before = record
        try RecordEditor.apply(assignments, to: &record, schema: schema) { generator.next().rawValue }
        try checkWritable(record)
        guard record != before else { return record }
        let edited = record
        return try store.write { tx in
            var changed = edited
            // Only a change to what the region gets is news for it; editing a personal (local)
            // field must not even reveal in the shared history that it happened.
            if try tx.privacySplit(changed).shared != tx.sharedRecord(id) {
                changed.updated = max(Timestamp.now(), changed.updated)
            }
            try tx.save(changed, dirty: true)
            return changed
        }
    }

    /// Replaces a record with the content of a record file (same id, kind and county).
    public func edit(id: RecordID, file path: String) throws -> Record {
        let session = try beginWriting()
        defer { session.end() }
        let current = try record(id)
        try refuseManaged(current.kind)
        var record = try readRecordFile(path)
        guard record.id == id, record.kind == current.kind, record.county == current.county else {
            throw KBMError.invalid("\(path): id, kind and county must stay \(id), \(current.kind), \(current.county).")
        }
        try checkOwnership(current)
        try checkDisclosuresUnchanged(record, was: current, source: path)
        guard record != current else { return record }
        try checkWritable(record, source: path)
        record.updated = max(Timestamp.now(), current.updated)
        let changed = record
        try store.write { tx in try tx.save(changed, dirty: true) }
        return record
    }

    /// Disclosures are made only with `kbm share` and withdrawn only with `kbm unshare`: a record
    /// file brought in here (`add --file`, `edit --file`, `edit --editor`, `import`) may not add,
    /// change or remove one. (Even if it did, the store would publish nothing for it: a personal
    /// value leaves this laptop only for a disclosure `kbm share` made here.)
    func checkDisclosuresUnchanged(_ record: Record, was current: Record?, source: String) throws {
        guard record["disclosures"] != current?["disclosures"] else { return }
        throw KBMError.invalid("\(source): the file changes 'disclosures', the record of who shared a personal field and why. Only `kbm share <id> <field> --reason \"…\"` and `kbm unshare <id> <field>` change it; \(current == nil ? "a new record starts without any, so remove that part of the file" : "leave that part of the file as it was").")
    }

    /// Deletes a record; the deletion is shared with the next sync.
    public func delete(id: RecordID) throws {
        let session = try beginWriting()
        defer { session.end() }
        let record = try self.record(id)
        try refuseManaged(record.kind)
        try checkOwnership(record)
        try store.write { tx in try tx.delete(id, pending: true) }
    }

    /// Records, filtered by kind, county and `--where` clauses, sorted by `sort` when given.
    /// Every clause is checked first: a field or a value that cannot occur is an error, never
    /// an empty list.
    public func list(kind: String?, county: County?, where clauses: [WhereClause], sort: SortKey? = nil) throws -> [Record] {
        let kind = try resolveKind(kind)
        let kinds = kind.map { [$0] } ?? schema.kindNames
        let matchers = try clauses.map { try $0.matcher(schema: schema, kinds: kinds, knownCounties: knownCounties) }
        let records = try store.read { try $0.records(RecordFilter(kind: kind, county: county)) }
        let found = records.filter { r in matchers.allSatisfy { $0.matches(r) } }
        guard let sort else { return found }
        return try sort.resolved(schema: schema, kinds: kinds).sorted(found)
    }

    /// The counties a `--where county=…` may name: those of the region's office registry, of the
    /// records here, and this workspace's own.
    func knownCounties() throws -> [County] {
        let registered = try registeredCounties() ?? []
        let present = try store.read { try $0.records(RecordFilter()) }.map(\.county)
        return Array(Set(registered + present + [county])).sorted { $0.rawValue < $1.rawValue }
    }

    /// Every record as a JSON array, one record per line, straight from the store, handed to
    /// `write` in chunks of about a megabyte (the CLI writes them to standard output).
    public func streamJSON(kind: String?, county: County?, to write: (String) -> Void) throws {
        let kind = try resolveKind(kind)
        // Written in large chunks: one write per megabyte, not one per record.
        var buffer = "[\n"
        var first = true
        func flush() {
            write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        try store.read { tx in
            try tx.forEachRecordJSON(RecordFilter(kind: kind, county: county)) { object in
                if !first { buffer += ",\n" }
                buffer += object
                first = false
                if buffer.utf8.count > 1 << 20 { flush() }
            }
        }
        buffer += first ? "]\n" : "\n]\n"
        flush()
    }

    /// Loads every record file under `dir`. A file that is not a valid record stops the import
    /// (nothing is stored). Each record must also pass the rules of `kbm add --file` and
    /// `kbm edit --file`: no managed kind (`link`, `office`), a new record only of a county this
    /// workspace owns it for, a change only to a record this workspace owns (the agency's
    /// workspace may seed and change every county's records), and an existing id keeps its
    /// county and kind. A file failing those is refused: nothing is stored unless `skipRefused`,
    /// then the others are. The refused files are returned (or listed in the error) with the reason.
    public func importFolder(_ dir: String, skipRefused: Bool = false) throws -> ImportResult {
        let session = try beginWriting()
        defer { session.end() }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw KBMError.invalid("Cannot import \(dir): no such folder.")
        }
        let base = URL(fileURLWithPath: dir).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey]) else {
            throw KBMError.failure("Cannot read the folder \(dir).")
        }
        var records: [Record] = []
        var seen: [RecordID: String] = [:]
        var paths: [URL] = []
        for case let url as URL in walker where url.pathExtension == "md" {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values?.isSymbolicLink != true, values?.isRegularFile == true else { continue }
            paths.append(url)
        }
        var elsewhere = 0
        for url in paths.sorted(by: { $0.path < $1.path }) {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.path.count + 1))
            guard relative.hasPrefix(RecordLayout.root + "/") else { elsewhere += 1; continue }
            let record = try readRecordFile(url.path)
            if let claimed = RecordLayout.parse(path: relative, schema: schema),
               claimed.id != record.id || claimed.kind != record.kind || claimed.county != record.county {
                throw KBMError.invalid("\(url.path): the file's path says \(claimed.county)/\(claimed.kind)/\(claimed.id) but its fields say \(record.county)/\(record.kind)/\(record.id).")
            }
            if let other = seen[record.id] {
                throw KBMError.invalid("\(url.path): id \(record.id) is also used by \(other).")
            }
            try checkWritable(record, source: url.path)
            seen[record.id] = url.path
            records.append(record)
        }
        guard !records.isEmpty else {
            let found = elsewhere == 0 ? "found none" : "found none there (\(elsewhere) other .md file\(elsewhere == 1 ? "" : "s") outside \(RecordLayout.root)/ \(elsewhere == 1 ? "is" : "are") not records)"
            throw KBMError.invalid("Nothing to import from \(dir): expected record files at \(RecordLayout.root)/<county>/<kind>/<shard>/<id>.md inside it (the layout `kbm export` and the regional repository use), \(found). Nothing was stored.")
        }
        return try store.write { tx in
            var result = ImportResult()
            var accepted: [(Record, existing: Record?)] = []
            for record in records {
                let source = seen[record.id] ?? record.id.rawValue
                let existing = try tx.record(record.id)
                if let existing, existing == record { result.unchanged += 1; continue }
                if let reason = importRefusal(record, existing: existing) {
                    result.refused.append(RefusedImport(path: source, reason: reason))
                    continue
                }
                try checkDisclosuresUnchanged(record, was: existing, source: source)
                accepted.append((record, existing))
            }
            if !result.refused.isEmpty && !skipRefused {
                let count = result.refused.count
                throw KBMError.invalid("Nothing was imported from \(dir): \(count) of \(records.count) file\(records.count == 1 ? "" : "s") \(count == 1 ? "is" : "are") refused:\n"
                    + result.refused.map { "  \($0.path): \($0.reason)" }.joined(separator: "\n")
                    + "\nRemove \(count == 1 ? "it" : "them"), or import the others with `kbm import \(dir) --skip-refused`.")
            }
            for (record, existing) in accepted {
                if existing == nil { result.added += 1 } else { result.changed += 1 }
                try tx.save(record, dirty: true)
            }
            return result
        }
    }

    /// Why `kbm import` refuses this record (the rules of `add --file` and `edit --file`), or nil.
    func importRefusal(_ record: Record, existing: Record?) -> String? {
        do {
            try refuseManaged(record.kind)
            if let existing {
                guard existing.county == record.county, existing.kind == record.kind else {
                    return "id \(record.id) is already used here by the \(existing.kind) of \(existing.county); a record keeps its county and kind."
                }
                // Like `kbm edit`: the owners of the version stored here decide.
                try checkOwnership(existing)
            } else {
                try checkOwnership(record)
            }
            return nil
        } catch let error as KBMError {
            return error.message
        } catch {
            return KBMError.describe(error)
        }
    }
    /// Writes every record as its canonical file under `dir`; personal (local) fields only with
    /// `includeLocal` (those shared on purpose with `kbm share` always).
    public func export(to dir: String, includeLocal: Bool = false) throws -> Int {
        let records = try store.read { try $0.records() }
        for stored in records {
            let record = includeLocal ? stored : stored.sharedPart(schema: schema)
            let path = dir + "/" + RecordLayout.path(of: record, schema: schema)
            do {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(RecordWriter.write(record, schema: schema).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw KBMError.failure("Cannot write \(path): \(error.localizedDescription)")
            }
        }
        return records.count
    }

    /// The canonical file text of a record, local fields included (what `kbm show --file` prints).
    public func fileText(_ record: Record) -> String { RecordWriter.write(record, schema: schema) }
}

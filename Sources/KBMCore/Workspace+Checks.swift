import Foundation
import KBMAuthority
import KBMGit
import KBMRecords
import KBMSync

/// What every record kbm stores for the region must satisfy, whichever command writes it
/// (`add`, `edit` with fields, `--file` or `--editor`, `import`, `resolve`): the required fields
/// hold text, and the record's file stays within the size every office's parser accepts. A
/// record past the limit would be pushed and then quarantined by every other office.
extension Workspace {
    /// Refuses (invalid input, exit code 2) a record that must not be stored; `source` names the
    /// file it was read from, for the message.
    func checkWritable(_ record: Record, source: String? = nil) throws {
        try RecordEditor.validate(record, schema: schema)
        try checkFileSize(record, source: source)
    }

    /// The record's canonical file (local fields included, as `kbm export` and `kbm show --file`
    /// write it) must not exceed `RecordParser.maxFileSize`.
    func checkFileSize(_ record: Record, source: String? = nil) throws {
        let size = RecordWriter.write(record, schema: schema).utf8.count
        guard size > RecordParser.maxFileSize else { return }
        var message = "\(source.map { "\($0): " } ?? "")record \(record.id) would be a file of \(Workspace.byteSize(size)) (\(size) bytes); "
            + "a record file may hold at most \(Workspace.byteSize(RecordParser.maxFileSize)) (\(RecordParser.maxFileSize) bytes), or the other offices cannot read it."
        if let (name, bytes) = record.fields.map({ ($0.key, Workspace.approximateSize($0.value)) }).max(by: { $0.1 < $1.1 }) {
            message += " Its largest field is '\(name)' (\(Workspace.byteSize(bytes))): shorten it, or keep long documents elsewhere and link them."
        }
        throw KBMError.invalid(message + " Nothing was stored.")
    }

    static func approximateSize(_ value: FieldValue) -> Int {
        switch value {
        case .text(let s), .opaque(let s): return s.utf8.count
        case .int, .bool: return 8
        case .strings(let list): return list.reduce(0) { $0 + $1.utf8.count }
        case .items(let items): return items.reduce(0) { sum, item in sum + item.id.utf8.count + item.fields.values.reduce(0) { $0 + $1.utf8.count } }
        }
    }

    /// `1.3 MiB`, `512 KiB`, `80 bytes`.
    static func byteSize(_ bytes: Int) -> String {
        if bytes >= 1 << 20 {
            let tenths = (bytes * 10 + (1 << 19)) >> 20
            return tenths % 10 == 0 ? "\(tenths / 10) MiB" : "\(tenths / 10).\(tenths % 10) MiB"
        }
        if bytes >= 1 << 10 { return "\((bytes + 512) >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

extension Workspace {
    /// The id a record file names in its first lines (`id: …`), read without parsing, for messages
    /// about a file too large to parse.
    static func peekID(_ data: Data) -> RecordID? {
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        for line in head.split(separator: "\n").prefix(40) where line.hasPrefix("id:") {
            let value = line.dropFirst(3).trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\"'"))
            return RecordID(value)
        }
        return nil
    }
}

// MARK: counties the registry does not know

extension Workspace {
    /// The counties of the office registry at refs/heads/main, with the agency's pending
    /// additions; nil when the region has no registry (open mode: nothing to check against).
    public func registeredCounties() throws -> [County]? {
        let repo = try repository()
        var counties: Set<County> = []
        if let head = try repo.reference(SyncEngine.localRef),
           let folder = try repo.treeEntry(repo.commitTree(head), path: OfficeRegistry.folder), folder.mode == .tree {
            for entry in try repo.treeEntries(folder.id) where entry.path.hasSuffix(".md") {
                if let county = County(String(entry.path.dropLast(3))) { counties.insert(county) }
            }
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: pendingRegistryPath)) ?? [] where name.hasSuffix(".md") {
            if let county = County(String(name.dropLast(3))) { counties.insert(county) }
        }
        return counties.isEmpty ? nil : counties.sorted()
    }

    /// A warning when `record` names co-owners the registry does not know (only those new since
    /// `previous`): such a county signs nothing, so its changes to the record would be refused.
    public func coOwnerWarning(for record: Record, previous: Record? = nil) throws -> String? {
        let named = record["co_owners"]?.strings ?? []
        let before = Set(previous?["co_owners"]?.strings ?? [])
        let added = named.filter { !before.contains($0) }
        guard !added.isEmpty, let known = try registeredCounties() else { return nil }
        let unknown = added.filter { County($0).map { !known.contains($0) } ?? true }
        guard !unknown.isEmpty else { return nil }
        let list = unknown.joined(separator: ", ")
        return "co_owners: \(list) \(unknown.count == 1 ? "is" : "are") not in the region's office registry (known counties: \(known.map(\.rawValue).joined(separator: ", "))). "
            + "Changes signed for \(unknown.count == 1 ? "it" : "them") are refused until the agency registers the office; check the spelling. The record was stored."
    }

    /// A warning when this workspace's own county is not in the region's registry: the other
    /// offices refuse its changes until the agency registers it.
    public func ownCountyWarning() throws -> String? {
        guard let known = try registeredCounties(), !known.contains(county) else { return nil }
        return "\(county) is not in the region's office registry (known counties: \(known.map(\.rawValue).joined(separator: ", "))). "
            + "The other offices refuse this workspace's changes until the agency registers the office; check --county, or send `kbm whoami` to the agency."
    }
}

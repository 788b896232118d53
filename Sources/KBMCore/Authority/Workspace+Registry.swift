import Foundation
import KBMAuthority
import KBMGit
import KBMRecords
import KBMStore
import KBMSync

/// What `kbm registry show` prints.
public struct RegistryView: Sendable {
    public struct Entry: Sendable {
        public var county: String
        public var name: String
        public var coordinators: [(name: String, email: String, key: String)]
        /// Changed by `kbm registry …` and not yet committed by `kbm sync`.
        public var pending: Bool
    }

    public var entries: [Entry]
    public var problems: [String]
    public var pinnedRoot: String?
    public var pinnedKeys: [String]

    public var json: JSONValue {
        .object([
            ("offices", .array(entries.map { entry in
                .object([("county", .string(entry.county)), ("name", .string(entry.name)), ("pending", .bool(entry.pending)),
                         ("coordinators", .array(entry.coordinators.map { .object([("name", .string($0.name)), ("email", .string($0.email)), ("key", .string($0.key))]) }))])
            })),
            ("problems", .array(problems.map(JSONValue.string))),
            ("pinned_root", pinnedRoot.map(JSONValue.string) ?? .null),
            ("pinned_agency_keys", .array(pinnedKeys.map(JSONValue.string))),
        ])
    }

    public var text: String {
        guard !entries.isEmpty else { return "No office registry: the region runs in open mode (changes are not checked)." }
        var lines: [String] = []
        for entry in entries {
            lines.append("\(entry.county): \(entry.name)\(entry.pending ? " (changed, committed by the next `kbm sync`)" : "")")
            lines += entry.coordinators.map { "  \($0.name) <\($0.email)> \($0.key)" }
        }
        lines += problems.map { "Problem: \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// What `kbm verify` found.
public struct VerifyReport: Sendable {
    public var checked: Int
    public var openMode: Bool
    public var failures: [RejectedCommit]

    public var json: JSONValue {
        .object([("checked", .number(checked)), ("open_mode", .bool(openMode)), ("ok", .bool(failures.isEmpty)),
                 ("failures", .array(failures.map(\.json)))])
    }

    public var text: String {
        var lines = ["Checked \(checked) commit\(checked == 1 ? "" : "s")\(openMode ? " (the repository has no office registry: open mode, nothing to check)" : "")."]
        if failures.isEmpty { lines.append("Every change was made by someone allowed to make it.") } else {
            lines.append("\(failures.count) commit\(failures.count == 1 ? "" : "s") changed files without authority:")
            for failure in failures {
                lines.append("  " + failure.summary)
                lines += failure.files.map { "    \($0.path)" }
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension Workspace {
    var pendingRegistryPath: String { dotPath + "/pending-registry" }

    /// The office of `county` as it will be after the next sync: pending edits first, else refs/heads/main.
    func currentOffice(_ county: County) throws -> Office? {
        let pending = pendingRegistryPath + "/\(county).md"
        if let data = FileManager.default.contents(atPath: pending) {
            return Office(record: try RecordParser.parse(data: data, path: pending, schema: schema))
        }
        let repo = try repository()
        guard let head = try repo.reference(SyncEngine.localRef),
              let entry = try repo.treeEntry(repo.commitTree(head), path: OfficeRegistry.path(for: county)) else { return nil }
        return Office(record: try RecordParser.parse(data: try repo.readBlob(entry.id), path: entry.path, schema: schema))
    }

    /// Registry edits are the agency's, signed with its key.
    func checkMayEditRegistry(_ command: String) throws {
        guard county == .agency else {
            throw KBMError.invalid("kbm registry \(command): only the agency (\(County.agency)) manages the office registry; this workspace belongs to \(county).")
        }
        guard try signingKey() != nil else {
            throw KBMError.invalid("kbm registry \(command): registry changes must be signed; create this workspace's key first with `kbm keygen`.")
        }
    }

    func savePending(_ office: Office) throws {
        try FileManager.default.createDirectory(atPath: pendingRegistryPath, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: pendingRegistryPath + "/\(office.county).md", contents: Data(office.fileText.utf8)) else {
            throw KBMError.failure("Cannot write \(pendingRegistryPath)/\(office.county).md.")
        }
    }

    /// Adds an office to the registry (or renames it). Committed by the next `kbm sync`.
    public func registryAddOffice(_ office: County, name: String) throws {
        try checkMayEditRegistry("add-office")
        let session = try beginWriting()
        defer { session.end() }
        let now = Timestamp.now()
        var entry: Office
        if let existing = try currentOffice(office) {
            entry = existing
            entry.record["name"] = .text(name)
            entry.record.updated = now
        } else {
            var ids = RecordIDGenerator()
            entry = Office(county: office, name: name, id: ids.next(), now: now)
        }
        try savePending(entry)
    }

    /// Registers `coordinator`'s key for `office` (replacing the key of the same email).
    public func registryAddCoordinator(_ office: County, _ coordinator: Author, keyLine: String) throws {
        try checkMayEditRegistry("add-coordinator")
        let session = try beginWriting()
        defer { session.end() }
        let key: SSHPublicKey
        do { key = try SSHPublicKey(line: keyLine) } catch {
            throw KBMError.invalid("kbm registry add-coordinator --key: \(error)")
        }
        guard var entry = try currentOffice(office) else {
            throw KBMError.invalid("kbm registry add-coordinator: the registry has no office \(office); add it first with `kbm registry add-office \(office) --name \"…\"`.")
        }
        entry.addCoordinator(Coordinator(name: coordinator.name, email: coordinator.email, key: key), now: Timestamp.now())
        try savePending(entry)
    }

    /// Removes a coordinator: their key signs nothing new from the commit that removes it on.
    public func registryRemoveCoordinator(_ office: County, email: String) throws {
        try checkMayEditRegistry("remove-coordinator")
        let session = try beginWriting()
        defer { session.end() }
        guard var entry = try currentOffice(office) else { throw KBMError.invalid("kbm registry remove-coordinator: the registry has no office \(office).") }
        guard entry.removeCoordinator(email: email, now: Timestamp.now()) else {
            throw KBMError.invalid("kbm registry remove-coordinator: \(office) has no coordinator with email \(email).")
        }
        try savePending(entry)
    }

    /// The registry at refs/heads/main with pending edits applied, and the pins.
    public func registryView() throws -> RegistryView {
        let repo = try repository()
        var files: [(path: String, data: [UInt8])] = []
        if let head = try repo.reference(SyncEngine.localRef),
           let folder = try repo.treeEntry(repo.commitTree(head), path: OfficeRegistry.folder), folder.mode == .tree {
            for entry in try repo.treeEntries(folder.id) { files.append((OfficeRegistry.folder + "/" + entry.path, Array(try repo.readBlob(entry.id)))) }
        }
        let registry = OfficeRegistry(files: files, schema: schema)
        var pendingCounties: Set<County> = []
        var offices = registry.offices
        for name in (try? FileManager.default.contentsOfDirectory(atPath: pendingRegistryPath)) ?? [] where name.hasSuffix(".md") {
            if let county = County(String(name.dropLast(3))), let office = try currentOffice(county) {
                offices[county] = office
                pendingCounties.insert(county)
            }
        }
        let pins = try syncEngine(repo: repo).loadPins()
        return RegistryView(
            entries: offices.keys.sorted().compactMap { county in
                offices[county].map { office in
                    RegistryView.Entry(county: county.rawValue, name: office.name,
                                       coordinators: office.coordinators.map { ($0.name, $0.email, $0.key.line) },
                                       pending: pendingCounties.contains(county))
                }
            },
            problems: registry.problems, pinnedRoot: pins.root, pinnedKeys: pins.keys.map(\.line).sorted())
    }

    /// Checks the whole history of refs/heads/main against the registry, as a sync checks what it fetches.
    public func verifyHistory() throws -> VerifyReport {
        let repo = try repository()
        guard let head = try repo.reference(SyncEngine.localRef) else { return VerifyReport(checked: 0, openMode: true, failures: []) }
        let engine = try syncEngine(repo: repo)
        let verifier = try engine.makeVerifier(tip: head, recorded: false)
        try verifier.check(repo.commits(from: head))
        let openMode = try verifier.registry(at: head).isEmpty && verifier.rejections.isEmpty
        return VerifyReport(checked: verifier.checked, openMode: openMode, failures: RejectedCommit.group(verifier.rejections))
    }

    /// Commits refused by the rules, as recorded by earlier syncs.
    func rejectedCommits() throws -> [RejectedCommit] {
        RejectedCommit.group(try store.read { try $0.rejectedChanges() })
    }
}

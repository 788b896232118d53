import Foundation
import KBMGit
import KBMRecords
import KBMStore

extension Workspace {
    /// The workspace's bare repository (created if missing).
    func repository() throws -> Repository {
        do {
            if FileManager.default.fileExists(atPath: repoPath + "/HEAD") { return try Repository.open(at: repoPath) }
            return try Repository.initBare(at: repoPath)
        } catch let error as GitError {
            throw KBMError.failure("Cannot open the workspace's repository \(repoPath): \(error.message)")
        }
    }

    /// Credentials for the remote: KBM_GIT_USERNAME / KBM_GIT_PASSWORD, or `.kbm/credentials`
    /// (mode 0600, lines `username=…` and `password=…`). Never written anywhere else.
    func credentials(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Credentials? {
        if let user = environment["KBM_GIT_USERNAME"], let password = environment["KBM_GIT_PASSWORD"] {
            return Credentials(username: user, password: password)
        }
        let path = dotPath + "/credentials"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw KBMError.failure("\(path) is readable by others (mode \(String(mode, radix: 8))); run `chmod 600 \(path)`.")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq]).trimmingCharacters(in: .whitespaces)] = String(line[line.index(after: eq)...])
        }
        guard let user = values["username"], let password = values["password"] else { return nil }
        return Credentials(username: user, password: password)
    }

    /// The remote's URL, or nil.
    public func remoteURL() throws -> String? {
        try repository().remoteURL(name: SyncEngine.remoteName)
    }

    /// Sets the remote's URL (the region's repository).
    public func setRemote(_ url: String) throws {
        guard !url.isEmpty else { throw KBMError.invalid("kbm remote: give the URL of the region's repository (a path, file://, git:// or http(s)://).") }
        try lockForWriting()
        let url = Workspace.absoluteRemote(url)
        do {
            try repository().setRemote(name: SyncEngine.remoteName, url: url)
        } catch let error as GitError {
            throw KBMError.invalid("kbm remote: cannot use \(Redact.url(url)): \(error.message)")
        }
        try store.write { tx in try tx.setSetting(Settings.remote, Redact.url(url)) }
    }

    /// Commits local changes, fetches, merges, imports and pushes. See `SyncEngine`.
    /// Throws `KBMError` with code `.offline` when the remote could not be reached (the changes are committed locally).
    public func sync() throws -> SyncReport {
        try lockForWriting()
        let engine = try SyncEngine(workspace: self, repo: try repository())
        let report: SyncReport
        do {
            report = try engine.run(credentials: try credentials())
        } catch let error as GitError {
            throw KBMError.failure("Sync failed while \(error.operation): \(error.message). Nothing is lost; run `kbm sync` again.")
        }
        try dropErasedObjects()
        return report
    }

    /// Joins a region: a new workspace in `dir` whose remote is `url`, filled from it.
    /// Works on an empty repository too, creating the first commit.
    public static func clone(url: String, into dir: String, county: County, author: Author) throws -> (Workspace, SyncReport) {
        if FileManager.default.fileExists(atPath: dir + "/" + dotDir) {
            throw KBMError.invalid("\(dir) already holds a kbm workspace.")
        }
        let workspace = try Workspace.create(at: dir, county: county, author: author)
        do {
            try workspace.setRemote(url)
            let repo = try workspace.repository()
            let engine = try SyncEngine(workspace: workspace, repo: repo)
            let credentials = try workspace.credentials()
            let tip: ObjectID?
            do {
                tip = try repo.fetch(remote: SyncEngine.remoteName, branch: SyncEngine.branch, credentials: credentials)
            } catch let error as GitError {
                throw KBMError.failure("Cannot reach the region's repository \(Redact.url(url)): \(error.message)")
            }
            if let tip {
                try engine.refuseIfNotARegion(tip, url: url)
            } else {
                try engine.createFirstCommit()
            }
            let report = try engine.run(credentials: credentials)
            if report.offline { throw KBMError.failure("Cannot reach the region's repository \(Redact.url(url)): \(report.offlineReason ?? "unknown error")") }
            return (workspace, report)
        } catch {
            // A failed clone leaves no half-made workspace behind.
            try? FileManager.default.removeItem(atPath: workspace.dotPath)
            throw error
        }
    }

    /// Rebuilds the shared part of the store from refs/heads/main. Local fields and local changes
    /// not yet committed are kept.
    public func rebuild() throws -> Int {
        try rebuildRepairing()
        return try store.read { try $0.count() }
    }

    /// Rebuilds the store from the repository; returns the rows that could not be decoded, which
    /// the rebuild restored from the repository (or removed), and where a copy of them as they
    /// were is kept (`.kbm/damaged-rows-<time>.json`, for what no repository holds).
    @discardableResult
    func rebuildRepairing() throws -> (rows: [UndecodableRow], copy: String?) {
        try lockForWriting()
        let repo = try repository()
        let engine = try SyncEngine(workspace: self, repo: repo)
        let broken = try store.read { try $0.undecodableRows() }
        var copy: String?
        if !broken.isEmpty {
            let rows = try store.read { try $0.rawRecordRows(broken.map(\.id)) }
            let stamp = Timestamp.now().rawValue.replacingOccurrences(of: ":", with: "")
            let path = dotPath + "/damaged-rows-\(stamp).json"
            do {
                try Data((JSONValue.array(rows).prettyText + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw KBMError.failure("Cannot keep a copy of the damaged rows in \(path) (\(KBMError.describe(error))), so they were not repaired. Free some space and run the command again.")
            }
            copy = Workspace.dotDir + "/damaged-rows-\(stamp).json"
        }
        return (try engine.rebuildStore(), copy)
    }
}

extension Workspace {
    /// A local path (no `scheme://`, no `user@host:`) made absolute, as git does, so the remote
    /// keeps working from any folder.
    static func absoluteRemote(_ url: String) -> String {
        if url.contains("://") { return url }
        if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") { return url }
        return URL(fileURLWithPath: url).standardizedFileURL.path
    }
}

/// Keeps passwords out of anything kbm prints or stores.
enum Redact {
    /// `https://user:secret@host/x` → `https://user@host/x`.
    static func url(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let userinfo = url[scheme.upperBound..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + String(url[at...])
    }
}

extension SyncEngine {
    /// Refuses a remote whose tip is not a kbm region (some other project's repository), so kbm
    /// never merges its records into it and pushes. A region has `counties/` or `region/`, or
    /// (just started) nothing but a README, git's dot files and `docs/`.
    func refuseIfNotARegion(_ tip: ObjectID, url: String?) throws {
        let tree = try repo.commitTree(tip)
        if try repo.treeEntry(tree, path: "counties") != nil || repo.treeEntry(tree, path: "region") != nil { return }
        let foreign = try repo.treeEntries(tree).map(\.path).filter {
            !["README.md", ".gitignore", ".gitattributes"].contains($0) && !$0.hasPrefix("docs/")
        }
        guard !foreign.isEmpty else { return }
        let sample = foreign.prefix(3).map(TerminalText.safe).joined(separator: ", ")
        throw KBMError.failure("\(url.map { Redact.url($0) } ?? "The remote") is not a kbm region: its main branch has no counties/ folder but \(foreign.count) other file\(foreign.count == 1 ? "" : "s") (\(sample)\(foreign.count > 3 ? ", …" : "")). kbm writes nothing into it. Check the URL, or ask the agency for the region's repository.")
    }

    /// The first commit of an empty regional repository: a README saying what it is.
    func createFirstCommit() throws {
        let readme = """
        # Regional repository (kbm)

        This repository holds the shared records of the region's Bildungsbüros, written by kbm.
        Records live in `counties/<county>/<kind>/<shard>/<id>.md`. Do not rename files; edit
        them with kbm or carefully by hand (kbm checks every change when it syncs).

        """
        let blob = try repo.writeBlob(Data(readme.utf8))
        let tree = try repo.updateTree(base: nil, upserts: ["README.md": blob], removals: [])
        let signature = gitSignature()
        let commit = try repo.createCommit(tree: tree, parents: [], author: signature, committer: signature, message: "\(workspace.county): start the regional repository\n", sign: signer)
        try repo.setReference(Self.localRef, to: commit, expecting: .absent, message: "kbm: first commit")
    }

    /// Re-imports every record of refs/heads/main, keeping local fields and dirty records, and
    /// makes the quarantine list what the tree holds: a file that is invalid stays (or comes) in,
    /// one that is valid now or gone is released. Rows the store cannot decode are restored from
    /// the repository (their local fields kept where they decode) or, when the repository does not
    /// hold the record, removed; returns them.
    @discardableResult
    func rebuildStore() throws -> [UndecodableRow] {
        let head = try repo.reference(Self.localRef)
        var inRepo: Set<RecordID> = []
        let now = Timestamp.now().rawValue
        // No commit yet: every record here is a local change (none is in the repository).
        let entries = try head.map { try repo.treeEntries(repo.commitTree($0)) } ?? []
        let verdicts = entries.map { PathPolicy.judge($0, schema: schema) }
        // An id in several files belongs to the one history says owns it (IDOwnership.swift).
        let claims = IDClaims(zip(entries, verdicts).compactMap { entry, verdict -> (RecordID, String)? in
            guard case .record(_, _, let id) = verdict else { return nil }
            return (id, entry.path)
        })
        let owners = try head.map { try self.owners(of: claims.contested, head: $0) } ?? [:]
        return try store.write { tx in
            let repaired = try tx.clearUndecodableRows()
            let listed = Set(try tx.quarantine().map(\.path))
            var held: Set<String> = []
            // An entry a sync made keeps its commit, reason and date.
            func hold(_ path: String, _ reason: String, line: Int? = nil) throws {
                held.insert(path)
                if !listed.contains(path) {
                    try tx.putInQuarantine(QuarantineEntry(path: path, commit: head?.hex ?? "", reason: reason, line: line, detected: now))
                }
            }
            for (entry, verdict) in zip(entries, verdicts) {
                let county: County, kind: String, id: RecordID
                switch verdict {
                case .ignored: continue
                case .refused(let reason): try hold(entry.path, reason); continue
                case .record(let c, let k, let i): (county, kind, id) = (c, k, i)
                }
                // A file that does not parse keeps the store's last valid version of its record.
                inRepo.insert(id)
                if let owner = owners[id] {
                    guard owner.path == entry.path else { try hold(entry.path, owner.reason(for: id)); continue }
                    // The store may hold a copy's record under the owner's id: it gives way.
                    if let existing = try tx.record(id), existing.county != county || existing.kind != kind { try tx.delete(id, pending: false) }
                }
                let record: Record
                do {
                    record = try parse(entry, path: entry.path)
                } catch var error as RecordParseError {
                    let line = error.line
                    (error.path, error.line) = (nil, nil)
                    try hold(entry.path, error.description, line: line)
                    continue
                }
                guard record.id == id, record.county == county, record.kind == kind else {
                    try hold(entry.path, "the path says \(county)/\(kind)/\(id) but the file says \(record.county)/\(record.kind)/\(record.id)")
                    continue
                }
                if try tx.isDirty(id) { continue }
                try tx.save(record, dirty: false, keepLocalFields: true)
            }
            for path in listed.subtracting(held) { try tx.releaseFromQuarantine(path) }
            // By id, without decoding: a row cleared above is complete again only if the repository holds it.
            for id in try tx.recordIDs() where !inRepo.contains(id) {
                if try !tx.isDirty(id) { try tx.delete(id, pending: false) }
            }
            if let head { try tx.setSetting(Settings.storeCommit, head.hex) }
            try tx.rebuildSearchIndex()
            return repaired
        }
    }
}

import Foundation
import KBMGit
import KBMRecords
import KBMStore
import KBMSync

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
        let session = try beginWriting()
        defer { session.end() }
        let url = Workspace.absoluteRemote(url)
        do {
            try repository().setRemote(name: SyncEngine.remoteName, url: url)
        } catch let error as GitError {
            throw KBMError.invalid("kbm remote: cannot use \(CredentialRedaction.redact(url)): \(error.message)")
        }
        try store.write { tx in try tx.setSetting(Settings.remote, CredentialRedaction.redact(url)) }
    }

    /// Commits local changes, fetches, merges, imports and pushes. See `SyncEngine`. The report's
    /// `outcome` says how it ended (offline, authentication failed, …): local changes are committed
    /// whatever it says. Throws only when the workspace itself failed (a full disk, a damaged store).
    public func sync() throws -> SyncReport {
        // One sync at a time; edits go on beside it (the engine locks only its local steps).
        let syncing = try WorkspaceLock(path: dotPath + "/sync.lock", timeout: Workspace.syncWait, activity: "syncing")
        defer { withExtendedLifetime(syncing) {} }
        let engine = try writing { _ in try syncEngine(repo: try repository()) }
        let report: SyncReport
        do {
            report = try engine.run(credentials: try credentials())
        } catch let error as GitError {
            if DiskSpace.isFull(dotPath) {
                throw KBMError.failure("The disk holding \(root) is full (\(error.message)). Nothing is lost; free some space and run `kbm sync` again.")
            }
            throw KBMError.failure("Sync failed while \(error.operation): \(error.message). Nothing is lost; run `kbm sync` again.")
        }
        try writing { _ in try dropErasedObjects() }
        return report
    }

    /// How long a sync waits for another one (a sync over a slow network takes a while).
    static let syncWait: TimeInterval = 300

    /// Joins a region: a new workspace in `dir` whose remote is `url`, filled from it.
    /// Works on an empty repository too, creating the first commit.
    public static func clone(url: String, into dir: String, county: County, author: Author, environment: SyncEnvironment = .standard) throws -> (Workspace, SyncReport) {
        if FileManager.default.fileExists(atPath: dir + "/" + dotDir) {
            throw KBMError.invalid("\(dir) already holds a kbm workspace.")
        }
        let workspace = try Workspace.create(at: dir, county: county, author: author)
        workspace.syncEnvironment = environment
        do {
            try workspace.setRemote(url)
            let repo = try workspace.repository()
            let engine = try workspace.syncEngine(repo: repo)
            let credentials = try workspace.credentials()
            let tip: ObjectID?
            do {
                tip = try repo.fetch(remote: SyncEngine.remoteName, branch: SyncEngine.branch, credentials: credentials)
            } catch let error as GitError {
                throw KBMError.failure("Cannot reach the region's repository \(CredentialRedaction.redact(url)): \(error.message)")
            }
            if let tip {
                try engine.refuseIfNotARegion(tip, url: url)
            } else {
                try engine.createFirstCommit()
            }
            let report = try engine.run(credentials: credentials)
            if !report.outcome.isSynced { throw KBMError.failure("Cannot reach the region's repository \(CredentialRedaction.redact(url)): \(report.outcome.reason ?? "unknown error")") }
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
        let session = try beginWriting()
        defer { session.end() }
        let repo = try repository()
        let engine = try syncEngine(repo: repo)
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

extension Workspace {
    /// The sync pipeline over this workspace's store and `repo`, signing with its key.
    func syncEngine(repo: Repository) throws -> SyncEngine {
        SyncEngine(context: SyncContext(
            store: store, repo: repo, county: county, author: author, schema: schema,
            signer: try commitSigner(), ownKey: try signingKey()?.publicKey,
            pendingRegistryPath: pendingRegistryPath, environment: syncEnvironment,
            locking: WorkspaceSyncLocking(workspace: self)))
    }
}

import Foundation
import KBMRecords
import KBMStore
import KBMSync
import KBMSync

/// A coordinator's workspace: a folder holding `.kbm/` with the SQLite store and the bare git
/// repository that mirrors the region.
///
/// One object may serve several threads (a web server's requests): the store is GRDB's
/// thread-safe pool, repositories are opened per use, writes take turns through `writers`
/// (WriteSession.swift), and the settable properties are configuration, set before sharing.
public final class Workspace: @unchecked Sendable {
    public let root: String
    let store: Store
    public let county: County
    public let author: Author
    let schema: Schema
    /// The sync pipeline's world (clock, fault hook, progress, network limit); the kbm executable
    /// sets it from its environment.
    public var syncEnvironment = SyncEnvironment.standard
    /// How long a write waits for another process's write (`Workspace.writeWait` unless set).
    public var writeTimeout = Workspace.writeWait
    /// The writer lock of this workspace object (`beginWriting`, WriteSession.swift).
    let writers = WriterLock()

    public static let dotDir = ".kbm"
    public var dotPath: String { root + "/" + Workspace.dotDir }
    public var storePath: String { dotPath + "/store.sqlite" }
    public var repoPath: String { dotPath + "/repo.git" }

    /// Finds the workspace: `KBM_WORKSPACE` if set, else the nearest folder at or above `start` holding `.kbm/`.
    public static func locate(from start: String, environment: [String: String]) throws -> String {
        if let explicit = environment["KBM_WORKSPACE"], !explicit.isEmpty {
            guard FileManager.default.fileExists(atPath: explicit + "/" + dotDir) else {
                throw KBMError.invalid("KBM_WORKSPACE=\(explicit) is not a kbm workspace (no \(dotDir)/ there). Create one with `kbm init`.")
            }
            return explicit
        }
        // A deleted working folder gives no absolute path; walking up a relative one never ends.
        guard start.hasPrefix("/"), FileManager.default.fileExists(atPath: start) else {
            throw KBMError.invalid("The current folder \(start.isEmpty ? "" : "\(start) ")no longer exists. Change to a workspace folder, or name one with -C <dir>.")
        }
        var dir = URL(fileURLWithPath: start).standardizedFileURL
        for _ in 0..<4096 {
            if FileManager.default.fileExists(atPath: dir.path + "/" + dotDir + "/repo.git") || FileManager.default.fileExists(atPath: dir.path + "/" + dotDir + "/store.sqlite") { return dir.path }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        throw KBMError.invalid("Not inside a kbm workspace (no \(dotDir)/ folder here or above \(start)). Create one with `kbm init --county <slug> --user \"Name <email>\"` or join a region with `kbm clone`.")
    }

    /// Creates a new workspace in `dir` (made if missing). Fails if one is already there.
    public static func create(at dir: String, county: County, author: Author) throws -> Workspace {
        let root = URL(fileURLWithPath: dir).standardizedFileURL.path
        let dot = root + "/" + dotDir
        if FileManager.default.fileExists(atPath: dot + "/store.sqlite") {
            throw KBMError.invalid("\(root) is already a kbm workspace.")
        }
        do {
            try FileManager.default.createDirectory(atPath: dot, withIntermediateDirectories: true)
        } catch {
            throw KBMError.failure("Cannot create \(dot): \(error.localizedDescription)")
        }
        let store = try Store(path: dot + "/store.sqlite")
        try store.write { tx in try writeIdentity(tx, county: county, author: author) }
        let workspace = try Workspace(root: root, store: store)
        _ = try workspace.repository()
        try workspace.writeIdentityFile()
        return workspace
    }

    /// Opens the workspace at `root`. A damaged store is reported with the way to repair it.
    public static func open(at root: String) throws -> Workspace {
        let path = root + "/" + dotDir + "/store.sqlite"
        // Not created here: an empty new file would hide that the database is gone.
        guard FileManager.default.fileExists(atPath: path) else {
            throw KBMError.failure("The local database \(path) is missing. Run `kbm rebuild` (or `kbm doctor --repair`) to rebuild it from the repository.")
        }
        do {
            return try Workspace(root: root, store: Store(path: path))
        } catch let error as StoreError {
            if DiskSpace.isFull(root + "/" + dotDir) {
                throw KBMError.failure("The disk holding \(root) is full (\(error.message)). Nothing was changed; free some space and run the command again.")
            }
            throw KBMError.failure("The local database \(path) cannot be used (\(error.message)). Run `kbm doctor --repair` to rebuild it from the repository.")
        }
    }

    /// Stores the county and the user of a new (or rebuilt) database.
    static func writeIdentity(_ tx: StoreTransaction, county: County, author: Author) throws {
        try tx.setSetting(Settings.county, county.rawValue)
        try tx.setSetting(Settings.authorName, author.name)
        try tx.setSetting(Settings.authorEmail, author.email)
        try tx.setSetting(Settings.created, Timestamp.now().rawValue)
    }

    /// `.kbm/workspace`: the county and the user, so a lost database can be rebuilt.
    var identityPath: String { dotPath + "/workspace" }

    func writeIdentityFile() throws {
        let text = "county=\(county)\nuser=\(author)\n"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: identityPath), options: .atomic)
        } catch {
            throw KBMError.failure("Cannot write \(identityPath): \(error.localizedDescription)")
        }
    }

    /// Reads `.kbm/workspace` (county and user) of the workspace at `root`.
    static func readIdentity(root: String) -> (County, Author)? {
        guard let text = try? String(contentsOfFile: root + "/" + dotDir + "/workspace", encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let county = values["county"].flatMap(County.init), let author = values["user"].flatMap(Author.init) else { return nil }
        return (county, author)
    }

    /// `lock`: the writer lock, already taken, kept for the life of this object (a repair).
    init(root: String, store: Store, schema: Schema = .current, lock: WorkspaceLock? = nil) throws {
        if let lock { writers.adopt(lock) }
        self.root = root
        self.store = store
        self.schema = schema
        let settings = try store.read { tx in
            (try tx.setting(Settings.county), try tx.setting(Settings.authorName), try tx.setting(Settings.authorEmail))
        }
        guard let countyText = settings.0, let county = County(countyText),
              let name = settings.1, let email = settings.2, let author = Author("\(name) <\(email)>") else {
            throw KBMError.failure("The workspace at \(root) has no county or user set; its store may be damaged. Run `kbm doctor`.")
        }
        self.county = county
        self.author = author
        try applyPrivacyRulesIfChanged()
    }

    /// Lock files a killed kbm left in its repository (`refs/heads/main.lock` after a SIGKILL in the
    /// middle of a ref update): with the writer lock held no other kbm can be writing, so each one
    /// is stale, and left alone it would make every later sync fail.
    func removeStaleGitLocks() {
        let repo = dotPath + "/repo.git"
        var stale = ["HEAD.lock", "config.lock", "packed-refs.lock", "index.lock"].map { repo + "/" + $0 }
        if let walker = FileManager.default.enumerator(atPath: repo + "/refs") {
            for case let path as String in walker where path.hasSuffix(".lock") { stale.append(repo + "/refs/" + path) }
        }
        for path in stale where FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

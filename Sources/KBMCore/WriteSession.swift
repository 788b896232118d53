import Foundation
import KBMGit
import KBMRecords
import KBMStore
import KBMSync

/// One mutating use case (add, edit, import, sync, …) of one workspace: it holds the workspace's
/// writer lock from `Workspace.beginWriting()` to `end()`, and gives the store and the repository
/// to write with. Reads need none (SQLite's WAL lets them run beside a writer).
///
/// Several processes share a workspace (the CLI, a long-running server): a session is short, so a
/// second writer waits at most the time of one write; it waits a bounded time and then fails with
/// "another kbm (pid N, started …) is writing in this workspace". Sessions nest within a process
/// (a use case that calls another one takes the lock once), and `kbm sync` holds the lock only
/// for its local steps, never while it waits for the network (`SyncLocking`).
///
///     let session = try beginWriting()
///     defer { session.end() }
public final class WriteSession {
    public let workspace: Workspace
    private var ended = false

    init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The store, to write with in transactions (`store.write { tx in … }`).
    var store: Store { workspace.store }

    /// Releases the lock (the outermost session of this workspace object releases the file lock).
    public func end() {
        guard !ended else { return }
        ended = true
        workspace.endWriting()
    }

    deinit { end() }
}

extension Workspace {
    /// How long a writer waits for another one before it gives up, unless told otherwise.
    public static let writeWait: TimeInterval = 10

    /// Starts a write session: takes the workspace's writer lock (waiting up to `writeTimeout`),
    /// or joins the session this workspace object already holds. Call `end()` (with `defer`).
    public func beginWriting() throws -> WriteSession {
        try writers.enter(timeout: writeTimeout, path: dotPath + "/lock") { self.removeStaleGitLocks() }
        return WriteSession(workspace: self)
    }

    func endWriting() { writers.leave() }

    /// Runs `body` in a write session.
    public func writing<T>(_ body: (WriteSession) throws -> T) throws -> T {
        let session = try beginWriting()
        defer { session.end() }
        return try body(session)
    }

    /// Whether this workspace object holds the writer lock now.
    var isWriting: Bool { writers.isHeld }
}

/// The writer lock of one workspace object: the file lock (between processes) taken by the
/// outermost session and released by it, and a recursive mutex so threads of one process (a
/// server's requests) take turns too.
final class WriterLock: @unchecked Sendable {
    private let mutex = NSRecursiveLock()
    private var file: WorkspaceLock?
    private var depth = 0
    /// A lock adopted for the life of the object (a repair that made the store under it).
    private var adopted = false

    func enter(timeout: TimeInterval, path: String, onFirst: () -> Void) throws {
        let deadline = Date().addingTimeInterval(timeout)
        guard mutex.lock(before: deadline) else {
            throw KBMError.failure("Another task of this kbm process is writing in this workspace; it did not finish within \(Int(timeout)) s. Try again.")
        }
        if depth == 0 && file == nil {
            do {
                file = try WorkspaceLock(path: path, timeout: max(0, deadline.timeIntervalSinceNow))
            } catch {
                mutex.unlock()
                throw error
            }
            onFirst()
        }
        depth += 1
    }

    func leave() {
        depth -= 1
        if depth == 0 && !adopted { file = nil }
        mutex.unlock()
    }

    /// Keeps `lock` (already taken) for the life of this object.
    func adopt(_ lock: WorkspaceLock) {
        mutex.lock()
        file = lock
        adopted = true
        mutex.unlock()
    }

    var isHeld: Bool {
        mutex.lock()
        defer { mutex.unlock() }
        return file != nil
    }
}

/// The sync's local steps take the writer lock; the network steps between them run without it,
/// so an edit never waits for a slow network.
struct WorkspaceSyncLocking: SyncLocking {
    let workspace: Workspace

    func exclusive<T>(_ body: () throws -> T) throws -> T {
        try workspace.writing { _ in try body() }
    }
}

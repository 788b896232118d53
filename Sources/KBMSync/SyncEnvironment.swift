import Foundation
import KBMAuthority
import KBMGit
import KBMRecords
import KBMStore

/// What the sync pipeline needs from the world, injected: the clock, sleeping between push
/// retries, the fault hook (tests kill the process after a named step), where progress goes, and
/// the network time limit. The pipeline reads no environment variable and prints nothing itself;
/// `SyncEnvironment.live` is what the kbm executable builds from its own environment.
public struct SyncEnvironment: Sendable {
    /// The current time (commit dates, last fetch and sync).
    public var now: @Sendable () -> Date
    /// Waits between two push attempts.
    public var sleep: @Sendable (TimeInterval) -> Void
    /// Called after each named step; the CLI's hook kills the process for `KBM_FAULT=<step>`.
    public var reached: @Sendable (SyncStep) -> Void
    /// Progress of the pipeline, for a terminal or a web page; the default ignores it.
    public var progress: @Sendable (SyncProgress) -> Void
    /// The limit for connecting and for each read or write on the network; nil keeps libgit2's
    /// defaults set by KBMGit (10 s to connect, 30 s per read or write).
    public var networkTimeout: Duration?

    public init(now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) },
                reached: @escaping @Sendable (SyncStep) -> Void = { _ in },
                progress: @escaping @Sendable (SyncProgress) -> Void = { _ in },
                networkTimeout: Duration? = nil) {
        self.now = now
        self.sleep = sleep
        self.reached = reached
        self.progress = progress
        self.networkTimeout = networkTimeout
    }

    /// Real time, real sleep, no fault, no progress.
    public static var standard: SyncEnvironment { SyncEnvironment() }

    package func timestamp() -> Timestamp { Timestamp(now()) }
}

/// One step of the pipeline starting, for progress displays.
public struct SyncProgress: Sendable, Equatable {
    public var step: SyncPhase
    /// The push attempt (1 for the first), for `fetching` and `pushing`.
    public var attempt: Int

    public init(step: SyncPhase, attempt: Int) {
        self.step = step
        self.attempt = attempt
    }
}

public enum SyncPhase: String, Sendable, Equatable {
    case committing, fetching, verifying, merging, importing, pushing
}

/// Who the pipeline works for: the store and repository of one workspace, its county and user,
/// how it signs, and where it keeps an office registry entry waiting for the agency.
package struct SyncContext {
    package var store: Store
    package var repo: Repository
    package var county: County
    package var author: Author
    package var schema: Schema
    /// Signs every commit the engine makes (SSHSIG in the `gpgsig` header); nil without a key.
    package var signer: ((String) throws -> String)?
    /// The workspace's own signing key, if any (an erasure replays only its own commits).
    package var ownKey: SSHPublicKey?
    /// `.kbm/pending-registry`: this office's registry entry until the agency has merged it.
    package var pendingRegistryPath: String
    package var environment: SyncEnvironment
    /// Takes the workspace's writer lock around each local step (not around network transfers).
    package var locking: any SyncLocking

    package init(store: Store, repo: Repository, county: County, author: Author, schema: Schema,
                 signer: ((String) throws -> String)?, ownKey: SSHPublicKey?, pendingRegistryPath: String,
                 environment: SyncEnvironment, locking: any SyncLocking = NoSyncLocking()) {
        self.locking = locking
        self.store = store
        self.repo = repo
        self.county = county
        self.author = author
        self.schema = schema
        self.signer = signer
        self.ownKey = ownKey
        self.pendingRegistryPath = pendingRegistryPath
        self.environment = environment
    }
}

/// The writer lock as the pipeline sees it: `exclusive` runs one local step (commit, verify and
/// merge and import, record a push) holding it. Fetch and push run between such steps without it,
/// so an edit in another process never waits for the network.
package protocol SyncLocking {
    func exclusive<T>(_ body: () throws -> T) throws -> T
}

/// For callers that already hold the lock for the whole run (a purge, a clone).
package struct NoSyncLocking: SyncLocking {
    package init() {}
    package func exclusive<T>(_ body: () throws -> T) throws -> T { try body() }
}

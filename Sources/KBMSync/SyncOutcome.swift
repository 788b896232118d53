import Foundation
import KBMGit
import KBMRecords

/// How a sync ended, decided from libgit2's error class and code (never from message text).
/// Only `.offline` means "the network did not reach the region": exit code 3, nothing lost, try
/// again later. Every other failure needs the user (or the agency) to act, and exits 1.
public enum SyncOutcome: Sendable, Equatable {
    /// Local changes are shared and the other offices' changes are in (or nothing was to do).
    case synced
    /// The remote could not be reached (no route, refused connection, timeout, a cut transfer,
    /// a folder remote that is not mounted). Local commits wait for the next sync.
    case offline(reason: String)
    /// The workspace has no remote yet (`kbm remote <url>`); changes are committed locally.
    case noRemote
    /// The server refused the user name, password or token.
    case authenticationFailed(reason: String)
    /// The server's TLS certificate did not verify; kbm never goes on without it.
    case certificateRefused(reason: String)
    /// The server refused the push although it was a fast-forward (a hook, a protected branch,
    /// missing write permission).
    case refusedByServer(reason: String)
    /// Other offices kept pushing first: every attempt lost the race.
    case busy(attempts: Int)
    /// The disk holding the workspace is full.
    case diskFull(reason: String)
    /// Any other failure of the transfer (the server answered with an error, a broken repository).
    case failed(reason: String)

    /// The machine-readable name, for `kbm sync --json`.
    public var code: String {
        switch self {
        case .synced: "synced"
        case .offline: "offline"
        case .noRemote: "no-remote"
        case .authenticationFailed: "authentication-failed"
        case .certificateRefused: "certificate-refused"
        case .refusedByServer: "refused-by-server"
        case .busy: "busy"
        case .diskFull: "disk-full"
        case .failed: "failed"
        }
    }

    /// Why it ended so, for the user (nil when synced).
    public var reason: String? {
        switch self {
        case .synced: nil
        case .noRemote: "this workspace has no remote yet; set one with `kbm remote <url>`"
        case .busy(let attempts): "the remote kept refusing the push after \(attempts) attempts because other offices pushed first"
        case .offline(let reason), .authenticationFailed(let reason), .certificateRefused(let reason),
             .refusedByServer(let reason), .diskFull(let reason), .failed(let reason): reason
        }
    }

    public var isSynced: Bool { self == .synced }
    public var isOffline: Bool { if case .offline = self { true } else { false } }

    /// The outcome of a failed fetch or push. `remoteURL` tells a folder remote (a network share
    /// that is not mounted is "offline"); `workspacePath` is where a full disk would show.
    package static func classify(_ error: GitError, remoteURL: String?, workspacePath: String) -> SyncOutcome {
        let message = error.message
        switch error.category {
        case .authentication: return .authenticationFailed(reason: message)
        case .certificate: return .certificateRefused(reason: message)
        case .network: return .offline(reason: message)
        case .local, .other:
            if DiskSpace.isFull(workspacePath) { return .diskFull(reason: message) }
            if let remoteURL, let folder = localFolder(of: remoteURL), !FileManager.default.fileExists(atPath: folder) {
                return .offline(reason: "the region's folder \(folder) is not reachable (\(message))")
            }
            return .failed(reason: message)
        }
    }

    /// The folder a path or file:// remote names; nil for a network URL (`git://`, `https://`, `host:path`).
    static func localFolder(of url: String) -> String? {
        if url.hasPrefix("file://") { return String(url.dropFirst("file://".count)) }
        if url.contains("://") { return nil }
        if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") { return nil }
        return url
    }
}

/// Whether a file system has (almost) no space left: SQLite and libgit2 report a full disk as an
/// I/O error, and the right advice then is to free space, not to repair anything.
public enum DiskSpace {
    public static func isFull(_ path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: path),
              let free = attributes[.systemFreeSize] as? NSNumber else { return false }
        return free.int64Value < 256 * 1024
    }
}

import Foundation
import KBMRecords
import KBMSync
#if canImport(Glibc)
import Glibc
#endif

/// What the kbm executable takes from its process environment, in one place: the library
/// targets read no environment variable. Used by every command that syncs.
enum CLIEnvironment {
    /// `KBM_NETWORK_TIMEOUT=<seconds>` replaces the network limits (10 s to connect, 30 s per read
    /// or write); `KBM_FAULT=<step>` kills this process (SIGKILL) right after that sync step, so
    /// tests can check that the next sync converges from every point (docs/fault-model.md).
    static func sync(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SyncEnvironment {
        var sync = SyncEnvironment.standard
        if let text = environment["KBM_NETWORK_TIMEOUT"], let seconds = Double(text), seconds > 0, seconds <= 86_400 {
            sync.networkTimeout = .milliseconds(Int(seconds * 1000))
        }
        if let wanted = environment["KBM_FAULT"], let step = SyncStep(rawValue: wanted) {
            sync.reached = { reached in
                guard reached == step else { return }
                FileHandle.standardError.write(Data("kbm: KBM_FAULT=\(wanted): killing this process now\n".utf8))
                kill(getpid(), SIGKILL)
            }
        }
        return sync
    }

    /// `KBM_TODAY=<YYYY-MM-DD>`: the day reports count as today (what is held, what is overdue),
    /// for tests and for re-making an old report; ignored unless it is a real date.
    static func today(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let text = environment["KBM_TODAY"], DateValue.isValid(text) else { return nil }
        return text
    }

    /// `KBM_LOCK_WAIT=<seconds>`: how long a command waits for another kbm writing in the same
    /// workspace (default 10 s).
    static func writeWait(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeInterval? {
        guard let text = environment["KBM_LOCK_WAIT"], let seconds = Double(text), seconds >= 0, seconds <= 3600 else { return nil }
        return seconds
    }
}

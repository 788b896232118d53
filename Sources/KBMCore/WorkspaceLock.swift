import Foundation
import KBMRecords
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file of `.kbm/` (`lock` for writers, `sync.lock` for syncs), released
/// when the holder lets go or its process ends (also when it is killed), so a crash never leaves a
/// stale lock. The file names the holder (`pid started`) for the message of a process that waits.
final class WorkspaceLock {
    private let fd: Int32

    /// Waits up to `timeout` seconds for the lock, then fails with "another kbm (pid N, started …)
    /// is <activity> this workspace".
    init(path: String, timeout: TimeInterval, activity: String = "writing in") throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw KBMError.failure("Cannot open the workspace lock \(path): \(String(cString: strerror(errno)))") }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                let holder = WorkspaceLock.holder(path)
                close(fd)
                throw KBMError.failure("Another kbm\(holder.map { " (\($0))" } ?? "") is \(activity) this workspace and did not finish within \(Int(timeout.rounded())) s. Wait for it to finish and try again.")
            }
            usleep(20_000)
        }
        let started = ISO8601DateFormatter().string(from: Date())
        let line = "\(getpid()) \(started)\n"
        _ = ftruncate(fd, 0)
        _ = line.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// "pid 4711, started 2026-12-02T09:30:00Z", from the lock file; nil if it names nobody.
    static func holder(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        guard let pid = parts.first, Int(pid) != nil else { return nil }
        return parts.count > 1 ? "pid \(pid), started \(parts[1])" : "pid \(pid)"
    }

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}

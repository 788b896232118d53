import Foundation
import KBMRecords
#if canImport(Glibc)
import Glibc
#endif

/// One writer per workspace: an exclusive `flock` on `.kbm/lock`, released when the process ends
/// (also when it is killed), so a crash never leaves a stale lock.
final class WorkspaceLock {
    private let fd: Int32

    /// Waits up to `timeout` seconds for the lock, then fails with a clear message.
    init(path: String, timeout: TimeInterval) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw KBMError.failure("Cannot open the workspace lock \(path): \(String(cString: strerror(errno)))") }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                close(fd)
                throw KBMError.failure("Another kbm process\(holder.isEmpty ? "" : " (pid \(holder))") is working in this workspace. Wait for it to finish and try again.")
            }
            usleep(50_000)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}

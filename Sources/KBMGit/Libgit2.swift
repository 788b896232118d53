import CLibgit2
import Foundation

/// Result of the one-time libgit2 set-up; a global `let` is initialised lazily and exactly once
/// (thread-safe), so `git_libgit2_init` runs once per process and is never shut down.
private let libgit2Setup: Int32 = {
    let initialised = git_libgit2_init()
    guard initialised >= 0 else { return initialised }
    // kbm runs as root on repositories owned by other users; libgit2 would refuse to open them.
    let ownerValidation = kbm_git_disable_owner_validation()
    guard ownerValidation >= 0 else { return ownerValidation }
    // libgit2 1.5 has no network timeouts of its own; see NetworkTimeouts.
    let stream = registerTimeoutSocketStream()
    guard stream >= 0 else { return stream }
    _ = kbm_git_set_server_connect_timeout(10_000)
    _ = kbm_git_set_server_timeout(30_000)
    // NetworkTimeouts.set replaces both limits (the sync's environment: tests use a few seconds).
    return 0
}()

/// Initialises libgit2 on first use; every entry point that talks to libgit2 calls this first.
func ensureLibgit2() throws {
    try check(libgit2Setup, "initialising libgit2")
}

/// Owns one libgit2 object and frees it exactly once, in `deinit`.
///
/// Borrowed pointers derived from `pointer` (tree entries, signatures, messages) are only valid
/// while the handle is alive; read them inside `withExtendedLifetime(handle)` or `handle.use`.
final class Handle {
    let pointer: OpaquePointer
    private let free: @convention(c) (OpaquePointer?) -> Void

    init(_ pointer: OpaquePointer, free: @escaping @convention(c) (OpaquePointer?) -> Void) {
        self.pointer = pointer
        self.free = free
    }

    deinit { free(pointer) }

    /// Runs `body` with the raw pointer while keeping the handle alive.
    func use<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(pointer) }
    }

    /// Calls a libgit2 constructor of the form `int f(T **out, ...)` and wraps the result.
    static func make(
        _ operation: @autoclosure () -> String,
        free: @escaping @convention(c) (OpaquePointer?) -> Void,
        _ create: (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    ) throws -> Handle {
        var out: OpaquePointer?
        try check(create(&out), operation())
        guard let out else {
            throw GitError(operation: operation(), code: GIT_ERROR.rawValue, message: "libgit2 returned no object")
        }
        return Handle(out, free: free)
    }
}

/// Copies a C string into `[UInt8]` (without the terminating NUL).
func bytes(of cString: UnsafePointer<CChar>) -> [UInt8] {
    let length = strlen(cString)
    return cString.withMemoryRebound(to: UInt8.self, capacity: length) {
        Array(UnsafeBufferPointer(start: $0, count: length))
    }
}

/// Calls `body` with a `git_strarray` view of `strings`, valid only during the call.
func withStrarray<R>(_ strings: [String], _ body: (UnsafeMutablePointer<git_strarray>) throws -> R) rethrows -> R {
    var copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return try copies.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}

import CLibgit2

/// A failed libgit2 call: which operation, libgit2's error code and its message.
///
/// Messages never contain credentials: user info in URLs (`https://user:pw@host`) is redacted.
public struct GitError: Error, CustomStringConvertible, Sendable {
    /// What kbm was doing, e.g. "looking up tree 1a2b…".
    public let operation: String
    /// libgit2's return code (`git_error_code`, e.g. -3 not found, -15 modified).
    public let code: Int32
    /// libgit2's message (`git_error_last`) or kbm's own.
    public let message: String

    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = redactCredentials(in: message)
    }

    /// Captures the thread's last libgit2 error for a failed call that returned `code`.
    init(operation: String, code: Int32) {
        var message = "unknown error"
        if let last = git_error_last(), let text = last.pointee.message {
            message = String(cString: text)
        }
        self.init(operation: operation, code: code, message: message)
    }

    public var description: String { "\(operation): \(message) (libgit2 error \(code))" }

    /// The object, reference or remote does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
    /// A reference was changed, created or locked concurrently (compare-and-swap lost).
    public var isConflict: Bool {
        [GIT_EEXISTS, GIT_EMODIFIED, GIT_ELOCKED].contains { $0.rawValue == code }
    }
    /// Authentication was required or failed.
    public var isAuthentication: Bool { code == GIT_EAUTH.rawValue }
}

/// Throws a `GitError` built from `git_error_last()` when `code` is negative; returns it otherwise.
@discardableResult
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    guard code < 0 else { return code }
    throw GitError(operation: operation(), code: code)
}

/// Removes `user[:password]@` from every URL in `text`.
func redactCredentials(in text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let scheme = rest.range(of: "://") {
        result += rest[..<scheme.upperBound]
        rest = rest[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == " " || $0 == "'" || $0 == "\"" } ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            rest = rest[rest.index(after: at)...]
        }
    }
    return result + rest
}

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
    /// libgit2's error class (`git_error_t`: GIT_ERROR_NET, GIT_ERROR_SSL, GIT_ERROR_OS, …), 0 if none.
    public let errorClass: Int32

    public init(operation: String, code: Int32, message: String, errorClass: Int32 = 0) {
        self.operation = operation
        self.code = code
        self.message = CredentialRedaction.redact(message)
        self.errorClass = errorClass
    }

    /// Captures the thread's last libgit2 error for a failed call that returned `code`.
    init(operation: String, code: Int32) {
        var message = "unknown error"
        var errorClass: Int32 = 0
        if let last = git_error_last() {
            if let text = last.pointee.message { message = String(cString: text) }
            errorClass = last.pointee.klass
        }
        self.init(operation: operation, code: code, message: message, errorClass: errorClass)
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

    /// What kind of failure this is, from libgit2's code and error class (never from the text).
    public enum Category: Sendable, Equatable {
        /// The credentials were refused or missing (`GIT_EAUTH`).
        case authentication
        /// The server's certificate or host key did not verify (`GIT_ECERTIFICATE`, GIT_ERROR_SSL).
        case certificate
        /// The network failed: connecting, a timeout, a cut transfer (GIT_ERROR_NET, GIT_ERROR_SSH).
        case network
        /// The local repository or file system (GIT_ERROR_OS, ODB, INDEXER, FILESYSTEM, REPOSITORY).
        case local
        /// Anything else, such as an HTTP status the server answered with (GIT_ERROR_HTTP).
        case other
    }

    public var category: Category {
        if code == GIT_EAUTH.rawValue { return .authentication }
        if code == GIT_ECERTIFICATE.rawValue || errorClass == Int32(GIT_ERROR_SSL.rawValue) { return .certificate }
        if errorClass == Int32(GIT_ERROR_NET.rawValue) || errorClass == Int32(GIT_ERROR_SSH.rawValue) { return .network }
        let local: [git_error_t] = [GIT_ERROR_OS, GIT_ERROR_ODB, GIT_ERROR_INDEXER, GIT_ERROR_FILESYSTEM, GIT_ERROR_REPOSITORY, GIT_ERROR_ZLIB, GIT_ERROR_NOMEMORY]
        if local.contains(where: { Int32($0.rawValue) == errorClass }) { return .local }
        return .other
    }
}

/// Throws a `GitError` built from `git_error_last()` when `code` is negative; returns it otherwise.
@discardableResult
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    guard code < 0 else { return code }
    throw GitError(operation: operation(), code: code)
}

/// The one place that keeps secrets of remote URLs out of everything kbm prints or stores.
public enum CredentialRedaction {
    /// Every URL in `text` without its password: `https://user:secret@host/x` → `https://user@host/x`.
    /// A user name alone stays (`https://anna@host`), except one that looks like an access token
    /// (20 or more letters, digits, `_` or `-`, as hosts' personal access tokens are), which goes
    /// whole: `https://ghp_…@host/x` → `https://host/x`.
    public static func redact(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            result += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == " " || $0 == "'" || $0 == "\"" || $0 == "\n" } ?? rest.endIndex
            guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { continue }
            let userinfo = rest[..<at]
            let user = userinfo.firstIndex(of: ":").map { userinfo[..<$0] } ?? userinfo
            if !looksLikeToken(user) { result += user + "@" }
            rest = rest[rest.index(after: at)...]
        }
        return result + rest
    }

    static func looksLikeToken(_ user: Substring) -> Bool {
        user.count >= 20 && user.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}

/// Why a key or a signature could not be used. Verification failures of commits are not errors
/// but values (`Verdict`); this is for input that cannot even be read.
public enum AuthorityError: Error, Equatable, CustomStringConvertible {
    /// A key, a key line or a signature that does not follow its format.
    case malformed(String)
    /// A well-formed input kbm does not support (another key type, an encrypted key …).
    case unsupported(String)

    public var description: String {
        switch self {
        case .malformed(let message), .unsupported(let message): return message
        }
    }
}

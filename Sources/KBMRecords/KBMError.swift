import Foundation

/// An error for the user: a message that says what went wrong and what to do, and the exit code.
public struct KBMError: Error, CustomStringConvertible {
    public enum Code: Int32, Sendable {
        /// A runtime failure.
        case failure = 1
        /// Invalid input: bad field, value, kind, id or usage. Nothing was written.
        case invalidInput = 2
        /// The remote could not be reached; local work is safe and waits to be shared.
        case offline = 3
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func invalid(_ message: String) -> KBMError { KBMError(.invalidInput, message) }
    public static func failure(_ message: String) -> KBMError { KBMError(.failure, message) }

    public var description: String { message }

    /// A sentence for an error from a library (Foundation, GRDB, libgit2), never a Swift dump
    /// such as `ExitCode(rawValue: 1)` or `Error Domain=… UserInfo={…}`.
    public static func describe(_ error: Error) -> String {
        if let cocoa = error as? CocoaError { return cocoa.localizedDescription }
        // Asked of the error's own type: `error as? CustomStringConvertible` always succeeds (through NSError).
        if type(of: error) is LocalizedError.Type, let text = (error as? LocalizedError)?.errorDescription { return text }
        if type(of: error) is CustomStringConvertible.Type { return String(describing: error) }
        return "An unexpected error (\(type(of: error))) stopped the command. Nothing more was changed; run `kbm doctor` to check the workspace."
    }
}

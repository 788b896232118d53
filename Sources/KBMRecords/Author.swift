import Foundation

/// A coordinator: the author of the commits a workspace makes.
public struct Author: Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var email: String

    /// Parses `Name <email>`.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") else { return nil }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        let email = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, email.contains("@"), !email.contains(" "), !name.contains("<"), !name.contains("\n") else { return nil }
        self.name = name
        self.email = email
    }

    public var description: String { "\(name) <\(email)>" }
}

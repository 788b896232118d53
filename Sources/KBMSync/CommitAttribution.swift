import Foundation
import KBMGit
import KBMRecords

/// The machine-readable trailer kbm writes into every commit message: `Kbm-County: <county>`.
/// Prose in a message is for people; what kbm reads back is the trailer or, where the region has
/// a registry, the verified signature.
package enum CommitTrailer {
    package static let countyKey = "Kbm-County"

    /// `message` with the county trailer as its last paragraph.
    package static func appending(county: County, to message: String) -> String {
        var text = message
        while text.hasSuffix("\n") { text.removeLast() }
        return text + "\n\n\(countyKey): \(county.rawValue)\n"
    }

    /// The county named by the message's trailer (its last paragraph), if any.
    package static func county(in message: String) -> County? {
        let paragraphs = message.components(separatedBy: "\n\n")
        guard let last = paragraphs.last(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else { return nil }
        for line in last.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(countyKey) == .orderedSame else { continue }
            return County(parts[1].trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The county a commit made before kbm wrote trailers names on its first line (`<county>: …`).
    package static func legacyCounty(in message: String) -> County? {
        County(message.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "")
    }
}

package extension SyncEngine {
    /// The county a commit is credited to in conflicts and logs.
    ///
    /// With an office registry: the county its verified signature speaks for (the one its trailer
    /// claims, when the key signs for several), and "unknown" when it is not validly signed by a
    /// listed key, whatever its message says. In open mode nothing is authenticated: the
    /// `Kbm-County:` trailer, or for commits made before kbm wrote trailers, the first line's county.
    package func attributedCounty(_ info: CommitInfo) throws -> String {
        let claimed = CommitTrailer.county(in: info.message) ?? CommitTrailer.legacyCounty(in: info.message)
        if attributionVerifier == nil { attributionVerifier = try makeVerifier(anchor: repo.reference(Self.localRef)) }
        guard let counties = try attributionVerifier?.signerCounties(info) else {
            return claimed?.rawValue ?? "unknown"
        }
        if let claimed, counties.contains(claimed) { return claimed.rawValue }
        return counties.map(\.rawValue).sorted().first ?? "unknown"
    }
}

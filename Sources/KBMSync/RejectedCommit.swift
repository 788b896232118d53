import KBMRecords
import KBMStore

/// A commit the authorship rules refused, with the files it touched: what `kbm status`,
/// `kbm sync --json` and `kbm verify` show. The commit stays in history; its files are kept
/// at their last valid version.
public struct RejectedCommit: Sendable {
    public var commit: String
    /// The author the commit claims.
    public var author: String
    /// Who signed it according to the registry ("" if unsigned or unknown).
    public var signer: String
    public var files: [(path: String, county: String, reason: String)]
    public var detected: String

    /// The counties whose files the commit touched.
    public var counties: [String] { Array(Set(files.map(\.county).filter { !$0.isEmpty })).sorted() }

    package static func group(_ changes: [RejectedChange]) -> [RejectedCommit] {
        var order: [String] = []
        var byCommit: [String: RejectedCommit] = [:]
        for change in changes {
            if byCommit[change.commit] == nil {
                order.append(change.commit)
                byCommit[change.commit] = RejectedCommit(commit: change.commit, author: change.author, signer: change.signer, files: [], detected: change.detected)
            }
            byCommit[change.commit]?.files.append((change.path, change.county, change.reason))
        }
        return order.compactMap { byCommit[$0] }
    }

    public var json: JSONValue {
        .object([("commit", .string(commit)), ("author", .string(author)), ("signer", signer.isEmpty ? .null : .string(signer)),
                 ("county", .string(counties.joined(separator: ", "))), ("counties", .array(counties.map(JSONValue.string))),
                 ("files", .array(files.map { .object([("path", .string($0.path)), ("county", .string($0.county)), ("reason", .string($0.reason))]) })),
                 ("detected", .string(detected))])
    }

    /// `abc1234 by Name <email>: 2 files of lk-augsburg: reason`.
    public var summary: String {
        let reasons = Array(Set(files.map(\.reason))).sorted().joined(separator: "; ")
        return "commit \(commit.prefix(10)) by \(author)\(signer.isEmpty ? "" : " (signed by \(signer))"): \(files.count) file\(files.count == 1 ? "" : "s")\(counties.isEmpty ? "" : " of " + counties.joined(separator: ", ")): \(reasons)"
    }
}

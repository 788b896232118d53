import Foundation
import KBMAuthority
import KBMGit
import KBMRecords

/// The agency's signed statement that it rewrote the region's history to erase one record's
/// files (`kbm purge`), stored as `region/erasures/<id>.md` on the rewritten main.
///
/// The text is a list of `key: value` lines followed by an SSHSIG signature (namespace
/// `kbm-erasure`, so no commit signature can pass for a notice) over every byte before it:
///
///     kbm erasure notice 1
///     notice: <ULID>
///     by: Name <email>
///     at: <timestamp>
///     reason: <why, without personal data>
///     path: counties/<county>/<kind>/<shard>/<id>.md     (one line per erased path)
///     blob: <blob id>                                   (every erased version)
///     commit: <old commit> <new commit>                 (every rewritten commit)
///     -----BEGIN SSH SIGNATURE-----
///
/// It holds no personal data: paths name opaque record ids, the rest are hashes.
package struct ErasureNotice: Equatable {
    package static let folder = "region/erasures"
    package static let namespace = "kbm-erasure"
    package static let header = "kbm erasure notice 1"
    /// What replaces the erased record's title in rewritten commit messages.
    package static let placeholder = "[erased]"
    /// Notices larger than this are refused unread (one line per rewritten commit: ~100k commits).
    package static let maxSize = 16 << 20

    package var id: String
    package var by: String
    package var at: String
    package var reason: String
    package var paths: [String]
    package var blobs: [ObjectID]
    /// Old commit → its rewritten version.
    package var commits: [ObjectID: ObjectID]

    package init(id: String, by: String, at: String, reason: String, paths: [String], blobs: [ObjectID], commits: [ObjectID: ObjectID]) {
        (self.id, self.by, self.at, self.reason, self.paths, self.blobs, self.commits) = (id, by, at, reason, paths, blobs, commits)
    }

    package var path: String { "\(Self.folder)/\(id).md" }

    /// The signed lines.
    package var body: String {
        var lines = [Self.header, "notice: \(id)", "by: \(Self.oneLine(by))", "at: \(at)", "reason: \(Self.oneLine(reason))"]
        lines += paths.sorted().map { "path: \($0)" }
        lines += blobs.map(\.hex).sorted().map { "blob: \($0)" }
        lines += commits.map { "commit: \($0.key.hex) \($0.value.hex)" }.sorted()
        return lines.joined(separator: "\n") + "\n"
    }

    /// The file: the body and its signature.
    package func signed(with key: SSHPrivateKey) throws -> String {
        body + (try SSHSignature.sign(Array(body.utf8), key: key, namespace: Self.namespace)).armored + "\n"
    }

    package static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Several notices in order, as one: the union of their paths and versions, and every old
    /// commit mapped to its last rewrite.
    package static func combining(_ notices: [ErasureNotice]) -> ErasureNotice {
        var combined = notices.first ?? ErasureNotice(id: "", by: "", at: "", reason: "", paths: [], blobs: [], commits: [:])
        for notice in notices.dropFirst() {
            for (old, new) in combined.commits { if let newer = notice.commits[new] { combined.commits[old] = newer } }
            for (old, new) in notice.commits where combined.commits[old] == nil { combined.commits[old] = new }
            combined.paths = Array(Set(combined.paths + notice.paths)).sorted()
            combined.blobs = Array(Set(combined.blobs + notice.blobs))
            combined.id = notice.id
        }
        return combined
    }

    /// Reads a notice file and checks its signature: returns the notice and the key that signed it.
    package static func read(_ data: Data) throws -> (ErasureNotice, SSHPublicKey) {
        guard let text = String(data: data, encoding: .utf8) else { throw Refusal("the notice is not UTF-8 text") }
        guard let start = text.range(of: "-----BEGIN SSH SIGNATURE-----") else { throw Refusal("the notice is not signed") }
        let body = String(text[..<start.lowerBound])
        let signature: SSHSignature
        do { signature = try SSHSignature(armored: String(text[start.lowerBound...])) } catch {
            throw Refusal("the notice's signature is not an Ed25519 SSH signature")
        }
        guard signature.namespace == namespace else { throw Refusal("the notice is signed for '\(signature.namespace)', not for an erasure") }
        guard signature.verifies(Array(body.utf8), namespace: namespace) else { throw Refusal("the notice's signature does not match its text (altered or forged)") }
        var notice = ErasureNotice(id: "", by: "", at: "", reason: "", paths: [], blobs: [], commits: [:])
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(header) else { throw Refusal("not a kbm erasure notice (first line)") }
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw Refusal("a notice line without a key") }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            switch key {
            case "notice": notice.id = String(value)
            case "by": notice.by = String(value)
            case "at": notice.at = String(value)
            case "reason": notice.reason = String(value)
            case "path": notice.paths.append(String(value))
            case "blob":
                guard let blob = ObjectID(hex: String(value)) else { throw Refusal("a notice blob id is not an object id") }
                notice.blobs.append(blob)
            case "commit":
                let parts = value.split(separator: " ")
                guard parts.count == 2, let old = ObjectID(hex: String(parts[0])), let new = ObjectID(hex: String(parts[1])) else {
                    throw Refusal("a notice commit line is not '<old> <new>'")
                }
                notice.commits[old] = new
            default: throw Refusal("unknown notice line '\(TerminalText.safe(String(key)))'")
            }
        }
        guard RecordID(notice.id) != nil else { throw Refusal("the notice has no valid id") }
        guard !notice.paths.isEmpty else { throw Refusal("the notice names no path") }
        return (notice, signature.publicKey)
    }
}

/// Removes paths from a history: every commit whose tree holds one of them, and every commit
/// after it, is written again (same author, committer and message, the erased titles replaced by
/// `[erased]`), signed by `sign`. Commits are given parents first; `map` says what became of each.
package final class HistoryEraser {
    package let repo: Repository
    package let paths: [String]
    package let sign: ((String) throws -> String)?
    /// Texts to remove from messages (the record's titles), longest first.
    private(set) var titles: [String] = []
    /// Old commit → rewritten commit (commits that did not change are absent).
    package var map: [ObjectID: ObjectID] = [:]
    /// Every version of the erased paths met.
    package private(set) var blobs: Set<ObjectID> = []

    package init(repo: Repository, paths: [String], sign: ((String) throws -> String)?) {
        self.repo = repo
        self.paths = paths
        self.sign = sign
    }

    /// Learns the titles to scrub from every version of the erased paths in `commits`' trees.
    package func collectTitles(_ commits: [ObjectID], schema: Schema) throws {
        var found = Set(titles)
        var seen: Set<ObjectID> = []
        for commit in commits {
            let tree = try repo.commitTree(commit)
            for path in paths {
                guard let entry = try repo.treeEntry(tree, path: path), seen.insert(entry.id).inserted else { continue }
                blobs.insert(entry.id)
                guard try repo.blobSize(entry.id) <= RecordParser.maxFileSize,
                      let record = try? RecordParser.parse(data: try repo.readBlob(entry.id), path: path, schema: schema) else { continue }
                let title = record.title(schema: schema).trimmingCharacters(in: .whitespacesAndNewlines)
                guard title.count >= 2 else { continue }
                let line = ErasureNotice.oneLine(title)
                // kbm's commit messages cut long titles to 57 characters and "…".
                found.formUnion([title, line, String(line.prefix(57))])
            }
        }
        titles = found.sorted { $0.count > $1.count }
    }

    package func scrub(_ message: String) -> String {
        titles.reduce(message) { $0.replacingOccurrences(of: $1, with: ErasureNotice.placeholder) }
    }

    /// `tree` without the erased paths.
    package func erasedTree(_ tree: ObjectID) throws -> ObjectID {
        var removals: [String] = []
        for path in paths {
            if let entry = try repo.treeEntry(tree, path: path) {
                removals.append(path)
                blobs.insert(entry.id)
            }
        }
        return removals.isEmpty ? tree : try repo.updateTree(base: tree, upserts: [:], removals: removals)
    }

    /// Rewrites one commit whose parents were handled before; returns its new id (or itself).
    @discardableResult
    package func rewrite(_ commit: ObjectID) throws -> ObjectID {
        if let done = map[commit] { return done }
        let info = try repo.commitInfo(commit)
        let parents = info.parents.map { map[$0] ?? $0 }
        let tree = try erasedTree(info.tree)
        guard parents != info.parents || tree != info.tree else { return commit }
        let new = try repo.createCommit(tree: tree, parents: parents, author: info.author, committer: info.committer,
                                        message: scrub(info.message), sign: sign)
        map[commit] = new
        return new
    }

    /// Why `new` is not `old` with the erased paths removed, or nil if it is: the same author,
    /// committer, parents (as rewritten) and message (but for `[erased]` lines), and the same
    /// tree but for the erased paths.
    package func mismatch(old: ObjectID, new: ObjectID) throws -> String? {
        let before = try repo.commitInfo(old)
        let after: CommitInfo
        do { after = try repo.commitInfo(new) } catch { return "its rewritten commit \(new.short) is not in the region's history" }
        if after.tree != (try erasedTree(before.tree)) { return "it changes more than the erased paths" }
        if after.parents != before.parents.map({ map[$0] ?? $0 }) { return "its parents are not the rewritten parents" }
        if after.author != before.author || after.committer != before.committer { return "its author or committer changed" }
        let oldLines = before.message.split(separator: "\n", omittingEmptySubsequences: false)
        let newLines = after.message.split(separator: "\n", omittingEmptySubsequences: false)
        guard oldLines.count == newLines.count,
              zip(oldLines, newLines).allSatisfy({ $0 == $1 || $1.contains(ErasureNotice.placeholder) }) else {
            return "its message changed beyond the erased title"
        }
        return nil
    }
}

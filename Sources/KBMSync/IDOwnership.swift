import Foundation
import KBMGit
import KBMRecords
import KBMStore

/// Record ids that several files claim: the same id in the folders of two counties (or two
/// kinds), each file consistent with its own path. Ids are never reused, so one of them copied
/// the other's id. Which one owns the id is fixed by history, not by the order files are
/// imported in, so every workspace (an old one, a fresh clone, one after `kbm rebuild`) keeps
/// the same record and quarantines the others.
///
/// Finding the claims costs a dictionary over the files of one import; only the rare contested
/// ids are looked up in history.
package struct IDClaims {
    /// The paths claiming each id that more than one path claims.
    private(set) var contested: [RecordID: Set<String>] = [:]

    package init() {}

    /// The ids that more than one of these (id, path) pairs claim.
    package init<S: Sequence>(_ claims: S) where S.Element == (RecordID, String) {
        var first: [RecordID: String] = [:]
        for (id, path) in claims {
            if let other = first[id] {
                if other != path { contested[id, default: [other]].insert(path) }
            } else {
                first[id] = path
            }
        }
    }

    package func isContested(_ id: RecordID) -> Bool { contested[id] != nil }

    package mutating func contest(_ id: RecordID, _ paths: String...) {
        contested[id, default: []].formUnion(paths)
    }
}

/// The file that owns a contested id.
package struct IDOwner: Equatable {
    package var path: String
    package var county: County
    package var kind: String
    /// The oldest commit (in the history's order) whose tree holds the file.
    package var commit: ObjectID

    /// Why another file claiming the id is not imported.
    package func reason(for id: RecordID) -> String {
        "id \(id) is already used by the \(kind) of \(county), which owns it: its file is the first in the history with this id (commit \(commit.short))"
    }
}

package extension SyncEngine {
    /// The owner of each contested id among the paths claiming it (all in the tree of `head`).
    ///
    /// For each path, one walk of the history (oldest first, parents before children) finds the
    /// first commit whose tree holds it. A path whose first commit is an ancestor of the others'
    /// owns the id. Files first added together in one commit are ordered by path. Files first
    /// added in unrelated commits (only a deliberate copy built on an old parent does that) are
    /// ordered by `tieKey`, a hash of the id and the county: the same in every workspace, and
    /// nothing the copier controls (not the commit, whose id could be ground) decides it.
    package func owners(of contested: [RecordID: Set<String>], head: ObjectID) throws -> [RecordID: IDOwner] {
        guard !contested.isEmpty else { return [:] }
        var pending = Set(contested.values.joined())
        var first: [String: ObjectID] = [:]
        var lastTree: ObjectID?
        for commit in try repo.commits(from: head) where !pending.isEmpty {
            let tree = try repo.commitTree(commit)
            if tree == lastTree { continue }
            lastTree = tree
            for path in pending where try repo.treeEntry(tree, path: path) != nil {
                first[path] = commit
            }
            pending.subtract(first.keys)
        }
        var out: [RecordID: IDOwner] = [:]
        for (id, paths) in contested {
            let candidates = paths.sorted()
            var earliest: [String] = []
            for p in candidates {
                let commit = first[p] ?? head
                var later = false
                for q in candidates where q != p {
                    let other = first[q] ?? head
                    if other != commit, try repo.isAncestor(other, of: commit) { later = true; break }
                }
                if !later { earliest.append(p) }
            }
            let together = Set(earliest.map { first[$0] ?? head }).count == 1
            let chosen = earliest.min { a, b in
                if together { return a < b }
                let ka = Self.tieKey(id, path: a), kb = Self.tieKey(id, path: b)
                return ka != kb ? ka < kb : a < b
            }
            guard let chosen, let claim = RecordLayout.parse(path: chosen, schema: schema) else { continue }
            out[id] = IDOwner(path: chosen, county: claim.county, kind: claim.kind, commit: first[chosen] ?? head)
        }
        return out
    }

    /// FNV-1a of the id and the county of `path`: orders files with the same id added concurrently.
    package static func tieKey(_ id: RecordID, path: String) -> UInt64 {
        let county = RecordLayout.parse(path: path)?.county.rawValue ?? path
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(id.rawValue) \(county)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

package extension SyncEngine {
    /// The last step of an import: for each contested id, imports the owner's file (`importChange`
    /// with its index in `changes` when it changed, else straight from the tree) and quarantines
    /// the other files, naming the owner. A record of a losing file that the store already holds
    /// (imported before the owner's file arrived) gives way.
    package func settleContestedIDs(_ claims: IDClaims, changes: [String: Int], head: ObjectID, newTree: ObjectID, tx: StoreTransaction,
                            now: String, importChange: (Int) throws -> Void) throws {
        guard !claims.contested.isEmpty else { return }
        var contested = claims.contested
        // The file of the record the store holds takes part too, while the tree still has it.
        for id in contested.keys {
            guard let existing = try tx.record(id) else { continue }
            let path = RecordLayout.path(of: existing, schema: schema)
            if try repo.treeEntry(newTree, path: path) != nil { contested[id, default: []].insert(path) }
        }
        let owners = try owners(of: contested, head: head)
        for (id, paths) in contested.sorted(by: { $0.key < $1.key }) {
            guard let owner = owners[id] else { continue }
            for path in paths.sorted() where path != owner.path {
                try tx.putInQuarantine(QuarantineEntry(path: path, commit: head.hex, reason: owner.reason(for: id), line: nil, detected: now))
            }
            if let existing = try tx.record(id), existing.county != owner.county || existing.kind != owner.kind {
                try tx.delete(id, pending: false)
            }
            if let index = changes[owner.path] {
                try importChange(index)
            } else if try tx.record(id) == nil, let entry = try repo.treeEntry(newTree, path: owner.path) {
                // The owner's file did not change, but the store held a loser's record in its place.
                do {
                    let record = try parse(entry, path: owner.path)
                    guard record.id == id, record.county == owner.county, record.kind == owner.kind else { continue }
                    try tx.save(record, dirty: false, keepLocalFields: true)
                    try tx.releaseFromQuarantine(owner.path)
                } catch let error as RecordParseError {
                    try tx.putInQuarantine(QuarantineEntry(path: owner.path, commit: head.hex, reason: error.description, line: error.line, detected: now))
                }
            }
        }
    }
}

package extension SyncEngine {
    /// After this workspace committed the deletion of these records: copies of their ids held in
    /// quarantine are settled as an import of the deletion settles them elsewhere (the deleting
    /// workspace imports no change for its own deletion).
    package func reconsiderQuarantinedCopies(of ids: [RecordID], head: ObjectID, tx: StoreTransaction) throws {
        guard !ids.isEmpty else { return }
        let tree = try repo.commitTree(head)
        var claims = IDClaims()
        for id in ids where try tx.record(id) == nil {
            for copy in try tx.quarantinedPaths(claiming: id) where try repo.treeEntry(tree, path: copy) != nil {
                claims.contest(id, copy)
            }
        }
        try settleContestedIDs(claims, changes: [:], head: head, newTree: tree, tx: tx, now: environment.timestamp().rawValue, importChange: { _ in })
    }
}

/// A path that differs between two trees.
public struct TreeChange: Hashable, Sendable {
    /// The entry before, nil if the path was added.
    public let old: TreeEntry?
    /// The entry after, nil if the path was deleted.
    public let new: TreeEntry?

    /// The path as git stores it (bytes).
    public var pathBytes: [UInt8] { (new ?? old)?.pathBytes ?? [] }
    /// The path decoded as UTF-8.
    public var path: String { String(decoding: pathBytes, as: UTF8.self) }
}

extension Repository {
    /// The file-level differences between two trees (nil = empty tree), sorted by path bytes.
    ///
    /// Walks both trees side by side and skips subtrees with equal ids, so the cost grows with
    /// the size of the change, not of the tree. A content or mode change is one change with
    /// both entries; a file replaced by a folder (or the reverse) is a deletion plus additions.
    /// Throws `GitError` if a tree is missing.
    public func diffTrees(_ old: ObjectID?, _ new: ObjectID?) throws -> [TreeChange] {
        var changes: [TreeChange] = []
        try diffLevel(old, new, prefix: [], into: &changes)
        changes.sort { $0.pathBytes.lexicographicallyPrecedes($1.pathBytes) }
        return changes
    }

    private func diffLevel(_ old: ObjectID?, _ new: ObjectID?, prefix: [UInt8], into changes: inout [TreeChange]) throws {
        if old == new { return }
        let oldEntries = try old.map(levelEntries(of:)) ?? []
        let newEntries = try new.map(levelEntries(of:)) ?? []
        // Both lists are in git's tree order, so a merge join pairs equal names of equal kind.
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < oldEntries.count || newIndex < newEntries.count {
            let before = oldIndex < oldEntries.count ? oldEntries[oldIndex] : nil
            let after = newIndex < newEntries.count ? newEntries[newIndex] : nil
            if let before, let after, before.sortKey == after.sortKey {
                oldIndex += 1
                newIndex += 1
                if before.id == after.id && before.mode == after.mode { continue }
                if before.mode == .tree {
                    try diffLevel(before.id, after.id, prefix: joinPath(prefix, before.name), into: &changes)
                } else {
                    changes.append(TreeChange(old: before.entry(under: prefix), new: after.entry(under: prefix)))
                }
            } else if let before, after.map({ before.sortKey.lexicographicallyPrecedes($0.sortKey) }) ?? true {
                oldIndex += 1
                try record(before, prefix: prefix, added: false, into: &changes)
            } else if let after {
                newIndex += 1
                try record(after, prefix: prefix, added: true, into: &changes)
            }
        }
    }

    /// Records an entry present on one side only (every file below it, for a folder).
    private func record(_ entry: TreeLevelEntry, prefix: [UInt8], added: Bool, into changes: inout [TreeChange]) throws {
        var entries: [TreeEntry] = []
        if entry.mode == .tree {
            try collectEntries(of: entry.id, prefix: joinPath(prefix, entry.name), into: &entries)
        } else {
            entries = [entry.entry(under: prefix)]
        }
        changes += entries.map { added ? TreeChange(old: nil, new: $0) : TreeChange(old: $0, new: nil) }
    }
}

import CLibgit2
import Foundation

/// The mode of a tree entry, as git records it.
public enum FileMode: Hashable, Sendable {
    case regular      // 100644
    case executable   // 100755
    case symlink      // 120000
    case submodule    // 160000 (gitlink: a commit id, not a blob)
    case tree         // 040000
    case unknown(UInt32)

    init(rawValue: UInt32) {
        switch rawValue {
        case GIT_FILEMODE_BLOB.rawValue: self = .regular
        case GIT_FILEMODE_BLOB_EXECUTABLE.rawValue: self = .executable
        case GIT_FILEMODE_LINK.rawValue: self = .symlink
        case GIT_FILEMODE_COMMIT.rawValue: self = .submodule
        case GIT_FILEMODE_TREE.rawValue: self = .tree
        default: self = .unknown(rawValue)
        }
    }

    /// The octal mode git writes, e.g. 0o100644.
    public var rawValue: UInt32 {
        switch self {
        case .regular: return GIT_FILEMODE_BLOB.rawValue
        case .executable: return GIT_FILEMODE_BLOB_EXECUTABLE.rawValue
        case .symlink: return GIT_FILEMODE_LINK.rawValue
        case .submodule: return GIT_FILEMODE_COMMIT.rawValue
        case .tree: return GIT_FILEMODE_TREE.rawValue
        case .unknown(let raw): return raw
        }
    }
}

/// One entry of a tree, with its full path from the root tree.
public struct TreeEntry: Hashable, Sendable {
    /// The path as git stores it: bytes, `/`-separated. May be invalid UTF-8 or hold control characters.
    public let pathBytes: [UInt8]
    /// The object: a blob for files and symlinks, a commit for submodules, a tree for `.tree`.
    public let id: ObjectID
    public let mode: FileMode

    public init(pathBytes: [UInt8], id: ObjectID, mode: FileMode) {
        self.pathBytes = pathBytes
        self.id = id
        self.mode = mode
    }

    /// `pathBytes` decoded as UTF-8 (invalid sequences become U+FFFD).
    public var path: String { String(decoding: pathBytes, as: UTF8.self) }
}

let slash = UInt8(ascii: "/")

/// One level of a tree, copied out of libgit2.
struct TreeLevelEntry {
    let name: [UInt8]
    let id: ObjectID
    let mode: FileMode

    /// Git's sort key: a tree's name sorts as if it ended in "/".
    var sortKey: [UInt8] { mode == .tree ? name + [slash] : name }

    func entry(under prefix: [UInt8]) -> TreeEntry {
        TreeEntry(pathBytes: joinPath(prefix, name), id: id, mode: mode)
    }
}

func joinPath(_ prefix: [UInt8], _ name: [UInt8]) -> [UInt8] {
    prefix.isEmpty ? name : prefix + [slash] + name
}

extension Repository {
    /// Builds a tree from `base` (nil = empty tree) with `upserts` (path → blob, regular file mode)
    /// written and `removals` deleted, and returns its id. Intermediate trees are created as
    /// needed; a folder whose last file is removed disappears. Removing a missing path does
    /// nothing. Throws `GitError` for an invalid path, a path both upserted and removed, or a
    /// file/folder clash (e.g. upserting `a/b` when `a` is a file).
    public func updateTree(base: ObjectID?, upserts: [String: ObjectID], removals: [String]) throws -> ObjectID {
        let operation = "updating tree \(base?.short ?? "(empty)")"
        let baseTree = try base.map { try lookupTree($0) }
        for path in Array(upserts.keys) + removals where !isValidTreePath(path) {
            throw GitError(operation: operation, code: GIT_EINVALIDSPEC.rawValue, message: "invalid path '\(path)'")
        }
        let removed = Set(removals)
        if let path = removed.first(where: { upserts[$0] != nil }) {
            throw GitError(operation: operation, code: GIT_EINVALID.rawValue,
                           message: "path '\(path)' is both written and removed")
        }
        // libgit2 fails on removing an absent entry (and would leave an empty folder behind for
        // a missing parent), so drop removals that are not in the base tree.
        let existingRemovals = try removed.filter { path in
            guard let baseTree else { return false }
            return try entry(in: baseTree, path: path) != nil
        }
        if let base, upserts.isEmpty, existingRemovals.isEmpty { return base }

        // libgit2 reads the paths during the call only; the copies are freed afterwards.
        var paths: [UnsafeMutablePointer<CChar>?] = []
        defer { paths.forEach { free($0) } }
        func update(_ action: git_tree_update_t, _ path: String, _ id: git_oid, _ mode: git_filemode_t) -> git_tree_update {
            let copy = strdup(path)
            paths.append(copy)
            return git_tree_update(action: action, id: id, filemode: mode, path: UnsafePointer(copy))
        }
        let updates = upserts.map { update(GIT_TREE_UPDATE_UPSERT, $0.key, $0.value.oid, GIT_FILEMODE_BLOB) }
            + existingRemovals.map { update(GIT_TREE_UPDATE_REMOVE, $0, git_oid(), GIT_FILEMODE_UNREADABLE) }
        var out = git_oid()
        let code = withExtendedLifetime(baseTree) {
            git_tree_create_updated(&out, pointer, baseTree?.pointer, updates.count, updates)
        }
        try check(code, operation)
        return ObjectID(out)
    }

    /// Every file-like entry (blobs, symlinks, submodules) of `tree`, recursively, in git's order.
    /// Folders themselves are not listed. Throws `GitError` if a tree is missing.
    public func treeEntries(_ tree: ObjectID) throws -> [TreeEntry] {
        var result: [TreeEntry] = []
        try collectEntries(of: tree, prefix: [], into: &result)
        return result
    }

    /// The entry at `path` (`a/b.txt`) in `tree`, or nil if there is none. A folder is returned
    /// with mode `.tree`.
    public func treeEntry(_ tree: ObjectID, path: String) throws -> TreeEntry? {
        guard isValidTreePath(path) else { return nil }
        return try entry(in: lookupTree(tree), path: path)
    }

    // MARK: - Internals

    func entry(in tree: Handle, path: String) throws -> TreeEntry? {
        var out: OpaquePointer?
        let code = tree.use { git_tree_entry_bypath(&out, $0, path) }
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "looking up '\(path)' in a tree")
        guard let out else { return nil }
        let owned = Handle(out, free: git_tree_entry_free)
        return owned.use { entry in
            let level = levelEntry(entry)
            return TreeEntry(pathBytes: Array(path.utf8), id: level.id, mode: level.mode)
        }
    }

    /// The entries of one tree level, copied out before the tree is freed.
    func levelEntries(of id: ObjectID) throws -> [TreeLevelEntry] {
        let tree = try lookupTree(id)
        return tree.use { tree in
            (0..<git_tree_entrycount(tree)).compactMap { index in
                git_tree_entry_byindex(tree, index).map(levelEntry)
            }
        }
    }

    func collectEntries(of tree: ObjectID, prefix: [UInt8], into result: inout [TreeEntry]) throws {
        for entry in try levelEntries(of: tree) {
            if entry.mode == .tree {
                try collectEntries(of: entry.id, prefix: joinPath(prefix, entry.name), into: &result)
            } else {
                result.append(entry.entry(under: prefix))
            }
        }
    }
}

private func levelEntry(_ entry: OpaquePointer) -> TreeLevelEntry {
    let name = git_tree_entry_name(entry).map(bytes(of:)) ?? []
    let id = git_tree_entry_id(entry).map { ObjectID($0.pointee) }
    // git_tree_entry_id never returns NULL for an entry from a parsed tree.
    precondition(id != nil, "tree entry without id")
    return TreeLevelEntry(name: name, id: id ?? ObjectID(git_oid()),
                          mode: FileMode(rawValue: git_tree_entry_filemode(entry).rawValue))
}

/// A relative path with non-empty components, none of them "." or "..".
private func isValidTreePath(_ path: String) -> Bool {
    let components = path.split(separator: "/", omittingEmptySubsequences: false)
    return !components.isEmpty && components.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\0") }
}

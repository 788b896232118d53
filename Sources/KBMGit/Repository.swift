import CLibgit2
import Foundation

/// A bare git repository opened through libgit2. kbm never uses a working directory: it writes
/// blobs, builds trees and commits directly, and moves references itself.
///
/// Not thread-safe: use one `Repository` from one thread (or task) at a time.
public final class Repository {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { git_repository_free(pointer) }

    /// Creates a bare repository at `path` (creating directories as needed) whose HEAD points to
    /// the unborn branch `refs/heads/main`. Opens the repository if one already exists there.
    /// Throws `GitError` if the path cannot be created or is not a repository.
    public static func initBare(at path: String) throws -> Repository {
        try ensureLibgit2()
        var options = git_repository_init_options()
        try check(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
                  "preparing to create a repository")
        options.flags = GIT_REPOSITORY_INIT_BARE.rawValue | GIT_REPOSITORY_INIT_MKPATH.rawValue
        var out: OpaquePointer?
        let code = "main".withCString { head in
            options.initial_head = head
            return git_repository_init_ext(&out, path, &options)
        }
        try check(code, "creating a bare repository at \(path)")
        guard let out else {
            throw GitError(operation: "creating a bare repository at \(path)", code: GIT_ERROR.rawValue,
                           message: "libgit2 returned no repository")
        }
        return Repository(out)
    }

    /// Opens the repository at `path` (a bare repository directory or a `.git` directory).
    /// Throws `GitError` (`isNotFound`) if there is no repository there.
    public static func open(at path: String) throws -> Repository {
        try ensureLibgit2()
        var out: OpaquePointer?
        try check(git_repository_open_ext(&out, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                  "opening the repository at \(path)")
        guard let out else {
            throw GitError(operation: "opening the repository at \(path)", code: GIT_ERROR.rawValue,
                           message: "libgit2 returned no repository")
        }
        return Repository(out)
    }

    /// The repository's git directory, with a trailing slash.
    public var path: String {
        git_repository_path(pointer).map { String(cString: $0) } ?? ""
    }

    /// Whether the repository is bare (kbm's own repositories always are).
    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    // MARK: - Lookups shared by the concept files

    func lookupTree(_ id: ObjectID) throws -> Handle {
        var oid = id.oid
        return try Handle.make("looking up tree \(id)", free: git_tree_free) {
            git_tree_lookup($0, pointer, &oid)
        }
    }

    func lookupCommit(_ id: ObjectID) throws -> Handle {
        var oid = id.oid
        return try Handle.make("looking up commit \(id)", free: git_commit_free) {
            git_commit_lookup($0, pointer, &oid)
        }
    }

    func objectDatabase() throws -> Handle {
        try Handle.make("opening the object database", free: git_odb_free) {
            git_repository_odb($0, pointer)
        }
    }
}

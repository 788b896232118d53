import CLibgit2
import Foundation

/// Who made a commit and when.
public struct Signature: Hashable, Sendable {
    public var name: String
    public var email: String
    /// Seconds since 1970-01-01 UTC.
    public var time: Int64
    /// The author's offset from UTC in minutes (e.g. 60 for +0100).
    public var timeZoneOffsetMinutes: Int

    public init(name: String, email: String, time: Int64, timeZoneOffsetMinutes: Int = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
    }

    /// A signature at `date` (default: now) in `timeZone` (default: the current one).
    public init(name: String, email: String, date: Date = Date(), timeZone: TimeZone = .current) {
        self.init(name: name, email: email, time: Int64(date.timeIntervalSince1970.rounded(.down)),
                  timeZoneOffsetMinutes: timeZone.secondsFromGMT(for: date) / 60)
    }

    /// `time` as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(time)) }

    init(_ signature: UnsafePointer<git_signature>) {
        let value = signature.pointee
        self.init(name: value.name.map { String(cString: $0) } ?? "",
                  email: value.email.map { String(cString: $0) } ?? "",
                  time: Int64(value.when.time), timeZoneOffsetMinutes: Int(value.when.offset))
    }

    /// A libgit2 copy, freed with the handle. Throws if name or email is empty or holds '<' '>'.
    func handle() throws -> Handle {
        let operation = "preparing the signature of \(name) <\(email)>"
        var out: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&out, name, email, git_time_t(time), Int32(timeZoneOffsetMinutes)), operation)
        guard let out else {
            throw GitError(operation: operation, code: GIT_ERROR.rawValue, message: "libgit2 returned no signature")
        }
        return Handle(OpaquePointer(out), free: git_signature_free_opaque)
    }
}

/// `git_signature` is a plain struct, so it imports as a typed pointer, not an `OpaquePointer`.
private let git_signature_free_opaque: @convention(c) (OpaquePointer?) -> Void = { signature in
    git_signature_free(UnsafeMutablePointer(signature))
}

/// Everything kbm reads from a commit, copied out of libgit2.
public struct CommitInfo: Hashable, Sendable {
    public let id: ObjectID
    public let tree: ObjectID
    /// First parent first.
    public let parents: [ObjectID]
    public let author: Signature
    public let committer: Signature
    /// The message (leading blank lines removed by libgit2).
    public let message: String
    /// The `gpgsig` header's content (an armored signature), nil for an unsigned commit.
    public let signature: String?
    /// The exact bytes the signature covers (the commit without its `gpgsig` header).
    public let signedPayload: String?
}

extension Repository {
    /// The root tree of commit `commit`. Throws `GitError` (`isNotFound`) if it is missing.
    public func commitTree(_ commit: ObjectID) throws -> ObjectID {
        try lookupCommit(commit).use { commit in
            guard let tree = git_commit_tree_id(commit) else {
                throw GitError(operation: "reading the tree of a commit", code: GIT_ERROR.rawValue, message: "commit has no tree")
            }
            return ObjectID(tree.pointee)
        }
    }

    /// Reads commit `id`. Throws `GitError` (`isNotFound`) if it is missing or not a commit.
    public func commitInfo(_ id: ObjectID) throws -> CommitInfo {
        let commit = try lookupCommit(id)
        let (tree, parents, author, committer, message) = try commit.use { commit in
            guard let tree = git_commit_tree_id(commit), let author = git_commit_author(commit),
                  let committer = git_commit_committer(commit) else {
                throw GitError(operation: "reading commit \(id)", code: GIT_ERROR.rawValue, message: "malformed commit")
            }
            let parents = (0..<git_commit_parentcount(commit)).compactMap { index in
                git_commit_parent_id(commit, index).map { ObjectID($0.pointee) }
            }
            let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
            return (ObjectID(tree.pointee), parents, Signature(author), Signature(committer), message)
        }
        let (signature, payload) = try extractSignature(id)
        return CommitInfo(id: id, tree: tree, parents: parents, author: author, committer: committer,
                          message: message, signature: signature, signedPayload: payload)
    }

    /// Writes a commit object and returns its id. No reference moves: use `setReference`.
    ///
    /// If `sign` is given it receives the commit's text and returns an armored signature, which
    /// is stored in the `gpgsig` header. Throws `GitError` if the tree or a parent is missing or
    /// a signature is invalid, and rethrows `sign`'s errors.
    public func createCommit(tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature,
                             message: String, sign: ((String) throws -> String)? = nil) throws -> ObjectID {
        let treeHandle = try lookupTree(tree)
        let parentHandles = try parents.map { try lookupCommit($0) }
        let authorHandle = try author.handle()
        let committerHandle = try committer.handle()
        let authorPointer = UnsafePointer<git_signature>(authorHandle.pointer)
        let committerPointer = UnsafePointer<git_signature>(committerHandle.pointer)
        var parentPointers: [OpaquePointer?] = parentHandles.map(\.pointer)

        return try withExtendedLifetime((treeHandle, parentHandles, authorHandle, committerHandle)) {
            guard let sign else {
                var out = git_oid()
                try check(git_commit_create(&out, pointer, nil, authorPointer, committerPointer, nil, message,
                                            treeHandle.pointer, parentPointers.count, &parentPointers),
                          "creating a commit of tree \(tree)")
                return ObjectID(out)
            }
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            try check(git_commit_create_buffer(&buffer, pointer, authorPointer, committerPointer, nil, message,
                                               treeHandle.pointer, parentPointers.count, &parentPointers),
                      "preparing a commit of tree \(tree)")
            let content = buffer.ptr.map { String(cString: $0) } ?? ""
            var signature = try sign(content)
            // libgit2 indents every line after a newline; a trailing newline would add a blank
            // continuation line that git itself never writes.
            while signature.hasSuffix("\n") { signature.removeLast() }
            var out = git_oid()
            try check(git_commit_create_with_signature(&out, pointer, content, signature, nil),
                      "writing a signed commit of tree \(tree)")
            return ObjectID(out)
        }
    }

    private func extractSignature(_ id: ObjectID) throws -> (String?, String?) {
        var oid = id.oid
        var signature = git_buf()
        var payload = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&payload)
        }
        let code = git_commit_extract_signature(&signature, &payload, pointer, &oid, nil)
        if code == GIT_ENOTFOUND.rawValue { return (nil, nil) }
        try check(code, "reading the signature of commit \(id)")
        return (signature.ptr.map { String(cString: $0) }, payload.ptr.map { String(cString: $0) })
    }
}

import CLibgit2

/// What a reference must currently be for `setReference` to move it.
public enum ReferenceExpectation: Hashable, Sendable {
    /// Overwrite whatever is there (or create it).
    case any
    /// The reference must not exist yet.
    case absent
    /// The reference must currently point to this commit (compare-and-swap).
    case pointsTo(ObjectID)
}

extension Repository {
    /// The object `name` (e.g. `refs/heads/main`, `HEAD`) resolves to, nil if it does not exist
    /// (or is an unborn branch).
    public func reference(_ name: String) throws -> ObjectID? {
        var out = git_oid()
        let code = git_reference_name_to_id(&out, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "reading reference \(name)")
        return ObjectID(out)
    }

    /// Points `name` at `target`, if the reference is currently as `expecting` says.
    ///
    /// Throws `GitError` with `isConflict` when the expectation does not hold (the reference
    /// exists, is missing, points elsewhere or is locked by a concurrent writer), and other
    /// `GitError`s for invalid names or I/O failures.
    public func setReference(_ name: String, to target: ObjectID, expecting: ReferenceExpectation = .any,
                             message: String) throws {
        var oid = target.oid
        let operation = "setting \(name) to \(target.short)"
        var out: OpaquePointer?
        let code: Int32
        switch expecting {
        case .any:
            code = git_reference_create(&out, pointer, name, &oid, 1, message)
        case .absent:
            code = git_reference_create(&out, pointer, name, &oid, 0, message)
        case .pointsTo(let expected):
            var current = expected.oid
            code = git_reference_create_matching(&out, pointer, name, &oid, 1, &current, message)
            // libgit2 compares under the reference's lock and reports a missing reference as
            // "not found"; for a compare-and-swap that is a conflict like any other mismatch.
            if code == GIT_ENOTFOUND.rawValue, try reference(name) == nil {
                throw GitError(operation: operation, code: GIT_EMODIFIED.rawValue,
                               message: "reference \(name) does not exist; expected \(expected.short)")
            }
        }
        try check(code, operation)
        if let out { git_reference_free(out) }
    }

    /// Deletes reference `name`; does nothing if it does not exist.
    public func deleteReference(_ name: String) throws {
        var out: OpaquePointer?
        let code = git_reference_lookup(&out, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return }
        try check(code, "looking up reference \(name)")
        guard let out else { return }
        let reference = Handle(out, free: git_reference_free)
        _ = try reference.use { try check(git_reference_delete($0), "deleting reference \(name)") }
    }

    /// Names of all references starting with `prefix` (e.g. `refs/heads/`), sorted.
    public func referenceNames(prefix: String = "refs/") throws -> [String] {
        var names = git_strarray()
        defer { git_strarray_dispose(&names) }
        try check(git_reference_list(&names, pointer), "listing references")
        let all = (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }
        return all.filter { $0.hasPrefix(prefix) }.sorted()
    }
}

import KBMRecords

/// Where one side of a merge comes from: the office, the person and the commit.
public struct MergeSide: Hashable, Sendable {
    public var county: String
    public var author: String
    public var commit: String

    public init(county: String, author: String, commit: String) {
        self.county = county
        self.author = author
        self.commit = commit
    }
}

/// How a record merge went. Informational; the record and the conflicts are the result.
public enum MergeStatus: Hashable, Sendable {
    /// Both sides are the same (or both absent): nothing to do.
    case same
    /// The result is `ours` unchanged (theirs changed nothing).
    case keptOurs
    /// The result is `theirs` unchanged (ours changed nothing).
    case tookTheirs
    /// Both sides changed the record and the changes combined without conflict.
    case merged
    /// The merge recorded new conflicts; the record shows provisional values.
    case conflicted
    /// The record is deleted.
    case deleted
}

/// The outcome of merging one record. Conflicts are data, not errors.
public struct MergeResult: Hashable, Sendable {
    /// The merged record, or nil if it is deleted.
    public var record: Record?
    /// The conflicts this merge found (they are also in `record.conflicts`).
    public var conflicts: [FieldConflict]
    public var status: MergeStatus

    public init(record: Record?, conflicts: [FieldConflict] = [], status: MergeStatus) {
        self.record = record
        self.conflicts = conflicts
        self.status = status
    }
}

/// Which value settles a conflict in `RecordMerge.resolve`.
public enum ResolveChoice: Hashable, Sendable {
    /// The value of the conflict's stored `ours` side.
    case ours
    /// The value of the conflict's stored `theirs` side.
    case theirs
    /// A value of the user's own (an empty value clears the field).
    case value(FieldValue)
}

/// The kinds and special field names of conflicts this module writes.
public enum ConflictKind {
    /// Both sides changed one field differently.
    public static let field = "field"
    /// One side deleted the record, the other edited it.
    public static let delete = "delete"
    /// The `field` of a `delete` conflict: the whole record.
    public static let wholeRecord = "*"
}

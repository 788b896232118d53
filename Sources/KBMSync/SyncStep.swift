import Foundation

/// The named steps of a sync, in order. `SyncEnvironment.reached` is called right after each one;
/// the kbm executable kills itself there for `KBM_FAULT=<step>`, so tests can check that the next
/// sync converges from every point.
public enum SyncStep: String, CaseIterable, Sendable {
    /// The commit object of local changes is written, no ref moved yet.
    case commitObject = "commit-object"
    /// refs/heads/main points to the new commit; the store still marks the changes dirty.
    case commitRef = "commit-ref"
    /// The store knows the changes are committed.
    case commitStore = "commit-store"
    /// The remote's commits are fetched.
    case fetch
    /// The merge commit is written, no ref moved yet.
    case mergeObject = "merge-object"
    /// refs/heads/main points to the merge; the store has not imported it.
    case mergeRef = "merge-ref"
    /// The store holds what the other offices changed.
    case importDone = "import"
    /// The push reached the remote; the workspace has not recorded it.
    case push
}

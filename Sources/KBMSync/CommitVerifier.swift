import Foundation
import KBMAuthority
import KBMGit
import KBMRecords
import KBMStore

/// A file held at its last valid version: `valid` is that version's blob (nil: the file did not exist).
package struct Held: Hashable {
    package var valid: ObjectID?
}

/// Why a commit's signer cannot be used (a value, not a failure of kbm).
package struct Refusal: Error {
    package var reason: String
    package init(_ reason: String) { self.reason = reason }
}

/// What this workspace trusts as the root of the office registry (trust on first use).
package struct RegistryPins {
    /// The commit that created the registry, as first seen.
    package var root: String?
    /// The agency's keys, as of the last verified sync.
    package var keys: Set<SSHPublicKey>
    package var isEmpty: Bool { root == nil && keys.isEmpty }
}

/// Checks commits against the office registry of their first parent (see docs/authority.md).
///
/// Walks commits oldest first and keeps, per commit, the files that hold refused content
/// (`taint`): for those, every later check and every tree kbm commits uses the newest valid
/// version instead. Content needs authority only where it is new: a change that keeps or
/// restores the valid version needs none, and a merge needs none for a version that one side's
/// own verified history introduced since the merge base. Taking a side's older version over the
/// other side's change is a change of its own (docs/authority.md, invariants A1–A9).
package final class CommitVerifier {
    package let repo: Repository
    package let schema: Schema
    package let pins: RegistryPins
    /// The files a commit verified in an earlier pass holds (nil: never verified here).
    private let recorded: (ObjectID) throws -> [String: Held]
    private var taints: [ObjectID: [String: Held]] = [:]
    private var registryCache: [ObjectID: OfficeRegistry] = [:]
    /// The refusals found by `check`, one per file.
    package private(set) var rejections: [RejectedChange] = []
    /// The commits checked.
    package private(set) var checked = 0
    private var checkedCommits: [ObjectID] = []

    /// The last verified tip of this workspace (refs/heads/main before a fetch): the parent an
    /// orphan commit is judged against, and the base of a merge of unrelated histories.
    package let anchor: ObjectID?
    /// The commit that created the office registry (pinned, or found on the tip's first-parent
    /// line). Only its ancestors ever run in open mode.
    package let registryRoot: ObjectID?
    private var floorCache: OfficeRegistry?
    private var outsideCache: [ObjectID: Bool] = [:]

    /// The clock for the dates of refusals.
    package let now: @Sendable () -> Date

    /// `recorded` gives the held files of commits verified in earlier passes (see `newlyHeld`).
    package init(repo: Repository, schema: Schema, pins: RegistryPins, anchor: ObjectID? = nil, registryRoot: ObjectID? = nil,
         recorded: @escaping (ObjectID) throws -> [String: Held] = { _ in [:] }, now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
        self.repo = repo
        self.schema = schema
        self.pins = pins
        self.anchor = anchor
        self.registryRoot = registryRoot
        self.recorded = recorded
    }

    /// Checks `commits`, which must be ordered parents first.
    package func check(_ commits: [ObjectID]) throws {
        for commit in commits { try check(commit) }
    }

    /// The files of `commit` that hold refused content, with their last valid version.
    package func taint(of commit: ObjectID) throws -> [String: Held] {
        if let known = taints[commit] { return known }
        // The anchor is this workspace's refs/heads/main: kbm moves it only to a commit that holds
        // nothing (a clean fast-forward, or a merge or healing commit of its own).
        let result = commit == anchor ? [:] : try recorded(commit)
        taints[commit] = result
        return result
    }

    /// The commits checked in this pass that hold files, with those files (to record).
    package var newlyHeld: [ObjectID: [String: Held]] {
        var out: [ObjectID: [String: Held]] = [:]
        for commit in checkedCommits { if let held = taints[commit], !held.isEmpty { out[commit] = held } }
        return out
    }

    /// The office registry in force at `commit`: its files, each at its last valid version.
    package func registry(at commit: ObjectID?) throws -> OfficeRegistry {
        guard let commit else { return OfficeRegistry() }
        if let cached = registryCache[commit] { return cached }
        let registryTaint = try taint(of: commit).filter { OfficeRegistry.contains(path: $0.key) }
        var blobs: [String: ObjectID] = [:]
        if let folder = try repo.treeEntry(repo.commitTree(commit), path: OfficeRegistry.folder), folder.mode == .tree {
            for entry in try repo.treeEntries(folder.id) { blobs[OfficeRegistry.folder + "/" + entry.path] = entry.id }
        }
        for (path, held) in registryTaint { blobs[path] = held.valid }
        let files = try blobs.sorted { $0.key < $1.key }.map { (path: $0.key, data: Array(try repo.readBlob($0.value))) }
        let registry = OfficeRegistry(files: files, schema: schema)
        registryCache[commit] = registry
        return registry
    }

    /// The key that made the commit's signature, or why there is none.
    package func signingKey(_ info: CommitInfo) -> Result<SSHPublicKey, Refusal> {
        guard let armored = info.signature, let payload = info.signedPayload else { return .failure(Refusal("the commit is not signed")) }
        guard let signature = try? SSHSignature(armored: armored) else {
            return .failure(Refusal("the commit's signature is not an Ed25519 SSH signature"))
        }
        guard signature.verifies(Array(payload.utf8)) else { return .failure(Refusal("the signature does not match the commit (altered or forged)")) }
        return .success(signature.publicKey)
    }

    /// The office registry read straight from `commit`'s tree (no refused content can be in the
    /// commit that created the pinned registry: it is the trust root).
    private func registryInTree(_ commit: ObjectID) throws -> OfficeRegistry {
        var files: [(path: String, data: [UInt8])] = []
        if let folder = try repo.treeEntry(repo.commitTree(commit), path: OfficeRegistry.folder), folder.mode == .tree {
            for entry in try repo.treeEntries(folder.id).sorted(by: { $0.path < $1.path }) {
                files.append((path: OfficeRegistry.folder + "/" + entry.path, data: Array(try repo.readBlob(entry.id))))
            }
        }
        return OfficeRegistry(files: files, schema: schema)
    }

    /// The registry that judges a commit whose parents hold none although the region has one:
    /// the last verified tip's, else the pinned root's. Nothing downgrades a region to open mode.
    package func floorRegistry() throws -> OfficeRegistry {
        if let floorCache { return floorCache }
        var floor = OfficeRegistry()
        if let anchor { floor = try registry(at: anchor) }
        if floor.isEmpty, let registryRoot { floor = try registryInTree(registryRoot) }
        floorCache = floor
        return floor
    }

    /// Whether `commit` is outside the history the registry grew from: the registry exists, and
    /// the commit is neither the one that created it nor one of its ancestors. Open mode is only
    /// for that history; a commit built later on a parent from before the registry is not in it.
    private func isOutsideRegistryHistory(_ commit: ObjectID) throws -> Bool {
        guard let registryRoot, commit != registryRoot else { return false }
        if let known = outsideCache[commit] { return known }
        let outside = try !repo.isAncestor(commit, of: registryRoot)
        outsideCache[commit] = outside
        return outside
    }

    /// The registry that judges `commit`: its first parent's (another parent's for a merge whose
    /// first parent has none), else the floor, unless the commit is from before the registry.
    package func judgingRegistry(_ commit: ObjectID, parents: [ObjectID]) throws -> OfficeRegistry {
        let registry = try parentRegistry(parents)
        if registry.isEmpty, try isOutsideRegistryHistory(commit) { return try floorRegistry() }
        return registry
    }

    /// The first parent's registry, or for a merge whose first parent has none, another parent's
    /// (a merge never escapes the rules by picking a parent from before the registry).
    private func parentRegistry(_ parents: [ObjectID]) throws -> OfficeRegistry {
        var registry = OfficeRegistry()
        for parent in parents where registry.isEmpty { registry = try self.registry(at: parent) }
        return registry
    }

    /// The counties a commit's verified signature speaks for; nil where the region has no registry
    /// (open mode), empty when the commit is not validly signed by a listed key.
    package func signerCounties(_ info: CommitInfo) throws -> Set<County>? {
        var registry = try judgingRegistry(info.id, parents: info.parents)
        if registry.isEmpty { registry = try self.registry(at: info.id) }  // the commit that created it
        guard !registry.isEmpty else { return nil }
        guard case .success(let key) = signingKey(info) else { return [] }
        var counties = registry.counties(of: key)
        if pins.keys.contains(key) { counties.insert(.agency) }
        return counties
    }

    /// The merge base of all `parents`; nil when they share no history (then every version a
    /// side holds validly counts as introduced by it, and a side's unrelated history holds nothing
    /// validly unless a signed merge adopted it).
    private func mergeBase(of parents: [ObjectID]) throws -> ObjectID? {
        guard var base = parents.first else { return nil }
        for parent in parents.dropFirst() {
            guard let next = try repo.mergeBase(base, parent) else { return nil }
            base = next
        }
        return base
    }

    private func check(_ commit: ObjectID) throws {
        checked += 1
        checkedCommits.append(commit)
        let info = try repo.commitInfo(commit)
        var parents = info.parents
        // A commit without parents that is not the region's own first history (an orphan
        // force-push): judged as a change of the last verified tip, so copied files need nothing
        // and planted or missing ones need authority.
        let orphan = try parents.isEmpty && anchor != nil && registryRoot != nil && isOutsideRegistryHistory(commit)
        if orphan, let anchor { parents = [anchor] }
        let parentTaints = try parents.map { try taint(of: $0) }
        var held = parentTaints.first ?? [:]
        defer { taints[commit] = held }
        // Whatever the checks below report (they judge an orphan from this workspace's tip, to say
        // what it planted or changed), an unrelated history holds nothing validly: every office
        // judges it alike, not from its own, maybe older, tip, and takes its content in only
        // through a merge signed with authority over each file.
        let orphanFiles = orphan ? try repo.diffTrees(nil, info.tree).map(\.path) : []
        defer { for path in orphanFiles { held[path] = Held(valid: nil) } }
        let parentTrees = try parents.map { try repo.commitTree($0) }
        let changes = try repo.diffTrees(parentTrees.first, info.tree)
        // Every path where the result differs from some parent: a merge answers for what it
        // takes from each side, also where it keeps the first parent's version.
        var fromFirst: [String: TreeChange] = [:]
        for change in changes { fromFirst[change.path] = change }
        var paths = Set(fromFirst.keys)
        for tree in parentTrees.dropFirst() {
            for change in try repo.diffTrees(tree, info.tree) { paths.insert(change.path) }
        }
        guard !paths.isEmpty else { return }
        let registry = try parentRegistry(parents)
        if registry.isEmpty, try isOutsideRegistryHistory(commit) {
            // Side history built on commits from before the registry (open mode) but not part of
            // the history the registry grew from: its content counts only where a merge signed by
            // someone with authority over the path takes it in. Held, not refused: it may be an
            // office's offline work from before the registry, which its next signed merge brings.
            for path in paths {
                if let change = fromFirst[path] { held[path] = parentTaints.first?[path] ?? Held(valid: change.old?.id) }
            }
            return
        }
        let key = signingKey(info)

        // Open mode: nothing is checked, except the creation of the registry (the trust root).
        if registry.isEmpty {
            for path in paths { held[path] = nil }
            guard changes.contains(where: { OfficeRegistry.contains(path: $0.path) }) else { return }
            let created = try OfficeRegistry(files: changes.compactMap { change in
                guard let new = change.new, OfficeRegistry.contains(path: change.path) else { return nil }
                return (path: change.path, data: Array(try repo.readBlob(new.id)))
            }, schema: schema)
            var refusal: String?
            switch key {
            case .failure(let failure): refusal = failure.reason
            case .success(let key):
                if pins.root == commit.hex || pins.keys.contains(key) { break }
                if pins.isEmpty {
                    // Trust on first use: a registry whose agency entry lists the key that created it.
                    if !created.agencyKeys.contains(key) { refusal = "the office registry must be created by a key it lists for \(County.agency)" }
                } else {
                    refusal = "this workspace trusts another office registry (pinned at commit \(pins.root.map { String($0.prefix(10)) } ?? "?")); this one was created by a key it does not know"
                }
            }
            guard let refusal else { return }
            for change in changes where OfficeRegistry.contains(path: change.path) {
                reject(info, change.path, new: change.new?.id, valid: Held(valid: change.old?.id), signer: nil, reason: refusal)
                held[change.path] = Held(valid: change.old?.id)
            }
            return
        }

        let signerResult: Result<Signer, Refusal> = key.flatMap { key in
            var counties = registry.counties(of: key)
            if pins.keys.contains(key) { counties.insert(.agency) }
            guard !counties.isEmpty else { return .failure(Refusal("signed by a key the office registry does not list (\(key.fingerprint))")) }
            let mayEditRegistry = registry.agencyKeys.contains(key) || pins.keys.contains(key)
            return .success(Signer(key: key, counties: counties, coordinator: registry.coordinator(of: key), mayEditRegistry: mayEditRegistry))
        }
        // Records deleted in this commit, by id: a record moved to another folder is judged by its old owners.
        var deleted: [RecordID: Record] = [:]
        for change in changes where change.new == nil {
            if case .record(let record) = try version(change.old?.id, path: change.path) { deleted[record.id] = record }
        }
        // For a merge: the versions both sides started from, at their last valid version.
        let isMerge = parents.count > 1
        let base = isMerge ? try mergeBase(of: parents) : nil
        let baseTree = try base.map { try repo.commitTree($0) }
        let baseTaint = try base.map { try taint(of: $0) } ?? [:]

        for path in paths.sorted() {
            let new: ObjectID?
            if let change = fromFirst[path] { new = change.new?.id } else { new = try repo.treeEntry(info.tree, path: path)?.id }
            // The version each parent validly holds, and what it actually holds.
            var valid: [ObjectID?] = [], actual: [ObjectID?] = []
            for (index, tree) in parentTrees.enumerated() {
                let here: ObjectID?
                if index == 0, let change = fromFirst[path] { here = change.old?.id } else { here = try repo.treeEntry(tree, path: path)?.id }
                actual.append(here)
                if let kept = parentTaints[index][path] { valid.append(kept.valid) } else { valid.append(here) }
            }
            // Where a refused change is held, the newest valid version: what a side's own verified
            // history introduced since the merge base (the first side's, if both), else the base's.
            let fallback: Held
            if isMerge {
                let baseValid: ObjectID?
                if let kept = baseTaint[path] { baseValid = kept.valid } else { baseValid = try baseTree.flatMap { try repo.treeEntry($0, path: path)?.id } }
                // Keeps a version that one side's own verified history introduced since the merge base.
                if valid.contains(where: { $0 == new && $0 != baseValid }) { held[path] = nil; continue }
                // No side changed it, and the result is what they all hold.
                if new == baseValid && valid.allSatisfy({ $0 == baseValid }) { held[path] = nil; continue }
                fallback = Held(valid: valid.first(where: { $0 != baseValid }) ?? baseValid)
            } else {
                // Keeps or restores the valid version: no authority needed.
                if valid.first == new { held[path] = nil; continue }
                fallback = Held(valid: valid.first ?? nil)
            }
            // Taking over a side's held content unchanged is new content like any other: it needs the
            // signer's authority over the valid versions (the owner may adopt it; nobody else can).
            let signer: Signer
            switch signerResult {
            case .failure(let failure):
                reject(info, path, new: new, valid: fallback, signer: nil, reason: failure.reason)
                held[path] = fallback
                continue
            case .success(let found): signer = found
            }
            let newVersion = try version(new, path: path)
            var refusal: String?
            for old in Set(valid) where refusal == nil {
                let oldVersion = try version(old, path: path)
                var movedFrom: Record?
                if case .absent = oldVersion, case .record(let record) = newVersion { movedFrom = deleted[record.id] }
                refusal = AuthorityRules.refusal(path: path, old: oldVersion, new: newVersion, signer: signer, movedFrom: movedFrom, schema: schema)
            }
            if let refusal {
                reject(info, path, new: new, valid: fallback, signer: signer, reason: refusal)
                held[path] = fallback
            } else {
                held[path] = nil
            }
        }
    }

    private func version(_ blob: ObjectID?, path: String) throws -> FileVersion {
        guard let blob else { return .absent }
        guard try repo.blobSize(blob) <= RecordParser.maxFileSize,
              let record = try? RecordParser.parse(data: try repo.readBlob(blob), path: path, schema: schema) else { return .unreadable }
        return .record(record)
    }

    private func reject(_ info: CommitInfo, _ path: String, new: ObjectID?, valid: Held, signer: Signer?, reason: String) {
        let county = RecordLayout.parse(path: path, schema: schema)?.county.rawValue
            ?? (OfficeRegistry.contains(path: path) ? County.agency.rawValue : "")
        rejections.append(RejectedChange(
            commit: info.id.hex, path: path, author: "\(info.author.name) <\(info.author.email)>", signer: signer?.description ?? "",
            county: county, reason: reason, badBlob: new?.hex, validBlob: valid.valid?.hex, detected: Timestamp(now()).rawValue))
    }
}

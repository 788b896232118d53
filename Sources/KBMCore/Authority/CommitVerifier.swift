import Foundation
import KBMAuthority
import KBMGit
import KBMRecords
import KBMStore

/// A file held at its last valid version: `valid` is that version's blob (nil: the file did not exist).
struct Held: Hashable {
    var valid: ObjectID?
}

/// Why a commit's signer cannot be used (a value, not a failure of kbm).
struct Refusal: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// What this workspace trusts as the root of the office registry (trust on first use).
struct RegistryPins {
    /// The commit that created the registry, as first seen.
    var root: String?
    /// The agency's keys, as of the last verified sync.
    var keys: Set<SSHPublicKey>
    var isEmpty: Bool { root == nil && keys.isEmpty }
}

/// Checks commits against the office registry of their first parent (see docs/authority.md).
///
/// Walks commits oldest first and keeps, per commit, the files that hold refused content
/// (`taint`): for those, every later check and every tree kbm commits uses the last valid
/// version instead. Content needs authority only where it is new: a change that keeps or
/// restores a valid version, and a merge result taken over unchanged from a parent, need none.
final class CommitVerifier {
    let repo: Repository
    let schema: Schema
    let pins: RegistryPins
    /// Refused content from earlier syncs, by path: bad blob → last valid version.
    private var knownBad: [String: [ObjectID: Held]] = [:]
    /// Refused deletions from earlier syncs, by commit.
    private var knownDeletions: [ObjectID: [String: Held]] = [:]
    private var taints: [ObjectID: [String: Held]] = [:]
    private var registryCache: [ObjectID: OfficeRegistry] = [:]
    /// The refusals found by `check`, one per file.
    private(set) var rejections: [RejectedChange] = []
    /// The commits checked.
    private(set) var checked = 0

    init(repo: Repository, schema: Schema, pins: RegistryPins, known: [RejectedChange]) {
        self.repo = repo
        self.schema = schema
        self.pins = pins
        for change in known {
            let held = Held(valid: change.validBlob.flatMap(ObjectID.init(hex:)))
            if let bad = change.badBlob.flatMap(ObjectID.init(hex:)) {
                knownBad[change.path, default: [:]][bad] = held
            } else if let commit = ObjectID(hex: change.commit) {
                knownDeletions[commit, default: [:]][change.path] = held
            }
        }
    }

    /// Checks `commits`, which must be ordered parents first.
    func check(_ commits: [ObjectID]) throws {
        for commit in commits { try check(commit) }
    }

    /// The files of `commit` that hold refused content, with their last valid version.
    func taint(of commit: ObjectID) throws -> [String: Held] {
        if let known = taints[commit] { return known }
        // Not checked in this pass (local history): recognise refused content by its blob.
        var result = knownDeletions[commit] ?? [:]
        if !knownBad.isEmpty {
            let tree = try repo.commitTree(commit)
            for (path, bad) in knownBad {
                if let id = try repo.treeEntry(tree, path: path)?.id, let held = bad[id] { result[path] = held }
            }
        }
        taints[commit] = result
        return result
    }

    /// The office registry in force at `commit`: its files, each at its last valid version.
    func registry(at commit: ObjectID?) throws -> OfficeRegistry {
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
    func signingKey(_ info: CommitInfo) -> Result<SSHPublicKey, Refusal> {
        guard let armored = info.signature, let payload = info.signedPayload else { return .failure(Refusal("the commit is not signed")) }
        guard let signature = try? SSHSignature(armored: armored) else {
            return .failure(Refusal("the commit's signature is not an Ed25519 SSH signature"))
        }
        guard signature.verifies(Array(payload.utf8)) else { return .failure(Refusal("the signature does not match the commit (altered or forged)")) }
        return .success(signature.publicKey)
    }

    private func check(_ commit: ObjectID) throws {
        checked += 1
        let info = try repo.commitInfo(commit)
        let parentTaints = try info.parents.map { try taint(of: $0) }
        var held = parentTaints.first ?? [:]
        let parentTrees = try info.parents.map { try repo.commitTree($0) }
        let changes = try repo.diffTrees(parentTrees.first, info.tree)
        defer { taints[commit] = held }
        guard !changes.isEmpty else { return }
        // The first parent's registry; for a merge whose first parent has none, another parent's
        // (a merge never escapes the rules by picking a parent from before the registry).
        var registry = OfficeRegistry()
        for parent in info.parents where registry.isEmpty { registry = try self.registry(at: parent) }
        let key = signingKey(info)

        // Open mode: nothing is checked, except the creation of the registry (the trust root).
        if registry.isEmpty {
            for change in changes { held[change.path] = nil }
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

        for change in changes {
            let path = change.path
            let new = change.new?.id
            // The version each parent validly holds, and what it actually holds.
            var valid: [ObjectID?] = [], actual: [ObjectID?] = []
            for (index, tree) in parentTrees.enumerated() {
                let here = index == 0 ? change.old?.id : try repo.treeEntry(tree, path: path)?.id
                actual.append(here)
                if let kept = parentTaints[index][path] { valid.append(kept.valid) } else { valid.append(here) }
            }
            // Keeps or restores a valid version, or takes a parent's version over unchanged: no authority needed.
            if valid.contains(where: { $0 == new }) { held[path] = nil; continue }
            if let index = actual.firstIndex(where: { $0 == new }), let kept = parentTaints[index][path] { held[path] = kept; continue }
            let fallback = Held(valid: valid.first ?? nil)
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
            county: county, reason: reason, badBlob: new?.hex, validBlob: valid.valid?.hex, detected: Timestamp.now().rawValue))
    }
}

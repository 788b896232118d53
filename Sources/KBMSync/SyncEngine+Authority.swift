import Foundation
import KBMAuthority
import KBMGit
import KBMRecords
import KBMStore

/// Settings keys of the registry's trust anchor (see docs/authority.md).
package enum AuthoritySettings {
    /// The commit that created the office registry, as this workspace first saw it.
    package static let registryRoot = "registry_root"
    /// The agency's public key lines, one a line, as of the last sync.
    package static let pinnedAgencyKeys = "pinned_agency_keys"
    /// Set once the held files of the whole local history are in `held_files`.
    package static let heldFilesRecorded = "held_files_recorded"
}

package extension SyncEngine {
    package func loadPins() throws -> RegistryPins {
        let (root, keys) = try store.read { tx in
            (try tx.setting(AuthoritySettings.registryRoot), try tx.setting(AuthoritySettings.pinnedAgencyKeys))
        }
        let parsed = (keys ?? "").split(separator: "\n").compactMap { try? SSHPublicKey(line: String($0)) }
        return RegistryPins(root: root, keys: Set(parsed))
    }

    /// A verifier for commits reachable from `tip`, judged from `anchor` (this workspace's last
    /// verified tip; nil when checking a whole history). With `recorded`, commits verified in
    /// earlier syncs keep the holds recorded then; without, every commit is checked anew.
    package func makeVerifier(anchor: ObjectID? = nil, tip: ObjectID? = nil, recorded: Bool = true) throws -> CommitVerifier {
        let pins = try loadPins()
        var root = pins.root.flatMap(ObjectID.init(hex:))
        if let pinned = root, try !repo.containsObject(pinned) { root = nil }
        if root == nil, let start = tip ?? anchor { root = try registryRootCandidate(from: start) }
        let store = self.store
        return CommitVerifier(repo: repo, schema: schema, pins: pins, anchor: anchor, registryRoot: root, recorded: { commit in
            guard recorded else { return [:] }
            var held: [String: Held] = [:]
            for (path, valid) in try store.read({ try $0.heldFiles(commit: commit.hex) }) { held[path] = Held(valid: valid.flatMap(ObjectID.init(hex:))) }
            return held
        }, now: environment.now)
    }

    /// Stores the refusals and the held files found by a verification pass.
    package func record(_ verifier: CommitVerifier) throws {
        let held = verifier.newlyHeld
        guard !verifier.rejections.isEmpty || !held.isEmpty else { return }
        try store.write { tx in
            for rejection in verifier.rejections { try tx.recordRejection(rejection) }
            for (commit, files) in held { try tx.recordHeldFiles(commit: commit.hex, files.mapValues { $0.valid?.hex }) }
        }
    }

    /// Workspaces from before `held_files` existed knew refused content only by its blob: verify
    /// the local history once more to record exactly which commits hold which files.
    package func recordHeldFilesOfLocalHistoryOnce() throws {
        guard try store.read({ try $0.setting(AuthoritySettings.heldFilesRecorded) }) == nil else { return }
        if try !store.read({ try $0.rejectedChanges() }).isEmpty, let head = try repo.reference(Self.localRef) {
            let verifier = try makeVerifier(tip: head, recorded: false)
            try verifier.check(repo.commits(from: head))
            let held = verifier.newlyHeld
            try store.write { tx in
                for (commit, files) in held { try tx.recordHeldFiles(commit: commit.hex, files.mapValues { $0.valid?.hex }) }
            }
        }
        try store.write { tx in try tx.setSetting(AuthoritySettings.heldFilesRecorded, "1") }
    }

    /// The commit on `tip`'s first-parent line that introduced the office registry, nil if `tip` has none.
    package func registryRootCandidate(from tip: ObjectID) throws -> ObjectID? {
        guard try repo.treeEntry(repo.commitTree(tip), path: OfficeRegistry.folder) != nil else { return nil }
        var root = tip
        while let parent = try repo.commitInfo(root).parents.first,
              try repo.treeEntry(repo.commitTree(parent), path: OfficeRegistry.folder) != nil {
            root = parent
        }
        return root
    }

    // MARK: step 2b: verify what was fetched

    /// Checks every commit reachable from `remoteTip` and not from refs/heads/main, records the
    /// refused changes, and returns the files of `remoteTip` to hold at their last valid version.
    package func verifyIncoming(_ remoteTip: ObjectID) throws -> [String: Held] {
        try recordHeldFilesOfLocalHistoryOnce()
        let local = try repo.reference(Self.localRef)
        let verifier = try makeVerifier(anchor: local, tip: remoteTip)
        try verifier.check(repo.commits(from: remoteTip, hiding: local.map { [$0] } ?? []))
        try record(verifier)
        // Erased versions (kbm purge) stay out of every tree, whoever pushes them again.
        return try verifier.taint(of: remoteTip).merging(erasedFiles(at: remoteTip)) { _, erased in erased }
    }

    /// `commit`'s tree with the held files at their last valid version.
    package func healedTree(_ commit: ObjectID, holding held: [String: Held]) throws -> ObjectID {
        let tree = try repo.commitTree(commit)
        guard !held.isEmpty else { return tree }
        var upserts: [String: ObjectID] = [:]
        var removals: [String] = []
        for (path, version) in held {
            if let valid = version.valid { upserts[path] = valid } else { removals.append(path) }
        }
        return try repo.updateTree(base: tree, upserts: upserts, removals: removals)
    }

    /// A commit on top of `tip` that puts the held files back to their last valid version
    /// (used instead of a fast-forward when the fetched history holds refused changes).
    package func healingCommit(on tip: ObjectID, holding held: [String: Held]) throws -> ObjectID {
        let tree = try healedTree(tip, holding: held)
        let lines = held.keys.sorted().map { "- \($0)" }
        let message = CommitTrailer.appending(county: context.county, to: "\(context.county): keep the last valid version of \(held.count) file\(held.count == 1 ? "" : "s") changed without authority\n\n" + lines.joined(separator: "\n") + "\n")
        let signature = gitSignature()
        return try repo.createCommit(tree: tree, parents: [tip], author: signature, committer: signature, message: message, sign: signer)
    }

    // MARK: the trust anchor

    /// Pins the registry on first sight (its root commit) and follows the agency's keys as the
    /// verified registry at refs/heads/main lists them.
    package func updatePins() throws {
        guard let head = try repo.reference(Self.localRef) else { return }
        let registry = try makeVerifier(tip: head).registry(at: head)
        guard !registry.isEmpty else { return }
        var pins = try loadPins()
        if try pins.root.flatMap(ObjectID.init(hex:)).map({ try repo.containsObject($0) }) != true {
            // The commit on the first-parent line that introduced the registry (again after a
            // verified erasure rewrote it: only `kbm purge`'s rewrite removes objects here).
            pins.root = try registryRootCandidate(from: head)?.hex
        }
        if !registry.agencyKeys.isEmpty { pins.keys = registry.agencyKeys }
        let keys = pins.keys.map(\.line).sorted().joined(separator: "\n")
        try store.write { tx in
            try tx.setSetting(AuthoritySettings.registryRoot, pins.root)
            try tx.setSetting(AuthoritySettings.pinnedAgencyKeys, keys)
        }
    }

    // MARK: registry edits waiting for the next commit

    /// Office files written by `kbm registry …`, waiting in `.kbm/pending-registry/`: repository path → content.
    package func pendingRegistryFiles() -> [String: Data] {
        let dir = context.pendingRegistryPath
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [:] }
        var files: [String: Data] = [:]
        for name in names.sorted() where name.hasSuffix(".md") {
            guard let county = County(String(name.dropLast(3))), let data = FileManager.default.contents(atPath: dir + "/" + name) else { continue }
            files[OfficeRegistry.path(for: county)] = data
        }
        return files
    }

    package func clearPendingRegistry(_ paths: some Sequence<String>) {
        for path in paths {
            let name = String(path.dropFirst(OfficeRegistry.folder.count + 1))
            try? FileManager.default.removeItem(atPath: context.pendingRegistryPath + "/" + name)
        }
    }
}

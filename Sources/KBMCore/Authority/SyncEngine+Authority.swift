import Foundation
import KBMAuthority
import KBMGit
import KBMRecords
import KBMStore

/// Settings keys of the registry's trust anchor (see docs/authority.md).
enum AuthoritySettings {
    /// The commit that created the office registry, as this workspace first saw it.
    static let registryRoot = "registry_root"
    /// The agency's public key lines, one a line, as of the last sync.
    static let pinnedAgencyKeys = "pinned_agency_keys"
}

extension SyncEngine {
    func loadPins() throws -> RegistryPins {
        let (root, keys) = try store.read { tx in
            (try tx.setting(AuthoritySettings.registryRoot), try tx.setting(AuthoritySettings.pinnedAgencyKeys))
        }
        let parsed = (keys ?? "").split(separator: "\n").compactMap { try? SSHPublicKey(line: String($0)) }
        return RegistryPins(root: root, keys: Set(parsed))
    }

    func makeVerifier() throws -> CommitVerifier {
        CommitVerifier(repo: repo, schema: schema, pins: try loadPins(), known: try store.read { try $0.rejectedChanges() } + erasedAsRefused())
    }

    // MARK: step 2b: verify what was fetched

    /// Checks every commit reachable from `remoteTip` and not from refs/heads/main, records the
    /// refused changes, and returns the files of `remoteTip` to hold at their last valid version.
    func verifyIncoming(_ remoteTip: ObjectID) throws -> [String: Held] {
        let local = try repo.reference(Self.localRef)
        let verifier = try makeVerifier()
        try verifier.check(repo.commits(from: remoteTip, hiding: local.map { [$0] } ?? []))
        if !verifier.rejections.isEmpty {
            try store.write { tx in for rejection in verifier.rejections { try tx.recordRejection(rejection) } }
        }
        return try verifier.taint(of: remoteTip).merging(erasedFiles(at: remoteTip)) { _, erased in erased }
    }

    /// `commit`'s tree with the held files at their last valid version.
    func healedTree(_ commit: ObjectID, holding held: [String: Held]) throws -> ObjectID {
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
    func healingCommit(on tip: ObjectID, holding held: [String: Held]) throws -> ObjectID {
        let tree = try healedTree(tip, holding: held)
        let lines = held.keys.sorted().map { "- \($0)" }
        let message = "\(workspace.county): keep the last valid version of \(held.count) file\(held.count == 1 ? "" : "s") changed without authority\n\n" + lines.joined(separator: "\n") + "\n"
        let signature = gitSignature()
        return try repo.createCommit(tree: tree, parents: [tip], author: signature, committer: signature, message: message, sign: signer)
    }

    // MARK: the trust anchor

    /// Pins the registry on first sight (its root commit) and follows the agency's keys as the
    /// verified registry at refs/heads/main lists them.
    func updatePins() throws {
        guard let head = try repo.reference(Self.localRef) else { return }
        let registry = try makeVerifier().registry(at: head)
        guard !registry.isEmpty else { return }
        var pins = try loadPins()
        if pins.root == nil {
            // The commit on the first-parent line that introduced the registry.
            var root = head
            while let parent = try repo.commitInfo(root).parents.first,
                  try repo.treeEntry(repo.commitTree(parent), path: OfficeRegistry.folder) != nil {
                root = parent
            }
            pins.root = root.hex
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
    func pendingRegistryFiles() -> [String: Data] {
        let dir = workspace.pendingRegistryPath
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [:] }
        var files: [String: Data] = [:]
        for name in names.sorted() where name.hasSuffix(".md") {
            guard let county = County(String(name.dropLast(3))), let data = FileManager.default.contents(atPath: dir + "/" + name) else { continue }
            files[OfficeRegistry.path(for: county)] = data
        }
        return files
    }

    func clearPendingRegistry(_ paths: some Sequence<String>) {
        for path in paths {
            let name = String(path.dropFirst(OfficeRegistry.folder.count + 1))
            try? FileManager.default.removeItem(atPath: workspace.pendingRegistryPath + "/" + name)
        }
    }
}

import Foundation
import KBMAuthority
import KBMGit
import KBMRecords
import KBMStore
import KBMSync

/// What `kbm purge` did.
public struct PurgeReport: Sendable {
    public var notice: String
    public var paths: [String]
    public var rewrittenCommits: Int
    public var erasedVersions: Int
    public var head: String

    public var json: JSONValue {
        .object([("notice", .string(notice)), ("paths", .array(paths.map(JSONValue.string))),
                 ("rewritten_commits", .number(rewrittenCommits)), ("erased_versions", .number(erasedVersions)),
                 ("head", .string(head)), ("cannot_reach", .array(PurgeReport.limits.map(JSONValue.string)))])
    }

    /// What an erasure cannot reach (docs/privacy.md says more).
    public static let limits = [
        "The git host still holds the old objects until its housekeeping removes them: run `git reflog expire --expire=now --all && git gc --prune=now` in the region's repository on the server, or the host's housekeeping.",
        "Clones and copies made with other tools (the git CLI, a web download), backups of the host or of laptops, and exported files (kbm export) are not reached.",
        "Other records that mention the person (in a note, a title, a link) are not changed: edit them with kbm.",
    ]

    public var text: String {
        var lines = ["Erased \(paths.count) record file\(paths.count == 1 ? "" : "s") (\(erasedVersions) version\(erasedVersions == 1 ? "" : "s")) from the region's history: \(rewrittenCommits) commit\(rewrittenCommits == 1 ? "" : "s") rewritten and signed again, erasure notice \(notice) pushed (main is now \(head.prefix(10))).",
                     "Every office applies it with its next `kbm sync`: it follows the rewritten history, deletes the record and drops the erased versions from its repository."]
        lines.append("Not reached:")
        lines += Self.limits.map { "  - " + $0 }
        return lines.joined(separator: "\n")
    }
}

extension Workspace {
    /// Erases record `id` from the region's whole history (the agency only): syncs, rewrites every
    /// commit of main that holds one of the record's files without them, signs the rewritten
    /// commits and an erasure notice, and replaces the remote's main if nobody pushed meanwhile.
    public func purge(id: RecordID, reason: String) throws -> PurgeReport {
        let session = try beginWriting()
        defer { session.end() }
        guard county == .agency else {
            throw KBMError.invalid("kbm purge rewrites the region's history: only the agency's workspace (\(County.agency)) may run it. Ask the agency, with the record's id.")
        }
        let reason = ErasureNotice.oneLine(reason).trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw KBMError.invalid("--reason: say why the record must be erased (for example the request under Art. 17 DSGVO), without personal data.") }
        guard let key = try signingKey() else {
            throw KBMError.invalid("kbm purge needs the agency's signing key (`kbm keygen`, registered in the office registry): offices accept only a signed erasure.")
        }
        guard try remoteURL() != nil else { throw KBMError.invalid("This workspace has no remote: purge rewrites the region's repository (`kbm remote <url>`).") }
        let repo = try repository()
        let engine = try syncEngine(repo: repo)
        let credentials = try credentials()
        do {
            // In sync first: the rewrite must start from the region's current history.
            let synced = try engine.run(credentials: credentials)
            guard synced.outcome.isSynced else {
                throw KBMError.failure("Purge: cannot sync with the region's repository (\(synced.outcome.reason ?? "unknown reason")); nothing was changed.")
            }
            guard let head = try repo.reference(SyncEngine.localRef), try repo.reference(SyncEngine.trackingRef) == head else {
                throw KBMError.failure("Purge: this workspace is not in sync with the region; run `kbm sync` and try again.")
            }
            guard try engine.makeVerifier().registry(at: head).agencyKeys.contains(key.publicKey) else {
                throw KBMError.failure("Purge: the office registry does not list this workspace's key for \(County.agency), so no office would accept the erasure. Register it (`kbm registry add-coordinator \(County.agency) …`) and sync first.")
            }
            let (report, tip, erased) = try rewrite(id: id, reason: reason, head: head, key: key, engine: engine, repo: repo)
            let lease = "refs/kbm/purge"
            try repo.setReference(lease, to: tip, message: "kbm: purge")
            defer { try? repo.deleteReference(lease) }
            let outcome = try repo.pushReplacing(remote: SyncEngine.remoteName, localRef: lease, branch: SyncEngine.branch, expecting: head, credentials: credentials)
            if case .rejected(let why) = outcome {
                throw KBMError.failure("Purge: the region's repository refused the rewritten history (\(TerminalText.safe(why))). Nothing was changed there; run `kbm purge` again.")
            }
            // Follow the rewrite here, as every office will.
            try repo.setReference(SyncEngine.localRef, to: tip, expecting: .pointsTo(head), message: "kbm: purge \(report.notice)")
            try repo.setReference(SyncEngine.trackingRef, to: tip, message: "kbm: purge \(report.notice)")
            try engine.importIntoStore()
            try store.write { tx in
                let applied = (try tx.setting(ErasureSettings.applied)).map { $0 + "\n" } ?? ""
                try tx.setSetting(ErasureSettings.applied, applied + report.notice)
                if try tx.record(id) != nil { try tx.delete(id, pending: false) }
                try tx.compactSearchIndex()
                try tx.setSetting(ErasureSettings.blobs, erased.joined(separator: "\n"))
                try tx.setSetting(ErasureSettings.dropPending, "1")
            }
            try dropErasedObjects()
            return report
        } catch let error as GitError {
            throw KBMError.failure("Purge failed while \(error.operation): \(error.message). If the region's main was not replaced, nothing changed; run `kbm sync`, then `kbm purge` again.")
        } catch let error as KBMError {
            throw error
        } catch {
            throw KBMError.failure("Purge failed: \(KBMError.from(error).message). If the region's main was not replaced, nothing changed; run `kbm sync`, then `kbm purge` again.")
        }
    }

    /// Writes the rewritten history and the notice commit on top; moves no reference.
    private func rewrite(id: RecordID, reason: String, head: ObjectID, key: SSHPrivateKey, engine: SyncEngine, repo: Repository) throws -> (PurgeReport, ObjectID, [String]) {
        let commits = try repo.commits(from: head)
        // Every path the record ever had (a record moved with its county changes folder).
        var paths: Set<String> = []
        for commit in commits {
            let info = try repo.commitInfo(commit)
            let parentTree = try info.parents.first.map { try repo.commitTree($0) }
            for change in try repo.diffTrees(parentTree, info.tree) {
                let path = change.path
                if path.hasPrefix(RecordLayout.root + "/"), path.hasSuffix("/\(id.rawValue).md"), RecordLayout.parse(path: path, schema: schema)?.id == id {
                    paths.insert(path)
                }
            }
        }
        guard !paths.isEmpty else { throw KBMError.invalid("No version of record \(id) is in the region's history: nothing to purge.") }
        let eraser = HistoryEraser(repo: repo, paths: paths.sorted(), sign: engine.signer)
        try eraser.collectTitles(commits, schema: schema)
        for commit in commits { try eraser.rewrite(commit) }
        let rewritten = eraser.map[head] ?? head
        var generator = RecordIDGenerator()
        let notice = ErasureNotice(id: generator.next().rawValue, by: author.description, at: Timestamp.now().rawValue, reason: reason,
                                   paths: paths.sorted(), blobs: eraser.blobs.sorted { $0.hex < $1.hex }, commits: eraser.map)
        let blob = try repo.writeBlob(Data(try notice.signed(with: key).utf8))
        let tree = try repo.updateTree(base: try repo.commitTree(rewritten), upserts: [notice.path: blob], removals: [])
        let signature = engine.gitSignature()
        let message = "\(County.agency): erasure notice \(notice.id)\n\n\(eraser.map.count) commit\(eraser.map.count == 1 ? "" : "s") rewritten without \(paths.count) record file\(paths.count == 1 ? "" : "s"). Reason: \(reason)\n"
        let tip = try repo.createCommit(tree: tree, parents: [rewritten], author: signature, committer: signature, message: message, sign: engine.signer)
        let report = PurgeReport(notice: notice.id, paths: paths.sorted(), rewrittenCommits: eraser.map.count, erasedVersions: eraser.blobs.count, head: tip.hex)
        let known = (try store.read { try $0.setting(ErasureSettings.blobs) } ?? "").split(separator: "\n").map(String.init)
        let erased = Set(known + paths.flatMap { path in eraser.blobs.map { "\(path) \($0.hex)" } })
        return (report, tip, erased.sorted())
    }
}

extension Workspace {
    /// Drops erased versions from the workspace's object database if any is there (after a
    /// sync applied an erasure, or fetched one again): rewrites it with only the objects the
    /// references reach. Call with the workspace locked and no other `Repository` in use.
    func dropErasedObjects() throws {
        guard try store.read({ try $0.setting(ErasureSettings.dropPending) }) != nil else { return }
        let text = try store.read { try $0.setting(ErasureSettings.blobs) } ?? ""
        let blobs = text.split(separator: "\n").compactMap { $0.split(separator: " ").last.flatMap { ObjectID(hex: String($0)) } }
        do {
            let repo = try Repository.open(at: repoPath)
            if try blobs.contains(where: { try repo.containsObject($0) }) { try repo.dropUnreachableObjects() }
            try store.write { tx in try tx.setSetting(ErasureSettings.dropPending, nil) }
        } catch let error as GitError {
            throw KBMError.failure("Erasure: cannot remove the erased versions from \(repoPath) (\(error.operation): \(error.message)). Run `kbm sync` again.")
        }
    }
}

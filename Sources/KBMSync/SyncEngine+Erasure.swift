import Foundation
import KBMAuthority
import KBMGit
import KBMRecords
import KBMStore

/// Settings of erasures (`kbm purge`, see docs/privacy.md).
package enum ErasureSettings {
    /// Ids of the erasure notices this workspace applied, one a line.
    package static let applied = "erasures_applied"
    /// Ids of notices refused (forged, or not matching the history), one a line: never applied.
    package static let refused = "erasures_refused"
    /// `<path> <blob>` lines: every erased version. Held out of every tree like refused content,
    /// and dropped from the object database whenever it turns up.
    package static let blobs = "erased_blobs"
    /// Set while erased versions may still be in the object database (cleared once dropped).
    package static let dropPending = "erasure_drop_pending"
}

package extension SyncEngine {
    /// Step 2a: the fetched main carries erasure notices this workspace has not applied. For each
    /// one signed by a pinned agency key whose rewrite checks out, moves refs/heads/main onto the
    /// rewritten history (this workspace's own unpushed commits replayed on it without the erased
    /// files), and imports the result, which deletes the record here. Returns whether the notices
    /// explain why `previousTip` is no longer in the remote's history (then it is no force-push).
    package func applyErasures(fetched remoteTip: ObjectID?, previous previousTip: ObjectID?) throws -> Bool {
        guard let remoteTip, let folder = try repo.treeEntry(repo.commitTree(remoteTip), path: ErasureNotice.folder), folder.mode == .tree else { return false }
        // A new workspace has no history to rewrite, and pins the agency only after this fetch: the next sync notes the notices.
        guard try repo.reference(Self.localRef) != nil else { return false }
        let (appliedText, refusedText) = try store.read { tx in
            (try tx.setting(ErasureSettings.applied) ?? "", try tx.setting(ErasureSettings.refused) ?? "")
        }
        let done = Set(appliedText.split(separator: "\n").map(String.init) + refusedText.split(separator: "\n").map(String.init))
        // The new notices whose signature holds, oldest first (ids are ULIDs).
        var notices: [ErasureNotice] = []
        for entry in try repo.treeEntries(folder.id) where entry.path.hasSuffix(".md") {
            let id = String(entry.path.dropLast(3))
            guard !done.contains(id) else { continue }
            do {
                guard try repo.blobSize(entry.id) <= ErasureNotice.maxSize else { throw Refusal("the notice is larger than \(ErasureNotice.maxSize >> 20) MiB") }
                let (notice, key) = try ErasureNotice.read(try repo.readBlob(entry.id))
                guard notice.id == id else { throw Refusal("the notice's id is not its file name") }
                let pins = try loadPins()
                if pins.keys.isEmpty {
                    // Nothing pinned yet (open mode): refused for now, judged again once an agency is pinned.
                    report.erasuresRefused.append("\(TerminalText.safe(entry.path)): this workspace has pinned no key of \(County.agency) (open mode)")
                    continue
                }
                guard pins.keys.contains(key) else {
                    throw Refusal("signed by \(key.fingerprint), not by a pinned key of \(County.agency)")
                }
                notices.append(notice)
            } catch let refusal as Refusal {
                try refuse([id], TerminalText.safe(entry.path) + ": " + refusal.reason)
            }
        }
        guard !notices.isEmpty else { return false }
        // Several notices at once (this workspace missed more than one purge) are applied as one:
        // the later ones rewrote the earlier ones' rewritten commits, which this workspace never fetched.
        let combined = ErasureNotice.combining(notices.sorted { $0.id < $1.id })
        let ids = notices.map(\.id).sorted()
        do {
            try apply(combined, remoteTip: remoteTip, agencyKeys: try loadPins().keys)
        } catch let refusal as Refusal {
            try refuse(ids, ids.map { "\(ErasureNotice.folder)/\($0).md" }.joined(separator: ", ") + ": " + refusal.reason)
            return false
        }
        report.erasures += ids
        try store.write { tx in
            let applied = (try tx.setting(ErasureSettings.applied)).map { $0 + "\n" } ?? ""
            try tx.setSetting(ErasureSettings.applied, applied + ids.joined(separator: "\n"))
        }
        let explained = previousTip.map { combined.commits[$0] != nil } ?? false
        return explained
    }

    /// Notes refused notices: reported now, never applied.
    private func refuse(_ ids: [String], _ reason: String) throws {
        report.erasuresRefused.append(reason)
        try store.write { tx in
            let refused = (try tx.setting(ErasureSettings.refused)).map { $0 + "\n" } ?? ""
            try tx.setSetting(ErasureSettings.refused, refused + ids.joined(separator: "\n"))
        }
    }

    /// Checks `notice` against the local history and moves refs/heads/main onto the rewrite.
    /// Throws `Refusal` (nothing changed) if the rewrite is not the notice's erasure.
    package func apply(_ notice: ErasureNotice, remoteTip: ObjectID, agencyKeys: Set<SSHPublicKey>) throws {
        for path in notice.paths {
            guard path.hasPrefix(RecordLayout.root + "/"), RecordLayout.parse(path: path, schema: schema) != nil else {
                throw Refusal("the notice erases \(TerminalText.safe(path)), which is not a record file")
            }
        }
        let ownKey = context.ownKey
        let eraser = HistoryEraser(repo: repo, paths: notice.paths, sign: signer)
        eraser.map = notice.commits
        var blobs = Set(notice.blobs)
        if let local = try repo.reference(Self.localRef) {
            // Everything this workspace has that the rewritten history has not.
            let commits = try repo.commits(from: local, hiding: [remoteTip])
            try eraser.collectTitles(commits, schema: schema)
            for commit in commits {
                if let new = notice.commits[commit] {
                    if let problem = try eraser.mismatch(old: commit, new: new) {
                        throw Refusal("commit \(commit.short) → \(new.short): \(problem)")
                    }
                    let signer = Self.signingKey(of: try repo.commitInfo(new))
                    guard let signer, agencyKeys.contains(signer) else {
                        throw Refusal("the rewritten commit \(new.short) is not signed by \(County.agency)")
                    }
                    continue
                }
                // Not in the notice: only this workspace's own commits (not yet pushed) are replayed,
                // signed again with its key. Anyone else's commit would change its signer.
                let info = try repo.commitInfo(commit)
                guard Self.signingKey(of: info) == ownKey else {
                    throw Refusal("it does not cover commit \(commit.short) (\(TerminalText.safe(info.author.name)) <\(TerminalText.safe(info.author.email))>) of this workspace's history")
                }
                try eraser.rewrite(commit)
            }
            blobs.formUnion(eraser.blobs)
            if let rewritten = eraser.map[local], rewritten != local {
                try repo.setReference(Self.localRef, to: rewritten, expecting: .pointsTo(local), message: "kbm: erasure \(notice.id)")
            }
        }
        // The store follows main: the erased record is deleted here (its local fields with it).
        try importIntoStore()
        var lines = Set(notice.paths.flatMap { path in blobs.map { "\(path) \($0.hex)" } })
        try store.write { tx in
            lines.formUnion((try tx.setting(ErasureSettings.blobs) ?? "").split(separator: "\n").map(String.init))
            try tx.setSetting(ErasureSettings.blobs, lines.sorted().joined(separator: "\n"))
            try tx.setSetting(ErasureSettings.dropPending, "1")
            for path in notice.paths {
                if let parsed = RecordLayout.parse(path: path, schema: schema), try tx.record(parsed.id) != nil, try !tx.isDirty(parsed.id) {
                    try tx.delete(parsed.id, pending: false)
                }
            }
            try tx.compactSearchIndex()
        }
    }

    /// The key of a valid SSHSIG signature over the commit, nil if there is none.
    package static func signingKey(of info: CommitInfo) -> SSHPublicKey? {
        guard let armored = info.signature, let payload = info.signedPayload,
              let signature = try? SSHSignature(armored: armored), signature.verifies(Array(payload.utf8)) else { return nil }
        return signature.publicKey
    }

    /// Erased versions (path, blob).
    package func erasedVersions() throws -> [(path: String, blob: ObjectID)] {
        let text = try store.read { try $0.setting(ErasureSettings.blobs) } ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let blob = ObjectID(hex: String(parts[1])) else { return nil }
            return (String(parts[0]), blob)
        }
    }

    /// Erased versions, as the commit verifier's known refused content: held at "absent" in
    /// the trees kbm commits, wherever they turn up again in history it does not check.
    package func erasedAsRefused() throws -> [RejectedChange] {
        try erasedVersions().map {
            RejectedChange(commit: "", path: $0.path, author: "", signer: "", county: "", reason: "erased",
                           badBlob: $0.blob.hex, validBlob: nil, detected: "")
        }
    }

    /// The files of `tip` that hold an erased version (pushed again by a client that ignores
    /// erasures), to hold at "absent" even where a valid signature covers them.
    package func erasedFiles(at tip: ObjectID) throws -> [String: Held] {
        let erased = try erasedVersions()
        guard !erased.isEmpty else { return [:] }
        let tree = try repo.commitTree(tip)
        var held: [String: Held] = [:]
        for (path, blob) in erased where try repo.treeEntry(tree, path: path)?.id == blob { held[path] = Held(valid: nil) }
        return held
    }
}

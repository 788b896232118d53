import Foundation
import KBMGit
import KBMRecords
import KBMStore

package extension SyncEngine {
    /// Refuses a remote whose tip is not a kbm region (some other project's repository), so kbm
    /// never merges its records into it and pushes. A region has `counties/` or `region/`, or
    /// (just started) nothing but a README, git's dot files and `docs/`.
    package func refuseIfNotARegion(_ tip: ObjectID, url: String?) throws {
        let tree = try repo.commitTree(tip)
        if try repo.treeEntry(tree, path: "counties") != nil || repo.treeEntry(tree, path: "region") != nil { return }
        let foreign = try repo.treeEntries(tree).map(\.path).filter {
            !["README.md", ".gitignore", ".gitattributes"].contains($0) && !$0.hasPrefix("docs/")
        }
        guard !foreign.isEmpty else { return }
        let sample = foreign.prefix(3).map(TerminalText.safe).joined(separator: ", ")
        throw KBMError.failure("\(url.map { CredentialRedaction.redact($0) } ?? "The remote") is not a kbm region: its main branch has no counties/ folder but \(foreign.count) other file\(foreign.count == 1 ? "" : "s") (\(sample)\(foreign.count > 3 ? ", …" : "")). kbm writes nothing into it. Check the URL, or ask the agency for the region's repository.")
    }

    /// The first commit of an empty regional repository: a README saying what it is.
    package func createFirstCommit() throws {
        let readme = """
        # Regional repository (kbm)

        This repository holds the shared records of the region's Bildungsbüros, written by kbm.
        Records live in `counties/<county>/<kind>/<shard>/<id>.md`. Do not rename files; edit
        them with kbm or carefully by hand (kbm checks every change when it syncs).

        """
        let blob = try repo.writeBlob(Data(readme.utf8))
        let tree = try repo.updateTree(base: nil, upserts: ["README.md": blob], removals: [])
        let signature = gitSignature()
        let commit = try repo.createCommit(tree: tree, parents: [], author: signature, committer: signature, message: "\(context.county): start the regional repository\n", sign: signer)
        try repo.setReference(Self.localRef, to: commit, expecting: .absent, message: "kbm: first commit")
    }

    /// Re-imports every record of refs/heads/main, keeping local fields and dirty records, and
    /// makes the quarantine list what the tree holds: a file that is invalid stays (or comes) in,
    /// one that is valid now or gone is released. Rows the store cannot decode are restored from
    /// the repository (their local fields kept where they decode) or, when the repository does not
    /// hold the record, removed; returns them.
    @discardableResult
    package func rebuildStore() throws -> [UndecodableRow] {
        let head = try repo.reference(Self.localRef)
        var inRepo: Set<RecordID> = []
        let now = environment.timestamp().rawValue
        // No commit yet: every record here is a local change (none is in the repository).
        let entries = try head.map { try repo.treeEntries(repo.commitTree($0)) } ?? []
        let verdicts = entries.map { PathPolicy.judge($0, schema: schema) }
        // An id in several files belongs to the one history says owns it (IDOwnership.swift).
        let claims = IDClaims(zip(entries, verdicts).compactMap { entry, verdict -> (RecordID, String)? in
            guard case .record(_, _, let id) = verdict else { return nil }
            return (id, entry.path)
        })
        let owners = try head.map { try self.owners(of: claims.contested, head: $0) } ?? [:]
        return try store.write { tx in
            let repaired = try tx.clearUndecodableRows()
            // A record deleted here and not yet synced stays deleted (its deletion is a local change).
            let deletedHere = Set(try tx.pendingDeletions().map(\.id))
            let listed = Set(try tx.quarantine().map(\.path))
            var held: Set<String> = []
            // An entry a sync made keeps its commit, reason and date.
            func hold(_ path: String, _ reason: String, line: Int? = nil) throws {
                held.insert(path)
                if !listed.contains(path) {
                    try tx.putInQuarantine(QuarantineEntry(path: path, commit: head?.hex ?? "", reason: reason, line: line, detected: now))
                }
            }
            for (entry, verdict) in zip(entries, verdicts) {
                let county: County, kind: String, id: RecordID
                switch verdict {
                case .ignored: continue
                case .refused(let reason): try hold(entry.path, reason); continue
                case .record(let c, let k, let i): (county, kind, id) = (c, k, i)
                }
                // A file that does not parse keeps the store's last valid version of its record.
                inRepo.insert(id)
                if let owner = owners[id] {
                    guard owner.path == entry.path else { try hold(entry.path, owner.reason(for: id)); continue }
                    // The store may hold a copy's record under the owner's id: it gives way.
                    if let existing = try tx.record(id), existing.county != county || existing.kind != kind { try tx.delete(id, pending: false) }
                }
                let record: Record
                do {
                    record = try parse(entry, path: entry.path)
                } catch var error as RecordParseError {
                    let line = error.line
                    (error.path, error.line) = (nil, nil)
                    try hold(entry.path, error.description, line: line)
                    continue
                }
                guard record.id == id, record.county == county, record.kind == kind else {
                    try hold(entry.path, "the path says \(county)/\(kind)/\(id) but the file says \(record.county)/\(record.kind)/\(record.id)")
                    continue
                }
                if try deletedHere.contains(id) || tx.isDirty(id) { continue }
                try tx.save(record, dirty: false, keepLocalFields: true)
            }
            for path in listed.subtracting(held) { try tx.releaseFromQuarantine(path) }
            // By id, without decoding: a row cleared above is complete again only if the repository holds it.
            for id in try tx.recordIDs() where !inRepo.contains(id) {
                if try !tx.isDirty(id) { try tx.delete(id, pending: false) }
            }
            if let head { try tx.setSetting(Settings.storeCommit, head.hex) }
            try tx.rebuildSearchIndex()
            return repaired
        }
    }
}

import Foundation
import KBMGit
import KBMMerge
import KBMRecords
import KBMStore

/// Syncs a workspace with the region's repository in idempotent steps:
/// commit local changes → fetch → merge → import into the store → push.
/// Every step can be interrupted (a crash, a cut cable); the next sync converges.
package final class SyncEngine {
    package static let branch = "main"
    package static let localRef = "refs/heads/main"
    package static let remoteName = "origin"
    package static let trackingRef = "refs/remotes/origin/main"
    package static let maxPushAttempts = 6
    package static let maxListedInMessage = 200

    package let context: SyncContext
    package let repo: Repository
    package let schema: Schema
    /// Signs every commit this engine makes (SSHSIG in the `gpgsig` header); nil without a key.
    package let signer: ((String) throws -> String)?
    package var report = SyncReport()
    /// Per branch tip: the newest commit (since the merge base) that changed each path.
    package var changeIndex: [ObjectID: [String: MergeSide]] = [:]
    /// Reads signatures and registries to credit commits to counties (see `attributedCounty`).
    package var attributionVerifier: CommitVerifier?

    /// Throws if the workspace's signing key exists but cannot be used.
    package init(context: SyncContext) {
        self.context = context
        self.repo = context.repo
        self.schema = context.schema
        self.signer = context.signer
        // libgit2's limits are per process: every transfer of this engine runs under them.
        if let limit = context.environment.networkTimeout { NetworkTimeouts.set(connect: limit, readWrite: limit) }
    }

    package var store: Store { context.store }
    package var environment: SyncEnvironment { context.environment }

    // MARK: the whole sync

    package func run(credentials: Credentials?) throws -> SyncReport {
        environment.progress(SyncProgress(step: .committing, attempt: 1))
        try locked {
            try recoverInterruptedImport()
            report.committed = try commitLocalChanges()
        }
        guard let remoteURL = try repo.remoteURL(name: Self.remoteName) else {
            report.outcome = .noRemote
            report.head = try repo.reference(Self.localRef)?.hex
            return report
        }
        var attempt = 0
        // The remote tip a push was refused against: met again, the refusal was not a race.
        var refusedAgainst: (tip: ObjectID?, reason: String)?
        loop: while true {
            attempt += 1
            environment.progress(SyncProgress(step: .fetching, attempt: attempt))
            let remoteTip: ObjectID?
            let previousTip = try repo.reference(Self.trackingRef)
            do {
                remoteTip = try repo.fetch(remote: Self.remoteName, branch: Self.branch, credentials: credentials)
            } catch let error as GitError {
                report.outcome = classify(error, remoteURL: remoteURL)
                break
            }
            if let refused = refusedAgainst, refused.tip == remoteTip {
                // The remote did not move, so the push was a fast-forward and the server said no.
                report.outcome = .refusedByServer(reason: refused.reason)
                break
            }
            let local: ObjectID? = try locked {
                try integrateFetched(remoteTip, previous: previousTip, remoteURL: remoteURL, attempt: attempt)
                return try repo.reference(Self.localRef)
            }
            guard let local else { break }
            if local == remoteTip { break }
            environment.progress(SyncProgress(step: .pushing, attempt: attempt))
            let pushed: PushOutcome
            do {
                pushed = try repo.push(remote: Self.remoteName, localRef: Self.localRef, branch: Self.branch, credentials: credentials)
            } catch let error as GitError {
                report.outcome = classify(error, remoteURL: remoteURL)
                break
            }
            environment.reached(.push)
            switch pushed {
            case .pushed:
                try locked { try repo.setReference(Self.trackingRef, to: local, message: "kbm: pushed") }
                break loop
            case .rejected(let reason):
                refusedAgainst = (remoteTip, reason)
            }
            report.pushRetries += 1
            if attempt >= Self.maxPushAttempts {
                report.outcome = .busy(attempts: attempt)
                break
            }
            // Offices racing for the same tip retry at random moments, growing, so one of them wins.
            environment.sleep(Double.random(in: 0.01...(0.06 * Double(attempt))))
        }
        report.pushed = report.outcome.isSynced
        try locked {
            if report.outcome.isSynced {
                try store.write { tx in try tx.setSetting(Settings.lastSync, environment.timestamp().rawValue) }
            }
            report.head = try repo.reference(Self.localRef)?.hex
            report.quarantined = try store.read { try $0.quarantine() }
            report.rejected = RejectedCommit.group(try store.read { try $0.rejectedChanges() })
        }
        return report
    }

    /// The local steps after a fetch, under the writer lock: apply an erasure or note a rewritten
    /// history, verify the incoming commits, merge, update the registry pins, import into the store.
    func integrateFetched(_ remoteTip: ObjectID?, previous previousTip: ObjectID?, remoteURL: String, attempt: Int) throws {
        // A rewrite the agency signed as an erasure is applied, not reported as a force-push.
        let rewrite = try applyErasures(fetched: remoteTip, previous: previousTip) ? nil : detectRewrite(from: previousTip, to: remoteTip)
        try store.write { tx in
            try tx.setSetting(Settings.lastFetch, environment.timestamp().rawValue)
            if let rewrite { try tx.setSetting(Settings.historyRewritten, rewrite.stored) }
        }
        if let rewrite { report.historyRewritten = rewrite }
        environment.reached(.fetch)
        if let remoteTip, let local = try repo.reference(Self.localRef), try repo.mergeBase(local, remoteTip) == nil {
            // An unrelated history (the remote was replaced): merge it only if it is a region.
            try refuseIfNotARegion(remoteTip, url: remoteURL)
        }
        if let remoteTip {
            environment.progress(SyncProgress(step: .verifying, attempt: attempt))
            // Changes made without authority stay out: their files are held at the last valid version.
            let held = try verifyIncoming(remoteTip)
            environment.progress(SyncProgress(step: .merging, attempt: attempt))
            try integrate(remoteTip, holding: held)
        }
        try updatePins()
        environment.progress(SyncProgress(step: .importing, attempt: attempt))
        try importIntoStore()
    }

    /// Runs one local step under the workspace's writer lock.
    func locked<T>(_ body: () throws -> T) throws -> T {
        try context.locking.exclusive(body)
    }

    /// The outcome of a failed fetch or push (see `SyncOutcome.classify`).
    func classify(_ error: GitError, remoteURL: String) -> SyncOutcome {
        SyncOutcome.classify(error, remoteURL: remoteURL, workspacePath: repo.path)
    }

    // MARK: step 2b: a rewritten (force-pushed) remote history

    /// A rewrite: the remote tip fetched before is no longer in the remote's history (force-push,
    /// or the branch deleted). Nothing needs undoing: the merge with the new tip keeps every record
    /// of our side (its base is older than the dropped commits), and the push brings them back.
    package func detectRewrite(from previous: ObjectID?, to tip: ObjectID?) throws -> HistoryRewrite? {
        guard let previous, previous != tip else { return nil }
        if let tip, try repo.isAncestor(previous, of: tip) { return nil }
        let dropped = try repo.commits(from: previous, hiding: tip.map { [$0] } ?? []).count
        let oldTree = try repo.commitTree(previous)
        let newTree = try tip.map { try repo.commitTree($0) }
        // Record files the dropped history had that the new tip lacks or holds differently.
        let records = try repo.diffTrees(newTree, oldTree).filter { change in
            guard let entry = change.new, case .record = PathPolicy.judge(entry, schema: schema) else { return false }
            return true
        }.count
        return HistoryRewrite(previousTip: previous.hex, newTip: tip?.hex, droppedCommits: dropped, records: records,
                              detected: environment.timestamp().rawValue)
    }

    // MARK: step 0: finish an import a crash interrupted

    /// If the store lags behind refs/heads/main (a crash after a merge), imports the difference first.
    package func recoverInterruptedImport() throws {
        let storeCommit = try store.read { try $0.setting(Settings.storeCommit) }.flatMap(ObjectID.init(hex:))
        let head = try repo.reference(Self.localRef)
        if let head, head != storeCommit { try importIntoStore() }
    }

    // MARK: step 1: commit

    /// Writes the changed records as files and commits them on top of refs/heads/main.
    /// Idempotent: if the tree already holds these changes (a crash after the ref moved), no new commit.
    package func commitLocalChanges() throws -> Int {
        // The shared copies only: the store decided which personal values may leave (`privacySplit`).
        // Strict: a changed record whose row cannot be decoded (any column) stops the sync before
        // anything is committed; it is never committed empty or left out silently.
        let (dirty, deletions): ([Record], [PendingDeletion])
        do {
            (dirty, deletions) = try store.read { tx in
                _ = try tx.dirtyRecords()
                return (try tx.dirtySharedRecords(), try tx.pendingDeletions())
            }
        } catch let error as StoreError {
            guard let row = error.undecodable else { throw error }
            throw KBMError.failure(row.message(stopped: "Sync stopped before committing; nothing was committed or shared"))
        }
        let registryFiles = pendingRegistryFiles()
        guard !dirty.isEmpty || !deletions.isEmpty || !registryFiles.isEmpty else { return 0 }
        let head = try repo.reference(Self.localRef)
        let baseTree = try head.map { try repo.commitTree($0) }
        var upserts: [String: ObjectID] = [:]
        var lines: [String] = []
        for record in dirty {
            let path = RecordLayout.path(of: record, schema: schema)
            let text = RecordWriter.write(record, schema: schema)
            upserts[path] = try repo.writeBlob(Data(text.utf8))
            let existed = try baseTree.map { try repo.treeEntry($0, path: path) != nil } ?? false
            lines.append("- \(existed ? "edit" : "add") \(record.kind) \(record.id) \(oneLine(record.title(schema: schema)))")
        }
        for (path, data) in registryFiles {
            upserts[path] = try repo.writeBlob(data)
            if try baseTree.flatMap({ try repo.treeEntry($0, path: path)?.id }) != upserts[path] { lines.append("- registry \(path)") }
        }
        var removals: [String] = []
        for deletion in deletions {
            let path = RecordLayout.path(county: deletion.county, kind: deletion.kind, id: deletion.id, schema: schema)
            if try baseTree.map({ try repo.treeEntry($0, path: path) != nil }) ?? false {
                removals.append(path)
                lines.append("- delete \(deletion.kind) \(deletion.id)")
            }
        }
        let newTree = try repo.updateTree(base: baseTree, upserts: upserts, removals: removals)
        var commit = head
        if newTree != baseTree || head == nil {
            let count = lines.count
            // The message lists the records, up to a limit: a first import of thousands of records
            // would otherwise make a commit object of megabytes that every history walk reads.
            let listed = lines.sorted()
            let shown = listed.prefix(Self.maxListedInMessage).joined(separator: "\n")
            let more = listed.count > Self.maxListedInMessage ? "\n… and \(listed.count - Self.maxListedInMessage) more" : ""
            let message = CommitTrailer.appending(county: context.county, to: "\(context.county): \(count) record\(count == 1 ? "" : "s") changed\n\n" + shown + more + "\n")
            let signature = gitSignature()
            let created = try repo.createCommit(tree: newTree, parents: head.map { [$0] } ?? [], author: signature, committer: signature, message: message, sign: signer)
            environment.reached(.commitObject)
            try repo.setReference(Self.localRef, to: created, expecting: head.map { .pointsTo($0) } ?? .absent, message: "kbm: commit local changes")
            environment.reached(.commitRef)
            commit = created
        }
        try store.write { tx in
            try tx.markCommitted(records: dirty.map(\.id), deletions: deletions.map(\.id))
            // The files just written hold valid records (or are gone): a quarantine entry for one of
            // them (an invalid version this office repaired) is over. The import below starts from
            // this commit, so it would never see these paths again.
            for path in Array(upserts.keys) + removals { try tx.releaseFromQuarantine(path) }
            if let commit {
                try tx.setSetting(Settings.storeCommit, commit.hex)
                try reconsiderQuarantinedCopies(of: deletions.map(\.id), head: commit, tx: tx)
            }
        }
        environment.reached(.commitStore)
        clearPendingRegistry(registryFiles.keys)
        return newTree != baseTree ? upserts.count + removals.count : 0
    }

    package func oneLine(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 60 ? String(line.prefix(57)) + "…" : line
    }

    package func gitSignature() -> Signature {
        Signature(name: context.author.name, email: context.author.email, date: environment.now(), timeZone: TimeZone(identifier: "UTC") ?? .current)
    }

    // MARK: step 3: merge

    /// Brings refs/heads/main up to date with the fetched tip: fast-forward, or a three-way
    /// merge of the records both sides changed. The `held` files of the tip (refused changes)
    /// count at their last valid version, so the tree kbm commits never carries them on.
    package func integrate(_ remoteTip: ObjectID, holding held: [String: Held] = [:]) throws {
        let local = try repo.reference(Self.localRef)
        if let local, try local == remoteTip || repo.isAncestor(remoteTip, of: local) { return }
        if try local.map({ try repo.isAncestor($0, of: remoteTip) }) ?? true {
            // Fast-forward, or a commit on the tip that puts the held files back.
            let target = held.isEmpty ? remoteTip : try healingCommit(on: remoteTip, holding: held)
            if !held.isEmpty { environment.reached(.mergeObject) }
            try repo.setReference(Self.localRef, to: target, expecting: local.map { .pointsTo($0) } ?? .absent, message: local == nil ? "kbm: first fetch" : "kbm: fast-forward")
            return
        }
        guard let local else { return }
        let base = try repo.mergeBase(local, remoteTip)
        // The base at its valid versions too: a base that holds refused content would make the
        // attacker's version the ancestor, and both sides' valid versions a conflict against it.
        let baseTree = try base.map { try healedTree($0, holding: makeVerifier(anchor: local).taint(of: $0)) }
        let oursTree = try repo.commitTree(local)
        let theirsTree = try healedTree(remoteTip, holding: held)
        let oursChanges = try repo.diffTrees(baseTree, oursTree)
        let theirsChanges = Dictionary(try repo.diffTrees(baseTree, theirsTree).map { ($0.pathBytes, $0) }, uniquingKeysWith: { a, _ in a })
        let oursInfo = try repo.commitInfo(local), theirsInfo = try repo.commitInfo(remoteTip)
        let oursSide = MergeSide(county: context.county.rawValue, author: "\(oursInfo.author.name) <\(oursInfo.author.email)>", commit: local.hex)
        let theirsSide = MergeSide(county: try attributedCounty(theirsInfo), author: "\(theirsInfo.author.name) <\(theirsInfo.author.email)>", commit: remoteTip.hex)
        var upserts: [String: ObjectID] = [:]
        var removals: [String] = []
        var merged: [String] = []
        var conflicts = 0
        for ours in oursChanges {
            let path = ours.path
            guard let theirs = theirsChanges[ours.pathBytes] else {
                // Changed on our side only: take ours.
                if let entry = ours.new { upserts[path] = entry.id } else { removals.append(path) }
                continue
            }
            // Both made identical changes.
            if ours.new?.id == theirs.new?.id { continue }
            guard let any = ours.new ?? ours.old, case .record = PathPolicy.judge(any, schema: schema) else { continue }
            let baseRecord = ours.old.flatMap { try? parse($0, path: path) }
            let oursRecord = ours.new.flatMap { try? parse($0, path: path) }
            let theirsRecord: Record?
            if let entry = theirs.new {
                guard let parsed = try? parse(entry, path: path) else {
                    // Theirs is not a valid record (it goes to quarantine): keep ours in the tree.
                    if let entry = ours.new { upserts[path] = entry.id } else { removals.append(path) }
                    continue
                }
                theirsRecord = parsed
            } else {
                theirsRecord = nil
            }
            // A record this office may not change: merged content would be new content that only an
            // owner may sign, so the merge keeps one side's version as it is (the owner merges later).
            let versions = [baseRecord, oursRecord, theirsRecord].compactMap { $0 }
            if context.county != .agency, !versions.allSatisfy({ $0.owners.contains(context.county) }) {
                if keepsOurs(ours: oursRecord, theirs: theirsRecord) {
                    if let entry = ours.new { upserts[path] = entry.id } else { removals.append(path) }
                }
                continue
            }
            var result = RecordMerge.merge(base: baseRecord, ours: oursRecord, theirs: theirsRecord, oursSide: oursSide, theirsSide: theirsSide, schema: schema)
            if !result.conflicts.isEmpty {
                // Name each side by the commit that last changed this record, not the branch tip.
                let exactOurs = try lastChange(of: path, from: local, hiding: base) ?? oursSide
                let exactTheirs = try lastChange(of: path, from: remoteTip, hiding: base) ?? theirsSide
                result = RecordMerge.merge(base: baseRecord, ours: oursRecord, theirs: theirsRecord, oursSide: exactOurs, theirsSide: exactTheirs, schema: schema)
            }
            conflicts += result.conflicts.count
            merged.append("- \(path)\(result.conflicts.isEmpty ? "" : " (\(result.conflicts.count) conflict\(result.conflicts.count == 1 ? "" : "s"))")")
            if let record = result.record {
                upserts[path] = try repo.writeBlob(Data(RecordWriter.write(record, schema: schema).utf8))
            } else {
                removals.append(path)
            }
        }
        report.conflicts += conflicts
        let tree = try repo.updateTree(base: theirsTree, upserts: upserts, removals: removals)
        var message = "\(context.county): merge \(theirsSide.county == context.county.rawValue ? "" : "with \(theirsSide.county) ")(\(merged.count) record\(merged.count == 1 ? "" : "s") merged field by field, \(conflicts) conflict\(conflicts == 1 ? "" : "s"))\n"
        if !merged.isEmpty { message += "\n" + merged.joined(separator: "\n") + "\n" }
        message = CommitTrailer.appending(county: context.county, to: message)
        let signature = gitSignature()
        let commit = try repo.createCommit(tree: tree, parents: [local, remoteTip], author: signature, committer: signature, message: message, sign: signer)
        environment.reached(.mergeObject)
        try repo.setReference(Self.localRef, to: commit, expecting: .pointsTo(local), message: "kbm: merge")
        environment.reached(.mergeRef)
    }

    /// For a record this office may not change, whether a merge keeps our side's version (else
    /// theirs): both are valid versions an owner signed, so the one its owner edited last
    /// (`updated`); a record kept over a deletion; theirs on a tie. The owners merge both later.
    package func keepsOurs(ours: Record?, theirs: Record?) -> Bool {
        guard let ours else { return false }
        guard let theirs else { return true }
        return ours.updated.rawValue > theirs.updated.rawValue
    }

    /// The newest commit on `tip`'s side (not reachable from `base`) that changed `path`.
    package func lastChange(of path: String, from tip: ObjectID, hiding base: ObjectID?) throws -> MergeSide? {
        if changeIndex[tip] == nil {
            // One walk per side and sync: each commit is diffed once against its first parent
            // (equal subtrees skipped), and every path remembers the newest commit that changed it.
            var index: [String: MergeSide] = [:]
            for commit in try repo.commits(from: tip, hiding: base.map { [$0] } ?? []).reversed() {
                let info = try repo.commitInfo(commit)
                let parentTree = try info.parents.first.map { try repo.commitTree($0) }
                let side = MergeSide(county: try attributedCounty(info), author: "\(info.author.name) <\(info.author.email)>", commit: commit.hex)
                for change in try repo.diffTrees(parentTree, info.tree) where index[change.path] == nil {
                    index[change.path] = side
                }
            }
            changeIndex[tip] = index
        }
        return changeIndex[tip]?[path]
    }

    package func parse(_ entry: TreeEntry, path: String) throws -> Record {
        guard entry.mode == .regular || entry.mode == .executable else { throw RecordParseError(path: path, message: "not a regular file") }
        guard try repo.blobSize(entry.id) <= RecordParser.maxFileSize else { throw RecordParseError(path: path, message: "file is larger than 1 MiB") }
        return try RecordParser.parse(data: try repo.readBlob(entry.id), path: path, schema: schema)
    }

    // MARK: step 4: import

    /// Makes the store hold the records of refs/heads/main, reading only what changed since the
    /// commit the store last imported. Local changes not yet committed are merged, never overwritten.
    package func importIntoStore() throws {
        guard let head = try repo.reference(Self.localRef) else { return }
        let storeCommit = try store.read { try $0.setting(Settings.storeCommit) }.flatMap(ObjectID.init(hex:))
        guard storeCommit != head else { return }
        let oldTree = try storeCommit.map { try repo.commitTree($0) }
        let newTree = try repo.commitTree(head)
        let changes = try repo.diffTrees(oldTree, newTree)
        let now = environment.timestamp().rawValue
        let verdicts = changes.map { change in change.new.map { PathPolicy.judge($0, schema: schema) } }
        // Ids that several files claim are imported last, from the file history says owns them (IDOwnership.swift).
        var claims = IDClaims(zip(changes, verdicts).compactMap { change, verdict -> (RecordID, String)? in
            guard case .record(_, _, let id)? = verdict else { return nil }
            return (id, change.path)
        })
        var contestedChanges: [String: Int] = [:]
        try store.write { tx in
            /// Quarantined files of the tree that claim `id` (copies, kept out while another file held it).
            func quarantinedCopies(of id: RecordID) throws -> [String] {
                try tx.quarantinedPaths(claiming: id).filter { try repo.treeEntry(newTree, path: $0) != nil }
            }
            /// Imports one change. A record whose id several files claim waits for `settleContestedIDs`,
            /// which calls this again with `settling`.
            func importChange(_ index: Int, settling: Bool = false) throws {
                let change = changes[index]
                let path = change.path
                guard let entry = change.new, let verdict = verdicts[index] else {
                    try tx.releaseFromQuarantine(path)
                    // Only the record that lives at this path: a quarantined copy elsewhere with the same id must not take it along.
                    if let old = change.old, case .record(_, _, let id) = PathPolicy.judge(old, schema: schema),
                       let existing = try tx.record(id), RecordLayout.path(of: existing, schema: schema) == path, try !tx.isDirty(id) {
                        try tx.delete(id, pending: false)
                        report.received += 1
                        report.arrived.append(ArrivedRecord(existing, deleted: true))
                        // Copies of the id held in quarantine: without this file, one of them owns it now, as in a fresh clone.
                        for copy in try quarantinedCopies(of: id) { claims.contest(id, copy) }
                    }
                    return
                }
                switch verdict {
                case .ignored:
                    return
                case .refused(let reason):
                    try tx.putInQuarantine(QuarantineEntry(path: path, commit: head.hex, reason: reason, line: nil, detected: now))
                case .record(let county, let kind, let id):
                    if !settling && claims.isContested(id) { contestedChanges[path] = index; return }
                    let record: Record
                    do {
                        record = try parse(entry, path: path)
                    } catch let error as RecordParseError {
                        var reason = error
                        reason.path = nil
                        reason.line = nil
                        try tx.putInQuarantine(QuarantineEntry(path: path, commit: head.hex, reason: reason.description, line: error.line, detected: now))
                        return
                    }
                    guard record.id == id, record.kind == kind, record.county == county else {
                        try tx.putInQuarantine(QuarantineEntry(path: path, commit: head.hex, reason: "the path says \(county)/\(kind)/\(id) but the file says \(record.county)/\(record.kind)/\(record.id)", line: nil, detected: now))
                        return
                    }
                    if let existing = try tx.record(id) {
                        if existing.county != county || existing.kind != kind {
                            let existingPath = RecordLayout.path(of: existing, schema: schema)
                            if try repo.treeEntry(newTree, path: existingPath) != nil {
                                // Another file of the tree holds this id: history decides, after the others.
                                claims.contest(id, existingPath, path)
                                contestedChanges[path] = index
                                return
                            }
                            if try tx.isDirty(id) {
                                try tx.putInQuarantine(QuarantineEntry(path: path, commit: head.hex, reason: "id \(id) is already used by the \(existing.kind) of \(existing.county)", line: nil, detected: now))
                                return
                            }
                            // The file that held the id is gone from the tree: this one takes the id, as in a fresh
                            // clone, unless copies kept in quarantine claim it too (then history decides).
                            try tx.delete(id, pending: false)
                            let copies = try quarantinedCopies(of: id).filter { $0 != path }
                            if !settling && !copies.isEmpty {
                                claims.contest(id, path)
                                for copy in copies { claims.contest(id, copy) }
                                contestedChanges[path] = index
                                return
                            }
                        }
                        if try tx.isDirty(id) {
                            // A local change not yet committed (after a crash): merge, keep it dirty.
                            let base = try oldTree.flatMap { try repo.treeEntry($0, path: path) }.flatMap { try? parse($0, path: path) }
                            let side = MergeSide(county: context.county.rawValue, author: context.author.description, commit: "local")
                            let theirs = MergeSide(county: county.rawValue, author: "", commit: head.hex)
                            let ours = try tx.sharedRecord(id) ?? existing.sharedPart(schema: schema)
                            let result = RecordMerge.merge(base: base, ours: ours, theirs: record.sharedPart(schema: schema), oursSide: side, theirsSide: theirs, schema: schema)
                            if var merged = result.record {
                                // The values kept here come back; what the region holds may stay shared.
                                for (name, value) in existing.fields where merged.fields[name] == nil && ours.fields[name] == nil {
                                    if schema.field(name, of: kind)?.privacy == .local { merged.fields[name] = value }
                                }
                                try tx.save(merged, dirty: true, alsoPublic: record.sharedPart(schema: schema))
                            }
                            try tx.releaseFromQuarantine(path)
                            return
                        }
                        if try tx.sharedRecord(id) == record.sharedPart(schema: schema) { try tx.releaseFromQuarantine(path); return }
                    }
                    try tx.save(record, dirty: false, keepLocalFields: true)
                    try tx.releaseFromQuarantine(path)
                    report.received += 1
                    report.arrived.append(ArrivedRecord(record))
                }
            }
            for index in changes.indices { try importChange(index) }
            try settleContestedIDs(claims, changes: contestedChanges, head: head, newTree: newTree, tx: tx, now: now, importChange: { try importChange($0, settling: true) })
            try tx.setSetting(Settings.storeCommit, head.hex)
        }
        environment.reached(.importDone)
    }
}

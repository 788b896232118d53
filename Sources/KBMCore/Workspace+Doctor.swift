import Foundation
import KBMGit
import KBMRecords
import KBMStore
import KBMSync

/// What `kbm doctor` found, and what it did.
public struct DoctorReport: Sendable {
    public var problems: [String] = []
    public var repairs: [String] = []
    public var notes: [String] = []

    /// The database was rebuilt from scratch (it was missing or damaged).
    public var rebuilt = false

    public var healthy: Bool { problems.isEmpty }

    public var json: JSONValue {
        .object([("healthy", .bool(healthy)), ("problems", .array(problems.map(JSONValue.string))),
                 ("repairs", .array(repairs.map(JSONValue.string))), ("notes", .array(notes.map(JSONValue.string)))])
    }

    public var text: String {
        var lines: [String] = []
        lines += notes.map { "• \($0)" }
        if problems.isEmpty { lines.append("The workspace is healthy.") } else {
            lines.append("Problems:")
            lines += problems.map { "  ✗ \($0)" }
        }
        if !repairs.isEmpty {
            lines.append("Repairs:")
            lines += repairs.map { "  ✓ \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}

extension Workspace {
    /// Checks the store's integrity, that it matches the repository, and that quarantine and
    /// pending changes are consistent. With `repair`, rebuilds what is wrong from the repository.
    public static func doctor(root: String, repair: Bool) throws -> DoctorReport {
        var report = DoctorReport()
        // A repair writes: it holds the writer lock from before it looks at the database.
        let lock = repair ? try WorkspaceLock(path: root + "/" + dotDir + "/lock", timeout: writeWait) : nil
        guard let workspace = try openForRepair(root: root, repair: repair, lock: lock, report: &report) else { return report }
        try workspace.checkConsistency(report: &report, repair: repair)
        return report
    }

    /// `kbm rebuild`: the shared part of the store rebuilt from the repository, local fields and
    /// unsynced changes kept. A database that is missing, damaged or not a workspace's is
    /// recovered first, exactly as `kbm doctor --repair` does (the same code). Returns the number
    /// of records and what was repaired on the way.
    public static func rebuild(root: String) throws -> (records: Int, report: DoctorReport) {
        var report = DoctorReport()
        let lock = try WorkspaceLock(path: root + "/" + dotDir + "/lock", timeout: writeWait)
        guard let workspace = try openForRepair(root: root, repair: true, lock: lock, report: &report) else {
            throw KBMError.failure("Cannot rebuild the workspace at \(root). Run `kbm doctor` to see why.")
        }
        if !report.rebuilt {
            let repaired = try workspace.rebuildRepairing()
            if !repaired.rows.isEmpty { report.repairs.append(try workspace.restoredSentence(repaired)) }
        }
        return (try workspace.store.read { try $0.count() }, report)
    }

    /// Opens the workspace's database for `kbm doctor` and `kbm rebuild`. A database that is
    /// missing, fails SQLite's integrity check or cannot be opened is reported; with `repair` it is
    /// moved aside and a new one rebuilt from the repository (`report.rebuilt`). A database that is
    /// sound but lost its county and user gets them back from `.kbm/workspace` (nothing is lost).
    /// Returns nil when there is nothing to check further (not repaired).
    static func openForRepair(root: String, repair: Bool, lock: WorkspaceLock?, report: inout DoctorReport) throws -> Workspace? {
        let storePath = root + "/" + dotDir + "/store.sqlite"
        let shown = dotDir + "/store.sqlite"
        let missing = !FileManager.default.fileExists(atPath: storePath)
        var workspace: Workspace?
        var sound = false
        if missing {
            report.problems.append("The local database \(shown) is missing.")
        } else {
            do {
                let store = try Store(path: storePath)
                let integrity = try store.integrityCheck()
                if integrity != ["ok"] {
                    report.problems.append("SQLite integrity check of \(storePath): \(integrity.prefix(5).joined(separator: "; "))")
                } else {
                    sound = true
                    if repair, try store.read({ try $0.setting(Settings.county) }) == nil, let (county, author) = readIdentity(root: root) {
                        // A sound database without its identity (a half-created one): keep it, restore the identity.
                        try store.write { tx in try writeIdentity(tx, county: county, author: author) }
                        report.problems.append("The local database \(shown) had no county or user set.")
                        report.repairs.append("Restored the county (\(county)) and the user from .kbm/workspace.")
                    }
                    workspace = try Workspace(root: root, store: store, lock: lock)
                }
            } catch {
                report.problems.append("The local database \(storePath) cannot be opened (\(KBMError.from(error).message)).")
                workspace = nil
            }
        }
        if workspace == nil || !sound {
            guard repair else {
                report.notes.append("Run `kbm doctor --repair` (or `kbm rebuild`) to rebuild the database from the repository. Committed data is safe in .kbm/repo.git.")
                return nil
            }
            return try rebuildDamagedStore(root: root, missing: missing, lock: lock, report: &report)
        }
        return workspace
    }

    /// Moves a damaged database aside (after taking the writer lock) and rebuilds a new one from
    /// the repository.
    static func rebuildDamagedStore(root: String, missing: Bool, lock: WorkspaceLock?, report: inout DoctorReport) throws -> Workspace {
        let dot = root + "/" + dotDir
        guard let (county, author) = readIdentity(root: root) else {
            throw KBMError.failure("Cannot rebuild: \(dot)/workspace (county and user) is missing too. Create a new workspace with `kbm clone`.")
        }
        // No other kbm may use the database while it is moved and replaced.
        guard let lock else { throw KBMError.failure("Cannot rebuild the database of \(root) without the workspace's writer lock.") }
        let stamp = Timestamp.now().rawValue.replacingOccurrences(of: ":", with: "")
        var moved = false
        for suffix in ["", "-wal", "-shm"] {
            let path = dot + "/store.sqlite" + suffix
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do {
                try FileManager.default.moveItem(atPath: path, toPath: dot + "/store.sqlite.damaged-\(stamp)" + suffix)
                moved = moved || suffix.isEmpty
            } catch {
                throw KBMError.failure("Cannot move the damaged database \(path) aside (\(KBMError.describe(error))), so it was not rebuilt. Committed data is safe in .kbm/repo.git; free the folder (permissions, disk space) and run the command again.")
            }
        }
        let store = try Store(path: dot + "/store.sqlite")
        try store.write { tx in try writeIdentity(tx, county: county, author: author) }
        let workspace = try Workspace(root: root, store: store, lock: lock)
        try workspace.rebuildRepairing()
        let count = try store.read { try $0.count() }
        let start = moved ? "Moved the damaged database to .kbm/store.sqlite.damaged-\(stamp) and rebuilt it" : "Created a new database and filled it"
        report.repairs.append("\(start) from the repository: \(count) records, everything that was committed.")
        report.notes.append("Lost with the \(missing ? "missing" : "damaged") database: local changes made since the last sync (not yet committed), and local fields (e-mail, phone, notes, last contact) that never leave this laptop. Shared fields of every committed record are back.")
        report.rebuilt = true
        return workspace
    }

    /// The rows the store could not decode, for a report.
    static func listRows(_ rows: [UndecodableRow]) -> String {
        let shown = rows.prefix(10).map { "record \($0.id) (column '\($0.column)': \($0.problem))" }.joined(separator: "; ")
        return shown + (rows.count > 10 ? "; … and \(rows.count - 10) more" : "")
    }

    /// What the repair of undecodable rows did: restored from the repository, or removed (a
    /// record the repository does not hold).
    func restoredSentence(_ repaired: (rows: [UndecodableRow], copy: String?)) throws -> String {
        let rows = repaired.rows
        let present = try store.read { try $0.recordIDs() }
        let removed = rows.filter { row in RecordID(row.id).map { !present.contains($0) } ?? true }
        var text = "Restored \(rows.count) row\(rows.count == 1 ? "" : "s") that could not be decoded from the repository (local fields kept where they decode): \(Self.listRows(rows))."
        if !removed.isEmpty {
            text += " Removed, as the repository does not hold \(removed.count == 1 ? "it" : "them") (never synced): \(Set(removed.map(\.id)).sorted().joined(separator: ", "))."
        }
        if let copy = repaired.copy { text += " The rows as they were are kept in \(copy)." }
        return text
    }

    func checkConsistency(report: inout DoctorReport, repair: Bool) throws {
        // Rows the store refuses to decode: everything below reads records.
        let broken = try store.read { try $0.undecodableRows() }
        if !broken.isEmpty {
            report.problems.append("\(broken.count) row\(broken.count == 1 ? "" : "s") of the database cannot be decoded (kbm refuses to read or commit \(broken.count == 1 ? "it" : "them")): \(Self.listRows(broken)).")
            guard repair else {
                report.notes.append("Run `kbm doctor --repair` (or `kbm rebuild`) to restore them from the repository; local fields are kept where they decode, a change not yet synced in a damaged row is lost.")
                return
            }
            report.repairs.append(try restoredSentence(try rebuildRepairing()))
        }
        // The search index holds one row per record, no more.
        let (unindexed, stale) = try store.read { try $0.searchIndexMismatch() }
        if unindexed + stale > 0 {
            report.problems.append("The search index misses \(unindexed) record\(unindexed == 1 ? "" : "s") and holds \(stale) that \(stale == 1 ? "is" : "are") gone.")
            if repair {
                try store.write { try $0.rebuildSearchIndex() }
                report.repairs.append("Rebuilt the search index.")
            } else {
                report.notes.append("Run `kbm doctor --repair` (or `kbm rebuild`) to rebuild it.")
            }
        }
        let repo = try repository()
        let head = try repo.reference("refs/heads/main")
        let (storeCommitText, dirty, deletions, quarantine, records) = try store.read { tx in
            (try tx.setting(Settings.storeCommit), try tx.dirtyRecords(), try tx.pendingDeletions(), try tx.quarantine(), try tx.sharedRecords())
        }
        report.notes.append("\(records.count) records, \(dirty.count) local change\(dirty.count == 1 ? "" : "s") and \(deletions.count) deletion\(deletions.count == 1 ? "" : "s") waiting for the next sync, \(quarantine.count) file\(quarantine.count == 1 ? "" : "s") in quarantine.")
        guard let head else {
            report.notes.append("The repository has no commits yet.")
            return
        }
        let storeCommit = storeCommitText.flatMap(ObjectID.init(hex:))
        if storeCommit != head {
            report.problems.append("The database lags behind the repository (an interrupted sync).")
            if repair { _ = try rebuild(); report.repairs.append("Imported the repository's records into the database.") }
            return
        }
        // Compare every record file with the database.
        let dirtyIDs = Set(dirty.map(\.id)).union(deletions.map(\.id))
        var byID: [RecordID: Record] = [:]
        for record in records { byID[record.id] = record }
        var mismatches: [String] = []
        var inRepo: Set<RecordID> = []
        let quarantined = Set(quarantine.map(\.path))
        let entries = try repo.treeEntries(repo.commitTree(head))
        for entry in entries {
            guard case .record(let county, let kind, let id) = PathPolicy.judge(entry, schema: schema) else { continue }
            inRepo.insert(id)
            if quarantined.contains(entry.path) {
                // Still in quarantine although the file is valid now (and its id not another record's).
                if let data = try? repo.readBlob(entry.id), let file = try? RecordParser.parse(data: data, path: entry.path, schema: schema),
                   file.id == id, file.county == county, file.kind == kind, byID[id].map({ $0.county == county && $0.kind == kind }) ?? true {
                    mismatches.append("\(entry.path) is listed in quarantine but holds a valid record")
                }
                continue
            }
            if dirtyIDs.contains(id) { continue }
            guard let data = try? repo.readBlob(entry.id), let file = try? RecordParser.parse(data: data, path: entry.path, schema: schema) else {
                mismatches.append("\(entry.path) does not parse but is not in quarantine")
                continue
            }
            guard let stored = byID[id] else { mismatches.append("\(entry.path) is missing from the database"); continue }
            if stored != file.sharedPart(schema: schema) { mismatches.append("\(entry.path) differs from the database") }
        }
        for record in records where !inRepo.contains(record.id) && !dirtyIDs.contains(record.id) {
            mismatches.append("record \(record.id) is in the database but not in the repository")
        }
        // Compared with the listing, not looked up by path: a quarantined name may hold '..' or
        // invalid UTF-8 (stored decoded), which a path lookup cannot find.
        let paths = Set(entries.map(\.path))
        for entry in quarantine where !paths.contains(entry.path) {
            report.problems.append("quarantine lists \(entry.path), which is no longer in the repository")
            if repair { try store.write { try $0.releaseFromQuarantine(entry.path) }; report.repairs.append("Released \(entry.path) from quarantine.") }
        }
        if !mismatches.isEmpty {
            report.problems.append("The database and the repository disagree on \(mismatches.count) record\(mismatches.count == 1 ? "" : "s"): " + mismatches.prefix(5).joined(separator: "; "))
            if repair {
                _ = try rebuild()
                report.repairs.append("Rebuilt the shared part of the database from the repository (local fields and unsynced changes kept).")
            } else {
                report.notes.append("Run `kbm doctor --repair` (or `kbm rebuild`) to fix it; local fields and unsynced changes are kept.")
            }
        }
    }
}

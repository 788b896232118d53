import Foundation
import KBMGit
import KBMRecords
import KBMStore

/// What `kbm doctor` found, and what it did.
public struct DoctorReport: Sendable {
    public var problems: [String] = []
    public var repairs: [String] = []
    public var notes: [String] = []

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
        let storePath = root + "/" + dotDir + "/store.sqlite"
        var workspace: Workspace?
        do {
            let store = try Store(path: storePath)
            let integrity = try store.integrityCheck()
            if integrity != ["ok"] { report.problems.append("SQLite integrity check of \(storePath): \(integrity.prefix(5).joined(separator: "; "))") }
            workspace = try Workspace(root: root, store: store)
        } catch {
            report.problems.append("The local database \(storePath) cannot be opened (\(KBMError.from(error).message)).")
        }
        if workspace == nil || !report.problems.isEmpty {
            guard repair else {
                report.notes.append("Run `kbm doctor --repair` to rebuild the database from the repository. Committed data is safe in .kbm/repo.git.")
                return report
            }
            workspace = try rebuildDamagedStore(root: root, report: &report)
        }
        guard let workspace else { return report }
        try workspace.checkConsistency(report: &report, repair: repair)
        return report
    }

    /// Moves a damaged database aside and rebuilds a new one from the repository.
    static func rebuildDamagedStore(root: String, report: inout DoctorReport) throws -> Workspace {
        let dot = root + "/" + dotDir
        guard let (county, author) = readIdentity(root: root) else {
            throw KBMError.failure("Cannot rebuild: \(dot)/workspace (county and user) is missing too. Create a new workspace with `kbm clone`.")
        }
        let stamp = Timestamp.now().rawValue.replacingOccurrences(of: ":", with: "")
        for suffix in ["", "-wal", "-shm"] {
            let path = dot + "/store.sqlite" + suffix
            if FileManager.default.fileExists(atPath: path) {
                try? FileManager.default.moveItem(atPath: path, toPath: dot + "/store.sqlite.damaged-\(stamp)" + suffix)
            }
        }
        let store = try Store(path: dot + "/store.sqlite")
        try store.write { tx in try writeIdentity(tx, county: county, author: author) }
        let workspace = try Workspace(root: root, store: store)
        let count = try workspace.rebuild()
        report.repairs.append("Moved the damaged database to .kbm/store.sqlite.damaged-\(stamp) and rebuilt it from the repository: \(count) records, everything that was committed.")
        report.notes.append("Lost with the damaged database: local changes made since the last sync (not yet committed), and local fields (e-mail, phone, notes, last contact) that never leave this laptop. Shared fields of every committed record are back.")
        return workspace
    }

    func checkConsistency(report: inout DoctorReport, repair: Bool) throws {
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

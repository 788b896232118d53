import Foundation
import KBMGit
import KBMReconcile
import KBMRecords
import KBMStore
import KBMSync

/// What `kbm status` shows.
public struct WorkspaceStatus: Sendable {
    public var county: String
    public var user: String
    public var remote: String?
    public var uncommitted: [String]
    public var unpushedCommits: Int
    public var remoteAhead: Int
    public var lastSync: String?
    public var lastFetch: String?
    public var conflicts: [(id: String, field: String)]
    public var quarantined: [QuarantineEntry]
    public var violations: [ConstraintViolation] = []
    /// Merge links that fold records their county does not own: ignored (see LinkGraph.mergeProblem).
    public var ignoredLinks: [IgnoredLink] = []
    public var openMode: Bool
    /// Commits refused by the authorship rules (see `kbm verify`).
    public var rejected: [RejectedCommit] = []
    /// The public key that signs this workspace's commits, nil without one.
    public var signingKey: String?
    /// The last rewrite of the remote's history a sync found, and whether the region has the dropped commits again.
    public var historyRewrite: (rewrite: HistoryRewrite, restored: Bool)?
    /// Disclosures in this office's records not made on this laptop (see `DisclosureReview`).
    public var disclosuresToReview: [PrivacyReport.Disclosure] = []

    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("county", .string(county)), ("user", .string(user)), ("remote", remote.map(JSONValue.string) ?? .null),
            ("uncommitted", .array(uncommitted.map(JSONValue.string))), ("unpushed_commits", .number(unpushedCommits)),
            ("remote_ahead", .number(remoteAhead)), ("last_sync", lastSync.map(JSONValue.string) ?? .null),
            ("last_fetch", lastFetch.map(JSONValue.string) ?? .null),
            ("conflicts", .array(conflicts.map { .object([("id", .string($0.id)), ("field", .string($0.field))]) })),
            ("quarantined", .array(quarantined.map(QuarantineEntry.json))),
            ("violations", .array(violations.map(\.json))),
            ("ignored_links", .array(ignoredLinks.map { l in
                .object([("id", .string(l.decision.id.rawValue)), ("county", .string(l.decision.county.rawValue)),
                         ("records", .array(l.decision.records.map { .string($0.rawValue) })), ("reason", .string(l.reason))])
            })),
            ("rejected", .array(rejected.map(\.json))), ("open_mode", .bool(openMode)),
            ("signing_key", signingKey.map(JSONValue.string) ?? .null),
        ]
        let rewrite: JSONValue = historyRewrite.map { $0.rewrite.json(pushed: $0.restored) } ?? .null
        fields.append(("history_rewritten", rewrite))
        fields.append(("disclosures_to_review", .array(disclosuresToReview.map { d in
            .object([("id", .string(d.id)), ("title", .string(d.title)), ("field", .string(d.field)), ("by", .string(d.by)), ("at", .string(d.at)), ("reason", .string(d.reason))])
        })))
        return .object(fields)
    }

    public var text: String {
        var lines = ["Workspace of \(county), user \(user)."]
        lines.append("Remote: \(remote ?? "none (set one with `kbm remote <url>`)")")
        lines.append(uncommitted.isEmpty ? "No local changes waiting." : "\(uncommitted.count) local change\(uncommitted.count == 1 ? "" : "s") not yet synced:")
        lines += uncommitted.prefix(20).map { "  \($0)" }
        if uncommitted.count > 20 { lines.append("  … and \(uncommitted.count - 20) more") }
        lines.append(unpushedCommits == 0 ? "Nothing waits to be pushed." : "\(unpushedCommits) commit\(unpushedCommits == 1 ? "" : "s") not yet pushed.")
        lines.append(remoteAhead == 0 ? "The remote had nothing new at the last fetch." : "The remote is \(remoteAhead) commit\(remoteAhead == 1 ? "" : "s") ahead (as of the last fetch).")
        lines.append("Last successful sync: \(lastSync ?? "never").")
        if conflicts.isEmpty { lines.append("No open conflicts.") } else {
            lines.append("\(conflicts.count) open conflict\(conflicts.count == 1 ? "" : "s") (see `kbm conflicts`):")
            lines += conflicts.map { "  \($0.id) field '\($0.field)'" }
        }
        if !violations.isEmpty {
            lines.append("\(violations.count) reference\(violations.count == 1 ? "" : "s") to records that no longer exist (kept; see `kbm conflicts`):")
            lines += violations.map { "  \($0.text)" }
        }
        if !ignoredLinks.isEmpty {
            lines.append("\(ignoredLinks.count) merge link\(ignoredLinks.count == 1 ? "" : "s") ignored (a merge may only fold records of one county that the link's county owns):")
            lines += ignoredLinks.map { "  link \($0.decision.id) of \($0.decision.county): \(TerminalText.safe($0.reason))" }
        }
        if quarantined.isEmpty { lines.append("No files in quarantine.") } else {
            lines.append("\(quarantined.count) file\(quarantined.count == 1 ? "" : "s") in quarantine (not imported, left untouched in the repository):")
            lines += quarantined.map { "  \($0.summary)" }
        }
        if !rejected.isEmpty {
            lines.append("\(rejected.count) commit\(rejected.count == 1 ? "" : "s") refused: changed records without authority (kept in history, not imported; the last valid version stays):")
            lines += rejected.suffix(20).map { "  \($0.summary)" }
        }
        if !disclosuresToReview.isEmpty { lines.append(DisclosureReview.advice(disclosuresToReview)) }
        if let (rewrite, restored) = historyRewrite {
            lines.append("Detected \(rewrite.detected): " + rewrite.message(pushed: restored))
        }
        if signingKey == nil && !openMode { lines.append("This workspace has no signing key: other offices refuse its commits. Create one with `kbm keygen` and send `kbm whoami` to the agency.") }
        if openMode { lines.append("Open mode: the repository has no office registry, so changes are not checked against authorship rules.") }
        return lines.joined(separator: "\n")
    }
}

/// One record a commit touched, for `kbm log`.
public struct LogChange: Sendable {
    /// The record's id (or the path of a file that is not a record).
    public var record: String
    public var kind: String?
    public var county: String?
    /// The record's title in this commit (before it, for a deletion); empty when unreadable.
    public var title: String
    /// The fields changed, or `(created)`, `(deleted)`, `(conflicts)`.
    public var fields: [String]

    public var json: JSONValue {
        .object([("record", .string(record)), ("kind", kind.map(JSONValue.string) ?? .null), ("county", county.map(JSONValue.string) ?? .null),
                 ("title", .string(title)), ("fields", .array(fields.map(JSONValue.string)))])
    }
}

/// One entry of `kbm log`.
public struct LogEntry: Sendable {
    public var commit: String
    public var date: String
    public var author: String
    public var county: String
    public var parents: [String]
    public var summary: String
    /// Per record touched: its id, title and the fields changed (against each parent, for merges);
    /// at most `Workspace.logDetailLimit` of them.
    public var changes: [LogChange]
    /// Records the commit touched (that match the filters) beyond those in `changes`.
    public var moreChanges = 0

    /// Every record the commit touched (that matches the filters).
    public var changeCount: Int { changes.count + moreChanges }

    public var json: JSONValue {
        .object([("commit", .string(commit)), ("date", .string(date)), ("author", .string(author)), ("county", .string(county)),
                 ("parents", .array(parents.map(JSONValue.string))), ("summary", .string(summary)),
                 ("changes", .array(changes.map(\.json))), ("more_changes", .number(moreChanges))])
    }
}

/// What `kbm log` asks for: one record, or the region filtered by date, county and kind.
public struct LogQuery: Sendable {
    public var record: RecordID?
    public var limit = 50
    /// Only commits made at or after this time (UTC, `2026-04-24T00:00:00Z`).
    public var since: Timestamp?
    /// Only changes to records of this county.
    public var county: County?
    /// Only changes to records of this kind (its code).
    public var kind: String?

    public init(record: RecordID? = nil, limit: Int = 50, since: Timestamp? = nil, county: County? = nil, kind: String? = nil) {
        (self.record, self.limit, self.since, self.county, self.kind) = (record, limit, since, county, kind)
    }

    /// `--since`: a date (`2026-04-24`, `24.04.2026`: from its start, UTC) or a span back from
    /// `now` (`7d` days, `2w` weeks). Throws an invalid-input error saying what it takes.
    public static func since(_ text: String, now: Date = Date()) throws -> Timestamp {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let unit = t.last, "dw".contains(unit), let n = Int(t.dropLast().trimmingCharacters(in: .whitespaces)), n >= 0, n <= 36500 {
            return Timestamp(now.addingTimeInterval(-Double(n * (unit == "w" ? 7 : 1)) * 86400))
        }
        switch DateInput.parse(t) {
        case .success(let iso):
            if let stamp = Timestamp(iso + "T00:00:00Z") { return stamp }
        case .failure(let error) where error.reason != nil:
            throw KBMError.invalid("--since: \(error.text): \(error.reason ?? "")")
        case .failure:
            break
        }
        throw KBMError.invalid("--since: expected a date like 2026-04-24 or 24.04.2026, or a span like 7d (days) or 2w (weeks), got \"\(text)\".")
    }
}

/// The entries of `kbm log` and how many commits beyond the limit matched too.
public struct LogPage: Sendable {
    public var entries: [LogEntry]
    /// Commits that match the query but were left out by its limit.
    public var moreCommits: Int
}

extension Workspace {
    public func status() throws -> WorkspaceStatus {
        let repo = try repository()
        let (dirty, deletions, lastSync, lastFetch, quarantine, all, rewritten) = try store.read { tx in
            (try tx.dirtyRecords(), try tx.pendingDeletions(), try tx.setting(Settings.lastSync), try tx.setting(Settings.lastFetch), try tx.quarantine(), try tx.recordsWithConflicts(),
             try tx.setting(Settings.historyRewritten))
        }
        let local = try repo.reference(SyncEngine.localRef)
        let tracking = try repo.reference(SyncEngine.trackingRef)
        var unpushed = 0, ahead = 0
        if let local { unpushed = try repo.commits(from: local, hiding: tracking.map { [$0] } ?? []).count }
        if let tracking { ahead = try repo.commits(from: tracking, hiding: local.map { [$0] } ?? []).count }
        var openMode = true
        if let local { openMode = try repo.treeEntry(repo.commitTree(local), path: "region/offices") == nil }
        var historyRewrite: (HistoryRewrite, Bool)?
        if let rewrite = rewritten.flatMap(HistoryRewrite.init(stored:)), let previous = ObjectID(hex: rewrite.previousTip) {
            // Restored once the remote's tip (as of the last fetch or push) holds the dropped commits again.
            let restored = try tracking.map { try $0 == previous || repo.isAncestor(previous, of: $0) } ?? false
            historyRewrite = (rewrite, restored)
        }
        var status = WorkspaceStatus(
            county: county.rawValue, user: author.description, remote: try repo.remoteURL(name: SyncEngine.remoteName).map(CredentialRedaction.redact),
            uncommitted: dirty.map { "\($0.kind) \($0.id) \($0.title(schema: schema))" } + deletions.map { "deleted \($0.kind) \($0.id)" },
            unpushedCommits: unpushed, remoteAhead: ahead, lastSync: lastSync, lastFetch: lastFetch,
            conflicts: all.flatMap { r in r.conflicts.map { (r.id.rawValue, $0.field) } },
            quarantined: quarantine, openMode: openMode, rejected: try rejectedCommits(), signingKey: try signingKey()?.publicLine)
        status.historyRewrite = historyRewrite
        status.violations = try constraintViolations()
        status.disclosuresToReview = try disclosuresToReview()
        status.ignoredLinks = try linkGraph().ignored
        return status
    }

    /// The most records of one commit whose fields and titles `kbm log` reads (an import of a
    /// whole region touches thousands); the others are counted in `LogEntry.moreChanges`.
    public static let logDetailLimit = 200

    /// The history of the region (newest first), or of one record.
    public func log(record id: RecordID?, limit: Int = 50) throws -> [LogEntry] {
        try log(LogQuery(record: id, limit: limit)).entries
    }

    /// The history of the region (newest first), or of one record, filtered by `query`; commits
    /// beyond its limit are counted, never silently dropped. Throws an invalid-input error for an
    /// unknown record or county.
    public func log(_ query: LogQuery) throws -> LogPage {
        try checkCountyFilter(query.county)
        let repo = try repository()
        guard let head = try repo.reference(SyncEngine.localRef) else { return LogPage(entries: [], moreCommits: 0) }
        var path: String?
        if let id = query.record {
            if let record = try store.read({ try $0.record(id) }) {
                path = RecordLayout.path(of: record, schema: schema)
            } else {
                throw KBMError.invalid("No record with id \(id) here.")
            }
        }
        let filtersPaths = query.county != nil || query.kind != nil
        func wanted(_ p: String) -> Bool {
            guard filtersPaths else { return true }
            guard let parsed = RecordLayout.parse(path: p, schema: schema) else { return false }
            return (query.county.map { $0 == parsed.county } ?? true) && (query.kind.map { $0 == parsed.kind } ?? true)
        }
        var out: [LogEntry] = []
        var moreCommits = 0
        let engine = try syncEngine(repo: repo)
        for commit in try repo.commits(from: head, hiding: []).reversed() {
            let info = try repo.commitInfo(commit)
            let date = Timestamp(info.author.date)
            if let since = query.since, date < since { continue }
            let tree = info.tree
            let parents = info.parents.isEmpty ? [nil] : info.parents.map { Optional($0) }
            let full = out.count >= query.limit
            if full && path == nil && !filtersPaths { moreCommits += 1; continue }
            // Per path touched: the old and new entry against each parent.
            var touched: [String: [(TreeEntry?, TreeEntry?)]] = [:]
            for parent in parents {
                let parentTree = try parent.map { try repo.commitTree($0) }
                if let path {
                    let old = try parentTree.flatMap { try repo.treeEntry($0, path: path) }
                    let new = try repo.treeEntry(tree, path: path)
                    guard old?.id != new?.id else { continue }
                    touched[path, default: []].append((old, new))
                } else {
                    for change in try repo.diffTrees(parentTree, tree) where wanted(change.path) {
                        touched[change.path, default: []].append((change.old, change.new))
                    }
                }
            }
            if (path != nil || filtersPaths) && touched.isEmpty { continue }
            if full { moreCommits += 1; continue }
            var changes: [LogChange] = []
            let paths = touched.keys.sorted()
            for p in paths.prefix(Self.logDetailLimit) {
                var fields: Set<String> = []
                var title = ""
                for (old, new) in touched[p] ?? [] {
                    let (changed, named) = try changedFieldsAndTitle(repo, old, new)
                    fields.formUnion(changed)
                    if title.isEmpty { title = named }
                }
                let parsed = RecordLayout.parse(path: p, schema: schema)
                changes.append(LogChange(record: parsed?.id.rawValue ?? p, kind: parsed?.kind, county: parsed?.county.rawValue, title: title, fields: fields.sorted()))
            }
            let summary = info.message.split(separator: "\n").first.map(String.init) ?? ""
            out.append(LogEntry(commit: commit.hex, date: date.rawValue, author: "\(info.author.name) <\(info.author.email)>",
                                county: try engine.attributedCounty(info),
                                parents: info.parents.map(\.hex), summary: summary, changes: changes,
                                moreChanges: max(0, paths.count - Self.logDetailLimit)))
        }
        return LogPage(entries: out, moreCommits: moreCommits)
    }

    /// The fields that differ between two versions of a record file (shared fields only: the files hold nothing else).
    /// The fields that differ, and the record's title in the new version (the old one for a deletion).
    func changedFieldsAndTitle(_ repo: Repository, _ old: TreeEntry?, _ new: TreeEntry?) throws -> (fields: Set<String>, title: String) {
        func load(_ e: TreeEntry?) -> Record? {
            guard let e, let data = try? repo.readBlob(e.id) else { return nil }
            return try? RecordParser.parse(data: data, schema: schema)
        }
        let a = load(old), b = load(new)
        return (changedFields(a, b, old: old), (b ?? a)?.title(schema: schema) ?? "")
    }

    func changedFields(_ a: Record?, _ b: Record?, old: TreeEntry?) -> Set<String> {
        switch (a, b) {
        case (nil, nil): return old == nil ? ["(created)"] : ["(changed)"]
        case (nil, _): return ["(created)"]
        case (_, nil): return ["(deleted)"]
        case let (a?, b?):
            var names = Set(a.fields.keys).union(b.fields.keys).filter { a.fields[$0] != b.fields[$0] }
            if a.conflicts != b.conflicts { names.insert("(conflicts)") }
            return names
        }
    }
}

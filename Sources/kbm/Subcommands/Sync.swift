import ArgumentParser
import Foundation
import KBMCore
import KBMRecords
import KBMSync

struct Clone: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Join a region: clone its repository into a new workspace and import its records.")

    @Argument(help: "The region's repository: a path, file://, git:// or http(s):// URL.")
    var url: String

    @Argument(help: "The folder for the new workspace.")
    var dir: String

    @Option(help: "Your office's county slug, for example lk-augsburg.")
    var county: String

    @Option(help: "You, as \"Name <email>\".")
    var user: String

    func validate() throws {
        guard County(county) != nil else { throw ValidationError("--county: expected a slug like lk-augsburg, got \"\(county)\"") }
        guard Author(user) != nil else { throw ValidationError("--user: expected \"Name <email>\", got \"\(user)\"") }
    }

    func run() throws {
        guard let county = County(county), let author = Author(user) else { return }
        let (workspace, report) = try Workspace.clone(url: url, into: dir, county: county, author: author, environment: CLIEnvironment.sync())
        let count = try workspace.list(kind: nil, county: nil, where: []).count
        print("Joined the region as \(county): \(count) records in \(workspace.root).")
        if !report.quarantined.isEmpty {
            print("\(report.quarantined.count) file(s) were not imported (see `kbm status`).")
        }
        printWarning(try workspace.ownCountyWarning())
    }
}

struct Remote: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show or set the region's repository this workspace syncs with.")

    @Argument(help: "The new URL (a path, file://, git:// or http(s)://).")
    var url: String?

    func run() throws {
        let workspace = try openWorkspace()
        if let url {
            try workspace.setRemote(url)
            print("Remote set to \(url.contains("@") ? "(URL with credentials, not shown)" : url).")
        } else if let current = try workspace.remoteURL() {
            print(current)
        } else {
            throw KBMError.invalid("This workspace has no remote yet. Set one with `kbm remote <url>`.")
        }
    }
}

struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Share local changes with the region and receive the other offices' changes.",
        discussion: "Exit code 3: the remote could not be reached; your changes are committed locally and wait to be shared.")

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        let report = try workspace.sync()
        if json {
            print(report.json.prettyText)
        } else {
            print("Committed \(report.committed) change\(report.committed == 1 ? "" : "s"), received \(report.received), \(report.conflicts) new conflict\(report.conflicts == 1 ? "" : "s").")
            if let rewrite = report.historyRewritten { print(rewrite.message(pushed: report.pushed)) }
            for id in report.erasures { print("Applied the agency's erasure \(id): the region's history was rewritten without one record's files; this workspace follows it and dropped them.") }
            for refusal in report.erasuresRefused { print("Refused an erasure notice: \(refusal)") }
            if report.pushed { print("Everything is shared with the region.") }
            for q in report.quarantined { print("Quarantined: \(q.summary)") }
            if !report.rejected.isEmpty {
                let n = report.rejected.count
                print("Refused: \(n) commit\(n == 1 ? "" : "s") changed records without authority (kept in history, not imported; the last valid versions stay). Details: `kbm status`.")
            }
            if let review = try? workspace.disclosuresToReview(), !review.isEmpty { print(DisclosureReview.advice(review)) }
            // Last: what the other offices changed, per county with titles.
            for line in report.arrivedLines() { print(line) }
        }
        try SyncOutcomeExit.check(report, workspace: workspace)
    }
}

/// The exit of `kbm sync` for each outcome: 0 synced, 3 offline (only a network that did not
/// reach the region), 1 for everything the user or the agency must act on. The message says what
/// happened and that local work is safe.
enum SyncOutcomeExit {
    static func check(_ report: SyncReport, workspace: Workspace) throws {
        let waiting = (try? workspace.status().unpushedCommits) ?? 0
        let safe = "Your changes are safe: \(waiting) commit\(waiting == 1 ? " waits" : "s wait") to be shared"
        let reason = TerminalText.safe(report.outcome.reason ?? "")
        switch report.outcome {
        case .synced: return
        case .offline:
            throw KBMError(.offline, "Offline: could not reach the region's repository (\(reason)). \(safe); the next `kbm sync` with a network pushes them.")
        case .noRemote:
            throw KBMError(.failure, "This workspace has no remote yet, so nothing was shared. \(safe); set the region's repository with `kbm remote <url>`.")
        case .authenticationFailed:
            throw KBMError(.failure, "Sync: authentication failed (\(reason)). Check KBM_GIT_USERNAME/KBM_GIT_PASSWORD or .kbm/credentials. \(safe).")
        case .certificateRefused:
            throw KBMError(.failure, "Sync: the server's certificate was refused (\(reason)); kbm does not send anything to a server it cannot verify. Ask the agency which certificate authority to trust. \(safe).")
        case .refusedByServer:
            throw KBMError(.failure, "Sync: the region's server refused the push (\(reason)). Ask the agency whether this office may write to the repository. \(safe).")
        case .busy(let attempts):
            throw KBMError(.failure, "Sync: the remote kept refusing the push after \(attempts) attempts (other offices are pushing at the same time). \(safe); run `kbm sync` again.")
        case .diskFull:
            throw KBMError(.failure, "The disk is full (\(reason)). \(safe); free some space and run `kbm sync` again.")
        case .failed:
            throw KBMError(.failure, "Sync failed (\(reason)). \(safe); run `kbm sync` again, or `kbm doctor` if it keeps failing.")
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show local changes, unpushed commits, conflicts and quarantined files.")

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() throws {
        let status = try openWorkspace().status()
        print(json ? status.json.prettyText : status.text)
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the history of the region, or of one record.",
        discussion: "Each commit lists the records it touched with their titles and the fields changed: kbm log --since 7d --county lk-augsburg --kind veranstaltung.")

    @Argument(help: "A record id: only its history.")
    var id: String?

    @Option(help: ArgumentHelp("Only changes made since this date (2026-04-24 or 24.04.2026) or span (7d, 2w).", valueName: "date|Nd|Nw"))
    var since: String?

    @Option(help: "Only changes to records of this county.")
    var county: String?

    @Option(help: "Only changes to records of this kind (code or German label, e.g. veranstaltung).")
    var kind: String?

    @Option(help: "At most this many entries.")
    var limit = 50

    @Flag(help: "Print the history as JSON.")
    var json = false

    /// The records of one commit shown in text; the rest are counted.
    static let recordsShown = 20

    func run() throws {
        let workspace = try openWorkspace()
        guard limit > 0 else { throw KBMError.invalid("--limit: expected a whole number ≥ 1, got \(limit).") }
        let query = LogQuery(record: try id.map(workspace.recordID), limit: limit, since: try since.map { try LogQuery.since($0) },
                             county: try countyOption(county), kind: try workspace.resolveKind(kind))
        let page = try workspace.log(query)
        let more = page.moreCommits
        let moreNote = "… and \(more) more commit\(more == 1 ? "" : "s") (show them with --limit \(limit + more))"
        if json {
            print(JSONValue.array(page.entries.map(\.json)).prettyText)
            if more > 0 { printError("kbm: \(moreNote)\n") }
            return
        }
        if page.entries.isEmpty { print(query.since != nil || query.county != nil || query.kind != nil ? "No changes match." : "No history yet."); return }
        for entry in page.entries {
            print("\(entry.commit.prefix(10))  \(entry.date)  \(entry.county)  \(TerminalText.safe(entry.author))\(entry.parents.count > 1 ? "  (merge)" : "")")
            print("    \(TerminalText.safe(entry.summary))")
            for change in entry.changes.prefix(Self.recordsShown) {
                let title = change.title.isEmpty ? "" : "  \(TerminalText.safe(change.title))"
                print("    \(TerminalText.safe(change.record))\(title): \(change.fields.joined(separator: ", "))")
            }
            let left = entry.changeCount - min(entry.changes.count, Self.recordsShown)
            if left > 0 { print("    … and \(left) more record\(left == 1 ? "" : "s")") }
        }
        if more > 0 { print(moreNote) }
    }
}

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rebuild the shared part of the local store from the repository (keeps local fields and unsynced changes).")

    func run() throws {
        let root = try Workspace.locate(from: FileManager.default.currentDirectoryPath, environment: ProcessInfo.processInfo.environment)
        // A missing or damaged database is recovered as `kbm doctor --repair` does.
        let (count, report) = try Workspace.rebuild(root: root)
        for line in report.problems { print("✗ \(line)") }
        for line in report.repairs { print("✓ \(line)") }
        for line in report.notes { print("• \(line)") }
        print("Rebuilt the store from the repository: \(count) records.")
    }
}

import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

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
        let (workspace, report) = try Workspace.clone(url: url, into: dir, county: county, author: author)
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
        }
        if report.offline, (report.offlineReason ?? "").contains("No space left on device") {
            throw KBMError(.offline, "The disk is full (\(report.offlineReason ?? "")). Your changes are safe in the local database; free some space and run `kbm sync` again.")
        }
        if report.offline {
            let waiting = (try? workspace.status().unpushedCommits) ?? 0
            throw KBMError(.offline, "Offline: could not reach the region's repository (\(report.offlineReason ?? "unknown reason")). Your changes are safe: \(waiting) commit\(waiting == 1 ? " waits" : "s wait") to be shared; the next `kbm sync` with a network pushes them.")
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
    static let configuration = CommandConfiguration(abstract: "Show the history of the region, or of one record.")

    @Argument(help: "A record id: only its history.")
    var id: String?

    @Option(help: "At most this many entries.")
    var limit = 50

    @Flag(help: "Print the history as JSON.")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        let entries = try workspace.log(record: try id.map(workspace.recordID), limit: limit)
        if json { print(JSONValue.array(entries.map(\.json)).prettyText); return }
        if entries.isEmpty { print("No history yet."); return }
        for entry in entries {
            print("\(entry.commit.prefix(10))  \(entry.date)  \(entry.county)  \(TerminalText.safe(entry.author))\(entry.parents.count > 1 ? "  (merge)" : "")")
            print("    \(TerminalText.safe(entry.summary))")
            for change in entry.changes.prefix(20) {
                print("    \(change.record): \(change.fields.joined(separator: ", "))")
            }
        }
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

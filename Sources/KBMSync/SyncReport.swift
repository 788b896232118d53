import KBMRecords
import KBMStore

/// What one `kbm sync` did: the `--json` output.
public struct SyncReport: Sendable {
    public var committed = 0
    public var received = 0
    /// The records this sync imported from the region (added, changed or deleted elsewhere), in order.
    public var arrived: [ArrivedRecord] = []
    public var conflicts = 0
    public var pushed = false
    /// How the sync ended; anything but `.synced` left local commits waiting (nothing is lost).
    public var outcome = SyncOutcome.synced
    /// The remote could not be reached (only then exit code 3).
    public var offline: Bool { outcome.isOffline }
    /// Why the sync did not finish, for the user.
    public var offlineReason: String? { outcome.reason }
    public var pushRetries = 0
    public var quarantined: [QuarantineEntry] = []
    /// Commits refused by the authorship rules (their files are kept at the last valid version).
    public var rejected: [RejectedCommit] = []
    public var head: String?
    /// Set when the remote's history was rewritten (force-pushed) since the last fetch.
    public var historyRewritten: HistoryRewrite?
    /// Erasure notices (`kbm purge`) applied by this sync.
    public var erasures: [String] = []
    /// Erasure notices refused (forged, or not matching the history), with the reason.
    public var erasuresRefused: [String] = []

    public var json: JSONValue {
        .object([
            ("committed", .number(committed)),
            ("received", .number(received)),
            ("arrived", .array(arrivedRecords.map(\.json))),
            ("conflicts", .number(conflicts)),
            ("pushed", .bool(pushed)),
            ("quarantined", .array(quarantined.map(QuarantineEntry.json))),
            ("rejected", .array(rejected.map(\.json))),
            ("head", head.map(JSONValue.string) ?? .null),
            ("outcome", .string(outcome.code)),
            ("reason", outcome.reason.map(JSONValue.string) ?? .null),
            ("offline", .bool(offline)),
            ("push_retries", .number(pushRetries)),
            ("history_rewritten", historyRewritten.map { $0.json(pushed: pushed) } ?? .null),
            ("erasures_applied", .array(erasures.map(JSONValue.string))),
            ("erasures_refused", .array(erasuresRefused.map(JSONValue.string))),
        ])
    }
}

extension SyncReport {
    /// Each arrived record once (its last arrival), grouped by county and sorted by kind and title.
    public var arrivedRecords: [ArrivedRecord] {
        var last: [RecordID: Int] = [:]
        for (i, record) in arrived.enumerated() { last[record.id] = i }
        return arrived.enumerated().filter { last[$0.element.id] == $0.offset }.map(\.element)
            .sorted { ($0.county.rawValue, $0.kind, $0.title, $0.id.rawValue) < ($1.county.rawValue, $1.kind, $1.title, $1.id.rawValue) }
    }

    /// What arrived, for people: per county its records with titles, at most `perCounty` each and
    /// then how many more. Empty when nothing arrived. Titles are made terminal-safe.
    public func arrivedLines(perCounty: Int = 10) -> [String] {
        let records = arrivedRecords
        guard !records.isEmpty else { return [] }
        var lines = ["What arrived from the region:"]
        let counties = Dictionary(grouping: records, by: \.county)
        for county in counties.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            let group = counties[county] ?? []
            lines.append("  \(county) (\(group.count) record\(group.count == 1 ? "" : "s")):")
            for record in group.prefix(perCounty) {
                let title = record.title.isEmpty ? "(no title)" : TerminalText.safe(record.title)
                lines.append("    \(record.id)  \(record.kind)  \(title)\(record.deleted ? "  (deleted)" : "")")
            }
            if group.count > perCounty { lines.append("    … and \(group.count - perCounty) more") }
        }
        return lines
    }
}

/// A record another office added, changed or deleted, as a sync imported it.
public struct ArrivedRecord: Sendable, Equatable {
    public var id: RecordID
    public var kind: String
    public var county: County
    public var title: String
    public var deleted: Bool

    public init(_ record: Record, deleted: Bool = false) {
        (id, kind, county, title, self.deleted) = (record.id, record.kind, record.county, record.title(), deleted)
    }

    public var json: JSONValue {
        .object([("id", .string(id.rawValue)), ("kind", .string(kind)), ("county", .string(county.rawValue)),
                 ("title", .string(title)), ("deleted", .bool(deleted))])
    }
}

/// The remote's history was rewritten (force-pushed, or its branch deleted): commits this
/// workspace had already fetched are no longer on the remote. kbm keeps their records (the merge
/// never drops our side's records) and pushes them back.
public struct HistoryRewrite: Sendable, Equatable {
    public var previousTip: String
    public var newTip: String?
    /// Commits reachable from the previous tip but not from the new one.
    public var droppedCommits: Int
    /// Record files the dropped history held that the new tip lacks or holds differently.
    public var records: Int
    public var detected: String

    /// The plain message for `kbm sync` and `kbm status`.
    public func message(pushed: Bool) -> String {
        let commits = "\(droppedCommits) commit\(droppedCommits == 1 ? "" : "s")"
        let files = "\(records) record\(records == 1 ? "" : "s")"
        return "The region's history was rewritten (force-pushed) since the last sync: \(commits) this workspace had already synced \(droppedCommits == 1 ? "is" : "are") gone from the remote (previous tip \(previousTip.prefix(10)), now \(newTip.map { String($0.prefix(10)) } ?? "no branch")), touching \(files). kbm deleted nothing: it kept those records and "
            + (pushed ? "pushed them back to the region." : "pushes them back with the next successful sync.")
    }

    public func json(pushed: Bool) -> JSONValue {
        .object([("previous_tip", .string(previousTip)), ("new_tip", newTip.map(JSONValue.string) ?? .null),
                 ("dropped_commits", .number(droppedCommits)), ("records", .number(records)),
                 ("detected", .string(detected)), ("restored", .bool(pushed)), ("message", .string(message(pushed: pushed)))])
    }

    /// One line for the store's settings: `detected|dropped|records|previous|new`.
    package var stored: String { "\(detected)|\(droppedCommits)|\(records)|\(previousTip)|\(newTip ?? "")" }

    package init(previousTip: String, newTip: String?, droppedCommits: Int, records: Int, detected: String) {
        (self.previousTip, self.newTip, self.droppedCommits, self.records, self.detected) = (previousTip, newTip, droppedCommits, records, detected)
    }

    package init?(stored: String) {
        let parts = stored.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, let dropped = Int(parts[1]), let records = Int(parts[2]) else { return nil }
        self.init(previousTip: parts[3], newTip: parts[4].isEmpty ? nil : parts[4], droppedCommits: dropped, records: records, detected: parts[0])
    }
}

package extension QuarantineEntry {
    package static func json(_ q: QuarantineEntry) -> JSONValue {
        .object([("path", .string(q.path)), ("commit", .string(q.commit)), ("reason", .string(q.reason)),
                 ("line", q.line.map(JSONValue.number) ?? .null), ("detected", .string(q.detected))])
    }

    /// `path:line: reason (commit abc1234)`.
    public var summary: String {
        "\(TerminalText.safe(path))\(line.map { ":\($0)" } ?? ""): \(TerminalText.safe(reason)) (commit \(commit.prefix(7)))"
    }
}

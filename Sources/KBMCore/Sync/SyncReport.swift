import KBMRecords
import KBMStore

/// What one `kbm sync` did: the `--json` output.
public struct SyncReport: Sendable {
    public var committed = 0
    public var received = 0
    public var conflicts = 0
    public var pushed = false
    public var offline = false
    public var offlineReason: String?
    public var pushRetries = 0
    public var quarantined: [QuarantineEntry] = []
    public var head: String?

    public var json: JSONValue {
        .object([
            ("committed", .number(committed)),
            ("received", .number(received)),
            ("conflicts", .number(conflicts)),
            ("pushed", .bool(pushed)),
            ("quarantined", .array(quarantined.map(QuarantineEntry.json))),
            ("head", head.map(JSONValue.string) ?? .null),
            ("offline", .bool(offline)),
            ("push_retries", .number(pushRetries)),
        ])
    }
}

extension QuarantineEntry {
    static func json(_ q: QuarantineEntry) -> JSONValue {
        .object([("path", .string(q.path)), ("commit", .string(q.commit)), ("reason", .string(q.reason)),
                 ("line", q.line.map(JSONValue.number) ?? .null), ("detected", .string(q.detected))])
    }

    /// `path:line: reason (commit abc1234)`.
    public var summary: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(reason) (commit \(commit.prefix(7)))"
    }
}

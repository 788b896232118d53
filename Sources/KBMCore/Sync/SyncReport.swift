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
    /// Commits refused by the authorship rules (their files are kept at the last valid version).
    public var rejected: [RejectedCommit] = []
    public var head: String?

    public var json: JSONValue {
        .object([
            ("committed", .number(committed)),
            ("received", .number(received)),
            ("conflicts", .number(conflicts)),
            ("pushed", .bool(pushed)),
            ("quarantined", .array(quarantined.map(QuarantineEntry.json))),
            ("rejected", .array(rejected.map(\.json))),
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
        "\(TerminalText.safe(path))\(line.map { ":\($0)" } ?? ""): \(TerminalText.safe(reason)) (commit \(commit.prefix(7)))"
    }
}

/// Text from the repository made safe for a terminal: control and bidi characters are escaped,
/// so a hostile file name cannot move the cursor, clear the screen or reorder what is shown.
public enum TerminalText {
    public static func safe(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x200E...0x200F).contains(v)
                || (0x2028...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0xFEFF {
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

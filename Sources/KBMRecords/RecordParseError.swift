/// Why a record file or a field value was refused: names the file, the line and the field,
/// says what was expected and quotes what was found.
public struct RecordParseError: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String?
    public var line: Int?
    public var field: String?
    public var message: String

    public init(path: String? = nil, line: Int? = nil, field: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.field = field
        self.message = message
    }

    /// For example `counties/lk-augsburg/event/x/01J….md:9: field 'start': expected a date like 2026-03-14, got "14.3."`.
    public var description: String {
        var out = ""
        if let path { out += path }
        if let line { out += (out.isEmpty ? "line " : ":") + String(line) }
        if !out.isEmpty { out += ": " }
        if let field { out += "field '\(field)': " }
        return out + message
    }

    /// Quotes a found value for a message, shortened so a huge value cannot flood the terminal.
    public static func quote(_ text: String) -> String {
        let short = text.count > 80 ? String(text.prefix(77)) + "…" : text
        return YAMLScalar.doubleQuoted(short)
    }
}

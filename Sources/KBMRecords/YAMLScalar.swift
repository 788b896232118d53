/// Writes strings as YAML scalars that every YAML parser reads back as exactly the same string.
enum YAMLScalar {
    /// Words YAML 1.1 or 1.2 would read as null or a boolean.
    private static let specialWords: Set<String> = [
        "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// The scalar as it goes after `key: `: plain where that is safe, else double-quoted.
    static func inline(_ text: String) -> String {
        isSafePlain(text) ? text : doubleQuoted(text)
    }

    /// Plain style only for text that starts with a letter and holds nothing YAML gives meaning to.
    /// Everything else (numbers, dates, `no`, `- x`, `# x`, `a: b` …) is quoted, so it stays a string.
    static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        guard first.properties.isAlphabetic, !specialWords.contains(text) else { return false }
        guard last != " ", last != ":" else { return false }
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) { return false }
            if scalar == "\t" { return false }
            if scalar == " " && previous == ":" { return false }
            if scalar == "#" && previous == " " { return false }
            if scalar == " " && previous == " " { return false }
            if scalar == "\u{FEFF}" { return false }
            previous = scalar
        }
        return true
    }

    static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || s.value == 0x7F || (s.value >= 0x80 && s.value <= 0x9F)
            || s.value == 0x2028 || s.value == 0x2029 || s.value == 0xFEFF
            // Not printable for YAML (libyaml refuses them raw).
            || s.value == 0xFFFE || s.value == 0xFFFF
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if needsEscape(scalar) {
                    out += scalar.value <= 0xFF
                        ? "\\x" + hex(scalar.value, width: 2)
                        : "\\u" + hex(scalar.value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Whether multi-line text can be a literal block (`|` or `|-`) and still read back exactly.
    static func fitsLiteralBlock(_ text: String) -> Bool {
        guard text.contains("\n") else { return false }
        var body = Substring(text)
        if body.hasSuffix("\n") { body = body.dropLast() }
        guard !body.hasSuffix("\n"), !body.isEmpty else { return false }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, !first.isEmpty, first.first != " " else { return false }
        for line in lines {
            if line.last == " " || line.last == "\t" { return false }
            if line.unicodeScalars.contains(where: { needsEscape($0) || $0 == "\t" }) { return false }
        }
        return true
    }

    /// A literal block: the indicator line and the indented lines, each ending in a newline.
    static func literalBlock(_ text: String, indent: String) -> (indicator: String, lines: String) {
        let chomp = text.hasSuffix("\n") ? "|" : "|-"
        var body = Substring(text)
        if body.hasSuffix("\n") { body = body.dropLast() }
        var lines = ""
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += line.isEmpty ? "\n" : indent + line + "\n"
        }
        return (chomp, lines)
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

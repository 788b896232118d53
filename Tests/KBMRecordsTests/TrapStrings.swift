import Foundation

/// Strings that YAML (or a careless writer) would turn into something else.
enum TrapStrings {
    /// Single-line traps (no LF).
    static let singleLine: [String] = [
        "no", "yes", "No", "YES", "on", "Off", "y", "n", "null", "Null", "NULL", "~", "true", "False",
        "1e3", "0777", "0x1F", "0o17", "+1", "-1", "1_000", ".5", ".inf", "-.inf", ".NaN", "1:20", "3.",
        "2026-01-01", "2026-01-01T10:00:00Z", "2026-02-30", "14.3.",
        "- Liste", "-", "--", "---", "...", "-x", "# kein Kommentar", "#", "a #b", "a# b", "a: b", "Ziel: mehr",
        "ende:", "key::", "? frage", "?", ":", "[a, b]", "]", "{a: b}", "}", "&anker", "*alias", "!tag", "!!str x",
        "%YAML 1.2", "@home", "`cmd`", "|", "|-", ">", ">-", "=", "<<", ",", "'", "\"", "''", "O'Brien",
        "Sag \"hallo\"", "C:\\Pfad\\neu", "\\n", "\\", "\t", "a\tb", "\ttab vorne", " führend", "nachgestellt ",
        "  ", " ", "", "a  b", "😀", "👩‍👩‍👧", "Grüße", "Straße", "ß", "ÄÖÜäöü", "Ĳssel", "e\u{301}", "Å",
        "\r", "a\rb", "ende\r", "\u{85}", "x\u{2028}y", "\u{2029}", "\u{FEFF}x", "\u{FFFE}", "\u{7F}", "\u{0}",
        "x\u{1B}y", "\u{A0}nbsp", "Schule, Beruf", "Übergang Schule–Beruf", "50 %", "100%", "a\u{200B}b",
    ]

    /// Multi-line traps.
    static let multiLine: [String] = [
        "eins\nzwei", "eins\n\nzwei", "eins\n\n\nzwei\n", "trailing\n", "two trailing\n\n", "\nleading newline",
        "line with trailing space \nnext", "tab\tinside\nnext", "---\ndash line", "a\n---\nb", "a\n...\nb",
        "  indented first\nsecond", "first\n  indented second", "crlf\r\ninside", "cr\ronly\nx", "# heading\n- item",
        "\n", "\n\n", "a: b\nc: d", "ü\nß\n😀", "ende\r\n",
    ]

    static let words: [String] = [
        "Bildung", "Fachtag", "Landkreis", "Augsburg", "Übergang", "Schule", "Beruf", "Netzwerk", "Gremium",
        "Förderung", "Jugendamt", "Kita", "Bürgermeisterin", "Qualität", "Maßnahme", "Öffentlichkeit", "Straße",
    ]

    static let separators: [String] = [" ", "", ", ", "-", ": ", " # ", "\t", "  ", "'", "\""]
}

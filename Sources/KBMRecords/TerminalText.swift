/// Text from records and the repository made safe for a terminal. Other offices' content is
/// hostile input: an ESC, BEL or NUL (YAML escapes put them in any string) or a bidi override
/// could move the cursor, retitle the window, clear the screen or reorder what is shown. Every
/// such character is shown as a visible escape instead, `\u{1B}`; ordinary text (umlauts, emoji)
/// stays as it is. kbm's human output passes through `safeLines` (see `print` in the kbm
/// target); JSON escapes the same characters (`JSONValue.writeString`).
public enum TerminalText {
    /// One line: control and bidi characters escaped, line breaks included.
    public static func safe(_ text: String) -> String {
        escape(text, keepingLineBreaks: false)
    }

    /// Several lines: the same, but line feeds (and tabs) are kept, so multi-line fields stay readable.
    public static func safeLines(_ text: String) -> String {
        escape(text, keepingLineBreaks: true)
    }

    /// Whether a terminal could take `scalar` as a command or as a change of direction: C0 and C1
    /// controls, DEL, the bidi marks, embeddings, overrides and isolates, the line and paragraph
    /// separators, and U+FEFF.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x200E...0x200F).contains(v)
            || (0x2028...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0xFEFF
    }

    /// A quick look at the bytes: false means no scalar of `text` is unsafe (tab and line feed
    /// aside when `keepingLineBreaks`), so most text is passed on without being rebuilt.
    static func mayNeedEscaping(_ text: String, keepingLineBreaks: Bool) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            if byte < 0x20 {
                if keepingLineBreaks && (byte == 0x0A || byte == 0x09) { continue }
                return true
            }
            if byte == 0x7F { return true }
            // C1 controls (C2 80–C2 9F), U+200E/F and U+2028–202E (E2 80 …), U+2066–2069 (E2 81 …), U+FEFF (EF BB BF).
            if byte >= 0x80 {
                if previous.1 == 0xC2 && byte <= 0x9F { return true }
                if previous == (0xE2, 0x80) && (byte == 0x8E || byte == 0x8F || (0xA8...0xAE).contains(byte)) { return true }
                if previous == (0xE2, 0x81) && (0xA6...0xA9).contains(byte) { return true }
                if previous == (0xEF, 0xBB) && byte == 0xBF { return true }
            }
            previous = (previous.1, byte)
        }
        return false
    }

    static func escape(_ text: String, keepingLineBreaks: Bool) -> String {
        guard mayNeedEscaping(text, keepingLineBreaks: keepingLineBreaks) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if keepingLineBreaks && (scalar == "\n" || scalar == "\t") || !isUnsafe(scalar) {
                out.append(scalar)
            } else {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(out)
    }
}

import Foundation

/// German number and date formats for reports, in one place: `1.234`, `12,5`, `24.04.2026`.
public enum GermanFormat {
    /// A whole number with dots grouping thousands: `1.234`, `-12`.
    public static func integer(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A number with up to `decimals` decimals after a comma, trailing zeros dropped: `12,5`, `1.234`.
    public static func number(_ x: Double, decimals: Int = 1) -> String {
        let factor = pow(10.0, Double(decimals))
        let rounded = (x * factor).rounded() / factor
        let whole = Int(rounded.magnitude.rounded(.towardZero))
        var fraction = Int(((rounded.magnitude - Double(whole)) * factor).rounded())
        var text = integer(whole)
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: max(0, decimals - digits.count)) + digits
            while digits.hasSuffix("0") { digits.removeLast(); fraction /= 10 }
            text += "," + digits
        }
        return (rounded < 0 ? "-" : "") + text
    }

    /// `2026-04-24` (or `2026-04-24T09:30`) → `24.04.2026`; anything else unchanged.
    public static func date(_ iso: String) -> String {
        let day = iso.prefix(10)
        let parts = day.split(separator: "-")
        guard parts.count == 3 else { return iso }
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }
}

/// Escaping for HTML text and attributes: record texts come from other offices and may hold markup.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters (other than line feed and tab) never reach the page.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}

/// Escaping for Markdown text: characters that would start markup are escaped, lines joined.
public enum MarkdownText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "{", "}": out += "\\" + String(ch)
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}

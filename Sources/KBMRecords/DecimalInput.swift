import Foundation

/// Numbers as coordinators and statistics offices type them, and as records store them.
/// Stored: `1234.5` (a dot before the decimals, no grouping). Typed: `12,5`, `1.234`, `1.234,5`,
/// `1234.5`, `-3`. The statistics offices' markers for a missing value (`-`, `.`, `x`, `…`) are
/// missing, never zero.
public enum DecimalInput {
    /// The markers that mean "no value" in official statistics.
    public static let missingMarkers: Set<String> = ["-", "–", ".", "x", "X", "…", "...", "/"]

    /// What a typed number means: a value, missing (a marker or empty), or not a number.
    public enum Parsed: Equatable, Sendable {
        case value(Double)
        case missing
        case invalid
    }

    /// Parses German (`1.234,5`) or stored (`1234.5`) notation. A single dot followed by exactly
    /// three digits (`1.234`) is a thousands separator, as in German.
    public static func parse(_ text: String) -> Parsed {
        var t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: " ", with: "")
        if t.isEmpty || missingMarkers.contains(t) { return .missing }
        let negative = t.hasPrefix("-") || t.hasPrefix("−")
        if negative { t.removeFirst() }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }) else { return .invalid }
        var normal: String
        if t.contains(",") {
            // German: dots group thousands, the comma starts the decimals.
            let parts = t.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, groupsAreValid(String(parts[0])), !parts[1].isEmpty, !parts[1].contains(".") else { return .invalid }
            normal = parts[0].replacingOccurrences(of: ".", with: "") + "." + parts[1]
        } else if t.filter({ $0 == "." }).count > 1 {
            guard groupsAreValid(t) else { return .invalid }
            normal = t.replacingOccurrences(of: ".", with: "")
        } else if let dot = t.firstIndex(of: "."), t[t.index(after: dot)...].count == 3, t[..<dot].count <= 3, !t[..<dot].isEmpty, t[..<dot] != "0" {
            normal = t.replacingOccurrences(of: ".", with: "")
        } else {
            normal = t
        }
        guard let number = Double(normal), number.isFinite else { return .invalid }
        return .value(negative ? -number : number)
    }

    private static func groupsAreValid(_ integer: String) -> Bool {
        let groups = integer.split(separator: ".", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count) || groups.count == 1 else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    /// The stored form of a number: `1234.5`, `12`, `-0.25` (no exponent, no trailing zeros).
    public static func canonical(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        var text = String(format: "%.10f", number)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Whether a stored value is in the stored form.
    public static func isCanonical(_ text: String) -> Bool {
        guard case .value(let n) = parse(text) else { return false }
        return canonical(n) == text
    }
}

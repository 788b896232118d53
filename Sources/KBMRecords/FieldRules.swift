import Foundation

/// Checks and normalisation of field values, shared by the file parser and by edits.
public enum FieldRules {
    /// Sets are sorted and without repeats; lists keep their order.
    public static func normalizeCollection(_ elements: [String], type: FieldType) -> [String] {
        let nfc = elements.map { $0.precomposedStringWithCanonicalMapping }
        switch type {
        case .list: return nfc
        default: return Array(Set(nfc)).sorted()
        }
    }

    static func checkElement(_ text: String, spec: FieldSpec, path: String?, line: Int?) throws {
        switch spec.type {
        case .refs:
            guard RecordID.isValid(text) else {
                throw RecordParseError(path: path, line: line, field: spec.name, message: "expected a record id like 01JD3Q5V8X2M4N6P8R0T2W4Y6Z, got \(RecordParseError.quote(text))")
            }
        case .counties:
            guard County.isValid(text) else {
                throw RecordParseError(path: path, line: line, field: spec.name, message: "expected a county slug like lk-augsburg, got \(RecordParseError.quote(text))")
            }
        default:
            break
        }
    }

    static func checkItemValue(_ text: String, spec: FieldSpec, field: String, path: String?, line: Int?) throws {
        switch spec.type {
        case .date where !DateValue.isValid(text):
            throw RecordParseError(path: path, line: line, field: field, message: "expected a date like 2026-03-14, got \(RecordParseError.quote(text))")
        case .datetime where !DateTimeValue.isValid(text):
            throw RecordParseError(path: path, line: line, field: field, message: "expected \(spec.expectation), got \(RecordParseError.quote(text))")
        case .enumeration where !(spec.values ?? []).contains(text):
            throw RecordParseError(path: path, line: line, field: field, message: "expected \(spec.expectation), got \(RecordParseError.quote(text))")
        case .string where spec.format == "decimal" && !DecimalInput.isCanonical(text):
            throw RecordParseError(path: path, line: line, field: field, message: "expected a number stored like 1234.5, got \(RecordParseError.quote(text))")
        default:
            break
        }
    }

    /// Whether a text is empty or holds only spaces (any Unicode white space, line breaks included).
    public static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }

    /// The value a user typed for a single-valued field (`kbm add`, `kbm edit`), checked against the schema.
    /// An enum takes its code or a name from `values` (the German label or an alias, see
    /// `Schema.valueEntries`), folded; a date takes ISO or DD.MM.YYYY. The value returned holds the code
    /// and the ISO date (`2026-04-24T09:30` for a date and time): what records store.
    public static func scalarValue(_ text: String, spec: FieldSpec, values: [VocabularyEntry] = []) throws -> FieldValue {
        let fail = { (got: String) in RecordParseError(field: spec.name, message: "expected \(spec.expectation), got \(RecordParseError.quote(got))") }
        let text = text.precomposedStringWithCanonicalMapping
        switch spec.type {
        case .string where spec.format == "decimal":
            switch DecimalInput.parse(text) {
            case .value(let number): return .text(DecimalInput.canonical(number))
            case .missing: return .text("")
            case .invalid: throw RecordParseError(field: spec.name, message: "expected a number like 12,5 or 1.234 (or -, ., x, … for a missing value), got \(RecordParseError.quote(text))")
            }
        case .string:
            guard !text.contains("\n") else { throw RecordParseError(field: spec.name, message: "expected a single line of text; use a text field for several lines") }
            return .text(text)
        case .text:
            return .text(text.replacingOccurrences(of: "\r\n", with: "\n"))
        case .enumeration:
            guard let code = enumCode(text, spec: spec, values: values) else {
                let entries = values.isEmpty ? (spec.values ?? []).map { VocabularyEntry(code: $0, label: nil, aliases: []) } : values
                throw RecordParseError(field: spec.name, message: "expected one of \(entries.map(\.described).joined(separator: ", ")), got \(RecordParseError.quote(text))")
            }
            return .text(code)
        case .date:
            switch DateInput.parse(text) {
            case .success(let iso): return .text(iso)
            case .failure(let error): throw RecordParseError(field: spec.name, message: error.message)
            }
        case .datetime:
            switch DateInput.parseDateTime(text) {
            case .success(let canonical): return .text(canonical)
            case .failure(let error): throw RecordParseError(field: spec.name, message: error.message)
            }
        case .int:
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= (spec.min ?? Int.min) else { throw fail(text) }
            return .int(n)
        case .bool:
            guard let b = boolValue(text) else { throw RecordParseError(field: spec.name, message: "expected yes or no (ja/nein, true/false), got \(RecordParseError.quote(text))") }
            return .bool(b)
        case .set, .list, .refs, .counties:
            let parts = text.isEmpty ? [] : splitList(text)
            for part in parts { try checkElement(part, spec: spec, path: nil, line: nil) }
            return .strings(normalizeCollection(parts, type: spec.type))
        case .items:
            throw RecordParseError(field: spec.name, message: "items are added with \(spec.name)+=<text> and changed with \(spec.name).<item-id>.<field>=<value>")
        }
    }

    /// The code an enum value names: the code itself, or (folded: case, umlauts or their ASCII
    /// spellings) the code, the label or an alias of one of `values`.
    public static func enumCode(_ text: String, spec: FieldSpec, values: [VocabularyEntry]) -> String? {
        let codes = spec.values ?? []
        if codes.contains(text) { return text }
        let key = TextFold.key(text)
        guard !key.isEmpty else { return nil }
        if let code = codes.first(where: { TextFold.key($0) == key }) { return code }
        return values.first { codes.contains($0.code) && $0.matches(key: key) }?.code
    }

    /// true/false, ja/nein, yes/no (any case), 1/0; nil for anything else.
    public static func boolValue(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "ja", "1", "wahr": return true
        case "false", "no", "nein", "0", "falsch": return false
        default: return nil
        }
    }

    /// Splits `a, b, c` into elements; a backslash keeps a comma (`Schule\, Beruf`).
    public static func splitList(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for ch in text {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "," { parts.append(current.trimmingCharacters(in: .whitespaces)); current = ""; continue }
            current.append(ch)
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts.filter { !$0.isEmpty }
    }

    /// The known name closest to `name`, for "did you mean …?" hints.
    public static func suggestion(for name: String, among names: [String]) -> String? {
        let scored = names.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }

    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

import Foundation

/// A JSON value written deterministically: object keys keep the order they were added in.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Int)
    /// A number with a fraction (a search score), written with six significant digits.
    case decimal(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.decimal(x), .decimal(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// Compact JSON text.
    public var text: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Indented JSON text, for people.
    public var prettyText: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += String(n)
        case .decimal(let x): out += x.isFinite ? String(format: "%.6g", x) : "null"
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                JSONValue.writeString(key, to: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        }
    }

    public static func writeString(_ s: String, to out: inout String) {
        // Most strings need no escaping at all: append them whole. Characters a terminal could
        // take as commands (controls, bidi marks: `TerminalText.isUnsafe`) are escaped as \uXXXX,
        // so JSON printed to a terminal is as safe as the human output.
        let plain = !s.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
            && !TerminalText.mayNeedEscaping(s, keepingLineBreaks: false)
        if plain {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if TerminalText.isUnsafe(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Parses JSON text (as written by `text`, or any valid JSON).
    public static func parse(_ text: String) throws -> JSONValue {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return from(object)
    }

    static func from(_ any: Any) -> JSONValue {
        switch any {
        case let s as String: return .string(s)
        case let b as Bool where type(of: any) == Bool.self: return .bool(b)
        case let n as NSNumber:
            // Foundation on Linux gives booleans as NSNumber with objCType "c".
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
            return .number(n.intValue)
        case let a as [Any]: return .array(a.map(from))
        case let d as [String: Any]: return .object(d.keys.sorted().compactMap { k in d[k].map { (k, from($0)) } })
        default: return .null
        }
    }
}

/// How records and their values look as JSON: `--json` output and the store's columns.
public enum RecordJSON {
    public static func value(_ value: FieldValue) -> JSONValue {
        switch value {
        case .text(let s): return .string(s)
        case .int(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .strings(let s): return .array(s.map(JSONValue.string))
        case .items(let items):
            return .array(items.map { item in
                .object([("id", .string(item.id))] + item.fields.keys.sorted().compactMap { k in item.fields[k].map { (k, .string($0)) } })
            })
        case .opaque(let raw): return .object([("yaml", .string(raw))])
        }
    }

    /// The typed value of a field from its JSON, using the field's spec (nil spec: an unknown field).
    public static func fieldValue(_ json: JSONValue, spec: FieldSpec?) -> FieldValue? {
        guard let spec else {
            if case .string(let raw)? = json["yaml"] { return .opaque(raw) }
            return nil
        }
        switch (spec.type, json) {
        case (.int, .number(let n)): return .int(n)
        case (.bool, .bool(let b)): return .bool(b)
        case (.string, .string(let s)), (.text, .string(let s)), (.enumeration, .string(let s)), (.date, .string(let s)), (.datetime, .string(let s)): return .text(s)
        case (.set, .array(let a)), (.list, .array(let a)), (.refs, .array(let a)), (.counties, .array(let a)):
            return .strings(a.compactMap { if case .string(let s) = $0 { return s } else { return nil } })
        case (.items, .array(let a)):
            return .items(a.compactMap { element in
                guard case .object(let pairs) = element, case .string(let id)? = element["id"] else { return nil }
                var fields: [String: String] = [:]
                for (k, v) in pairs where k != "id" { if case .string(let s) = v { fields[k] = s } }
                return Item(id: id, fields: fields)
            })
        default: return nil
        }
    }

    /// The fields of a record as one JSON object, in schema order, then unknown fields sorted.
    public static func fields(_ fields: [String: FieldValue], kind: String, schema: Schema = .current) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        var known: Set<String> = []
        for spec in schema.orderedFields(of: kind) {
            known.insert(spec.name)
            if let v = fields[spec.name], !v.isEmpty { out.append((spec.name, value(v))) }
        }
        for name in fields.keys.sorted() where !known.contains(name) {
            if let v = fields[name] { out.append((name, value(v))) }
        }
        return out
    }

    public static func decodeFields(_ json: JSONValue, kind: String, schema: Schema = .current) -> [String: FieldValue] {
        guard case .object(let pairs) = json else { return [:] }
        var out: [String: FieldValue] = [:]
        for (name, v) in pairs {
            if let value = fieldValue(v, spec: schema.field(name, of: kind)), !value.isEmpty { out[name] = value }
        }
        return out
    }

    public static func conflicts(_ conflicts: [FieldConflict]) -> JSONValue {
        .array(conflicts.map { c in
            func side(_ s: FieldConflict.Side) -> JSONValue {
                .object([("value", s.value.map(value) ?? .null), ("county", .string(s.county)), ("author", .string(s.author)), ("commit", .string(s.commit))])
            }
            return .object([("kind", .string(c.kind)), ("field", .string(c.field)), ("base", c.base.map(value) ?? .null), ("ours", side(c.ours)), ("theirs", side(c.theirs))])
        })
    }

    public static func decodeConflicts(_ json: JSONValue, kind: String, schema: Schema = .current) -> [FieldConflict] {
        guard case .array(let items) = json else { return [] }
        return items.compactMap { c in
            guard case .string(let field)? = c["field"], case .string(let k)? = c["kind"] else { return nil }
            let spec = schema.field(field, of: kind)
            func v(_ j: JSONValue?) -> FieldValue? { j.flatMap { $0 == .null ? nil : fieldValue($0, spec: spec) } }
            func side(_ j: JSONValue?) -> FieldConflict.Side {
                func s(_ key: String) -> String { if case .string(let t)? = j?[key] { return t } else { return "" } }
                return FieldConflict.Side(value: v(j?["value"]), county: s("county"), author: s("author"), commit: s("commit"))
            }
            return FieldConflict(kind: k, field: field, base: v(c["base"]), ours: side(c["ours"]), theirs: side(c["theirs"]))
        }
    }

    /// A whole record as the `--json` output shows it.
    public static func record(_ record: Record, schema: Schema = .current) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(record.id.rawValue)), ("kind", .string(record.kind)), ("county", .string(record.county.rawValue)),
            ("created", .string(record.created.rawValue)), ("updated", .string(record.updated.rawValue)),
        ]
        pairs += fields(record.fields, kind: record.kind, schema: schema)
        if !record.conflicts.isEmpty { pairs.append(("conflicts", conflicts(record.conflicts))) }
        return .object(pairs)
    }
}

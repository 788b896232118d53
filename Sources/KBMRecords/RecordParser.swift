import Foundation
import Yams

/// Reads record files. Accepts valid hand edits (any key order, any quoting, CRLF) and refuses,
/// with file, line and field, anything that is not a valid record: YAML anchors, aliases, tags,
/// duplicate keys, wrong types, unknown kinds, missing required fields.
public enum RecordParser {
    /// Files larger than this are refused before parsing.
    public static let maxFileSize = 1 << 20
    /// Front matter nesting deeper than this is refused before parsing (kbm never writes more than 4).
    public static let maxDepth = 16

    /// Parses raw bytes, refusing invalid UTF-8.
    public static func parse(data: some Collection<UInt8>, path: String? = nil, schema: Schema = .current) throws -> Record {
        guard data.count <= maxFileSize else {
            throw RecordParseError(path: path, message: "file is larger than \(maxFileSize / 1024) KiB")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw RecordParseError(path: path, line: firstInvalidUTF8Line(Array(data)), message: "file is not valid UTF-8")
        }
        return try parse(text, path: path, schema: schema)
    }

    /// Parses the text of a record file.
    public static func parse(_ raw: String, path: String? = nil, schema: Schema = .current) throws -> Record {
        var text = raw.precomposedStringWithCanonicalMapping
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        guard text.hasPrefix("---\n") else {
            throw RecordParseError(path: path, line: 1, message: "expected the file to start with a '---' line (YAML front matter), got \(RecordParseError.quote(String(text.prefix(40))))")
        }
        let afterOpen = text.index(text.startIndex, offsetBy: 4)
        let frontMatter: Substring
        var body: Substring = ""
        if text[afterOpen...].hasPrefix("---\n") || text[afterOpen...] == "---" {
            frontMatter = ""
            body = text[text.index(afterOpen, offsetBy: 3)...].dropFirst()
        } else if let close = text.range(of: "\n---\n", range: afterOpen..<text.endIndex) {
            frontMatter = text[afterOpen...close.lowerBound]
            body = text[close.upperBound...]
        } else if text.hasSuffix("\n---") {
            frontMatter = text[afterOpen...text.index(text.endIndex, offsetBy: -4)]
        } else {
            throw RecordParseError(path: path, message: "the front matter is not closed by a '---' line")
        }
        if body.hasPrefix("\n") { body = body.dropFirst() }
        if body.hasSuffix("\n") { body = body.dropLast() }
        try checkDepth(frontMatter, path: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: String(frontMatter))
        } catch let error as YamlError {
            throw yamlError(error, path: path)
        }
        guard case .mapping(let mapping)? = root else {
            throw RecordParseError(path: path, line: 2, message: "expected the front matter to be a list of `field: value` lines")
        }
        var reader = NodeReader(path: path, schema: schema)
        return try reader.record(from: mapping, body: String(body))
    }

    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
            line += 1
            start = i + 1
        }
        return line
    }

    /// Refuses deeply nested front matter before the YAML parser recurses into it.
    static func checkDepth(_ text: Substring, path: String?) throws {
        var line = 2
        var brackets = 0
        var maxIndent = 0
        var atLineStart = true
        var indent = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                line += 1
                atLineStart = true
                indent = 0
                continue
            }
            if atLineStart {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") { indent += 1; continue }
                atLineStart = false
                maxIndent = max(maxIndent, indent)
            }
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { brackets += 1 }
            if brackets > maxDepth || maxIndent > maxDepth * 4 {
                throw RecordParseError(path: path, line: line, message: "the front matter is nested too deeply (kbm records use at most \(maxDepth) levels)")
            }
        }
    }

    static func yamlError(_ error: YamlError, path: String?) -> RecordParseError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return RecordParseError(path: path, line: mark.line + 1, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, _):
            return RecordParseError(path: path, field: duplicates.first, message: "the field appears more than once")
        default:
            return RecordParseError(path: path, message: "invalid YAML: \(error)")
        }
    }
}

/// Turns YAML nodes into typed values, with the file line of every problem.
struct NodeReader {
    let path: String?
    let schema: Schema

    func fail(_ node: Node?, _ field: String?, _ message: String) -> RecordParseError {
        RecordParseError(path: path, line: node?.mark.map { $0.line + 1 }, field: field, message: message)
    }

    /// The tags YAML gives nodes without an explicit tag.
    static let allowedTags: Set<String> = ["", "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"]

    /// Refuses anchors, aliases and explicit tags anywhere below `node`.
    func checkPlain(_ node: Node, field: String?) throws {
        if node.anchor != nil { throw fail(node, field, "YAML anchors (&) are not allowed in record files") }
        switch node {
        case .alias: throw fail(node, field, "YAML aliases (*) are not allowed in record files")
        case .scalar(let scalar):
            guard NodeReader.allowedTags.contains(scalar.tag.rawValue) else { throw fail(node, field, "YAML tags (!) are not allowed in record files") }
        case .sequence(let sequence):
            guard NodeReader.allowedTags.contains(sequence.tag.rawValue) else { throw fail(node, field, "YAML tags (!) are not allowed in record files") }
            for child in sequence { try checkPlain(child, field: field) }
        case .mapping(let mapping):
            guard NodeReader.allowedTags.contains(mapping.tag.rawValue) else { throw fail(node, field, "YAML tags (!) are not allowed in record files") }
            for (key, value) in mapping {
                try checkPlain(key, field: field)
                try checkPlain(value, field: field)
            }
        }
    }

    func key(_ node: Node) throws -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw fail(node, nil, "expected a field name")
        }
        return scalar.string
    }

    mutating func record(from mapping: Node.Mapping, body: String) throws -> Record {
        var header: [String: (String, Node)] = [:]
        var values: [String: FieldValue] = [:]
        var conflictsNode: Node?
        var kindName: String?
        for (keyNode, valueNode) in mapping {
            let name = try key(keyNode)
            try checkPlain(valueNode, field: name)
            if name == "kind" { kindName = try scalar(valueNode, field: name) }
        }
        guard let kindName else { throw RecordParseError(path: path, line: 2, field: "kind", message: "the record has no kind (expected one of \(schema.kindNames.joined(separator: ", ")))") }
        guard let kindSchema = schema.kind(kindName) else {
            let node = mapping.first { (try? key($0.key)) == "kind" }?.value
            throw fail(node, "kind", "unknown kind \(RecordParseError.quote(kindName)); expected one of \(schema.kindNames.joined(separator: ", "))")
        }
        for (keyNode, valueNode) in mapping {
            let name = try key(keyNode)
            if Schema.headerFields.contains(name) {
                header[name] = (try scalar(valueNode, field: name), valueNode)
            } else if name == Schema.conflictsField {
                conflictsNode = valueNode
            } else if name == kindSchema.body {
                throw fail(keyNode, name, "this field is the file's body: write it below the closing '---' line")
            } else if let spec = schema.field(name, of: kindName) {
                let value = try self.value(valueNode, spec: spec)
                if !value.isEmpty { values[name] = value }
            } else {
                values[name] = .opaque(OpaqueYAML.write(valueNode))
            }
        }
        if let bodyField = kindSchema.body, !body.isEmpty {
            values[bodyField] = .text(body)
        }
        func required(_ name: String) throws -> (String, Node) {
            guard let entry = header[name] else {
                throw RecordParseError(path: path, line: 2, field: name, message: "missing; every record has id, kind, county, format, created and updated")
            }
            return entry
        }
        let (idText, idNode) = try required("id")
        guard let id = RecordID(idText) else {
            throw fail(idNode, "id", "expected a ULID like 01JD3Q5V8X2M4N6P8R0T2W4Y6Z (26 characters), got \(RecordParseError.quote(idText))")
        }
        let (countyText, countyNode) = try required("county")
        guard let county = County(countyText) else {
            throw fail(countyNode, "county", "expected a county slug like lk-augsburg, got \(RecordParseError.quote(countyText))")
        }
        let (formatText, formatNode) = try required("format")
        guard let format = Int(formatText), format >= 1 else {
            throw fail(formatNode, "format", "expected a format version like 1, got \(RecordParseError.quote(formatText))")
        }
        let (createdText, createdNode) = try required("created")
        guard let created = Timestamp(createdText) else {
            throw fail(createdNode, "created", "expected a UTC time like 2026-03-14T09:30:00Z, got \(RecordParseError.quote(createdText))")
        }
        let (updatedText, updatedNode) = try required("updated")
        guard let updated = Timestamp(updatedText) else {
            throw fail(updatedNode, "updated", "expected a UTC time like 2026-03-14T09:30:00Z, got \(RecordParseError.quote(updatedText))")
        }
        for spec in kindSchema.fields where spec.required && values[spec.name] == nil {
            throw RecordParseError(path: path, line: 2, field: spec.name, message: "required for a \(kindName), but missing")
        }
        var record = Record(id: id, kind: kindName, county: county, format: format, created: created, updated: updated, fields: values)
        if let conflictsNode { record.conflicts = try conflicts(conflictsNode, kind: kindName) }
        return record
    }

    func scalar(_ node: Node, field: String) throws -> String {
        guard case .scalar(let scalar) = node else {
            throw fail(node, field, "expected a single value, got a \(node.isSequenceNode ? "list" : "mapping")")
        }
        return scalar.string
    }

    /// The typed value of `node` for a field declared as `spec`.
    func value(_ node: Node, spec: FieldSpec) throws -> FieldValue {
        let field = spec.name
        if case .scalar(let s) = node, s.style == .plain, s.string.isEmpty || s.string == "~" || s.string == "null" {
            // `field:` with nothing after it: an empty field.
            return spec.type.isCollection ? .strings([]) : .strings([])
        }
        switch spec.type {
        case .string, .text:
            let text = try scalar(node, field: field)
            if spec.type == .string && text.contains("\n") {
                throw fail(node, field, "expected \(spec.expectation), got several lines")
            }
            return .text(text)
        case .enumeration:
            let text = try scalar(node, field: field)
            guard spec.values?.contains(text) ?? false else {
                throw fail(node, field, "expected \(spec.expectation), got \(RecordParseError.quote(text))")
            }
            return .text(text)
        case .date:
            let text = try scalar(node, field: field)
            guard DateValue.isValid(text) else {
                throw fail(node, field, "expected a date like 2026-03-14, got \(RecordParseError.quote(text))")
            }
            return .text(text)
        case .int:
            let text = try scalar(node, field: field)
            guard let number = Int(text), number >= (spec.min ?? Int.min) else {
                throw fail(node, field, "expected \(spec.expectation), got \(RecordParseError.quote(text))")
            }
            return .int(number)
        case .bool:
            let text = try scalar(node, field: field)
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw fail(node, field, "expected true or false, got \(RecordParseError.quote(text))")
            }
        case .set, .list, .refs, .counties:
            guard case .sequence(let sequence) = node else {
                throw fail(node, field, "expected \(spec.expectation) (one `- value` line each)")
            }
            var elements: [String] = []
            for child in sequence {
                let text = try scalar(child, field: field)
                try FieldRules.checkElement(text, spec: spec, path: path, line: child.mark.map { $0.line + 1 })
                elements.append(text)
            }
            return .strings(FieldRules.normalizeCollection(elements, type: spec.type))
        case .items:
            guard case .sequence(let sequence) = node else {
                throw fail(node, field, "expected \(spec.expectation)")
            }
            var items: [Item] = []
            var seen: Set<String> = []
            for child in sequence {
                guard case .mapping(let mapping) = child else { throw fail(child, field, "expected an item with `id:` and its fields") }
                var id: String?
                var fields: [String: String] = [:]
                for (k, v) in mapping {
                    let name = try key(k)
                    let text = try scalar(v, field: "\(field).\(name)")
                    if name == "id" { id = text; continue }
                    if let itemSpec = spec.itemFields?.first(where: { $0.name == name }) {
                        try FieldRules.checkItemValue(text, spec: itemSpec, field: "\(field).\(name)", path: path, line: v.mark.map { $0.line + 1 })
                    }
                    fields[name] = text
                }
                guard let id, !id.isEmpty else { throw fail(child, field, "every item needs an `id:`") }
                guard seen.insert(id).inserted else { throw fail(child, field, "item id \(RecordParseError.quote(id)) appears twice") }
                for itemSpec in spec.itemFields ?? [] where itemSpec.required && fields[itemSpec.name] == nil {
                    throw fail(child, "\(field).\(itemSpec.name)", "required for every item, but missing")
                }
                items.append(Item(id: id, fields: fields))
            }
            return .items(items)
        }
    }

    func conflicts(_ node: Node, kind: String) throws -> [FieldConflict] {
        guard case .sequence(let sequence) = node else { throw fail(node, "conflicts", "expected a list of conflicts") }
        var out: [FieldConflict] = []
        for child in sequence {
            guard case .mapping(let m) = child else { throw fail(child, "conflicts", "expected a conflict with field, kind, ours and theirs") }
            func entry(_ name: String) -> Node? { m.first { (try? key($0.key)) == name }?.value }
            guard let fieldNode = entry("field") else { throw fail(child, "conflicts", "a conflict needs `field:`") }
            let field = try scalar(fieldNode, field: "conflicts.field")
            let spec = schema.field(field, of: kind)
            func typed(_ node: Node?) throws -> FieldValue? {
                guard let node else { return nil }
                if let spec { return try value(node, spec: spec) }
                return .opaque(OpaqueYAML.write(node))
            }
            func side(_ name: String) throws -> FieldConflict.Side {
                guard let sideNode = entry(name), case .mapping(let s) = sideNode else {
                    throw fail(child, "conflicts", "a conflict needs `\(name):` with county, author and commit")
                }
                func text(_ k: String) throws -> String {
                    guard let n = s.first(where: { (try? key($0.key)) == k })?.value else { return "" }
                    return try scalar(n, field: "conflicts.\(name).\(k)")
                }
                let valueNode = s.first { (try? key($0.key)) == "value" }?.value
                return FieldConflict.Side(value: try typed(valueNode), county: try text("county"), author: try text("author"), commit: try text("commit"))
            }
            let kindText = try entry("kind").map { try scalar($0, field: "conflicts.kind") } ?? "field"
            out.append(FieldConflict(kind: kindText, field: field, base: try typed(entry("base")), ours: try side("ours"), theirs: try side("theirs")))
        }
        return out
    }
}

extension Node {
    var isSequenceNode: Bool { if case .sequence = self { return true } else { return false } }
}

/// Canonical YAML for the values of fields this version does not know, so they are kept and
/// written back (as the text after `key:`, ending in a newline).
enum OpaqueYAML {
    static func write(_ node: Node, indent: String = "") -> String {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain && !scalar.string.contains("\n") && !scalar.string.isEmpty {
                return " \(scalar.string)\n"
            }
            if scalar.style == .plain && scalar.string.isEmpty { return "\n" }
            return " \(YAMLScalar.doubleQuoted(scalar.string))\n"
        case .sequence(let sequence):
            if sequence.isEmpty { return " []\n" }
            var out = "\n"
            for child in sequence {
                out += "\(indent)  -" + write(child, indent: indent + "  ").dropFirst(0)
            }
            return out
        case .mapping(let mapping):
            if mapping.isEmpty { return " {}\n" }
            var out = "\n"
            for (k, v) in mapping {
                let name = k.scalar?.string ?? ""
                out += "\(indent)  \(YAMLScalar.inline(name)):" + write(v, indent: indent + "  ")
            }
            return out
        case .alias:
            return "\n"
        }
    }
}

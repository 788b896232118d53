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
        guard raw.utf8.count <= maxFileSize else {
            throw RecordParseError(path: path, message: "file is larger than \(maxFileSize / 1024) KiB")
        }
        // Work on bytes, not Characters: "\r\n" is one Character, and a body may hold a lone "\r".
        var bytes = Array(raw.precomposedStringWithCanonicalMapping.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // A file saved with CRLF line endings (its first line says so) is normalised to LF. In an LF
        // file a "\r\n" can only be part of the body text, and is kept.
        if bytes.starts(with: Array("---\r\n".utf8)) { bytes = removingCRBeforeLF(bytes) }
        let newline = UInt8(ascii: "\n")
        guard bytes.starts(with: Array("---\n".utf8)) else {
            let found = String(decoding: bytes.prefix(40), as: UTF8.self)
            throw RecordParseError(path: path, line: 1, message: "expected the file to start with a '---' line (YAML front matter), got \(RecordParseError.quote(found))")
        }
        // The closing line: the first "---" line after the opening one.
        var close: Int?
        var i = 3
        while i + 3 < bytes.count {
            if bytes[i] == newline, bytes[i + 1] == UInt8(ascii: "-"), bytes[i + 2] == UInt8(ascii: "-"), bytes[i + 3] == UInt8(ascii: "-"),
               i + 4 == bytes.count || bytes[i + 4] == newline {
                close = i
                break
            }
            i += 1
        }
        guard let close else {
            throw RecordParseError(path: path, message: "the front matter is not closed by a '---' line")
        }
        let frontMatter = String(decoding: bytes[4..<(close + 1)], as: UTF8.self)
        var body = bytes[min(close + 5, bytes.count)...]
        if body.first == newline { body = body.dropFirst() }
        if body.last == newline { body = body.dropLast() }
        try checkStructure(frontMatter, path: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: frontMatter)
        } catch let error as YamlError {
            throw yamlError(error, frontMatter: frontMatter, path: path)
        }
        guard case .mapping(let mapping)? = root else {
            throw RecordParseError(path: path, line: 2, message: "expected the front matter to be a list of `field: value` lines")
        }
        var reader = NodeReader(path: path, schema: schema, source: frontMatter.split(separator: "\n", omittingEmptySubsequences: false))
        return try reader.record(from: mapping, body: String(decoding: body, as: UTF8.self))
    }

    static func removingCRBeforeLF(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { continue }
            out.append(byte)
        }
        return out
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

    /// Columns of block indentation kbm accepts (it writes at most 10).
    static let maxIndent = maxDepth * 4

    /// A quick pass over the front matter before the YAML parser sees it. Refuses nesting deeper
    /// than `maxDepth` flow levels or `maxIndent` columns (so a hostile file cannot exhaust the stack)
    /// and any anchor, alias or tag (so aliases cannot expand exponentially). It knows quoted
    /// scalars, block scalars, plain continuation lines and comments, so no text value trips it.
    static func checkStructure(_ text: String, path: String?) throws {
        let space = UInt8(ascii: " "), hash = UInt8(ascii: "#"), colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")
        let dquote = UInt8(ascii: "\""), squote = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
        let flowClosers: Set<UInt8> = [UInt8(ascii: "]"), UInt8(ascii: "}")]
        let flowOpeners: Set<UInt8> = [UInt8(ascii: "["), UInt8(ascii: "{")]
        var flowDepth = 0
        var quote: UInt8?          // an open quoted scalar, possibly spanning lines
        var blockParent: Int?      // indentation of the node that owns an open block scalar (| or >)
        var plainParent: Int?      // indentation of the node whose plain scalar may continue on more indented lines
        var atNode = true          // whether the next token starts a node (only carried across lines in flow context)
        var field: String?         // the top-level field being read, for messages
        var lineNumber = 1
        for lineSlice in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Array(lineSlice)
            func refuse(_ message: String) -> RecordParseError {
                RecordParseError(path: path, line: lineNumber, field: field, message: message)
            }
            var i = 0
            while i < line.count, line[i] == space { i += 1 }
            let indent = i
            let blank = i == line.count
            if let parent = blockParent {
                if blank || indent > parent { continue }
                blockParent = nil
            }
            if quote == nil, flowDepth == 0, let parent = plainParent {
                if blank || (indent > parent && line[i] != hash) { continue }
                plainParent = nil
            }
            var nodeIndent = indent
            if quote == nil, flowDepth == 0 {
                atNode = true
                if blank { continue }
                if indent > maxIndent { throw refuse("the front matter is nested too deeply (kbm records use at most \(maxDepth) levels)") }
                if indent == 0, line[0] != UInt8(ascii: "-") { field = nil }
            }
            while i < line.count {
                let c = line[i]
                if let open = quote {
                    if open == dquote, c == backslash { i += 2; continue }
                    if c == open {
                        if open == squote, i + 1 < line.count, line[i + 1] == squote { i += 2; continue }
                        quote = nil
                        atNode = false
                    }
                    i += 1
                    continue
                }
                if c == space || c == UInt8(ascii: "\t") { i += 1; continue }
                if c == hash, i == 0 || line[i - 1] == space || line[i - 1] == UInt8(ascii: "\t") { break }
                let next: UInt8? = i + 1 < line.count ? line[i + 1] : nil
                let nextIsBlank = next == nil || next == space || next == UInt8(ascii: "\t")
                if flowDepth > 0 {
                    if flowClosers.contains(c) { flowDepth -= 1; atNode = false; i += 1; continue }
                    if c == comma { atNode = true; i += 1; continue }
                }
                if !atNode {
                    if c == colon { atNode = true }
                    i += 1
                    continue
                }
                if c == UInt8(ascii: "&") { throw refuse("YAML anchors (&) are not allowed in record files") }
                if c == UInt8(ascii: "*") { throw refuse("YAML aliases (*) are not allowed in record files") }
                if c == UInt8(ascii: "!") { throw refuse("YAML tags (!) are not allowed in record files") }
                if c == dquote || c == squote {
                    quote = c
                    i += 1
                    continue
                }
                if flowOpeners.contains(c) {
                    flowDepth += 1
                    if flowDepth > maxDepth { throw refuse("the front matter is nested too deeply (kbm records use at most \(maxDepth) levels)") }
                    i += 1
                    continue
                }
                if flowDepth == 0, c == UInt8(ascii: "|") || c == UInt8(ascii: ">") {
                    blockParent = nodeIndent
                    break
                }
                if nextIsBlank, c == UInt8(ascii: "-") || c == UInt8(ascii: "?") || c == colon {
                    if flowDepth == 0, c != colon {
                        nodeIndent = i
                        if i > maxIndent { throw refuse("the front matter is nested too deeply (kbm records use at most \(maxDepth) levels)") }
                    }
                    i += 1
                    continue
                }
                // A plain scalar: it runs to ": ", " #", the end of the line or (in flow) an indicator.
                let start = i
                while i < line.count {
                    let p = line[i]
                    let after: UInt8? = i + 1 < line.count ? line[i + 1] : nil
                    if p == colon, after == nil || after == space || after == UInt8(ascii: "\t") || (flowDepth > 0 && (after == comma || flowClosers.contains(after ?? 0))) { break }
                    if p == hash, line[i - 1] == space || line[i - 1] == UInt8(ascii: "\t") { break }
                    if flowDepth > 0, p == comma || flowClosers.contains(p) || flowOpeners.contains(p) { break }
                    i += 1
                }
                if i < line.count, line[i] == colon {
                    // It was a key.
                    if flowDepth == 0 {
                        if start == 0 { field = String(decoding: line[start..<i], as: UTF8.self) }
                        nodeIndent = start
                    }
                    atNode = true
                    i += 1
                    continue
                }
                atNode = false
                if flowDepth == 0 { plainParent = nodeIndent }
            }
        }
    }

    static func yamlError(_ error: YamlError, frontMatter: String, path: String?) -> RecordParseError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return RecordParseError(path: path, line: mark.line + 1, message: "invalid YAML: \(problem)")
        case .reader(let problem, let offset, let value, _):
            // libyaml's reader refuses control characters before scanning; Yams gives the offset
            // (in Characters) into the front matter, which starts on the file's line 2.
            var line: Int?
            if let offset, let index = frontMatter.index(frontMatter.startIndex, offsetBy: offset, limitedBy: frontMatter.endIndex) {
                line = 2 + frontMatter[..<index].reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            }
            let hex = String(value, radix: 16, uppercase: true)
            let character = value >= 0 ? " (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))" : ""
            return RecordParseError(path: path, line: line, message: "invalid YAML: \(problem)\(character)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first occurrence; point at the repeat, where the mistake usually is.
            let name = duplicates.first
            let first = context.mark.line + 1
            let repeatLine = name.flatMap { repeatedKeyLine($0, after: context.mark, in: frontMatter) }
            if let repeatLine {
                return RecordParseError(path: path, line: repeatLine, field: name, message: "the field appears more than once (first on line \(first))")
            }
            return RecordParseError(path: path, line: first, field: name, message: "the field appears more than once")
        default:
            return RecordParseError(path: path, message: "invalid YAML: \(error)")
        }
    }

    /// The file line where `key` appears again at the column of its first occurrence (`mark`), if found.
    static func repeatedKeyLine(_ key: String, after mark: Mark, in frontMatter: String) -> Int? {
        let lines = frontMatter.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line < lines.count else { return nil }
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        for index in mark.line..<lines.count {
            var rest = Substring(lines[index])
            var column = 1
            while let first = rest.first, first == " " || (first == "-" && rest.dropFirst().first == " ") {
                rest = rest.dropFirst()
                column += 1
            }
            guard column == mark.column else { continue }
            for spelling in spellings where rest.hasPrefix(spelling) {
                if rest.dropFirst(spelling.count).drop(while: { $0 == " " }).first == ":" { return index + 2 }
            }
        }
        return nil
    }
}

/// Turns YAML nodes into typed values, with the file line of every problem.
struct NodeReader {
    let path: String?
    let schema: Schema
    /// The front matter's lines, to look at how a scalar was spelled.
    var source: [Substring] = []

    /// The text of a scalar, in NFC. Yams drops a U+FEFF at the very start of a scalar (Foundation
    /// takes it for a byte order mark); it is put back when the quoted source starts with one.
    func text(of scalar: Node.Scalar) -> String {
        var string = scalar.string
        if scalar.style == .doubleQuoted || scalar.style == .singleQuoted, let mark = scalar.mark,
           !string.unicodeScalars.starts(with: ["\u{FEFF}"]), sourceStartsWithBOM(at: mark) {
            string = "\u{FEFF}" + string
        }
        return string.precomposedStringWithCanonicalMapping
    }

    func sourceStartsWithBOM(at mark: Mark) -> Bool {
        guard mark.line >= 1, mark.line <= source.count, mark.column >= 1 else { return false }
        let scalars = source[mark.line - 1].unicodeScalars
        guard let quote = scalars.index(scalars.startIndex, offsetBy: mark.column - 1, limitedBy: scalars.endIndex),
              quote < scalars.endIndex else { return false }
        let after = scalars[scalars.index(after: quote)...].prefix(10)
        if after.first == "\u{FEFF}" { return true }
        let escape = String(String.UnicodeScalarView(after)).lowercased()
        return escape.hasPrefix("\\ufeff") || escape.hasPrefix("\\u0000feff")
    }

    func fail(_ node: Node?, _ field: String?, _ message: String) -> RecordParseError {
        RecordParseError(path: path, line: node?.mark.map { $0.line + 1 }, field: field, message: message)
    }

    /// Whether `node` carries only the tag YAML gives it anyway. Yams resolves tags lazily and in
    /// place (for example while it looks for duplicate keys) and reports quoted scalars as `!!str`,
    /// so a tag counts as explicit only when it differs from what the node would resolve to.
    /// (The text scan in `RecordParser.checkStructure` refuses every `!` before this runs.)
    static func hasImplicitTag(_ node: Node) -> Bool {
        switch node {
        case .scalar(let scalar):
            let name = scalar.tag.rawValue
            if name == Tag.Name.implicit.rawValue { return true }
            if name == Tag.Name.str.rawValue && scalar.style != .plain { return true }
            return name == Resolver.default.resolveTag(of: .scalar(Node.Scalar(scalar.string))).rawValue
        case .sequence(let sequence):
            return [Tag.Name.implicit.rawValue, Tag.Name.seq.rawValue].contains(sequence.tag.rawValue)
        case .mapping(let mapping):
            return [Tag.Name.implicit.rawValue, Tag.Name.map.rawValue].contains(mapping.tag.rawValue)
        case .alias:
            return true
        }
    }

    /// Refuses anchors, aliases and explicit tags anywhere below `node`.
    func checkPlain(_ node: Node, field: String?) throws {
        if node.anchor != nil { throw fail(node, field, "YAML anchors (&) are not allowed in record files") }
        if case .alias = node { throw fail(node, field, "YAML aliases (*) are not allowed in record files") }
        guard NodeReader.hasImplicitTag(node) else { throw fail(node, field, "YAML tags (!) are not allowed in record files") }
        switch node {
        case .alias, .scalar:
            break
        case .sequence(let sequence):
            for child in sequence { try checkPlain(child, field: field) }
        case .mapping(let mapping):
            for (key, value) in mapping {
                try checkPlain(key, field: field)
                try checkPlain(value, field: field)
            }
        }
    }

    /// Refuses a key seen before in the same mapping. Yams finds most repeats itself, but not keys
    /// that YAML types differently and kbm reads as the same name (`1:` and `"1":`).
    func checkUnique(_ name: String, _ node: Node, _ seen: inout [String: Node], field: String) throws {
        if let first = seen[name] {
            let firstLine = first.mark.map { " (first on line \($0.line + 1))" } ?? ""
            throw fail(node, field, "the field appears more than once\(firstLine)")
        }
        seen[name] = node
    }

    func key(_ node: Node) throws -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw fail(node, nil, "expected a field name")
        }
        return text(of: scalar)
    }

    mutating func record(from mapping: Node.Mapping, body: String) throws -> Record {
        var header: [String: (String, Node)] = [:]
        var values: [String: FieldValue] = [:]
        var conflictsNode: Node?
        var kindName: String?
        var seen: [String: Node] = [:]
        for (keyNode, valueNode) in mapping {
            try checkPlain(keyNode, field: keyNode.scalar?.string)
            let name = try key(keyNode)
            try checkUnique(name, keyNode, &seen, field: name)
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
                values[name] = .opaque(OpaqueYAML.write(valueNode, text: text(of:)))
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
        if let conflictsNode { record.conflicts = RecordWriter.canonicalOrder(try conflicts(conflictsNode, kind: kindName), kind: kindName, schema: schema) }
        return record
    }

    func scalar(_ node: Node, field: String) throws -> String {
        guard case .scalar(let scalar) = node else {
            throw fail(node, field, "expected a single value, got a \(node.isSequenceNode ? "list" : "mapping")")
        }
        // The file is NFC already, but an escape such as "u\u0308" can still spell a decomposed letter.
        return text(of: scalar)
    }

    /// The typed value of `node` for a field declared as `spec`.
    func value(_ node: Node, spec: FieldSpec) throws -> FieldValue {
        let field = spec.name
        if case .scalar(let s) = node, s.style == .plain, s.string.isEmpty || s.string == "~" || s.string == "null" {
            // `field:` with nothing after it: an empty field.
            return spec.type == .items ? .items([]) : .strings([])
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
        case .datetime:
            let text = try scalar(node, field: field)
            guard DateTimeValue.isValid(text) else {
                throw fail(node, field, "expected \(spec.expectation), got \(RecordParseError.quote(text))")
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
                var seenKeys: [String: Node] = [:]
                for (k, v) in mapping {
                    let name = try key(k)
                    try checkUnique(name, k, &seenKeys, field: name)
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
                if let spec {
                    let typedValue = try value(node, spec: spec)
                    return typedValue.isEmpty ? nil : typedValue
                }
                return .opaque(OpaqueYAML.write(node, text: text(of:)))
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
    static func write(_ node: Node, indent: String = "", text: (Node.Scalar) -> String) -> String {
        switch node {
        case .scalar(let scalar):
            let string = text(scalar)
            if scalar.style == .plain && !string.contains("\n") && !string.isEmpty {
                return " \(string)\n"
            }
            if scalar.style == .plain && string.isEmpty { return "\n" }
            return " \(YAMLScalar.doubleQuoted(string))\n"
        case .sequence(let sequence):
            if sequence.isEmpty { return " []\n" }
            var out = "\n"
            for child in sequence {
                out += "\(indent)  -" + write(child, indent: indent + "  ", text: text).dropFirst(0)
            }
            return out
        case .mapping(let mapping):
            if mapping.isEmpty { return " {}\n" }
            var out = "\n"
            for (k, v) in mapping {
                let name = k.scalar.map(text) ?? ""
                out += "\(indent)  \(YAMLScalar.inline(name)):" + write(v, indent: indent + "  ", text: text)
            }
            return out
        case .alias:
            return "\n"
        }
    }
}

import Foundation

/// Writes a record as its canonical file: Markdown with a YAML front matter, one field per line,
/// fields in schema order, sets sorted, UTF-8 in NFC with LF line endings and a final newline.
/// The same record always gives the same bytes.
public enum RecordWriter {
    /// The canonical file text of `record`. Pass `record.sharedPart()` to leave out personal fields.
    public static func write(_ record: Record, schema: Schema = .current) -> String {
        var out = "---\n"
        out += "id: \(record.id)\n"
        out += "kind: \(YAMLScalar.inline(record.kind))\n"
        out += "county: \(record.county)\n"
        out += "format: \(record.format)\n"
        out += "created: \(record.created)\n"
        out += "updated: \(record.updated)\n"
        let kindSchema = schema.kind(record.kind)
        let bodyField = kindSchema?.body
        var written: Set<String> = []
        for spec in schema.orderedFields(of: record.kind) where spec.name != bodyField {
            written.insert(spec.name)
            if let value = record.fields[spec.name], !value.isEmpty {
                out += field(spec.name, value, spec: spec, indent: "")
            }
        }
        for name in record.fields.keys.sorted() where !written.contains(name) && name != bodyField {
            if let value = record.fields[name], !value.isEmpty {
                out += field(YAMLScalar.inline(name), value, spec: nil, indent: "")
            }
        }
        if !record.conflicts.isEmpty {
            out += "\(Schema.conflictsField):\n"
            for conflict in canonicalOrder(record.conflicts, kind: record.kind, schema: schema) {
                out += conflictLines(conflict, kind: record.kind, schema: schema)
            }
        }
        out += "---\n"
        if let bodyField, case .text(let body)? = record.fields[bodyField], !body.isEmpty {
            out += "\n" + body + "\n"
        }
        return out.precomposedStringWithCanonicalMapping
    }

    /// Conflicts in the order they are written: by field, kind and commits, then by their text, so
    /// the order is total and the file does not depend on the order the merge found them in.
    static func canonicalOrder(_ conflicts: [FieldConflict], kind: String, schema: Schema) -> [FieldConflict] {
        guard conflicts.count > 1 else { return conflicts }
        return conflicts
            .map { (conflict: $0, text: conflictLines($0, kind: kind, schema: schema)) }
            .sorted { a, b in
                let x = (a.conflict.field, a.conflict.kind, a.conflict.ours.commit, a.conflict.theirs.commit)
                let y = (b.conflict.field, b.conflict.kind, b.conflict.ours.commit, b.conflict.theirs.commit)
                return x != y ? x < y : a.text < b.text
            }
            .map(\.conflict)
    }

    /// `key: value` lines of one field at the given indentation.
    static func field(_ name: String, _ value: FieldValue, spec: FieldSpec?, indent: String) -> String {
        switch value {
        case .text(let text):
            if YAMLScalar.fitsLiteralBlock(text) {
                let block = YAMLScalar.literalBlock(text, indent: indent + "  ")
                return "\(indent)\(name): \(block.indicator)\n\(block.lines)"
            }
            return "\(indent)\(name): \(YAMLScalar.inline(text))\n"
        case .int(let number):
            return "\(indent)\(name): \(number)\n"
        case .bool(let flag):
            return "\(indent)\(name): \(flag ? "true" : "false")\n"
        case .strings(let elements):
            var out = "\(indent)\(name):\n"
            let elements = spec.map { FieldRules.normalizeCollection(elements, type: $0.type) } ?? elements
            for element in elements {
                out += "\(indent)  - \(YAMLScalar.inline(element))\n"
            }
            return out
        case .items(let items):
            var out = "\(indent)\(name):\n"
            for item in items {
                out += "\(indent)  - id: \(YAMLScalar.inline(item.id))\n"
                let declared = spec?.itemFields?.map(\.name) ?? []
                let extra = item.fields.keys.filter { !declared.contains($0) && $0 != "id" }.sorted()
                for key in declared + extra {
                    if let text = item.fields[key] {
                        out += "\(indent)    \(YAMLScalar.inline(key)): \(YAMLScalar.inline(text))\n"
                    }
                }
            }
            return out
        case .opaque(let raw):
            // `raw` is indented for the top level; below a conflict it moves right with its key.
            guard !indent.isEmpty else { return "\(indent)\(name):\(raw)" }
            var lines = raw.split(separator: "\n", omittingEmptySubsequences: false)
            for index in lines.indices.dropFirst() where !lines[index].isEmpty {
                lines[index] = Substring(indent + lines[index])
            }
            return "\(indent)\(name):" + lines.joined(separator: "\n")
        }
    }

    static func conflictLines(_ c: FieldConflict, kind: String, schema: Schema) -> String {
        let spec = schema.field(c.field, of: kind)
        var out = "  - field: \(YAMLScalar.inline(c.field))\n"
        out += "    kind: \(YAMLScalar.inline(c.kind))\n"
        if let base = c.base, !base.isEmpty { out += field("base", base, spec: spec, indent: "    ") }
        for (label, side) in [("ours", c.ours), ("theirs", c.theirs)] {
            out += "    \(label):\n"
            out += "      county: \(YAMLScalar.inline(side.county))\n"
            out += "      author: \(YAMLScalar.inline(side.author))\n"
            out += "      commit: \(YAMLScalar.inline(side.commit))\n"
            if let value = side.value, !value.isEmpty { out += field("value", value, spec: spec, indent: "      ") }
        }
        return out
    }
}

/// Where record files live in the repository: `counties/<county>/<kind>/<shard>/<id>.md`.
/// The shard is the id's last (random) character, so no folder grows past a few thousand files.
public enum RecordLayout {
    public static let root = "counties"

    public static func path(county: County, kind: String, id: RecordID, schema: Schema = .current) -> String {
        let folder = schema.kind(kind)?.folder ?? kind
        return "\(root)/\(county)/\(folder)/\(id.shard)/\(id).md"
    }

    public static func path(of record: Record, schema: Schema = .current) -> String {
        path(county: record.county, kind: record.kind, id: record.id, schema: schema)
    }

    /// What a path claims: county, kind and id. Nil if the path is outside the record layout.
    public static func parse(path: String, schema: Schema = .current) -> (county: County, kind: String, id: RecordID)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == root, let county = County(parts[1]),
              let kind = schema.kinds.first(where: { $0.folder == parts[2] })?.kind,
              parts[4].hasSuffix(".md"), let id = RecordID(String(parts[4].dropLast(3))),
              parts[3] == id.shard else { return nil }
        return (county, kind, id)
    }
}

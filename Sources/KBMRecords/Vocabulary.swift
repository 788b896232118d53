import Foundation

/// How kbm compares what a coordinator typed with codes, labels and stored text:
/// case-insensitive, with umlauts or their ASCII spellings (`Broschüre`, `Broschuere`, `broschuere`).
public enum TextFold {
    /// The German ASCII spelling, lowercased: ä → ae, ö → oe, ü → ue, ß → ss, other accents dropped.
    public static func ascii(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.precomposedStringWithCanonicalMapping.lowercased() {
            switch ch {
            case "ä": out += "ae"
            case "ö": out += "oe"
            case "ü": out += "ue"
            case "ß", "ẞ": out += "ss"
            default: out += stripped(ch)
            }
        }
        return out
    }

    /// Lowercased with every accent dropped (ü → u): how "Ubergang" matches "Übergang".
    public static func plain(_ text: String) -> String {
        var out = ""
        for ch in text.precomposedStringWithCanonicalMapping.lowercased() {
            out += ch == "ß" ? "ss" : stripped(ch)
        }
        return out
    }

    private static func stripped(_ ch: Character) -> String {
        guard !ch.isASCII else { return String(ch) }
        let scalars = String(ch).decomposedStringWithCanonicalMapping.unicodeScalars.filter { !$0.properties.isDiacritic && $0.properties.generalCategory != .nonspacingMark }
        return String(String.UnicodeScalarView(scalars))
    }

    /// The key under which a code, a label or an alias is looked up: folded, and without spaces,
    /// hyphens, underscores and dots (`key_person`, `Key Person`, `Online-Format`).
    public static func key(_ text: String) -> String {
        String(ascii(text.trimmingCharacters(in: .whitespaces)).filter { !" -_.".contains($0) })
    }

    /// Whether two texts are the same for a filter: case- and accent-insensitive.
    public static func equal(_ a: String, _ b: String) -> Bool {
        ascii(a) == ascii(b) || plain(a) == plain(b)
    }

    /// Whether `text` contains `part`, case- and accent-insensitive.
    public static func contains(_ text: String, _ part: String) -> Bool {
        guard !part.isEmpty else { return true }
        return ascii(text).contains(ascii(part)) || plain(text).contains(plain(part))
    }
}

/// The names a code is known by: its German label, then aliases.
public struct VocabularyEntry: Sendable, Equatable {
    public let code: String
    public let label: String?
    public let aliases: [String]

    /// The label and the aliases, for lookups.
    public var names: [String] { (label.map { [$0] } ?? []) + aliases }

    /// Whether `text` names this entry (its code, label or an alias), folded.
    public func matches(key: String) -> Bool {
        TextFold.key(code) == key || names.contains { TextFold.key($0) == key }
    }

    /// `critical ("Kritiker")`: the code, and the label when it says something the code does not.
    public var described: String {
        guard let label, TextFold.key(label) != TextFold.key(code) else { return code }
        return "\(code) (\(label))"
    }
}

/// The German vocabulary of the schema (schema/labels.de.json): a label for every kind, field,
/// item field and enum value, and aliases coordinators also use. Records store codes; labels are
/// for people (the CLI accepts them, the web app and reports show them).
public struct Vocabulary: Sendable, Equatable, Decodable {
    public let language: String
    /// kind → label
    public let kinds: [String: String]
    public let kindAliases: [String: [String]]
    /// scope (a kind, or "common") → field path (`field` or `field.item_field`) → label
    public let fields: [String: [String: String]]
    public let fieldAliases: [String: [String: [String]]]
    /// value path (`kind.field` or `kind.field.item_field`, `common.field`) → code → label
    public let values: [String: [String: String]]
    public let valueAliases: [String: [String: [String]]]

    enum CodingKeys: String, CodingKey {
        case language, kinds, fields, values
        case kindAliases = "kind_aliases"
        case fieldAliases = "field_aliases"
        case valueAliases = "value_aliases"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        language = try c.decode(String.self, forKey: .language)
        kinds = try c.decode([String: String].self, forKey: .kinds)
        kindAliases = try c.decodeIfPresent([String: [String]].self, forKey: .kindAliases) ?? [:]
        fields = try c.decode([String: [String: String]].self, forKey: .fields)
        fieldAliases = try c.decodeIfPresent([String: [String: [String]]].self, forKey: .fieldAliases) ?? [:]
        values = try c.decode([String: [String: String]].self, forKey: .values)
        valueAliases = try c.decodeIfPresent([String: [String: [String]]].self, forKey: .valueAliases) ?? [:]
    }

    /// The German vocabulary compiled into this build (from schema/labels.de.json).
    public static let german: Vocabulary = {
        do {
            return try JSONDecoder().decode(Vocabulary.self, from: Data(SchemaData.labelsDeJSON.utf8))
        } catch {
            preconditionFailure("schema/labels.de.json is checked by VocabularyTests and must decode: \(error)")
        }
    }()
}

/// The labels and the lookups of codes by what a coordinator typed.
extension Schema {
    public var vocabulary: Vocabulary { .german }

    /// The scope under which a field's labels are kept: its kind, or "common".
    func labelScope(field: String, of kind: String) -> String {
        self.kind(kind)?.field(field) != nil ? kind : "common"
    }

    // MARK: labels

    /// The German label of a kind (`event` → "Veranstaltung"); the code if it has none.
    public func label(kind: String) -> String { vocabulary.kinds[kind] ?? kind }

    /// The German label of a field of a kind (`stance` of `stakeholder` → "Haltung"); with `item`,
    /// the label of an item field (`status` of the items of `follow_ups` → "Stand").
    public func label(field: String, of kind: String, item: String? = nil) -> String {
        let path = item.map { "\(field).\($0)" } ?? field
        return vocabulary.fields[labelScope(field: field, of: kind)]?[path] ?? item ?? field
    }

    /// The German label of an enum value (`critical` of `stance` of `stakeholder` → "Kritiker").
    public func label(value: String, field: String, kind: String, item: String? = nil) -> String {
        vocabulary.values[valuePath(field: field, kind: kind, item: item)]?[value] ?? value
    }

    func valuePath(field: String, kind: String, item: String?) -> String {
        ([labelScope(field: field, of: kind), field] + (item.map { [$0] } ?? [])).joined(separator: ".")
    }

    // MARK: entries

    /// Every kind with its label and aliases.
    public var kindEntries: [VocabularyEntry] {
        kindNames.map { VocabularyEntry(code: $0, label: vocabulary.kinds[$0], aliases: vocabulary.kindAliases[$0] ?? []) }
    }

    /// Every field of a kind (common fields included) with its label and aliases.
    public func fieldEntries(of kind: String) -> [VocabularyEntry] {
        orderedFields(of: kind).map { fieldEntry($0.name, of: kind) }
    }

    /// The item fields of an items field with their labels and aliases.
    public func itemFieldEntries(_ field: String, of kind: String) -> [VocabularyEntry] {
        (self.field(field, of: kind)?.itemFields ?? []).map { fieldEntry(field, of: kind, item: $0.name) }
    }

    func fieldEntry(_ field: String, of kind: String, item: String? = nil) -> VocabularyEntry {
        let scope = labelScope(field: field, of: kind)
        let path = item.map { "\(field).\($0)" } ?? field
        return VocabularyEntry(code: item ?? field, label: vocabulary.fields[scope]?[path], aliases: vocabulary.fieldAliases[scope]?[path] ?? [])
    }

    /// The allowed values of an enum field with their labels and aliases, in declared order.
    public func valueEntries(field: String, kind: String, item: String? = nil) -> [VocabularyEntry] {
        guard let spec = self.field(field, of: kind) else { return [] }
        let values: [String]?
        if let item { values = spec.itemFields?.first { $0.name == item }?.values } else { values = spec.values }
        let path = valuePath(field: field, kind: kind, item: item)
        return (values ?? []).map { VocabularyEntry(code: $0, label: vocabulary.values[path]?[$0], aliases: vocabulary.valueAliases[path]?[$0] ?? []) }
    }

    // MARK: lookups

    /// The kind a coordinator means (`veranstaltung`, `Praxistipp`, `event`), or nil.
    public func resolveKind(_ text: String) -> String? {
        if kind(text) != nil { return text }
        let key = TextFold.key(text)
        return kindEntries.first { $0.matches(key: key) }?.code
    }

    /// The field a coordinator means (`Haltung`, `stance`, `Letzter Kontakt`), or nil.
    public func resolveField(_ text: String, of kind: String) -> FieldSpec? {
        if let spec = field(text, of: kind) { return spec }
        let key = TextFold.key(text)
        return fieldEntries(of: kind).first { $0.matches(key: key) }.flatMap { field($0.code, of: kind) }
    }

    /// The item field a coordinator means (`Stand`, `status`, `fällig`) of an items field, or nil.
    public func resolveItemField(_ text: String, field: String, of kind: String) -> FieldSpec? {
        guard let items = self.field(field, of: kind)?.itemFields else { return nil }
        if let spec = items.first(where: { $0.name == text }) { return spec }
        let key = TextFold.key(text)
        guard let code = itemFieldEntries(field, of: kind).first(where: { $0.matches(key: key) })?.code else { return nil }
        return items.first { $0.name == code }
    }

    /// The enum code a coordinator means (`Kritiker`, `kritisch`, `critical` → `critical`), or nil.
    public func resolveValue(_ text: String, field: String, kind: String, item: String? = nil) -> String? {
        let entries = valueEntries(field: field, kind: kind, item: item)
        if let exact = entries.first(where: { $0.code == text }) { return exact.code }
        let key = TextFold.key(text)
        return entries.first { $0.matches(key: key) }?.code
    }

    /// What the names of an enum field are, code and label: for messages and `kbm … --help`.
    public func allowedValues(field: String, kind: String, item: String? = nil) -> String {
        valueEntries(field: field, kind: kind, item: item).map(\.described).joined(separator: ", ")
    }
}

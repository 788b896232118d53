import Foundation

/// The type of a field, which decides how it is written, parsed, edited and merged.
public enum FieldType: String, Codable, Sendable {
    /// One line of text.
    case string
    /// Long, multi-line text (merged line by line).
    case text
    /// One of a fixed list of values.
    case enumeration = "enum"
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// A date, or a date and a time of day in Europe/Berlin: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    case datetime
    /// A whole number.
    case int
    /// `true` or `false`.
    case bool
    /// An unordered set of strings, written sorted.
    case set
    /// An ordered list of strings.
    case list
    /// A set of record ids (for example an event's partners).
    case refs
    /// A set of county slugs.
    case counties
    /// Ordered items, each with its own stable id and fields (for example follow-ups).
    case items

    /// Whether values of this type are collections that `+=` and `-=` change.
    public var isCollection: Bool {
        switch self {
        case .set, .list, .refs, .counties, .items: return true
        default: return false
        }
    }
}

/// Whether a field is committed to the shared repository or stays in the local store (DSGVO).
public enum Privacy: String, Codable, Sendable {
    case shared
    case local
}

/// One field of a kind, as declared in schema/kinds.json.
public struct FieldSpec: Codable, Sendable, Equatable {
    public let name: String
    public let type: FieldType
    public let required: Bool
    public let values: [String]?
    public let privacy: Privacy
    /// For a local field: the values of other fields of the record that make it shared after all
    /// (a stakeholder's assessments are shared when its `type` is organisation, office or committee).
    /// A record whose field is empty or holds another value keeps it local.
    public let sharedWhen: [String: [String]]?
    public let min: Int?
    public let itemFields: [FieldSpec]?
    /// For a string: `decimal` when it holds a number (stored as `1234.5`, typed in German as
    /// `1.234,5`); see `DecimalInput`.
    public let format: String?
    public let doc: String?

    enum CodingKeys: String, CodingKey {
        case name, type, required, values, privacy, min, doc, format
        case itemFields = "item_fields"
        case sharedWhen = "shared_when"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(FieldType.self, forKey: .type)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        values = try c.decodeIfPresent([String].self, forKey: .values)
        privacy = try c.decodeIfPresent(Privacy.self, forKey: .privacy) ?? .shared
        sharedWhen = try c.decodeIfPresent([String: [String]].self, forKey: .sharedWhen)
        min = try c.decodeIfPresent(Int.self, forKey: .min)
        itemFields = try c.decodeIfPresent([FieldSpec].self, forKey: .itemFields)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        doc = try c.decodeIfPresent(String.self, forKey: .doc)
    }

    /// Whether this field is personal (local) in a record holding `fields`.
    public func isLocal(in fields: [String: FieldValue]) -> Bool {
        guard privacy == .local else { return false }
        guard let sharedWhen else { return true }
        return !sharedWhen.contains { field, values in
            fields[field]?.stringValue.map(values.contains) ?? false
        }
    }

    /// A short description of what values are allowed, for error messages.
    public var expectation: String {
        switch type {
        case .string: return "a single line of text"
        case .text: return "text"
        case .enumeration: return "one of " + (values ?? []).joined(separator: ", ")
        case .date: return "a date like 2026-03-14"
        case .datetime: return "a date like 2026-03-14 or a date and time like 2026-03-14T09:30"
        case .int: return min.map { "a whole number ≥ \($0)" } ?? "a whole number"
        case .bool: return "true or false"
        case .set: return "a set of text values"
        case .list: return "a list of text values"
        case .refs: return "a set of record ids"
        case .counties: return "a set of county slugs like lk-augsburg"
        case .items: return "a list of items, each with an id"
        }
    }
}

/// A record kind and its fields, in the order they are written.
public struct KindSchema: Codable, Sendable, Equatable {
    public let kind: String
    /// The folder name of this kind in the record layout.
    public let folder: String
    /// The field shown as the record's title in lists.
    public let title: String
    /// The long-text field written as the Markdown body of the file, if any.
    public let body: String?
    public let fields: [FieldSpec]

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

/// The whole schema: every kind, the fields common to all kinds, and the format version.
public struct Schema: Codable, Sendable, Equatable {
    public let format: Int
    public let common: [FieldSpec]
    public let kinds: [KindSchema]

    /// The schema compiled into this build (from schema/kinds.json).
    public static let current: Schema = {
        do {
            return try JSONDecoder().decode(Schema.self, from: Data(SchemaData.kindsJSON.utf8))
        } catch {
            preconditionFailure("schema/kinds.json is checked by SchemaFileTests and must decode: \(error)")
        }
    }()

    /// Names that every record has and that no kind may declare.
    public static let headerFields = ["id", "kind", "county", "format", "created", "updated"]
    /// Reserved for the merge layer's shared conflict list.
    public static let conflictsField = "conflicts"

    public func kind(_ name: String) -> KindSchema? { kinds.first { $0.kind == name } }
    public var kindNames: [String] { kinds.map(\.kind) }

    /// The spec of a field of a kind, common fields included.
    public func field(_ name: String, of kind: String) -> FieldSpec? {
        self.kind(kind)?.field(name) ?? common.first { $0.name == name }
    }

    /// The fields of `record` that are personal (local) for it: the fields whose privacy is local,
    /// except those a `shared_when` rule makes shared for this record.
    public func localFields(of record: Record) -> [FieldSpec] {
        orderedFields(of: record.kind).filter { $0.isLocal(in: record.fields) }
    }

    /// All declared fields of a kind in canonical order: the kind's fields, then the common ones.
    public func orderedFields(of kind: String) -> [FieldSpec] {
        (self.kind(kind)?.fields ?? []) + common
    }
}

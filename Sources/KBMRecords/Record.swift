import Foundation

/// A field's value. Which case a field holds follows from its `FieldType` in the schema.
public enum FieldValue: Hashable, Sendable {
    /// string, text, enum and date fields.
    case text(String)
    case int(Int)
    case bool(Bool)
    /// set, list, refs and counties fields. Sets are kept sorted and without repeats.
    case strings([String])
    /// items fields (follow-ups).
    case items([Item])
    /// A field this version does not know (written by a newer kbm): its canonical YAML, kept as is.
    case opaque(String)

    public var isEmpty: Bool {
        switch self {
        case .text, .int, .bool, .opaque: return false
        case .strings(let s): return s.isEmpty
        case .items(let i): return i.isEmpty
        }
    }

    public var stringValue: String? { if case .text(let s) = self { return s } else { return nil } }
    public var strings: [String] { if case .strings(let s) = self { return s } else { return [] } }
    public var itemsValue: [Item] { if case .items(let i) = self { return i } else { return [] } }
}

/// One item of an items field (a follow-up): a stable id and its own fields.
public struct Item: Hashable, Sendable {
    public var id: String
    public var fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }
}

/// A record: the header every record has, and its kind's fields.
public struct Record: Hashable, Sendable {
    public var id: RecordID
    public var kind: String
    public var county: County
    public var format: Int
    public var created: Timestamp
    public var updated: Timestamp
    /// Known fields by name, and unknown fields as `.opaque`. An absent key is an empty field.
    public var fields: [String: FieldValue]
    /// Open merge conflicts, carried in the file so every office sees them.
    public var conflicts: [FieldConflict]

    public init(id: RecordID, kind: String, county: County, format: Int = Schema.current.format,
                created: Timestamp, updated: Timestamp, fields: [String: FieldValue] = [:],
                conflicts: [FieldConflict] = []) {
        self.id = id
        self.kind = kind
        self.county = county
        self.format = format
        self.created = created
        self.updated = updated
        self.fields = fields
        self.conflicts = conflicts
    }

    public subscript(_ name: String) -> FieldValue? {
        get { fields[name] }
        set {
            if let newValue, !newValue.isEmpty { fields[name] = newValue } else { fields[name] = nil }
        }
    }

    /// The title shown in lists (a stakeholder's name, an event's title …).
    public func title(schema: Schema = .current) -> String {
        guard let spec = schema.kind(kind) else { return "" }
        return fields[spec.title]?.stringValue ?? ""
    }

    /// The counties that own this record: its county and its co-owners.
    public var owners: [County] {
        [county] + fields["co_owners", default: .strings([])].strings.compactMap(County.init)
    }

    /// The local fields this record shares on purpose (named in its `disclosures`).
    public var disclosedFields: Set<String> {
        Set(fields["disclosures", default: .items([])].itemsValue.compactMap { $0.fields["field"] })
    }

    /// The same record without its local (personal) fields, except those named in its
    /// `disclosures` and in `alsoShared`. This is what a record *file* may carry: use it to read a
    /// file from the region. What this laptop commits is decided by the store (`StoreTransaction`),
    /// which publishes a local value only for a disclosure made here with `kbm share`.
    public func sharedPart(schema: Schema = .current, alsoShared: Set<String> = []) -> Record {
        sharedPart(schema: schema, disclosed: alsoShared.union(disclosedFields))
    }

    /// The same record without the local (personal) fields not in `disclosed`, and without the
    /// conflicts on those fields.
    public func sharedPart(schema: Schema = .current, disclosed: Set<String>) -> Record {
        var copy = self
        let local = Set(schema.localFields(of: self).map(\.name)).subtracting(disclosed)
        for name in local { copy.fields[name] = nil }
        copy.conflicts = conflicts.filter { !local.contains($0.field) }
        return copy
    }

    /// Only the local (personal) fields of this record that are not shared on purpose.
    public func localPart(schema: Schema = .current) -> [String: FieldValue] {
        localPart(schema: schema, disclosed: disclosedFields)
    }

    /// Only the local (personal) fields of this record that are not in `disclosed`.
    public func localPart(schema: Schema = .current, disclosed: Set<String>) -> [String: FieldValue] {
        var out: [String: FieldValue] = [:]
        for spec in schema.localFields(of: self) where !disclosed.contains(spec.name) {
            if let value = fields[spec.name] { out[spec.name] = value }
        }
        return out
    }
}

/// Where two offices changed the same field differently. Kept in the record until someone decides.
public struct FieldConflict: Hashable, Sendable {
    /// One side of a conflict: the value and where it came from.
    public struct Side: Hashable, Sendable {
        public var value: FieldValue?
        public var county: String
        public var author: String
        public var commit: String
        public init(value: FieldValue?, county: String, author: String, commit: String) {
            self.value = value
            self.county = county
            self.author = author
            self.commit = commit
        }
    }

    /// `field` for different changes to one field, `delete` for deleted on one side and edited on the other.
    public var kind: String
    public var field: String
    public var base: FieldValue?
    public var ours: Side
    public var theirs: Side

    public init(kind: String, field: String, base: FieldValue?, ours: Side, theirs: Side) {
        self.kind = kind
        self.field = field
        self.base = base
        self.ours = ours
        self.theirs = theirs
    }
}

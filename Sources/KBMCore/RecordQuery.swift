import Foundation
import KBMRecords

/// The operators of `--where`.
public enum FilterOperator: String, Sendable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case contains = "~"

    var isOrdering: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }

    func holds(_ order: ComparisonResult) -> Bool {
        switch self {
        case .equal: return order == .orderedSame
        case .notEqual: return order != .orderedSame
        case .less: return order == .orderedAscending
        case .lessOrEqual: return order != .orderedDescending
        case .greater: return order == .orderedDescending
        case .greaterOrEqual: return order != .orderedAscending
        case .contains: return false
        }
    }
}

/// A `--where` filter: `field=value`, `field!=value`, `<`, `<=`, `>`, `>=`, or `field~text`
/// (contains). The field and enum values may be codes or German labels; an item field is
/// named `follow_ups.status`. Text compares case- and accent-insensitively.
public struct WhereClause: Sendable, Equatable {
    public var field: String
    public var op: FilterOperator
    public var value: String

    static let usage = "--where expects <field><operator><value> with one of the operators = != < <= > >= ~ (contains), for example type=Bildungskonferenz, start>=01.03.2026 or title~Übergang"

    public init(parsing text: String) throws {
        guard let at = text.firstIndex(where: { "=!<>~".contains($0) }) else {
            throw KBMError.invalid("\(Self.usage); got \"\(text)\".")
        }
        field = text[..<at].trimmingCharacters(in: .whitespaces)
        let rest = text[at...]
        let two = String(rest.prefix(2))
        switch two {
        case "!=", "<=", ">=", "~=":
            op = two == "~=" ? .contains : FilterOperator(rawValue: two) ?? .equal
            value = String(rest.dropFirst(2))
        default:
            guard let single = FilterOperator(rawValue: String(rest.prefix(1))) else {
                throw KBMError.invalid("\(Self.usage); got \"\(text)\".")
            }
            op = single
            value = String(rest.dropFirst())
        }
        guard !field.isEmpty else { throw KBMError.invalid("\(Self.usage); the field name is missing in \"\(text)\".") }
    }

    var shown: String { "\(field)\(op.rawValue)\(value)" }

    /// Whether one record matches, the clause checked for its kind (its county is the only known one).
    public func matches(_ record: Record, schema: Schema = .current) throws -> Bool {
        try matcher(schema: schema, kinds: [record.kind], knownCounties: { [record.county] }).matches(record)
    }

    /// The clause checked against the schema for records of `kinds`: a field or a value that
    /// cannot occur is an invalid-input error that says what is allowed.
    func matcher(schema: Schema, kinds: [String], knownCounties: () throws -> [County]) throws -> RecordMatcher {
        if let header = try headerMatcher(schema: schema, knownCounties: knownCounties) { return header }
        let parts = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw KBMError.invalid("--where \(shown): name a field, or an item field like follow_ups.status.")
        }
        var perKind: [String: (spec: FieldSpec, item: FieldSpec?)] = [:]
        for kind in kinds {
            guard let spec = schema.resolveField(parts[0], of: kind) else { continue }
            if parts.count == 2 {
                guard let item = schema.resolveItemField(parts[1], field: spec.name, of: kind) else { continue }
                perKind[kind] = (spec, item)
            } else {
                perKind[kind] = (spec, nil)
            }
        }
        guard !perKind.isEmpty else { throw unknownField(schema: schema, kinds: kinds, parts: parts) }

        var predicates: [String: (Record) -> Bool] = [:]
        var refused: [String] = []
        for (kind, found) in perKind.sorted(by: { $0.key < $1.key }) {
            let spec = found.item ?? found.spec
            guard let compare = try comparison(spec: spec, schema: schema, kind: kind, field: found.spec.name, item: found.item?.name) else {
                refused.append("\(schema.allowedValues(field: found.spec.name, kind: kind, item: found.item?.name)) for a \(kind)")
                continue
            }
            let name = found.spec.name
            if let item = found.item {
                predicates[kind] = { record in record[name]?.itemsValue.contains { compare($0.fields[item.name]) } ?? false }
            } else {
                predicates[kind] = { record in Self.test(record[name], compare: compare, op: self.op, value: self.value) }
            }
        }
        guard !predicates.isEmpty else {
            throw KBMError.invalid("--where \(shown): \"\(value)\" is not a value of '\(field)'. Allowed: \(refused.joined(separator: "; ")).")
        }
        return RecordMatcher { record in predicates[record.kind]?(record) ?? false }
    }

    /// A field's value against the clause: absent fields match `field=` and `field!=value`.
    static func test(_ stored: FieldValue?, compare: (String?) -> Bool, op: FilterOperator, value: String) -> Bool {
        switch stored {
        case nil: return compare(nil)
        case .text(let s)?: return compare(s)
        case .int(let n)?: return compare(String(n))
        case .bool(let b)?: return compare(String(b))
        case .opaque(let raw)?: return compare(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        case .strings(let elements)?:
            if elements.isEmpty { return compare(nil) }
            // != means: no element is equal.
            if op == .notEqual { return !elements.contains { !compare($0) } }
            return elements.contains { compare($0) }
        case .items(let items)?:
            let texts = items.flatMap { [$0.id] + $0.fields.values.sorted() }
            if op == .notEqual { return !texts.contains { !compare($0) } }
            return texts.contains { compare($0) }
        }
    }

    /// How a stored value (nil: absent) compares with the clause, or nil when the clause's value
    /// is not one of the allowed values of an enum field of this kind.
    func comparison(spec: FieldSpec, schema: Schema, kind: String, field: String, item: String?) throws -> ((String?) -> Bool)? {
        let op = self.op
        let typed = value.trimmingCharacters(in: .whitespaces)
        if typed.isEmpty {
            switch op {
            case .equal: return { ($0 ?? "").isEmpty }
            case .notEqual: return { !($0 ?? "").isEmpty }
            case .contains: return { $0 != nil }
            default: throw KBMError.invalid("--where \(shown): give a value to compare with.")
            }
        }
        if op == .contains {
            let labels = spec.type == .enumeration ? schema.valueEntries(field: field, kind: kind, item: item) : []
            return { stored in
                guard let stored else { return false }
                if TextFold.contains(stored, typed) { return true }
                return labels.first { $0.code == stored }?.names.contains { TextFold.contains($0, typed) } ?? false
            }
        }
        let order: (String) -> ComparisonResult?
        switch spec.type {
        case .enumeration:
            guard let code = schema.resolveValue(typed, field: field, kind: kind, item: item) else { return nil }
            let values = spec.values ?? []
            let target = values.firstIndex(of: code) ?? 0
            order = { stored in values.firstIndex(of: stored).map { $0 == target ? .orderedSame : ($0 < target ? .orderedAscending : .orderedDescending) } }
        case .date:
            switch DateInput.parse(typed) {
            case .success(let iso): order = { stored in stored.compare(iso) }
            case .failure(let error): throw KBMError.invalid("--where \(shown): \(error.message)")
            }
        case .datetime:
            // A plain date compares with the day of a stored time (`start=2026-04-24` finds the
            // event at 09:30 that day); a date and time compares with both.
            switch DateInput.parseDateTime(typed) {
            case .success(let value) where DateTimeValue.hasTime(value): order = { stored in stored.compare(value) }
            case .success(let day): order = { stored in String(stored.prefix(10)).compare(day) }
            case .failure(let error): throw KBMError.invalid("--where \(shown): \(error.message)")
            }
        case .int:
            guard let n = Int(typed) else { throw KBMError.invalid("--where \(shown): '\(field)' is a whole number, got \"\(typed)\".") }
            order = { stored in Int(stored).map { $0 == n ? .orderedSame : ($0 < n ? .orderedAscending : .orderedDescending) } }
        case .bool:
            guard let b = FieldRules.boolValue(typed) else {
                throw KBMError.invalid("--where \(shown): '\(field)' is yes or no (ja/nein, true/false), got \"\(typed)\".")
            }
            guard !op.isOrdering else { throw KBMError.invalid("--where \(shown): '\(field)' is yes or no; compare it with = or !=.") }
            order = { stored in FieldRules.boolValue(stored).map { $0 == b ? .orderedSame : .orderedAscending } }
        case .counties:
            let slug = typed.lowercased()
            guard County(slug) != nil else {
                throw KBMError.invalid("--where \(shown): expected a county slug like lk-augsburg, got \"\(typed)\".")
            }
            order = { stored in stored.compare(slug) }
        default:
            order = { stored in TextFold.equal(stored, typed) ? .orderedSame : TextFold.ascii(stored).compare(TextFold.ascii(typed)) }
        }
        return { stored in
            guard let stored, !stored.isEmpty else { return op == .notEqual }
            guard let result = order(stored) else { return op == .notEqual }
            return op.holds(result)
        }
    }

    func headerMatcher(schema: Schema, knownCounties: () throws -> [County]) throws -> RecordMatcher? {
        let op = self.op
        let typed = value.trimmingCharacters(in: .whitespaces)
        func text(_ stored: @escaping (Record) -> String) -> RecordMatcher {
            RecordMatcher { record in
                let s = stored(record)
                if op == .contains { return TextFold.contains(s, typed) }
                return op.holds(TextFold.equal(s, typed) ? .orderedSame : TextFold.ascii(s).compare(TextFold.ascii(typed)))
            }
        }
        switch TextFold.key(field) {
        case "id":
            return text { $0.id.rawValue }
        case "kind":
            guard op != .contains else { return text { $0.kind } }
            guard let kind = schema.resolveKind(typed) else {
                throw KBMError.invalid("--where \(shown): \"\(typed)\" is not a kind. Kinds: \(schema.kindEntries.map(\.described).joined(separator: ", ")).")
            }
            return RecordMatcher { op.holds($0.kind.compare(kind)) }
        case "county", "landkreis":
            guard op != .contains else { return text { $0.county.rawValue } }
            let known = try knownCounties()
            guard let county = known.first(where: { $0.rawValue == typed.lowercased() }) else {
                throw KBMError.invalid("--where \(shown): \"\(typed)\" is not a known county. Known counties: \(known.map(\.rawValue).joined(separator: ", ")).")
            }
            return RecordMatcher { op.holds($0.county.rawValue.compare(county.rawValue)) }
        case "created", "updated":
            let stamp: (Record) -> String = TextFold.key(field) == "created" ? { $0.created.rawValue } : { $0.updated.rawValue }
            guard op != .contains else { return text(stamp) }
            switch DateInput.parse(typed) {
            case .success(let iso): return RecordMatcher { op.holds(String(stamp($0).prefix(10)).compare(iso)) }
            case .failure(let error): throw KBMError.invalid("--where \(shown): \(error.message)")
            }
        default:
            return nil
        }
    }

    func unknownField(schema: Schema, kinds: [String], parts: [String]) -> KBMError {
        if parts.count == 2 {
            let owners = kinds.compactMap { kind in schema.resolveField(parts[0], of: kind).map { (kind, $0) } }
            if let (kind, spec) = owners.first {
                let items = schema.itemFieldEntries(spec.name, of: kind)
                guard !items.isEmpty else { return .invalid("--where \(shown): '\(spec.name)' has no item fields; use --where \(spec.name)\(op.rawValue)<value>.") }
                return .invalid("--where \(shown): '\(spec.name)' items have the fields \(items.map(\.described).joined(separator: ", ")).")
            }
        }
        var entries: [VocabularyEntry] = []
        for kind in kinds { for e in schema.fieldEntries(of: kind) where !entries.contains(where: { $0.code == e.code }) { entries.append(e) } }
        var message = "--where: unknown field '\(parts[0])'"
        if kinds.count == 1, let kind = kinds.first { message += " for a \(kind)" }
        message += "."
        if let near = FieldRules.suggestion(for: parts[0], among: entries.map(\.code)) { message += " Did you mean '\(near)'?" }
        message += " Fields: \((Schema.headerFields.filter { $0 != "format" }).joined(separator: ", ")), \(entries.map(\.described).joined(separator: ", "))."
        return .invalid(message)
    }
}

/// A checked `--where` clause.
public struct RecordMatcher {
    let test: (Record) -> Bool
    init(_ test: @escaping (Record) -> Bool) { self.test = test }
    public func matches(_ record: Record) -> Bool { test(record) }
}

/// `--sort field`, `--sort -field` (or `--desc`): records missing the field come last.
public struct SortKey: Sendable, Equatable {
    public var field: String
    public var descending: Bool

    public init(parsing text: String, descending: Bool = false) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        self.descending = descending || trimmed.hasPrefix("-")
        field = trimmed.hasPrefix("-") ? String(trimmed.dropFirst()) : trimmed
        guard !field.isEmpty else { throw KBMError.invalid("--sort expects a field name, for example --sort start or --sort -start (descending).") }
    }

    func resolved(schema: Schema, kinds: [String]) throws -> ResolvedSort {
        let column = try Column(field, schema: schema, kinds: kinds, option: "--sort")
        return ResolvedSort(column: column, descending: descending)
    }
}

struct ResolvedSort {
    let column: Column
    let descending: Bool

    func sorted(_ records: [Record]) -> [Record] {
        let keyed = records.enumerated().map { (index: $0.offset, record: $0.element, key: column.sortKey($0.element)) }
        return keyed.sorted { a, b in
            switch (a.key, b.key) {
            case (nil, nil): return a.index < b.index
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                if x == y { return a.index < b.index }
                return descending ? y < x : x < y
            }
        }.map(\.record)
    }
}

/// How a column sorts: numbers by value, everything else by folded text.
enum SortValue: Comparable {
    case number(Int)
    case text(String)
}

/// A column of `kbm list --columns` and the field of `--sort` and `count --by`: a header field
/// (id, kind, county, created, updated, title) or a field, by code or German label.
public struct Column {
    public let name: String
    let specs: [String: FieldSpec]
    /// For an item field (`follow_ups.status`): the item field's spec, per kind.
    let itemSpecs: [String: FieldSpec]
    let schema: Schema

    public init(_ text: String, schema: Schema, kinds: [String], option: String) throws {
        self.schema = schema
        let key = TextFold.key(text)
        if ["id", "kind", "county", "created", "updated", "title", "titel", "landkreis"].contains(key) {
            name = ["titel": "title", "landkreis": "county"][key] ?? key
            specs = [:]
            itemSpecs = [:]
            return
        }
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        var specs: [String: FieldSpec] = [:]
        var itemSpecs: [String: FieldSpec] = [:]
        for kind in kinds {
            guard let spec = schema.resolveField(parts[0], of: kind) else { continue }
            if parts.count == 2 {
                guard let item = schema.resolveItemField(parts[1], field: spec.name, of: kind) else { continue }
                itemSpecs[kind] = item
            }
            specs[kind] = spec
        }
        guard let first = specs.values.first else {
            var names: [String] = []
            for kind in kinds { for e in schema.fieldEntries(of: kind) where !names.contains(e.code) { names.append(e.code) } }
            var message = "\(option): unknown field '\(text)'."
            if let near = FieldRules.suggestion(for: text, among: names) { message += " Did you mean '\(near)'?" }
            throw KBMError.invalid(message + " Fields: id, kind, county, title, created, updated, \(names.joined(separator: ", ")).")
        }
        name = first.name + (itemSpecs.values.first.map { ".\($0.name)" } ?? "")
        self.specs = specs
        self.itemSpecs = itemSpecs
    }

    /// The column's values in a record: one for a single value, each element of a set or list,
    /// none when absent.
    public func values(_ record: Record) -> [String] {
        switch name {
        case "id": return [record.id.rawValue]
        case "kind": return [record.kind]
        case "county": return [record.county.rawValue]
        case "created": return [record.created.rawValue]
        case "updated": return [record.updated.rawValue]
        case "title" where specs.isEmpty: return [record.title(schema: schema)]
        default: break
        }
        guard let spec = specs[record.kind] else { return [] }
        if let item = itemSpecs[record.kind] { return record[spec.name]?.itemsValue.compactMap { $0.fields[item.name] } ?? [] }
        switch record[spec.name] {
        case nil: return []
        case .text(let s)?: return [s]
        case .int(let n)?: return [String(n)]
        case .bool(let b)?: return [b ? "yes" : "no"]
        case .strings(let s)?: return s
        case .items(let items)?: return items.map { $0.fields["text"] ?? $0.id }
        case .opaque(let raw)?: return [raw]
        }
    }

    /// The cell shown in a table.
    public func cell(_ record: Record) -> String {
        let v = values(record)
        if itemSpecs[record.kind] == nil, case .items? = specs[record.kind].flatMap({ record[$0.name] }) { return "\(v.count) item\(v.count == 1 ? "" : "s")" }
        return v.joined(separator: ", ")
    }

    /// A value with its German label when it is an enum code (`critical (Kritiker)`).
    public func labelled(_ value: String, kind: String?) -> String {
        guard let kind, let spec = specs[kind] else { return value }
        let item = itemSpecs[kind]
        guard (item ?? spec).type == .enumeration else { return value }
        return schema.valueEntries(field: spec.name, kind: kind, item: item?.name).first { $0.code == value }?.described ?? value
    }

    func sortKey(_ record: Record) -> SortValue? {
        if let spec = specs[record.kind], itemSpecs[record.kind] == nil {
            switch record[spec.name] {
            case .int(let n)?: return .number(n)
            case .bool(let b)?: return .number(b ? 1 : 0)
            case .items(let items)?: return .number(items.count)
            case .text(let s)? where spec.type == .enumeration: return .number((spec.values ?? []).firstIndex(of: s) ?? Int.max)
            default: break
            }
        }
        let v = values(record)
        guard !v.isEmpty else { return nil }
        return .text(TextFold.ascii(v.joined(separator: ", ")))
    }
}

extension Workspace {
    /// The columns of `kbm list --columns a,b,c`, checked against the kinds listed.
    public func columns(_ names: [String], kind: String?) throws -> [Column] {
        let kinds = try resolveKind(kind).map { [$0] } ?? schema.kindNames
        return try names.map { try Column($0, schema: schema, kinds: kinds, option: "--columns") }
    }

    /// `kbm count --by field`: how many records hold each value of the field (each element of a
    /// set or list counts), in descending order; records without it count as "(none)".
    public func countBy(_ field: String, kind: String?, county: County?, where clauses: [WhereClause]) throws -> [(value: String, count: Int)] {
        let kind = try resolveKind(kind)
        let kinds = kind.map { [$0] } ?? schema.kindNames.filter { $0 != "link" && $0 != "office" }
        let column = try Column(field, schema: schema, kinds: kinds, option: "--by")
        let records = try list(kind: kind, county: county, where: clauses).filter { kinds.contains($0.kind) }
        var counts: [String: Int] = [:]
        for record in records {
            let values = Set(column.values(record).map { column.labelled($0, kind: record.kind) })
            if values.isEmpty { counts["(none)", default: 0] += 1 }
            for v in values { counts[v, default: 0] += 1 }
        }
        return counts.map { (value: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }
}

import Foundation
import KBMRecords

/// One `field=value`, `field+=value`, `field-=value` or `follow_ups.<item>.<field>=value` argument.
public struct FieldAssignment: Equatable, Sendable {
    public enum Operation: Equatable, Sendable {
        case set, add, remove
    }
    public var field: String
    public var item: String?
    public var itemField: String?
    public var operation: Operation
    public var value: String

    /// Parses an argument. Throws an invalid-input error naming the argument when it has no `=`.
    public init(parsing argument: String) throws {
        guard let eq = argument.firstIndex(of: "=") else {
            throw KBMError.invalid("Expected <field>=<value>, <field>+=<value> or <field>-=<value>, got \"\(argument)\".")
        }
        var name = String(argument[..<eq])
        value = String(argument[argument.index(after: eq)...])
        operation = .set
        if name.hasSuffix("+") { operation = .add; name.removeLast() } else if name.hasSuffix("-") { operation = .remove; name.removeLast() }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts[0].isEmpty else { throw KBMError.invalid("Missing field name in \"\(argument)\".") }
        field = parts[0]
        if parts.count == 3 {
            item = parts[1]
            itemField = parts[2]
        } else if parts.count != 1 {
            throw KBMError.invalid("Expected <field> or \(parts[0]).<item-id>.<field> before '=', got \"\(name)\".")
        }
    }
}

/// Applies assignments to a record, checked against the schema.
enum RecordEditor {
    static func apply(_ assignments: [FieldAssignment], to record: inout Record, schema: Schema, newItemID: () -> String) throws {
        for a in assignments {
            guard let spec = schema.resolveField(a.field, of: record.kind) else {
                let entries = schema.fieldEntries(of: record.kind)
                var message = "Unknown field '\(a.field)' for a \(record.kind)."
                if let near = FieldRules.suggestion(for: a.field, among: entries.map(\.code)) { message += " Did you mean '\(near)'?" }
                message += " Fields: \(entries.map(\.described).joined(separator: ", "))."
                throw KBMError.invalid(message)
            }
            if spec.name == "disclosures" {
                throw KBMError.invalid("field 'disclosures' records privacy decisions: use `kbm share <id> <field> --reason \"…\"` and `kbm unshare <id> <field>`.")
            }
            if let itemID = a.item, let itemField = a.itemField {
                try applyItemField(a, itemID: itemID, itemField: itemField, spec: spec, schema: schema, record: &record)
                continue
            }
            switch (a.operation, spec.type) {
            case (.set, _) where a.value.isEmpty:
                record[spec.name] = nil
            case (.set, .items):
                throw KBMError.invalid("field '\(spec.name)': add items with \(spec.name)+=<text>, change one with \(spec.name).<item-id>.<field>=<value>, or clear all with \(spec.name)=")
            case (.set, _):
                record[spec.name] = try value(a.value, spec, schema.valueEntries(field: spec.name, kind: record.kind))
            case (.add, .items):
                guard !FieldRules.isBlank(a.value) else {
                    throw KBMError.invalid("field '\(spec.name)': a new item needs its text, got \(a.value.isEmpty ? "nothing" : "only spaces"): \(spec.name)+=<text>")
                }
                var items = record[spec.name]?.itemsValue ?? []
                // The new item's first required field takes the text (a follow-up's text, a value's period).
                let firstField = spec.itemFields?.first(where: \.required)?.name ?? "text"
                var fields = [firstField: a.value]
                if let status = spec.itemFields?.first(where: { $0.name == "status" }), let first = status.values?.first { fields["status"] = first }
                items.append(Item(id: newItemID(), fields: fields))
                record[spec.name] = .items(items)
            case (.remove, .items):
                let items = record[spec.name]?.itemsValue ?? []
                guard items.contains(where: { $0.id == a.value }) else {
                    throw KBMError.invalid("field '\(spec.name)': no item with id \(a.value). Items: \(items.map(\.id).joined(separator: ", "))")
                }
                record[spec.name] = .items(items.filter { $0.id != a.value })
            case (.add, .set), (.add, .list):
                let added = try element(a, spec)
                record[spec.name] = .strings(FieldRules.normalizeCollection((record[spec.name]?.strings ?? []) + [added], type: spec.type))
            case (.remove, .set), (.remove, .list):
                let removed = try element(a, spec).precomposedStringWithCanonicalMapping
                let current = record[spec.name]?.strings ?? []
                guard current.contains(removed) else {
                    throw KBMError.invalid("field '\(spec.name)': \"\(removed)\" is not in it. It holds: \(current.map { "\"\($0)\"" }.joined(separator: ", ")).")
                }
                record[spec.name] = .strings(current.filter { $0 != removed })
            case (.add, .refs), (.add, .counties):
                let added = try value(a.value, spec).strings
                record[spec.name] = .strings(FieldRules.normalizeCollection((record[spec.name]?.strings ?? []) + added, type: spec.type))
            case (.remove, .refs), (.remove, .counties):
                let removed = Set(try value(a.value, spec).strings)
                let current = record[spec.name]?.strings ?? []
                guard !removed.isSubset(of: []) else { break }
                let missing = removed.subtracting(current)
                guard missing.isEmpty else {
                    throw KBMError.invalid("field '\(spec.name)': \(missing.sorted().map { "\"\($0)\"" }.joined(separator: ", ")) is not in it. It holds: \(current.map { "\"\($0)\"" }.joined(separator: ", ")).")
                }
                record[spec.name] = .strings(current.filter { !removed.contains($0) })
            default:
                throw KBMError.invalid("field '\(spec.name)' is \(spec.expectation); use \(spec.name)=<value> (+= and -= work on sets and lists).")
            }
        }
        // Only an edit of start or end is refused for their order: a record that arrived with
        // them crossed (two offices changed one each) stays editable.
        if assignments.contains(where: { ["start", "end"].contains(schema.resolveField($0.field, of: record.kind)?.name) }) {
            try checkDateOrder(record)
        }
    }

    /// An end before the start is refused, naming both.
    static func checkDateOrder(_ record: Record) throws {
        guard case .text(let start)? = record["start"], case .text(let end)? = record["end"],
              DateTimeValue.endsBeforeStart(start: start, end: end) == true else { return }
        if DateTimeValue.hasTime(start) && DateTimeValue.hasTime(end) {
            let sameDay = start.prefix(10) == end.prefix(10)
            throw KBMError.invalid("field 'end': the end \(end) is before the start \(start); an event ends at or after the time it starts\(sameDay ? " (same day, earlier time)" : "").")
        }
        throw KBMError.invalid("field 'end': the end \(end) is before the start \(start); an event ends on or after the day it starts.")
    }

    /// `tags+=…`, `goals-=…`: exactly one element, whatever punctuation it holds
    /// (`goals+=Netzwerke, Produkte und Konzepte sichtbar machen` is one goal).
    static func element(_ a: FieldAssignment, _ spec: FieldSpec) throws -> String {
        let text = a.value.trimmingCharacters(in: .whitespaces)
        guard !FieldRules.isBlank(text) else {
            throw KBMError.invalid("field '\(spec.name)': \(a.operation == .add ? "+=" : "-=") needs a value, got \(a.value.isEmpty ? "nothing" : "only spaces")")
        }
        guard !text.contains("\n") else { throw KBMError.invalid("field '\(spec.name)': an element is a single line of text") }
        return text
    }

    static func value(_ text: String, _ spec: FieldSpec, _ values: [VocabularyEntry] = []) throws -> FieldValue {
        do {
            return try FieldRules.scalarValue(text, spec: spec, values: values)
        } catch let e as RecordParseError {
            throw KBMError.invalid(e.description)
        }
    }

    static func applyItemField(_ a: FieldAssignment, itemID: String, itemField: String, spec: FieldSpec, schema: Schema, record: inout Record) throws {
        guard spec.type == .items, let itemSpec = schema.resolveItemField(itemField, field: spec.name, of: record.kind) else {
            let names = spec.itemFields?.map(\.name) ?? []
            throw KBMError.invalid("field '\(a.field).\(itemID).\(itemField)': \(spec.type == .items ? "items have the fields \(names.joined(separator: ", "))" : "'\(a.field)' has no items")")
        }
        var items = record[spec.name]?.itemsValue ?? []
        guard let index = items.firstIndex(where: { $0.id == itemID }) else {
            throw KBMError.invalid("field '\(spec.name)': no item with id \(itemID). Items: \(items.map(\.id).joined(separator: ", "))")
        }
        guard a.operation == .set else { throw KBMError.invalid("field '\(spec.name).\(itemID).\(itemField)': use = to set it") }
        if itemSpec.required && FieldRules.isBlank(a.value) {
            throw KBMError.invalid("field '\(spec.name).\(itemID).\(itemField)' is required and cannot be cleared\(a.value.isEmpty ? "" : " or set to only spaces")")
        }
        if a.value.isEmpty {
            items[index].fields[itemSpec.name] = nil
        } else {
            guard case .text(let text) = try value(a.value, itemSpec, schema.valueEntries(field: spec.name, kind: record.kind, item: itemSpec.name)) else { return }
            // A missing-value marker (`-`, `x`) in a number leaves the value empty.
            items[index].fields[itemSpec.name] = text.isEmpty ? nil : text
        }
        record[spec.name] = .items(items)
    }

    /// Checks what the schema requires of a whole record.
    static func validate(_ record: Record, schema: Schema) throws {
        guard let kind = schema.kind(record.kind) else { throw KBMError.invalid("Unknown kind '\(record.kind)'. Kinds: \(schema.kindNames.joined(separator: ", ")).") }
        for spec in kind.fields where spec.required {
            guard let value = record[spec.name] else {
                throw KBMError.invalid("field '\(spec.name)' is required for a \(record.kind): add \(spec.name)=<value>.")
            }
            if case .text(let text) = value, FieldRules.isBlank(text) {
                throw KBMError.invalid("field '\(spec.name)' is required for a \(record.kind) and holds only spaces: give it a text with \(spec.name)=<value>.")
            }
        }
    }
}

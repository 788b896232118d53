import Foundation
import XCTest
@testable import KBMRecords

/// schema/labels.de.json: complete, unambiguous, embedded; and the lookups, folding and date
/// parsing the CLI relies on (issue 15).
final class VocabularyLabelTests: XCTestCase {
    let schema = Schema.current
    var vocabulary: Vocabulary { schema.vocabulary }

    func testLabelsFileIsEmbedded() throws {
        let file = try String(contentsOf: packageRoot().appendingPathComponent("schema/labels.de.json"), encoding: .utf8)
        XCTAssertEqual(file, SchemaData.labelsDeJSON + "\n", "schema/labels.de.json changed: run make schema")
    }

    /// Every (scope, code) the schema declares: kinds, fields (item fields as field.item), values.
    func testEveryKindFieldAndValueHasALabel() {
        for kind in schema.kindNames {
            XCTAssertNotNil(vocabulary.kinds[kind], "kind \(kind) has no label")
            for spec in schema.orderedFields(of: kind) {
                let scope = schema.kind(kind)?.field(spec.name) != nil ? kind : "common"
                XCTAssertNotNil(vocabulary.fields[scope]?[spec.name], "field \(scope).\(spec.name) has no label")
                for value in spec.values ?? [] {
                    XCTAssertNotNil(vocabulary.values["\(scope).\(spec.name)"]?[value], "value \(scope).\(spec.name)=\(value) has no label")
                }
                for item in spec.itemFields ?? [] {
                    XCTAssertNotNil(vocabulary.fields[scope]?["\(spec.name).\(item.name)"], "item field \(scope).\(spec.name).\(item.name) has no label")
                    for value in item.values ?? [] {
                        XCTAssertNotNil(vocabulary.values["\(scope).\(spec.name).\(item.name)"]?[value], "value \(scope).\(spec.name).\(item.name)=\(value) has no label")
                    }
                }
            }
        }
    }

    /// No label names something the schema does not have (a typo would silently never be used).
    func testNoLabelForUnknownCodes() {
        XCTAssertEqual(Set(vocabulary.kinds.keys), Set(schema.kindNames))
        XCTAssertTrue(Set(vocabulary.kindAliases.keys).isSubset(of: Set(schema.kindNames)))
        for (scope, fields) in vocabulary.fields.merging(vocabulary.fieldAliases.mapValues { $0.mapValues { $0.first ?? "" } }, uniquingKeysWith: { a, _ in a }) {
            let specs = scope == "common" ? schema.common : (schema.kind(scope)?.fields ?? [])
            XCTAssertFalse(specs.isEmpty, "unknown scope \(scope)")
            for path in fields.keys {
                let parts = path.split(separator: ".").map(String.init)
                let spec = specs.first { $0.name == parts[0] }
                XCTAssertNotNil(spec, "\(scope).\(path) is not a field")
                if parts.count == 2 { XCTAssertNotNil(spec?.itemFields?.first { $0.name == parts[1] }, "\(scope).\(path) is not an item field") }
            }
        }
        for (path, values) in vocabulary.values.merging(vocabulary.valueAliases.mapValues { $0.mapValues { $0.first ?? "" } }, uniquingKeysWith: { a, _ in a }) {
            let parts = path.split(separator: ".").map(String.init)
            let specs = parts[0] == "common" ? schema.common : (schema.kind(parts[0])?.fields ?? [])
            var spec = specs.first { $0.name == parts[1] }
            if parts.count == 3 { spec = spec?.itemFields?.first { $0.name == parts[2] } }
            XCTAssertEqual(spec?.type, .enumeration, "\(path) is not an enum field")
            for code in values.keys { XCTAssertTrue(spec?.values?.contains(code) ?? false, "\(path): \(code) is not one of its values") }
        }
    }

    /// Within one scope (the kinds; the fields of a kind; the values of a field), every name
    /// (code, label, alias), folded, means exactly one code.
    func testNamesAreUniquePerScope() {
        func assertUnique(_ entries: [VocabularyEntry], _ scope: String) {
            var owner: [String: String] = [:]
            for entry in entries {
                for name in Set(([entry.code] + entry.names).map(TextFold.key)) {
                    if let other = owner[name], other != entry.code {
                        XCTFail("\(scope): '\(name)' names both \(other) and \(entry.code)")
                    }
                    owner[name] = entry.code
                }
            }
        }
        assertUnique(schema.kindEntries, "kinds")
        for kind in schema.kindNames {
            assertUnique(schema.fieldEntries(of: kind), "fields of \(kind)")
            for spec in schema.orderedFields(of: kind) {
                if spec.type == .enumeration { assertUnique(schema.valueEntries(field: spec.name, kind: kind), "\(kind).\(spec.name)") }
                if spec.type == .items {
                    assertUnique(schema.itemFieldEntries(spec.name, of: kind), "items of \(kind).\(spec.name)")
                    for item in spec.itemFields ?? [] where item.type == .enumeration {
                        assertUnique(schema.valueEntries(field: spec.name, kind: kind, item: item.name), "\(kind).\(spec.name).\(item.name)")
                    }
                }
            }
        }
        // The header fields (id, kind, county …) are not shadowed by a German field name.
        for kind in schema.kindNames {
            for entry in schema.fieldEntries(of: kind) {
                for name in entry.names { XCTAssertFalse(Schema.headerFields.contains(TextFold.key(name)), "\(kind).\(entry.code): \(name)") }
            }
        }
    }

    func testLabelAPI() {
        XCTAssertEqual(schema.label(kind: "event"), "Veranstaltung")
        XCTAssertEqual(schema.label(kind: "stakeholder"), "Akteur")
        XCTAssertEqual(schema.label(kind: "tip"), "Praxistipp")
        XCTAssertEqual(schema.label(field: "stance", of: "stakeholder"), "Haltung")
        XCTAssertEqual(schema.label(field: "co_owners", of: "event"), "Mitverantwortliche Landkreise")
        XCTAssertEqual(schema.label(field: "follow_ups", of: "event", item: "due"), "Fällig")
        XCTAssertEqual(schema.label(value: "critical", field: "stance", kind: "stakeholder"), "Kritiker")
        XCTAssertEqual(schema.label(value: "supporter", field: "stance", kind: "stakeholder"), "Fürsprecher")
        XCTAssertEqual(schema.label(value: "done", field: "follow_ups", kind: "event", item: "status"), "erledigt")
        XCTAssertEqual(schema.label(value: "broschuere", field: "type", kind: "product"), "Broschüre")
        XCTAssertEqual(schema.label(value: "communicate_value", field: "theme", kind: "tip"), "Mehrwert kommunizieren")
        XCTAssertEqual(schema.label(value: "unheard-of", field: "theme", kind: "tip"), "unheard-of", "no label: the code")
    }

    func testLookupsTakeCodesLabelsAndAliasesFolded() {
        XCTAssertEqual(schema.resolveKind("veranstaltung"), "event")
        XCTAssertEqual(schema.resolveKind("Praxistipp"), "tip")
        XCTAssertEqual(schema.resolveKind("EVENT"), "event")
        XCTAssertNil(schema.resolveKind("besprechung"))
        XCTAssertEqual(schema.resolveField("Haltung", of: "stakeholder")?.name, "stance")
        XCTAssertEqual(schema.resolveField("letzter kontakt", of: "stakeholder")?.name, "last_contact")
        XCTAssertEqual(schema.resolveField("Schluesselperson", of: "stakeholder")?.name, "key_person")
        XCTAssertEqual(schema.resolveField("Key Person", of: "stakeholder")?.name, "key_person")
        XCTAssertEqual(schema.resolveField("Mitverantwortliche Landkreise", of: "tip")?.name, "co_owners")
        XCTAssertNil(schema.resolveField("Haltung", of: "event"))
        XCTAssertEqual(schema.resolveItemField("fällig", field: "follow_ups", of: "event")?.name, "due")
        for spelling in ["broschuere", "Broschüre", "broschüre", "Broschuere", "BROSCHÜRE"] {
            XCTAssertEqual(schema.resolveValue(spelling, field: "type", kind: "product"), "broschuere", spelling)
        }
        XCTAssertEqual(schema.resolveValue("kritisch", field: "stance", kind: "stakeholder"), "critical")
        XCTAssertEqual(schema.resolveValue("Kritiker", field: "stance", kind: "stakeholder"), "critical")
        XCTAssertEqual(schema.resolveValue("Bildungskonferenz", field: "type", kind: "event"), "bildungskonferenz")
        XCTAssertEqual(schema.resolveValue("Online-Format", field: "type", kind: "event"), "online")
        XCTAssertEqual(schema.resolveValue("Öffentlichkeitsarbeit", field: "theme", kind: "tip"), "communicate_value")
        XCTAssertEqual(schema.resolveValue("erledigt", field: "follow_ups", kind: "event", item: "status"), "done")
        XCTAssertNil(schema.resolveValue("Bildungskonferenz", field: "type", kind: "stakeholder"))
        XCTAssertNil(schema.resolveValue("", field: "stance", kind: "stakeholder"))
    }

    func testTextFold() {
        XCTAssertEqual(TextFold.ascii("Übergangsmanagement Weiß"), "uebergangsmanagement weiss")
        XCTAssertEqual(TextFold.plain("Übergang Café"), "ubergang cafe")
        XCTAssertEqual(TextFold.key("Online-Format"), "onlineformat")
        XCTAssertTrue(TextFold.equal("Landratsamt Augsburg", "landratsamt augsburg"))
        XCTAssertTrue(TextFold.equal("Öztürk", "oeztuerk"))
        XCTAssertTrue(TextFold.equal("Öztürk", "Ozturk"))
        XCTAssertTrue(TextFold.contains("Fachtag Übergang Schule–Beruf", "ubergang"))
        XCTAssertTrue(TextFold.contains("Fachtag Übergang Schule–Beruf", "UEBERGANG"))
        XCTAssertFalse(TextFold.contains("Fachtag", "Messe"))
        // Decomposed input (as some terminals send it) folds like the precomposed one.
        XCTAssertEqual(TextFold.ascii("U\u{308}bergang"), "uebergang")
    }

    func testDatesAreCheckedAsCalendarDates() {
        func parsed(_ text: String) -> String? { try? DateInput.parse(text).get() }
        func why(_ text: String) -> String? {
            if case .failure(let e) = DateInput.parse(text) { return e.message }
            return nil
        }
        XCTAssertEqual(parsed("2026-04-24"), "2026-04-24")
        XCTAssertEqual(parsed("24.04.2026"), "2026-04-24")
        XCTAssertEqual(parsed("24.4.2026"), "2026-04-24")
        XCTAssertEqual(parsed("1.3.2026"), "2026-03-01")
        XCTAssertEqual(parsed("29.02.2028"), "2028-02-29")
        XCTAssertEqual(parsed("2000-02-29"), "2000-02-29")
        XCTAssertEqual(why("31.04.2026"), "31.04.2026: April has 30 days")
        XCTAssertEqual(why("2027-04-31"), "2027-04-31: April has 30 days")
        XCTAssertEqual(why("29.02.2027"), "29.02.2027: February 2027 has 28 days")
        XCTAssertEqual(why("2100-02-29"), "2100-02-29: February 2100 has 28 days")
        XCTAssertEqual(why("2026-13-01"), "2026-13-01: there is no month 13")
        XCTAssertEqual(why("00.01.2026"), "00.01.2026: there is no day 0")
        for bad in ["14.3.", "2026/04/24", "24.04.26", "morgen", "", "2026-04-24x", "٢٠٢٦-04-24", "+2026-4-2"] {
            XCTAssertNil(parsed(bad), bad)
            XCTAssertTrue(why(bad)?.contains("expected a date like 2026-03-14") ?? false, bad)
        }
    }

    func testScalarValuesTakeGermanInputAndReturnCodes() throws {
        let stance = try XCTUnwrap(schema.field("stance", of: "stakeholder"))
        let entries = schema.valueEntries(field: "stance", kind: "stakeholder")
        XCTAssertEqual(try FieldRules.scalarValue("kritisch", spec: stance, values: entries), .text("critical"))
        XCTAssertEqual(try FieldRules.scalarValue("CRITICAL", spec: stance), .text("critical"), "codes fold without labels too")
        XCTAssertThrowsError(try FieldRules.scalarValue("skeptisch", spec: stance, values: entries)) { error in
            XCTAssertTrue("\(error)".contains("critical (Kritiker)"), "\(error)")
        }
        let key = try XCTUnwrap(schema.field("key_person", of: "stakeholder"))
        for (word, value) in [("ja", true), ("Nein", false), ("yes", true), ("no", false), ("true", true), ("FALSE", false)] {
            XCTAssertEqual(try FieldRules.scalarValue(word, spec: key), .bool(value), word)
        }
        XCTAssertThrowsError(try FieldRules.scalarValue("vielleicht", spec: key))
        let start = try XCTUnwrap(schema.field("start", of: "event"))
        XCTAssertEqual(try FieldRules.scalarValue("24.04.2026", spec: start), .text("2026-04-24"))
        XCTAssertThrowsError(try FieldRules.scalarValue("31.04.2026", spec: start)) { error in
            XCTAssertEqual("\(error)", "field 'start': 31.04.2026: April has 30 days")
        }
    }
}

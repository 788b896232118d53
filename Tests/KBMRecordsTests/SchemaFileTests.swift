import Foundation
import XCTest
@testable import KBMRecords

/// schema/ and the copy embedded in the library (scripts/gen-schema.sh) must not drift apart.
final class SchemaFileTests: XCTestCase {
    let schemaFolder = packageRoot().appendingPathComponent("schema")

    func testKindsJSONIsEmbedded() throws {
        let file = try String(contentsOf: schemaFolder.appendingPathComponent("kinds.json"), encoding: .utf8)
        XCTAssertEqual(file, SchemaData.kindsJSON + "\n", "schema/kinds.json changed: run scripts/gen-schema.sh")
    }

    func testMigrationsAreEmbeddedInOrder() throws {
        let folder = schemaFolder.appendingPathComponent("migrations")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        XCTAssertFalse(names.isEmpty)
        XCTAssertEqual(SchemaData.migrations.map(\.name), names.map { String($0.dropLast(4)) }, "run scripts/gen-schema.sh")
        for (name, embedded) in zip(names, SchemaData.migrations) {
            let file = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(file, embedded.sql + "\n", "\(name) changed: run scripts/gen-schema.sh")
        }
    }

    func testSchemaDecodesAndIsConsistent() throws {
        let schema = try JSONDecoder().decode(Schema.self, from: Data(SchemaData.kindsJSON.utf8))
        XCTAssertEqual(schema, Schema.current)
        XCTAssertGreaterThanOrEqual(schema.format, 1)
        XCTAssertEqual(Set(schema.kindNames).count, schema.kinds.count, "kind names are unique")
        XCTAssertEqual(Set(schema.kinds.map(\.folder)).count, schema.kinds.count, "folders are unique")
        let reserved = Set(Schema.headerFields + [Schema.conflictsField])
        for kind in schema.kinds {
            let fields = schema.orderedFields(of: kind.kind)
            XCTAssertEqual(Set(fields.map(\.name)).count, fields.count, "\(kind.kind): field names are unique, common ones included")
            let title = try XCTUnwrap(kind.field(kind.title), "\(kind.kind): the title field \(kind.title) is declared")
            XCTAssertTrue(title.required, "\(kind.kind): the title field is required")
            XCTAssertEqual(title.type, .string, "\(kind.kind): the title is one line of text")
            if let body = kind.body {
                XCTAssertEqual(kind.field(body)?.type, .text, "\(kind.kind): the body field \(body) is a text field")
                XCTAssertFalse(kind.field(body)?.required ?? true, "\(kind.kind): the body may be empty")
            }
            XCTAssertTrue(County.isValid(kind.folder), "\(kind.kind): folder \(kind.folder) is a plain path segment")
            for field in fields {
                XCTAssertFalse(reserved.contains(field.name), "\(kind.kind) declares the reserved name \(field.name)")
                XCTAssertNotNil(field.name.wholeMatch(of: /[a-z][a-z0-9_]*/), "\(kind.kind).\(field.name): a plain YAML key")
                if field.type == .enumeration {
                    let values = try XCTUnwrap(field.values, "\(kind.kind).\(field.name) has values")
                    XCTAssertFalse(values.isEmpty, "\(kind.kind).\(field.name) has values")
                    XCTAssertEqual(Set(values).count, values.count)
                    for value in values { XCTAssertTrue(YAMLScalar.isSafePlain(value), "\(kind.kind).\(field.name): \(value)") }
                }
                if field.type == .items {
                    let itemFields = try XCTUnwrap(field.itemFields, "\(kind.kind).\(field.name) declares item fields")
                    XCTAssertFalse(itemFields.contains { $0.name == "id" }, "item fields do not declare id")
                    for item in itemFields where item.type == .enumeration { XCTAssertFalse(item.values?.isEmpty ?? true) }
                }
                if field.min != nil { XCTAssertEqual(field.type, .int) }
            }
        }
        for field in schema.common { XCTAssertFalse(reserved.contains(field.name)) }
    }
}

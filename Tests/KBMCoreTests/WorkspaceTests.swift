import Foundation
@testable import KBMCore
import KBMRecords
import XCTest

/// The workspace's pieces without the CLI: argument parsing, edits, credentials hygiene.
final class WorkspaceTests: XCTestCase {
    func testFieldAssignmentForms() throws {
        let set = try FieldAssignment(parsing: "location=Stadthalle: Saal 2 = groß")
        XCTAssertEqual(set.field, "location")
        XCTAssertEqual(set.value, "Stadthalle: Saal 2 = groß")
        XCTAssertEqual(set.operation, .set)
        XCTAssertEqual(try FieldAssignment(parsing: "tags+=netzwerk").operation, .add)
        XCTAssertEqual(try FieldAssignment(parsing: "tags-=netzwerk").operation, .remove)
        let item = try FieldAssignment(parsing: "follow_ups.01JD3Q5V8X2M4N6P8R0T2W4Y6Z.status=done")
        XCTAssertEqual(item.item, "01JD3Q5V8X2M4N6P8R0T2W4Y6Z")
        XCTAssertEqual(item.itemField, "status")
        XCTAssertThrowsError(try FieldAssignment(parsing: "no-equals-sign"))
        XCTAssertThrowsError(try FieldAssignment(parsing: "=value"))
    }

    func testEditorAppliesEveryCollectionOperation() throws {
        var generator = RecordIDGenerator()
        let now = Timestamp.now()
        var record = Record(id: generator.next(), kind: "event", county: County.agency, created: now, updated: now)
        let edits = try ["title=Fachtag", "goals=B,A", "goals+=C", "target_groups=Eltern, Schulen", "target_groups-=Eltern", "participants=42", "follow_ups+=Protokoll"]
            .map(FieldAssignment.init(parsing:))
        try RecordEditor.apply(edits, to: &record, schema: .current) { generator.next().rawValue }
        XCTAssertEqual(record["goals"], .strings(["B", "A", "C"]))
        XCTAssertEqual(record["target_groups"], .strings(["Schulen"]))
        XCTAssertEqual(record["participants"], .int(42))
        XCTAssertEqual(record["follow_ups"]?.itemsValue.first?.fields, ["text": "Protokoll", "status": "open"])
        XCTAssertThrowsError(try RecordEditor.apply([FieldAssignment(parsing: "titl=x")], to: &record, schema: .current) { "" }) { error in
            XCTAssertTrue("\(error)".contains("Did you mean 'title'"), "\(error)")
        }
    }

    func testAuthorParsing() {
        XCTAssertEqual(Author("Anna Berger <anna@lra.example>")?.email, "anna@lra.example")
        XCTAssertEqual(Author("  Jörg Weiß <j@x.de> ")?.name, "Jörg Weiß")
        XCTAssertNil(Author("Anna Berger"))
        XCTAssertNil(Author("<a@b.de>"))
        XCTAssertNil(Author("Anna <not an email>"))
    }

    func testWhereClauseMatchesValuesAndSetMembers() throws {
        var generator = RecordIDGenerator()
        let now = Timestamp.now()
        let record = Record(id: generator.next(), kind: "stakeholder", county: County.agency, created: now, updated: now,
                            fields: ["name": .text("IHK Schwaben"), "committees": .strings(["Bildungsbeirat"]), "key_person": .bool(true)])
        XCTAssertTrue(try WhereClause(parsing: "name=IHK Schwaben").matches(record))
        XCTAssertTrue(try WhereClause(parsing: "committees=Bildungsbeirat").matches(record))
        XCTAssertTrue(try WhereClause(parsing: "key_person=true").matches(record))
        XCTAssertFalse(try WhereClause(parsing: "committees=Kreistag").matches(record))
        XCTAssertThrowsError(try WhereClause(parsing: "=x"))
    }
}

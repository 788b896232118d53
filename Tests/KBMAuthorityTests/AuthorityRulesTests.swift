import XCTest
import KBMRecords
@testable import KBMAuthority

/// Who may change what: a table of named cases.
final class AuthorityRulesTests: XCTestCase {
    let augsburg = County("lk-augsburg")!, kempten = County("stadt-kempten")!, ostallgaeu = County("lk-ostallgaeu")!
    let now = Timestamp("2026-03-14T10:00:00Z")!

    func record(_ county: County, coOwners: [County] = [], id: String = "01J0000000000000000000000A") -> Record {
        var r = Record(id: RecordID(id)!, kind: "event", county: county, created: now, updated: now, fields: ["title": .text("Fachtag")])
        if !coOwners.isEmpty { r["co_owners"] = .strings(coOwners.map(\.rawValue)) }
        return r
    }

    func signer(_ counties: County..., registry: Bool = false) -> Signer {
        Signer(key: SSHPrivateKey.generate(comment: "").publicKey, counties: Set(counties), coordinator: nil, mayEditRegistry: registry)
    }

    func path(_ r: Record) -> String { RecordLayout.path(of: r) }

    func testRules() {
        let own = record(augsburg), joint = record(augsburg, coOwners: [kempten])
        var widened = own; widened["co_owners"] = .strings([ostallgaeu.rawValue])
        var moved = own; moved.county = kempten
        struct Case { var name: String; var path: String; var old: FileVersion; var new: FileVersion; var signer: Signer; var movedFrom: Record?; var allowed: Bool }
        let cases: [Case] = [
            Case(name: "own county edits its record", path: path(own), old: .record(own), new: .record(own), signer: signer(augsburg), allowed: true),
            Case(name: "another county edits it", path: path(own), old: .record(own), new: .record(own), signer: signer(kempten), allowed: false),
            Case(name: "another county deletes it", path: path(own), old: .record(own), new: .absent, signer: signer(kempten), allowed: false),
            Case(name: "co-owner edits the joint event", path: path(joint), old: .record(joint), new: .record(joint), signer: signer(kempten), allowed: true),
            Case(name: "a county makes itself co-owner", path: path(own), old: .record(own), new: .record(widened), signer: signer(ostallgaeu), allowed: false),
            Case(name: "the owner adds a co-owner", path: path(own), old: .record(own), new: .record(widened), signer: signer(augsburg), allowed: true),
            Case(name: "the agency edits anything", path: path(own), old: .record(own), new: .absent, signer: signer(.agency), allowed: true),
            Case(name: "create in own folder", path: path(own), old: .absent, new: .record(own), signer: signer(augsburg), allowed: true),
            Case(name: "create in another county's folder", path: path(own), old: .absent, new: .record(own), signer: signer(kempten), allowed: false),
            Case(name: "owner moves its record to another county", path: path(moved), old: .absent, new: .record(moved), signer: signer(augsburg), movedFrom: own, allowed: true),
            Case(name: "stranger moves a record", path: path(moved), old: .absent, new: .record(moved), signer: signer(ostallgaeu), movedFrom: own, allowed: false),
            Case(name: "unreadable old file: the folder's county decides", path: path(own), old: .unreadable, new: .record(own), signer: signer(augsburg), allowed: true),
            Case(name: "registry change by a county", path: "region/offices/lk-augsburg.md", old: .unreadable, new: .unreadable, signer: signer(augsburg), allowed: false),
            Case(name: "registry change by an agency key", path: "region/offices/lk-augsburg.md", old: .unreadable, new: .unreadable, signer: signer(.agency, registry: true), allowed: true),
            Case(name: "README by a county", path: "README.md", old: .unreadable, new: .unreadable, signer: signer(augsburg), allowed: false),
        ]
        for c in cases {
            let refusal = AuthorityRules.refusal(path: c.path, old: c.old, new: c.new, signer: c.signer, movedFrom: c.movedFrom)
            XCTAssertEqual(refusal == nil, c.allowed, "\(c.name): \(refusal ?? "allowed")")
        }
    }

    func testRegistryReadsOfficesAndFindsSigners() throws {
        let a = SSHPrivateKey.generate(comment: ""), agency = SSHPrivateKey.generate(comment: "")
        var office = Office(county: augsburg, name: "Bildungsbüro Augsburg", id: RecordID("01J0000000000000000000000B")!, now: now)
        office.addCoordinator(Coordinator(name: "Anna", email: "anna@lk-augsburg.de", key: a.publicKey), now: now)
        var agencyOffice = Office(county: .agency, name: "Transferagentur", id: RecordID("01J0000000000000000000000C")!, now: now)
        agencyOffice.addCoordinator(Coordinator(name: "Tom", email: "tom@ta.de", key: agency.publicKey), now: now)
        let registry = OfficeRegistry(files: [
            (OfficeRegistry.path(for: augsburg), Array(office.fileText.utf8)),
            (OfficeRegistry.path(for: .agency), Array(agencyOffice.fileText.utf8)),
            ("region/offices/stadt-kempten.md", Array("not a record".utf8)),
        ])
        XCTAssertEqual(registry.counties(of: a.publicKey), [augsburg])
        XCTAssertEqual(registry.agencyKeys, [agency.publicKey])
        XCTAssertEqual(registry.problems.count, 1)
        XCTAssertEqual(registry.coordinator(of: a.publicKey)?.email, "anna@lk-augsburg.de")
        // The office file is a canonical record that round-trips.
        XCTAssertEqual(RecordWriter.write(try RecordParser.parse(office.fileText)), office.fileText)
        office.addCoordinator(Coordinator(name: "Anna B.", email: "ANNA@lk-augsburg.de", key: agency.publicKey), now: now)
        XCTAssertEqual(office.coordinators.count, 1)
        XCTAssertTrue(office.removeCoordinator(email: "anna@lk-augsburg.de", now: now))
        XCTAssertTrue(office.coordinators.isEmpty)
    }
}

import Foundation
import KBMTestSupport
import XCTest

/// Conflicts are shared data: every office sees them, with the same provisional value, until one resolves.
final class ConflictTests: XCTestCase {
    func conflictsJSON(_ w: KBMRunner) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(w.ok("conflicts", "--json").stdout.utf8))) as? [[String: Any]] ?? []
    }

    func testVenueConflictIsSeenEverywhereAndResolvedOnce() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "event", "title=Regionaler Fachtag", "co_owners=stadt-kempten", "location=Stadthalle Gersthofen", "participants=80").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        a.ok("edit", id, "location=Kongress am Park Augsburg")
        b.ok("edit", id, "location=Big Box Allgäu Kempten", "participants=120")
        a.sync()
        let merged = b.sync()
        XCTAssertEqual(merged["conflicts"] as? Int, 1)
        a.sync()

        var provisional: [String] = []
        for w in [a, b] {
            let list = conflictsJSON(w)
            XCTAssertEqual(list.count, 1)
            let c = try XCTUnwrap(list.first)
            XCTAssertEqual(c["id"] as? String, id)
            XCTAssertEqual(c["field"] as? String, "location")
            XCTAssertEqual(c["base"] as? String, "Stadthalle Gersthofen")
            XCTAssertEqual(Set([c["ours"] as? String, c["theirs"] as? String].compactMap { $0 }), ["Kongress am Park Augsburg", "Big Box Allgäu Kempten"])
            provisional.append(c["provisional"] as? String ?? "")
            let sides = [c["ours_side"] as? [String: Any], c["theirs_side"] as? [String: Any]].compactMap { $0 }
            XCTAssertEqual(Set(sides.compactMap { $0["county"] as? String }), ["lk-augsburg", "stadt-kempten"])
            XCTAssertEqual(w.json(id)["participants"] as? Int, 120)
            XCTAssertTrue(w.ok("show", id).stdout.contains("⚠ conflict"))
            XCTAssertTrue(w.ok("status").stdout.contains("1 open conflict"))
        }
        XCTAssertEqual(provisional[0], provisional[1], "every replica shows the same provisional value")
        // Both sides stay visible in the history of the record.
        XCTAssertTrue(a.ok("log", id).stdout.contains("(merge)"))

        // Resolving a field without a conflict is invalid input.
        XCTAssertEqual(b.run(["resolve", id, "participants", "--ours"]).status, 2)
        b.ok("resolve", id, "location", "--value", "Stadthalle Gersthofen, großer Saal")
        b.sync()
        a.sync()
        for w in [a, b] {
            XCTAssertEqual(conflictsJSON(w).count, 0)
            XCTAssertEqual(w.json(id)["location"] as? String, "Stadthalle Gersthofen, großer Saal")
        }
    }

    func testResolveOursTakesThisCountysValue() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "product", "title=Bildungsbericht", "co_owners=stadt-kempten", "url=https://a.example").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        a.ok("edit", id, "url=https://augsburg.example")
        b.ok("edit", id, "url=https://kempten.example")
        a.sync(); b.sync(); a.sync()
        a.ok("resolve", id, "--all", "--ours")
        a.sync(); b.sync()
        XCTAssertEqual(b.json(id)["url"] as? String, "https://augsburg.example")
        XCTAssertEqual(conflictsJSON(b).count, 0)
        XCTAssertEqual(a.run(["resolve", id, "--all", "--ours"]).status, 2)
        XCTAssertEqual(a.run(["resolve", id, "url"]).status, 2)
    }
}

extension ConflictTests {
    /// A partner deleted on one side while the event was edited on the other: the reference is kept and reported.
    func testReferenceToADeletedStakeholderIsReportedNotDropped() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let partner = a.ok("add", "stakeholder", "name=Handwerkskammer für Schwaben", "type=organisation").lastLine
        let event = a.ok("add", "event", "title=Ausbildungsmesse", "co_owners=stadt-kempten").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        b.ok("edit", event, "partners+=\(partner)")
        a.ok("delete", partner)
        a.sync(); b.sync(); a.sync()
        for w in [a, b] {
            XCTAssertEqual(w.json(event)["partners"] as? [String], [partner], "the reference is not dropped")
            XCTAssertTrue(w.ok("status").stdout.contains("refers to \(partner), which no longer exists"))
            XCTAssertTrue(w.ok("conflicts").stdout.contains("refers to \(partner)"))
        }
    }
}

import Foundation
import KBMTestSupport
import XCTest

/// Reconciliation end to end: duplicates, link, dismiss, unlink and merge through the built
/// binary, with several counties syncing through one bare repository.
final class ReconcileTests: XCTestCase {
    func duplicatesJSON(_ w: KBMRunner, _ args: String...) -> [[String: Any]] {
        let r = w.run(["duplicates", "--json"] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [[String: Any]] ?? []
    }

    func hasPair(_ list: [[String: Any]], _ x: String, _ y: String) -> Bool {
        list.contains { Set([$0["a"] as? String, $0["b"] as? String]) == Set([x, y]) }
    }

    func count(_ w: KBMRunner, _ args: String...) -> [String: [String: Int]] {
        let r = w.run(["count", "--json"] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: [String: Int]] ?? [:]
    }

    func testDuplicatesLinkShowDedupeAndCount() throws {
        let region = RegionFixture()
        let la = region.join("lk-augsburg")
        let a = la.ok("add", "stakeholder", "name=Dr. Maria Huber", "type=person", "organisation=Staatliches Schulamt im Landkreis Augsburg", "role=Schulamtsdirektorin", "sector=school").lastLine
        let near = la.ok("add", "stakeholder", "name=Maria Huber-Schmid", "type=person", "organisation=Volkshochschule Augsburger Land", "sector=adult_ed").lastLine
        la.sync()
        let sa = region.join("stadt-augsburg")
        let b = sa.ok("add", "stakeholder", "name=Huber, Maria", "type=person", "organisation=Staatliches Schulamt Augsburg", "role=Schulamtsdirektorin", "sector=school", "topics=Ganztag").lastLine
        sa.sync()
        la.sync()

        let proposed = duplicatesJSON(la)
        XCTAssertTrue(hasPair(proposed, a, b), "\(proposed)")
        XCTAssertFalse(proposed.contains { $0["a"] as? String == near || $0["b"] as? String == near }, "\(proposed)")
        let pair = try XCTUnwrap(proposed.first { hasPair([$0], a, b) })
        XCTAssertGreaterThanOrEqual(pair["score"] as? Double ?? 0, 0.7)
        XCTAssertFalse((pair["reasons"] as? [String] ?? []).isEmpty)
        XCTAssertTrue(la.ok("duplicates").stdout.contains("same name after normalisation"))
        XCTAssertTrue(hasPair(duplicatesJSON(la, "--county", "stadt-augsburg", "--kind", "stakeholder"), a, b))
        XCTAssertTrue(duplicatesJSON(la, "--min-score", "1").isEmpty || !hasPair(duplicatesJSON(la, "--min-score", "1"), near, a))

        let link = la.ok("link", a, b, "--reason", "dieselbe Schulamtsdirektorin").lastLine
        XCTAssertEqual(la.json(link)["relation"] as? String, "same")
        XCTAssertEqual(la.json(link)["county"] as? String, "lk-augsburg")
        XCTAssertEqual(la.run(["link", a, b]).status, 2, "linking twice is refused")
        XCTAssertFalse(hasPair(duplicatesJSON(la), a, b))
        la.sync()
        sa.sync()
        // The other county sees the link: the pair is no longer proposed, show lists the group.
        XCTAssertFalse(hasPair(duplicatesJSON(sa), a, b))
        let shown = sa.ok("show", b).stdout
        XCTAssertTrue(shown.contains("linked records (same entity):"), shown)
        XCTAssertTrue(shown.contains("\(a)  lk-augsburg  Dr. Maria Huber"), shown)

        // The combined view lists each field's value per county.
        let combined = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sa.ok("show", b, "--json", "--combined").stdout.utf8)) as? [String: Any])
        XCTAssertEqual(combined["id"] as? String, min(a, b))
        XCTAssertEqual(combined["counties"] as? [String], ["lk-augsburg", "stadt-augsburg"])
        let names = try XCTUnwrap((combined["fields"] as? [String: Any])?["name"] as? [[String: Any]])
        XCTAssertEqual(Set(names.compactMap { $0["value"] as? String }), ["Dr. Maria Huber", "Huber, Maria"])
        XCTAssertEqual(Set(names.compactMap { $0["county"] as? String }), ["lk-augsburg", "stadt-augsburg"])

        // Lists and counts: the entity once.
        for w in [la, sa] {
            let deduped = w.ok("list", "stakeholder", "--dedupe").stdout
            XCTAssertTrue(deduped.contains("2 entities (3 records)"), deduped)
            XCTAssertTrue(deduped.contains("(+1 linked"), deduped)
            XCTAssertEqual(count(w, "stakeholder")["stakeholder"], ["records": 3, "entities": 2])
            XCTAssertTrue(w.ok("count", "--dedupe").stdout.contains("total        2"))
            XCTAssertTrue(w.ok("count").stdout.contains("total        3"))
        }
    }

    func testDismissStopsProposingThePairEverywhere() throws {
        let region = RegionFixture()
        let la = region.join("lk-augsburg")
        let a = la.ok("add", "stakeholder", "name=Thomas Müller", "type=person", "organisation=Jugendamt Landkreis Augsburg").lastLine
        la.sync()
        let ke = region.join("stadt-kempten")
        let b = ke.ok("add", "stakeholder", "name=Müller, Thomas", "type=person", "organisation=Jugendamt Landkreis Augsburg").lastLine
        ke.sync()
        la.sync()
        XCTAssertTrue(hasPair(duplicatesJSON(la), a, b))
        XCTAssertTrue(hasPair(duplicatesJSON(ke), a, b))
        let link = ke.ok("duplicates", "--dismiss", a, b, "--reason", "zwei verschiedene Personen").lastLine
        XCTAssertEqual(ke.json(link)["relation"] as? String, "not_same")
        XCTAssertFalse(hasPair(duplicatesJSON(ke), a, b))
        XCTAssertEqual(ke.run(["link", a, b]).status, 2, "a dismissed pair cannot be linked")
        ke.sync()
        la.sync()
        XCTAssertFalse(hasPair(duplicatesJSON(la), a, b))
        // The other county cannot undo it; the dismissing one can.
        let refused = la.run(["unlink", a])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("belong to other counties") && refused.stderr.contains("stadt-kempten"), refused.stderr)
        XCTAssertTrue(ke.ok("unlink", b).stdout.contains("Removed link \(link)"))
        ke.sync()
        la.sync()
        XCTAssertTrue(hasPair(duplicatesJSON(la), a, b))
    }

    func testUnlinkRemovesOwnLinkAfterSync() throws {
        let region = RegionFixture()
        let la = region.join("lk-augsburg")
        let a = la.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation", "sector=economy").lastLine
        la.sync()
        let ke = region.join("stadt-kempten")
        let b = ke.ok("add", "stakeholder", "name=Industrie- und Handelskammer Schwaben", "type=organisation", "sector=economy").lastLine
        ke.sync()
        la.sync()
        XCTAssertTrue(hasPair(duplicatesJSON(la), a, b))
        la.ok("link", a, b)
        la.sync()
        ke.sync()
        XCTAssertEqual(count(ke, "stakeholder")["stakeholder"]?["entities"], 1)
        XCTAssertEqual(ke.run(["unlink", b]).status, 2)
        XCTAssertEqual(la.run(["unlink", b]).status, 0)
        XCTAssertEqual(la.run(["unlink", b]).status, 2, "nothing left to unlink")
        la.sync()
        ke.sync()
        XCTAssertEqual(count(ke, "stakeholder")["stakeholder"]?["entities"], 2)
        XCTAssertFalse(ke.ok("show", b).stdout.contains("linked records"))
    }

    func testMergeRedirectsTheDroppedIdAndResolvesPartners() throws {
        let region = RegionFixture()
        let la = region.join("lk-augsburg")
        let keep = la.ok("add", "stakeholder", "name=Jürgen Müller", "type=person", "role=Teamleiter Berufsberatung", "topics=Berufsorientierung", "email=j.mueller@arbeitsagentur.example").lastLine
        let drop = la.ok("add", "stakeholder", "name=Juergen Mueller", "type=person", "role=Berufsberatung", "organisation=Agentur für Arbeit Augsburg", "topics=Fachkräftesicherung", "phone=0821 151-0").lastLine
        let event = la.ok("add", "event", "title=Ausbildungsmesse Augsburg", "type=ausbildungsmesse", "partners=\(drop)").lastLine
        la.sync()
        let ke = region.join("stadt-kempten")

        let merged = la.ok("merge", keep, drop, "--reason", "Umlaut-Schreibweise")
        XCTAssertTrue(merged.stdout.contains("Merged \(drop) into \(keep)"), merged.stdout)
        XCTAssertTrue(merged.stdout.contains("name, role") || merged.stdout.contains("role"), merged.stdout)
        let kept = la.json(keep)
        XCTAssertEqual(kept["name"] as? String, "Jürgen Müller", "the kept value is shown while the conflict is open")
        XCTAssertEqual(kept["topics"] as? [String], ["Berufsorientierung", "Fachkräftesicherung"])
        XCTAssertEqual(kept["organisation"] as? String, "Agentur für Arbeit Augsburg")
        XCTAssertEqual(kept["phone"] as? String, "0821 151-0", "local fields merge too")
        XCTAssertTrue(la.ok("conflicts").stdout.contains("field 'role'"))
        // The dropped id leads to the kept record.
        XCTAssertEqual(la.json(drop)["id"] as? String, keep)
        XCTAssertTrue(la.ok("show", drop).stdout.contains("→ \(drop) was merged into \(keep)"))
        XCTAssertTrue(la.ok("show", event).stdout.contains("reference \(drop) was merged into \(keep)"))
        XCTAssertEqual(la.run(["merge", keep, drop]).status, 2, "the dropped record is gone")
        // The id is never reused.
        let file = region.root + "/reuse.md"
        try la.ok("show", keep, "--file").stdout.replacingOccurrences(of: keep, with: drop).write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(la.run(["add", "--file", file]).status, 2)

        la.sync()
        ke.sync()
        XCTAssertEqual(ke.json(drop)["id"] as? String, keep)
        XCTAssertTrue(ke.ok("show", event).stdout.contains("reference \(drop) was merged into \(keep)"))
        XCTAssertEqual(count(ke, "stakeholder")["stakeholder"], ["records": 1, "entities": 1])
        // Merging across counties is refused with a pointer to link.
        let other = ke.ok("add", "stakeholder", "name=Jürgen Müller", "type=person").lastLine
        let refused = ke.run(["merge", other, keep])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("kbm link"), refused.stderr)
    }

    /// One office merges A into B while another merges B into A. After syncing, nothing is lost
    /// and every office has the same survivor: the smaller id.
    func testConcurrentOppositeMergesConverge() throws {
        let region = RegionFixture()
        let la = region.join("lk-augsburg")
        let x = la.ok("add", "stakeholder", "name=Sabine Meier", "type=person", "co_owners=stadt-augsburg", "topics=Ganztag").lastLine
        let y = la.ok("add", "stakeholder", "name=Frau Sabine Maier", "type=person", "co_owners=stadt-augsburg", "role=Jugendhilfeplanung").lastLine
        la.sync()
        let sa = region.join("stadt-augsburg")
        la.ok("merge", x, y)
        sa.ok("merge", y, x)
        sa.ok("edit", y, "topics+=Sprachförderung")
        la.sync()
        sa.sync()
        la.sync()
        let survivor = min(x, y), other = max(x, y)
        for w in [la, sa] {
            XCTAssertEqual(w.json(x)["id"] as? String, survivor)
            XCTAssertEqual(w.json(y)["id"] as? String, survivor)
            XCTAssertEqual(count(w, "stakeholder")["stakeholder"]?["entities"], 1)
            let topics = Set(w.json(survivor)["topics"] as? [String] ?? []).union(w.run(["show", other, "--json", "--combined"]).stdout.contains("Sprachförderung") ? ["Sprachförderung"] : [])
            XCTAssertTrue(topics.isSuperset(of: ["Ganztag", "Sprachförderung"]), "nothing is lost: \(topics)")
        }
        XCTAssertTrue(la.ok("show", other).stdout.contains("was merged into \(survivor)"))
        // Folding the rest in settles it everywhere.
        la.ok("merge", survivor, other)
        la.sync()
        sa.sync()
        for w in [la, sa] {
            XCTAssertEqual(count(w, "stakeholder")["stakeholder"], ["records": 1, "entities": 1])
            let topics = Set(w.json(survivor)["topics"] as? [String] ?? [])
            XCTAssertTrue(topics.isSuperset(of: ["Ganztag", "Sprachförderung"]), "\(topics)")
            XCTAssertEqual(w.json(survivor)["role"] as? String, "Jugendhilfeplanung")
            XCTAssertEqual(w.json(other)["id"] as? String, survivor)
        }
    }

    /// One county links A–B while another links B–C: every office ends with one group A–B–C.
    func testConcurrentLinksConvergeToOneGroup() throws {
        let region = RegionFixture()
        let la = region.join("lk-augsburg")
        let a = la.ok("add", "stakeholder", "name=HWK Schwaben", "type=organisation").lastLine
        la.sync()
        let sa = region.join("stadt-augsburg")
        let b = sa.ok("add", "stakeholder", "name=Handwerkskammer für Schwaben", "type=organisation").lastLine
        sa.sync()
        let oal = region.join("lk-ostallgaeu")
        let c = oal.ok("add", "stakeholder", "name=Handwerkskammer Schwaben", "type=organisation").lastLine
        oal.sync()
        la.sync()
        sa.sync()
        // Decided at the same time, before either sees the other's link.
        la.ok("link", a, b)
        oal.ok("link", b, c)
        la.sync()
        oal.sync()
        sa.sync()
        la.sync()
        for w in [la, sa, oal] {
            let shown = w.ok("show", a).stdout
            XCTAssertTrue(shown.contains(b) && shown.contains(c), shown)
            XCTAssertEqual(count(w, "stakeholder")["stakeholder"], ["records": 3, "entities": 1])
            XCTAssertTrue(duplicatesJSON(w).isEmpty)
            let combined = (try? JSONSerialization.jsonObject(with: Data(w.ok("show", c, "--json", "--combined").stdout.utf8))) as? [String: Any]
            XCTAssertEqual(combined?["id"] as? String, [a, b, c].min())
        }
    }
}

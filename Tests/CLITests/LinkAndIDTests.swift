import Foundation
import KBMTestSupport
import XCTest

/// Issue 13, items 3 and 4: hand-made files that try to take over another county's record.
/// A `merged` link across counties is ignored wherever it comes from; an id another county
/// already uses belongs to the county whose file history shows first, in every workspace.
final class LinkAndIDTests: RegionTestCase {
    private func write(_ text: String, to path: String, in hand: String) throws {
        let full = hand + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    private func statusJSON(_ w: KBMRunner) -> [String: Any] {
        let r = w.run(["status", "--json"])
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    }

    private func quarantine(_ w: KBMRunner) -> [String: String] {
        let entries = statusJSON(w)["quarantined"] as? [[String: Any]] ?? []
        return Dictionary(entries.map { ($0["path"] as? String ?? "", $0["reason"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: item 3: a merged link across counties

    /// lk-augsburg pushes (with the git CLI) a link in its own folder that claims stadt-kempten's
    /// record was merged into its own. stadt-kempten keeps seeing its record, and so do a fresh
    /// clone and a rebuilt store; status names the ignored link; unlink says who can remove it.
    func testMergedLinkAcrossCountiesIsIgnoredEverywhere() throws {
        let region = self.region()
        let la = region.join("lk-augsburg")
        let a = la.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation").lastLine
        la.sync()
        let ke = region.join("stadt-kempten")
        let b = ke.ok("add", "stakeholder", "name=IHK Schwaben Kempten", "type=organisation", "role=Ausbildungsberatung").lastLine
        ke.sync()
        la.sync()
        // kbm itself refuses to merge across counties.
        let refused = la.run(["merge", a, b])
        XCTAssertEqual(refused.status, 2, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("kbm link"), refused.stderr)

        let hand = handClone(region)
        let link = RegionFixture.newID()
        let linkPath = RegionFixture.recordPath(county: "lk-augsburg", kind: "link", id: link)
        try write(RegionFixture.recordText(id: link, kind: "link", county: "lk-augsburg",
                                  ["label: Übernahme", "relation: merged", "records:", "  - \(a)", "  - \(b)", "survivor: \(a)"]),
                  to: linkPath, in: hand)
        region.handPush(hand, "lk-augsburg: 1 record changed")
        ke.sync()
        la.sync()
        let fresh = region.join("stadt-augsburg")

        for (w, label) in [(ke, "stadt-kempten"), (la, "lk-augsburg"), (fresh, "fresh clone")] {
            let shown = w.json(b)
            XCTAssertEqual(shown["id"] as? String, b, "\(label): kbm show \(b) must show stadt-kempten's own record")
            XCTAssertEqual(shown["county"] as? String, "stadt-kempten", label)
            XCTAssertFalse(w.ok("show", b).stdout.contains("was merged into"), label)
            XCTAssertTrue(w.ok("show", b).stdout.contains("ignored"), "\(label): show names the ignored link")
            XCTAssertTrue(w.listJSON().contains { $0["id"] as? String == b }, label)
            XCTAssertFalse(w.ok("show", a).stdout.contains("linked records"), "\(label): the ignored link groups nothing")
            let counted = w.run(["count", "--json", "stakeholder"])
            let counts = (try? JSONSerialization.jsonObject(with: Data(counted.stdout.utf8))) as? [String: [String: Int]] ?? [:]
            XCTAssertEqual(counts["stakeholder"], ["records": 2, "entities": 2], "\(label): \(counted.stdout) \(counted.stderr)")
            let ignored = statusJSON(w)["ignored_links"] as? [[String: Any]] ?? []
            XCTAssertEqual(ignored.map { $0["id"] as? String }, [link], label)
            XCTAssertTrue((ignored.first?["reason"] as? String ?? "").contains("stadt-kempten"), "\(label): \(ignored)")
            XCTAssertTrue(w.ok("status").stdout.contains("link \(link) of lk-augsburg"), label)
        }
        // After a rebuild too.
        ke.ok("rebuild")
        XCTAssertEqual(ke.json(b)["id"] as? String, b, "after rebuild")
        XCTAssertEqual(ke.json(a)["id"] as? String, a, "after rebuild")

        // stadt-kempten cannot delete lk-augsburg's link; the message says it has no effect.
        let foreign = ke.run(["unlink", b])
        XCTAssertEqual(foreign.status, 2)
        XCTAssertTrue(foreign.stderr.contains(link) && foreign.stderr.contains("ignored"), foreign.stderr)
        // lk-augsburg can delete its own ignored link (it never took effect, so nothing is undone).
        let removed = la.run(["unlink", a])
        XCTAssertEqual(removed.status, 0, removed.stderr)
        la.sync()
        ke.sync()
        XCTAssertTrue((statusJSON(ke)["ignored_links"] as? [[String: Any]] ?? []).isEmpty)
        XCTAssertEqual(ke.json(b)["id"] as? String, b)
    }

    // MARK: item 4: an id reused by another county

    /// `owner` creates a record; `squatter`'s old workspace holds it; then a hand commit adds a
    /// file with the same id in `squatter`'s folder. The owner's workspace, the squatter's old
    /// workspace, a fresh clone, and each of them after `kbm rebuild` show the owner's record
    /// and quarantine the copy with a reason naming the owner.
    private func checkReusedID(owner: String, squatter: String, fresh freshCounty: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let region = self.region()
        let ow = region.join(owner)
        let id = ow.ok("add", "stakeholder", "name=Original Person", "type=person").lastLine
        ow.sync()
        let sq = region.join(squatter)
        XCTAssertEqual(sq.json(id)["name"] as? String, "Original Person", file: file, line: line)

        let hand = handClone(region)
        let copyPath = RegionFixture.recordPath(county: squatter, kind: "stakeholder", id: id)
        let ownerPath = RegionFixture.recordPath(county: owner, kind: "stakeholder", id: id)
        try write(RegionFixture.recordText(id: id, kind: "stakeholder", county: squatter, ["name: Kopie", "type: person"]), to: copyPath, in: hand)
        region.handPush(hand, "\(squatter): 1 record changed")

        sq.sync()
        ow.sync()
        let fresh = region.join(freshCounty)
        func check(_ w: KBMRunner, _ label: String) {
            let shown = w.json(id)
            XCTAssertEqual(shown["county"] as? String, owner, "\(label): the owner's record", file: file, line: line)
            XCTAssertEqual(shown["name"] as? String, "Original Person", label, file: file, line: line)
            let q = quarantine(w)
            XCTAssertNil(q[ownerPath], "\(label): the owner's file is not in quarantine: \(q)", file: file, line: line)
            let reason = q[copyPath] ?? ""
            XCTAssertTrue(reason.contains(owner) && reason.contains("already used"), "\(label): the copy is quarantined naming the owner: \(q)", file: file, line: line)
        }
        for (w, label) in [(ow, "owner"), (sq, "squatter's old workspace"), (fresh, "fresh clone")] {
            check(w, label)
            w.ok("rebuild")
            check(w, label + " after rebuild")
            w.sync(file: file, line: line)
            check(w, label + " after rebuild and sync")
        }

        // Once the owner deletes its record, the copy is the only file with the id: every
        // workspace imports it alike (an old one takes it out of quarantine, as a fresh clone would).
        ow.ok("delete", id)
        ow.sync(file: file, line: line)
        let late = region.join("stadt-augsburg")
        for (w, label) in [(ow, "owner"), (sq, "squatter's old workspace"), (fresh, "fresh clone"), (late, "clone after the deletion")] {
            w.sync(file: file, line: line)
            XCTAssertEqual(w.json(id)["county"] as? String, squatter, "\(label): the copy is the only record left", file: file, line: line)
            XCTAssertTrue(quarantine(w).isEmpty, "\(label): \(quarantine(w))", file: file, line: line)
        }
    }

    func testReusedIDSquatterSortingFirst() throws {
        try checkReusedID(owner: "stadt-kempten", squatter: "lk-augsburg", fresh: "lk-dachau")
    }

    func testReusedIDSquatterSortingLast() throws {
        try checkReusedID(owner: "lk-augsburg", squatter: "stadt-kempten", fresh: "lk-dachau")
    }

    /// An old workspace that imported the copy while the owner's file was absent from the tree:
    /// when the owner's file comes back, history (its first commit is older) gives the id back
    /// to the owner, in the old workspace as in a fresh clone.
    func testRecordImportedBeforeItsOwnersFileGivesWay() throws {
        let region = self.region()
        let la = region.join("lk-augsburg")
        la.ok("add", "tip", "title=Start")
        la.sync()
        let hand = handClone(region)
        let id = RegionFixture.newID()
        let ownerPath = RegionFixture.recordPath(county: "stadt-kempten", kind: "stakeholder", id: id)
        let copyPath = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id)
        let owner = RegionFixture.recordText(id: id, kind: "stakeholder", county: "stadt-kempten", ["name: Original Person", "type: person"])
        try write(owner, to: ownerPath, in: hand)
        region.handPush(hand, "stadt-kempten: 1 record changed")
        // The owner's file leaves the tree while a copy arrives: only the copy is left.
        try FileManager.default.removeItem(atPath: hand + "/" + ownerPath)
        try write(RegionFixture.recordText(id: id, kind: "stakeholder", county: "lk-augsburg", ["name: Kopie", "type: person"]), to: copyPath, in: hand)
        region.handPush(hand, "lk-augsburg: 1 record changed")
        let old = region.join("stadt-augsburg")
        XCTAssertEqual(old.json(id)["county"] as? String, "lk-augsburg", "the copy is the only file with the id")
        // The owner's file comes back.
        try write(owner, to: ownerPath, in: hand)
        region.handPush(hand, "stadt-kempten: 1 record changed")
        old.sync()
        let fresh = region.join("stadt-kempten")
        for (w, label) in [(old, "old workspace"), (fresh, "fresh clone")] {
            XCTAssertEqual(w.json(id)["county"] as? String, "stadt-kempten", label)
            XCTAssertEqual(w.json(id)["name"] as? String, "Original Person", label)
            let q = quarantine(w)
            XCTAssertNil(q[ownerPath], "\(label): \(q)")
            XCTAssertTrue((q[copyPath] ?? "").contains("stadt-kempten"), "\(label): \(q)")
            XCTAssertEqual(w.listJSON().filter { $0["id"] as? String == id }.count, 1, label)
        }
        XCTAssertEqual(old.run(["doctor"]).status, 0, old.run(["doctor"]).stdout)
    }

    /// A deliberate copy built on a parent older than the owner's commit, then merged: neither
    /// file is older in history. Every workspace (the owner's, an old one, a fresh clone, a
    /// rebuilt one) still keeps the same file and quarantines the other.
    func testConcurrentCopyIsDecidedTheSameEverywhere() throws {
        for round in 0..<2 {
            let region = self.region()
            let la = region.join("lk-augsburg")
            la.ok("add", "tip", "title=Start")
            la.sync()
            let hand = handClone(region)
            let ke = region.join("stadt-kempten")
            let id = ke.ok("add", "stakeholder", "name=Original Person", "type=person").lastLine
            ke.sync()
            la.sync()
            let ownerPath = RegionFixture.recordPath(county: "stadt-kempten", kind: "stakeholder", id: id)
            let copyPath = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id)
            // The hand clone still stands before the owner's commit: the copy is built there.
            KBMRunner.sh("git checkout -q -b side", cwd: hand)
            try write(RegionFixture.recordText(id: id, kind: "stakeholder", county: "lk-augsburg", ["name: Kopie", "type: person"]), to: copyPath, in: hand)
            KBMRunner.sh("git add -A && git commit -q -m 'lk-augsburg: 1 record changed' && git checkout -q main && git pull -q --no-rebase origin main && git merge -q --no-edit side && git push -q origin HEAD:main", cwd: hand)
            la.sync()
            ke.sync()
            let fresh = region.join("lk-dachau")
            let rebuilt = region.join("stadt-augsburg")
            rebuilt.ok("rebuild")
            var seen: Set<String> = []
            for (w, label) in [(la, "lk-augsburg"), (ke, "stadt-kempten"), (fresh, "fresh clone"), (rebuilt, "rebuilt")] {
                let county = w.json(id)["county"] as? String ?? "none"
                seen.insert(county)
                let q = quarantine(w)
                let loser = county == "stadt-kempten" ? copyPath : ownerPath
                XCTAssertNotNil(q[loser], "round \(round), \(label): \(q)")
                XCTAssertEqual(q.count, 1, "round \(round), \(label): \(q)")
            }
            XCTAssertEqual(seen.count, 1, "round \(round): the workspaces disagree: \(seen)")
        }
    }
}

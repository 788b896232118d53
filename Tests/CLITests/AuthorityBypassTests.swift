import Foundation
import KBMTestSupport
import XCTest

/// Attacks on authority by members of the region (issue 13, items 1, 2 and 5), each reproduced with
/// the git CLI against a real bare repository and checked in every office after it syncs.
/// The invariants are listed in docs/authority.md.
final class AuthorityBypassTests: XCTestCase {
    typealias R = SignedRegion

    /// Everyone syncs twice (so the healing commits of the first round reach every office).
    func settle(_ region: SignedRegion) {
        for _ in 0..<2 { for (_, w) in region.offices { w.sync() } }
    }

    func assertNotOpenMode(_ region: SignedRegion, file: StaticString = #filePath, line: UInt = #line) {
        for (name, w) in region.offices {
            XCTAssertFalse(w.ok("status").stdout.contains("Open mode"), "\(name) fell back to open mode", file: file, line: line)
        }
        XCTAssertFalse(region.remoteFile("region/offices/stadt-kempten.md").isEmpty, "the region lost its registry", file: file, line: line)
    }

    // MARK: item 1: an unsigned merge cannot change, delete or downgrade anything

    /// Every office syncs, refuses exactly `refused`, and shows each (id, field, value) unchanged.
    func assertEveryOfficeRefuses(_ region: SignedRegion, _ refused: [String], keeps expected: [(String, String, String)],
                                  file: StaticString = #filePath, line: UInt = #line) {
        for (name, w) in region.offices {
            let report = w.sync()
            XCTAssertEqual(R.rejectedCommits(report), refused, "\(name): \(report)", file: file, line: line)
            for (id, field, value) in expected {
                XCTAssertEqual(w.json(id)[field] as? String, value, "\(name): \(id) \(field)", file: file, line: line)
            }
        }
    }

    /// B's stakeholder and A's tip, synced to every office, and a git CLI clone of the region.
    func recordsAndHandClone(_ region: SignedRegion) -> (idB: String, idA: String, pathB: String, hand: String) {
        let idB = region.b.ok("add", "stakeholder", "name=Kathrin Vogl").lastLine
        let idA = region.a.ok("add", "tip", "title=Netzwerk pflegen").lastLine
        region.b.sync()
        region.a.sync()
        settle(region)
        return (idB, idA, RegionFixture.recordPath(county: "stadt-kempten", kind: "stakeholder", id: idB), region.fixture.handClone())
    }

    /// A merge commit made with the git CLI from `tree` and `parents` (signed with `signedBy`'s key).
    func mergeCommit(_ region: SignedRegion, _ hand: String, tree: String, parents: [String], signedBy: KBMRunner? = nil) -> String {
        let git = signedBy.map { "\(region.signed($0)) commit-tree -S" } ?? "git commit-tree"
        return R.git(hand, "\(git) \(tree) \(parents.map { "-p \($0)" }.joined(separator: " ")) -m 'merge'")
    }


    /// A1 + A4: an unsigned merge of [tip, root] that drops `region/` is refused, so the next
    /// unsigned edit of another county's record is judged against the registry, not open mode.
    func testUnsignedMergeWithRootCannotDropTheRegistry() throws {
        let region = SignedRegion.make()
        let (idB, _, pathB, hand) = recordsAndHandClone(region)
        let tip = R.git(hand, "git rev-parse HEAD")
        let root = R.git(hand, "git rev-list --max-parents=0 HEAD")
        R.git(hand, "git rm -r -q region")
        let tree = R.git(hand, "git write-tree")
        let merge = mergeCommit(region, hand, tree: tree, parents: [tip, root])
        R.git(hand, "git reset -q --hard \(merge) && sed -i 's/^name: .*/name: Gefälscht/' \(pathB) && git commit -q -am 'stadt-kempten: edit' && git push -q origin HEAD:main")
        let edit = R.git(hand, "git rev-parse HEAD")

        for (name, w) in region.offices {
            let report = w.sync()
            XCTAssertTrue(Set(R.rejectedCommits(report)).isSuperset(of: [merge, edit]), "\(name): \(report)")
            XCTAssertEqual(w.json(idB)["name"] as? String, "Kathrin Vogl", name)
        }
        settle(region)
        assertNotOpenMode(region)
        XCTAssertTrue(region.remoteFile(pathB).contains("name: Kathrin Vogl"))
    }

    /// A1: an unsigned merge with an ancestor from before a record existed, whose result lacks the
    /// record ("takes the old parent's version"), deletes nothing.
    func testUnsignedMergeWithAnOldAncestorCannotDeleteARecord() throws {
        let region = SignedRegion.make()
        let (idB, idA, pathB, hand) = recordsAndHandClone(region)
        let tip = R.git(hand, "git rev-parse HEAD")
        let root = R.git(hand, "git rev-list --max-parents=0 HEAD")
        R.git(hand, "git rm -q \(pathB)")
        let tree = R.git(hand, "git write-tree")
        let merge = mergeCommit(region, hand, tree: tree, parents: [tip, root])
        R.git(hand, "git push -q origin \(merge):main")

        assertEveryOfficeRefuses(region, [merge], keeps: [(idB, "name", "Kathrin Vogl"), (idA, "title", "Netzwerk pflegen")])
        settle(region)
        XCTAssertTrue(region.remoteFile(pathB).contains("name: Kathrin Vogl"))
        // The same merge signed by the owner is a deletion the owner may make.
        let hand2 = region.fixture.handClone()
        let tip2 = R.git(hand2, "git rev-parse HEAD")
        R.git(hand2, "git rm -q \(pathB)")
        let tree2 = R.git(hand2, "git write-tree")
        let signedMerge = mergeCommit(region, hand2, tree: tree2, parents: [tip2, root], signedBy: region.b)
        R.git(hand2, "git push -q origin \(signedMerge):main")
        for (name, w) in region.offices {
            XCTAssertEqual(R.rejectedCommits(w.sync()), [merge], name)
            XCTAssertNotEqual(w.run(["show", idB]).status, 0, "\(name) still has the record the owner deleted")
        }
    }

    /// A1 + A4: a side commit made on the region's first commit (from before the registry) is not
    /// in open mode: its content counts only when a merge signed with authority takes it in; an
    /// unsigned merge that takes it over is refused. The region's real open-mode start (A's
    /// first tip, merged by the agency's signed first sync) is accepted by every office.
    func testSideCommitOnThePreRegistryRootIsJudgedByTheRegistry() throws {
        var early = ""
        let region = SignedRegion.make(before: { a, _, _ in
            early = a.ok("add", "tip", "title=Frühe Notiz").lastLine
            a.sync()
        })
        let (idB, _, pathB, hand) = recordsAndHandClone(region)
        let tip = R.git(hand, "git rev-parse HEAD")
        let root = R.git(hand, "git rev-list --max-parents=0 HEAD")
        XCTAssertEqual(R.git(hand, "git ls-tree \(root) region"), "", "the first commit must be from before the registry")
        // On the root: B's record, planted with the attacker's content.
        let content = try String(contentsOfFile: hand + "/" + pathB, encoding: .utf8).replacingOccurrences(of: "name: Kathrin Vogl", with: "name: Gefälscht")
        R.git(hand, "git checkout -q \(root)")
        try FileManager.default.createDirectory(atPath: hand + "/" + (pathB as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(toFile: hand + "/" + pathB, atomically: true, encoding: .utf8)
        R.git(hand, "git add -A && git commit -q -m 'stadt-kempten: side'")
        let side = R.git(hand, "git rev-parse HEAD")
        // An unsigned merge of [tip, side] that takes the side's version.
        R.git(hand, "git checkout -q \(tip) && git checkout -q \(side) -- \(pathB)")
        let tree = R.git(hand, "git write-tree")
        let merge = mergeCommit(region, hand, tree: tree, parents: [tip, side])
        R.git(hand, "git push -q origin \(merge):main")

        assertEveryOfficeRefuses(region, [merge], keeps: [(idB, "name", "Kathrin Vogl"), (early, "title", "Frühe Notiz")])
        settle(region)
        assertNotOpenMode(region)
        XCTAssertTrue(region.remoteFile(pathB).contains("name: Kathrin Vogl"))
        XCTAssertEqual(region.agency.run(["verify"]).status, 1, "kbm verify must report the side commit")
    }

    /// A1 + A5: an orphan force-push (a rewritten, unrelated history) is judged from the last
    /// verified tip: a record planted in another county's folder is not imported anywhere, an
    /// edit of B's record stays out, and B's own signed merge does not carry either back.
    func testOrphanForcePushCannotPlantOrChangeRecords() throws {
        let region = SignedRegion.make()
        let (idB, idA, pathB, hand) = recordsAndHandClone(region)
        let planted = String(idB.dropLast()) + (idB.hasSuffix("Z") ? "Y" : "Z")
        let plantedPath = RegionFixture.recordPath(county: "stadt-kempten", kind: "stakeholder", id: planted)
        let original = try String(contentsOfFile: hand + "/" + pathB, encoding: .utf8)
        R.git(hand, "git checkout -q --orphan rewrite")
        try FileManager.default.createDirectory(atPath: hand + "/" + (plantedPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try original.replacingOccurrences(of: idB, with: planted).replacingOccurrences(of: "name: Kathrin Vogl", with: "name: Eingeschleust")
            .write(toFile: hand + "/" + plantedPath, atomically: true, encoding: .utf8)
        try original.replacingOccurrences(of: "name: Kathrin Vogl", with: "name: Gefälscht").write(toFile: hand + "/" + pathB, atomically: true, encoding: .utf8)
        // Signed with A's valid key: A may not create or change records in B's folder.
        R.git(hand, "git add -A && \(region.signed(region.a)) commit -q -S -m 'lk-augsburg: new start' && git push -q -f origin rewrite:main")
        let orphan = R.git(hand, "git rev-parse HEAD")

        // B syncs first: its own signed merge must not take the planted content over.
        for (name, w) in [("B", region.b), ("A", region.a), ("C", region.c), ("agency", region.agency)] {
            let report = w.sync()
            XCTAssertTrue(R.rejectedCommits(report).contains(orphan), "\(name): \(report)")
            XCTAssertNotEqual(w.run(["show", planted]).status, 0, "\(name) imported the planted record")
            XCTAssertEqual(w.json(idB)["name"] as? String, "Kathrin Vogl", name)
            XCTAssertEqual(w.json(idA)["title"] as? String, "Netzwerk pflegen", name)
        }
        settle(region)
        assertNotOpenMode(region)
        XCTAssertEqual(region.remoteFile(plantedPath), "", "a signed merge pushed the planted record back")
        XCTAssertTrue(region.remoteFile(pathB).contains("name: Kathrin Vogl"))
        // A fresh clone of the healed region sees the same.
        let fresh = region.fixture.join("lk-unterallgaeu")
        XCTAssertNotEqual(fresh.run(["show", planted]).status, 0)
        XCTAssertEqual(fresh.json(idB)["name"] as? String, "Kathrin Vogl")
    }

    // MARK: item 2: holding a refused change keeps the newest valid version

    /// A2: the owner edits participants 1 → 2; another office, working from the old version,
    /// changes the record without authority and merges; every office keeps 2, not 1.
    func testRefusedChangeDoesNotRevertTheOwnersNewerEdit() throws {
        let region = SignedRegion.make()
        let id = region.a.ok("add", "event", "title=Fachtag Übergang", "participants=1").lastLine
        region.a.sync()
        settle(region)
        let hand = region.fixture.handClone()
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "event", id: id)
        region.a.ok("edit", id, "participants=2")
        region.a.sync()
        // B, with its valid key, edits A's record on the old version and merges the owner's edit.
        R.git(hand, "sed -i 's/^participants: .*/participants: 3/' \(path) && git commit -q -a -m 'stadt-kempten: edit' && git fetch -q origin")
        _ = R.git(hand, "\(region.signed(region.b)) commit -q --amend -S --no-edit && \(region.signed(region.b)) merge -q -S -X ours -m 'stadt-kempten: merge' origin/main && git push -q origin HEAD:main")
        XCTAssertTrue(try String(contentsOfFile: hand + "/" + path, encoding: .utf8).contains("participants: 3"))

        for (name, w) in region.offices {
            let report = w.sync()
            XCTAssertEqual(R.rejectedCommits(report).count, 2, "\(name): the edit and the merge: \(report)")
            XCTAssertEqual(w.json(id)["participants"] as? Int, 2, name)
        }
        settle(region)
        XCTAssertTrue(region.remoteFile(path).contains("participants: 2"), region.remoteFile(path))
        for (name, w) in region.offices { XCTAssertEqual(w.json(id)["participants"] as? Int, 2, name) }
    }

    // MARK: item 5: conflicts and logs credit the verified signer, not the message

    /// A7: a co-owner's signed commit whose message (and trailer) claims the owner's county is
    /// credited to the co-owner; the owner's side keeps the provisional slot in every office.
    func testConflictSidesAreCreditedToTheSigner() throws {
        let region = SignedRegion.make()
        let id = region.a.ok("add", "event", "title=Fachtag", "co_owners=stadt-kempten", "location=Gersthofen").lastLine
        region.a.sync()
        settle(region)
        let hand = region.fixture.handClone()
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "event", id: id)
        // B (a co-owner, allowed to edit) pretends to be the owner in its message.
        R.git(hand, "sed -i 's/^location: .*/location: Kempten/' \(path) && git add -A && \(region.signed(region.b)) commit -q -S -m 'lk-augsburg: edit' -m 'Kbm-County: lk-augsburg' && git push -q origin HEAD:main")
        let forged = R.git(hand, "git rev-parse HEAD")
        region.a.ok("edit", id, "location=Augsburg")
        XCTAssertEqual(region.a.sync()["conflicts"] as? Int, 1)
        settle(region)
        for (name, w) in region.offices {
            let list = (try? JSONSerialization.jsonObject(with: Data(w.ok("conflicts", "--json").stdout.utf8))) as? [[String: Any]] ?? []
            XCTAssertEqual(list.count, 1, name)
            let c = try XCTUnwrap(list.first, name)
            let sides = [c["ours_side"] as? [String: Any], c["theirs_side"] as? [String: Any]].compactMap { $0 }
            XCTAssertEqual(Set(sides.compactMap { $0["county"] as? String }), ["lk-augsburg", "stadt-kempten"], "\(name): \(c)")
            XCTAssertEqual(c["provisional"] as? String, "Augsburg", "\(name): the owner's edit is shown while the conflict is open")
            let bSide = sides.first { $0["commit"] as? String == forged }
            XCTAssertEqual(bSide?["county"] as? String, "stadt-kempten", "\(name): \(sides)")
        }
        // kbm log credits the commit to its signer too.
        let log = region.c.ok("log", id).stdout
        let line = log.split(separator: "\n").first { $0.contains(String(forged.prefix(7))) }.map(String.init) ?? ""
        XCTAssertTrue(line.contains("stadt-kempten"), log)
    }
}

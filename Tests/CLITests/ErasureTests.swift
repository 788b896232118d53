import Foundation
import KBMTestSupport
import XCTest

/// `kbm purge` (issue 13, item 8): the agency erases a person from the region's whole history,
/// every office follows the signed rewrite, and no object anywhere still holds the person's data.
final class ErasureTests: XCTestCase {
    typealias Region = SignedRegion

    /// The agency and three offices, each with a registered key.
    func makeRegion() -> Region { SignedRegion.make() }

    /// Every object of a repository, reachable or not, loose or packed, as one text.
    func allObjects(_ gitDir: String) -> String {
        KBMRunner.sh("git --git-dir=\(gitDir) rev-list --objects --all | cut -d' ' -f1 | git --git-dir=\(gitDir) cat-file --batch").stdout
            + KBMRunner.sh("git --git-dir=\(gitDir) cat-file --batch-all-objects --batch").stdout
    }

    func gitDirs(_ region: Region) -> [String] {
        [region.fixture.remote] + [region.agency, region.a, region.b, region.c].map { $0.cwd + "/.kbm/repo.git" }
    }

    /// The host's housekeeping after a rewrite (docs/privacy.md): kbm cannot do it for the host.
    func hostHousekeeping(_ remote: String) {
        KBMRunner.sh("git --git-dir=\(remote) reflog expire --expire=now --all && git --git-dir=\(remote) gc -q --prune=now")
    }

    func show(_ remote: String, _ path: String) -> String {
        KBMRunner.exec("/bin/bash", ["-c", "git --git-dir=\(remote) show main:\(path)"], cwd: "/").stdout
    }

    func testPurgeErasesAPersonFromEveryObjectOfTheRegion() throws {
        let region = makeRegion()
        let (agency, a, b, c) = (region.agency, region.a, region.b, region.c)
        let marker = "PURGEME\(UUID().uuidString.prefix(8))"
        // A person whose shared fields (and title, so commit messages) carry the marker, edited over several commits.
        let person = a.ok("add", "stakeholder", "name=Erika \(marker)", "organisation=Schule \(marker)-1", "email=erika@example.org").lastLine
        a.sync()
        a.ok("edit", person, "organisation=Schule \(marker)-2", "role=Rektorin \(marker)")
        a.sync()
        let other = a.ok("add", "stakeholder", "name=Hans Bleibt").lastLine
        a.ok("edit", person, "name=Erika \(marker) Huber")
        a.sync()
        let event = b.ok("add", "event", "title=Fachtag Bleibt", "co_owners=lk-augsburg").lastLine
        b.sync()
        a.sync()
        a.ok("edit", event, "participants=40")
        a.sync()
        for w in [b, c, agency] { w.sync() }
        XCTAssertEqual(c.json(person)["role"] as? String, "Rektorin \(marker)")
        // The scan bites: before the purge the marker is in every repository.
        for dir in gitDirs(region) { XCTAssertTrue(allObjects(dir).contains(marker), "before: \(dir)") }

        // Office C is offline during the purge, with a commit it could not push.
        let cTip = c.ok("add", "tip", "title=Offline geschrieben").lastLine
        let remote = region.fixture.remote
        c.ok("remote", region.fixture.root + "/unreachable.git")
        XCTAssertEqual(c.run(["sync"]).status, 3)
        c.ok("remote", remote)
        // Office B has a change not yet synced.
        b.ok("edit", event, "location=Kempten")

        // Only the agency may purge.
        XCTAssertEqual(a.run(["purge", person, "--reason", "Antrag"]).status, 2)
        let purge = agency.ok("purge", person, "--reason", "Antrag nach Art. 17 DSGVO vom 1.12.2026", "--json")
        XCTAssertTrue(purge.stdout.contains("rewritten_commits"), purge.stdout)
        XCTAssertFalse(purge.stdout.contains(marker), "the purge's output names no personal data")
        XCTAssertEqual(agency.run(["show", person]).status, 2)

        for (name, w) in [("A", a), ("B", b)] {
            let report = w.sync()
            XCTAssertTrue(report["history_rewritten"] is NSNull, "\(name) must not report the erasure as a force-push: \(report)")
            XCTAssertEqual((report["erasures_applied"] as? [Any])?.count, 1, "\(name): \(report)")
            XCTAssertEqual(report["pushed"] as? Bool, true, "\(name): \(report)")
            XCTAssertEqual(w.run(["show", person]).status, 2, name)
            XCTAssertFalse(w.ok("status").stdout.contains("rewritten"), name)
        }
        // C comes back online afterwards: it follows the erasure and pushes its own commit, nothing more.
        let cReport = c.sync()
        XCTAssertTrue(cReport["history_rewritten"] is NSNull, "\(cReport)")
        XCTAssertEqual((cReport["erasures_applied"] as? [Any])?.count, 1, "\(cReport)")
        for w in [agency, a, b, c, a, b] { w.sync() }

        // Nothing was lost: B's unsynced change and C's offline commit reached the region; the other records are intact.
        let eventPath = RegionFixture.recordPath(county: "stadt-kempten", kind: "event", id: event)
        XCTAssertTrue(show(remote, eventPath).contains("location: Kempten"))
        XCTAssertTrue(show(remote, eventPath).contains("participants: 40"))
        XCTAssertTrue(show(remote, RegionFixture.recordPath(county: "lk-ostallgaeu", kind: "tip", id: cTip)).contains("Offline geschrieben"))
        for w in [agency, a, b, c] {
            XCTAssertEqual(w.json(other)["name"] as? String, "Hans Bleibt")
            XCTAssertEqual(w.json(event)["location"] as? String, "Kempten")
            XCTAssertEqual(w.json(cTip)["title"] as? String, "Offline geschrieben")
            XCTAssertEqual(w.run(["show", person]).status, 2)
            XCTAssertEqual(w.run(["verify"]).status, 0, w.run(["verify"]).stdout)
        }
        let heads = Set([agency, a, b, c].map { KBMRunner.sh("git --git-dir=\($0.cwd)/.kbm/repo.git rev-parse main").stdout })
        XCTAssertEqual(heads.count, 1, "every workspace converged")
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(remote) rev-parse main").stdout, heads.first)

        // Zero hits in every object of every repository (the host's after its housekeeping), and git fsck is clean.
        hostHousekeeping(remote)
        for dir in gitDirs(region) {
            let objects = allObjects(dir)
            XCTAssertTrue(objects.contains("Hans Bleibt"), "the scan reads real objects of \(dir)")
            XCTAssertFalse(objects.contains(marker), "the person's data is still in \(dir)")
            KBMRunner.sh("git --git-dir=\(dir) fsck --no-progress --no-dangling")
        }
        // A workspace that joins after the purge gets the clean history and takes the notice as applied.
        let late = region.fixture.join("stadt-augsburg")
        XCTAssertEqual((late.sync()["erasures_refused"] as? [Any])?.count, 0)
        XCTAssertEqual(late.json(other)["name"] as? String, "Hans Bleibt")
        XCTAssertEqual(late.run(["show", person]).status, 2)
        XCTAssertFalse(allObjects(late.cwd + "/.kbm/repo.git").contains(marker))
        // The workspaces' other files (store, settings) do not hold it either.
        for w in [agency, a, b, c] {
            XCTAssertEqual(KBMRunner.sh("grep -r -l -a '\(marker)' \(w.cwd)/.kbm || true").stdout, "", w.cwd)
        }
    }

    func testForgedErasureNoticesAreRefusedLikeAForcePush() throws {
        let region = makeRegion()
        let (a, b) = (region.a, region.b)
        let marker = "KEEPME\(UUID().uuidString.prefix(8))"
        let person = a.ok("add", "stakeholder", "name=Erika \(marker)").lastLine
        a.sync(); b.sync()
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: person)
        // Someone with a county's key (or no key) rewrites the history without the record and adds "notices".
        let hand = region.fixture.handClone()
        KBMRunner.sh("cd \(hand) && FILTER_BRANCH_SQUELCH_WARNING=1 git filter-branch --index-filter 'git rm -q --cached --ignore-unmatch \(path)' -- --all >/dev/null")
        let body = "kbm erasure notice 1\nnotice: 01KGHD0000000000000000000A\nby: Koordination <bildung@stadt-kempten.de>\nat: 2026-12-01T10:00:00Z\nreason: forged\npath: \(path)\n"
        try FileManager.default.createDirectory(atPath: hand + "/region/erasures", withIntermediateDirectories: true)
        try body.write(toFile: hand + "/body", atomically: true, encoding: .utf8)
        KBMRunner.sh("cd \(hand) && ssh-keygen -q -Y sign -n kbm-erasure -f \(b.cwd)/.kbm/id_ed25519 body && cat body body.sig > region/erasures/01KGHD0000000000000000000A.md && rm body body.sig")
        try (body.replacingOccurrences(of: "0A", with: "0B")).write(toFile: hand + "/region/erasures/01KGHD0000000000000000000B.md", atomically: true, encoding: .utf8)
        KBMRunner.sh("cd \(hand) && git add -A && git commit -q -m 'transferagentur: erasure notice' && git push -q -f origin HEAD:main")

        let report = a.sync()
        let refused = (report["erasures_refused"] as? [String]) ?? []
        XCTAssertEqual(refused.count, 2, "\(report)")
        XCTAssertTrue(refused.contains { $0.contains("not by a pinned key") }, "\(refused)")
        XCTAssertTrue(refused.contains { $0.contains("not signed") }, "\(refused)")
        XCTAssertEqual((report["erasures_applied"] as? [Any])?.count, 0)
        XCTAssertNotNil(report["history_rewritten"] as? [String: Any], "reported as a force-push: \(report)")
        // As today: the record stays, and the push brings it back to the region.
        XCTAssertEqual(a.json(person)["name"] as? String, "Erika \(marker)")
        XCTAssertTrue(show(region.fixture.remote, path).contains(marker))
        XCTAssertEqual(b.sync()["erasures_applied"].flatMap { $0 as? [Any] }?.count, 0)
        XCTAssertEqual(b.json(person)["name"] as? String, "Erika \(marker)")
    }

    /// An erasure notice signed by the agency's own key, but whose rewrite changes another record
    /// as well: refused, and handled as a force-push.
    func testAgencySignedNoticeWhoseRewriteChangesMoreIsRefused() throws {
        let region = makeRegion()
        let (agency, a) = (region.agency, region.a)
        let person = a.ok("add", "stakeholder", "name=Erika Weg").lastLine
        let other = a.ok("add", "stakeholder", "name=Hans Bleibt").lastLine
        a.sync()
        a.ok("edit", other, "role=Rektor")
        a.sync()
        agency.sync()
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: person)
        let otherPath = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: other)
        let key = agency.cwd + "/.kbm/id_ed25519"
        let hand = region.fixture.handClone()
        let before = KBMRunner.sh("cd \(hand) && git rev-list --topo-order --reverse HEAD").stdout.split(separator: "\n")
        // Every commit rewritten and signed with the agency's key: without the person, and with the other record altered.
        let signing = "git -c gpg.format=ssh -c user.signingkey=\(key) commit-tree -S \"$@\""
        KBMRunner.sh("cd \(hand) && FILTER_BRANCH_SQUELCH_WARNING=1 git filter-branch --tree-filter 'rm -f \(path); if [ -f \(otherPath) ]; then sed -i s/Hans.Bleibt/Hans.Anders/ \(otherPath); fi' --commit-filter '\(signing)' -- HEAD >/dev/null 2>&1")
        let after = KBMRunner.sh("cd \(hand) && git rev-list --topo-order --reverse HEAD").stdout.split(separator: "\n")
        XCTAssertEqual(before.count, after.count)
        var body = "kbm erasure notice 1\nnotice: 01KGHD0000000000000000000C\nby: Tom Agentur <tom@transferagentur.de>\nat: 2026-12-01T10:00:00Z\nreason: test\npath: \(path)\n"
        for (old, new) in zip(before, after) where old != new { body += "commit: \(old) \(new)\n" }
        try FileManager.default.createDirectory(atPath: hand + "/region/erasures", withIntermediateDirectories: true)
        try body.write(toFile: hand + "/body", atomically: true, encoding: .utf8)
        KBMRunner.sh("cd \(hand) && ssh-keygen -q -Y sign -n kbm-erasure -f \(key) body && cat body body.sig > region/erasures/01KGHD0000000000000000000C.md && rm body body.sig")
        KBMRunner.sh("cd \(hand) && git add -A && git -c gpg.format=ssh -c user.signingkey=\(key) commit -q -S -m 'transferagentur: erasure notice' && git push -q -f origin HEAD:main")

        let report = a.sync()
        let refused = (report["erasures_refused"] as? [String]) ?? []
        XCTAssertEqual(refused.count, 1, "\(report)")
        XCTAssertTrue(refused.first?.contains("changes more than the erased paths") ?? false, "\(refused)")
        XCTAssertNotNil(report["history_rewritten"] as? [String: Any], "\(report)")
        // Not erased: the person stays. (The altered record is an agency-signed change of an
        // unrelated history, merged as any force-push is: which side wins is the merge's business.)
        XCTAssertEqual(a.json(person)["name"] as? String, "Erika Weg")
        XCTAssertNotNil(a.json(other)["name"])
    }

    /// A git CLI clone made before the purge merges the rewritten main and pushes its old history
    /// back: the offices recognise the erased version by its blob and hold it out of their trees and stores.
    func testErasedVersionPushedBackByTheGitCliIsHeldOut() throws {
        let region = makeRegion()
        let (agency, a, b) = (region.agency, region.a, region.b)
        let marker = "PURGEME\(UUID().uuidString.prefix(8))"
        let person = a.ok("add", "stakeholder", "name=Erika \(marker)").lastLine
        a.sync(); b.sync(); agency.sync()
        let hand = region.fixture.handClone()
        agency.ok("purge", person, "--reason", "Antrag")
        a.sync(); b.sync()
        KBMRunner.sh("cd \(hand) && git fetch -q origin && git merge -q --no-edit origin/main && git push -q origin HEAD:main")
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: person)
        XCTAssertTrue(show(region.fixture.remote, path).contains(marker), "the git CLI pushed it back")
        for w in [a, b, agency] {
            let report = w.sync()
            XCTAssertTrue(report["history_rewritten"] is NSNull, "\(report)")
            XCTAssertEqual(w.run(["show", person]).status, 2)
        }
        XCTAssertFalse(show(region.fixture.remote, path).contains(marker), "the offices' next commit holds it out of main")
    }

    /// An office offline across two purges applies both notices at once (the second rewrote the
    /// first one's commits, which it never fetched).
    func testOfficeOfflineAcrossTwoPurgesAppliesBoth() throws {
        let region = makeRegion()
        let (agency, a, c) = (region.agency, region.a, region.c)
        let first = "PURGEONE\(UUID().uuidString.prefix(8))", second = "PURGETWO\(UUID().uuidString.prefix(8))"
        let one = a.ok("add", "stakeholder", "name=Erika \(first)").lastLine
        let two = a.ok("add", "stakeholder", "name=Max \(second)").lastLine
        let keep = a.ok("add", "stakeholder", "name=Hans Bleibt").lastLine
        a.sync(); c.sync(); agency.sync()
        let own = c.ok("add", "tip", "title=Offline geschrieben").lastLine
        agency.ok("purge", one, "--reason", "Antrag 1")
        a.sync()
        agency.ok("purge", two, "--reason", "Antrag 2")
        let report = c.sync()
        XCTAssertEqual((report["erasures_applied"] as? [Any])?.count, 2, "\(report)")
        XCTAssertTrue(report["history_rewritten"] is NSNull, "\(report)")
        for w in [a, agency, c] { w.sync() }
        for w in [a, agency, c] {
            XCTAssertEqual(w.run(["show", one]).status, 2)
            XCTAssertEqual(w.run(["show", two]).status, 2)
            XCTAssertEqual(w.json(keep)["name"] as? String, "Hans Bleibt")
            XCTAssertEqual(w.json(own)["title"] as? String, "Offline geschrieben")
        }
        hostHousekeeping(region.fixture.remote)
        for dir in [region.fixture.remote, c.cwd + "/.kbm/repo.git", a.cwd + "/.kbm/repo.git"] {
            let objects = allObjects(dir)
            XCTAssertTrue(objects.contains("Hans Bleibt"))
            XCTAssertFalse(objects.contains(first) || objects.contains(second), dir)
        }
    }
}

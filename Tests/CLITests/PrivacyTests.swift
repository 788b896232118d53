import Foundation
import KBMTestSupport
import XCTest

/// Personal (local) fields never reach any git object, in the remote or in any workspace.
final class PrivacyTests: XCTestCase {
    /// Every object of a repository, as one text (for scanning).
    func allObjects(_ gitDir: String) -> String {
        KBMRunner.sh("git --git-dir=\(gitDir) rev-list --objects --all | cut -d' ' -f1 | git --git-dir=\(gitDir) cat-file --batch").stdout
    }

    func testMarkersInLocalFieldsNeverReachAnyGitObject() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        var markers: [(KBMRunner, String, String, String)] = []   // workspace, id, field, marker
        for (w, county) in [(a, "A"), (b, "K")] {
            for i in 0..<6 {
                let tag = "MARKER-\(county)\(i)-\(UUID().uuidString.prefix(6))"
                let id = w.ok("add", "stakeholder", "name=Person \(county) \(i)", "co_owners=lk-augsburg,stadt-kempten",
                              "email=\(tag.lowercased())@mail.example", "phone=+49 821 \(tag)", "notes=Gesprächsnotiz \(tag)\nZweite Zeile", "last_contact=2026-0\(i + 1)-1\(i)").lastLine
                markers.append((w, id, "email", "\(tag.lowercased())@mail.example"))
                markers.append((w, id, "phone", "+49 821 \(tag)"))
                markers.append((w, id, "notes", "Gesprächsnotiz \(tag)\nZweite Zeile"))
            }
        }
        a.sync(); b.sync(); a.sync()
        // Edits by the other office to shared fields, concurrent edits that merge and conflict, a resolution, a rebuild.
        let (_, firstA, _, _) = markers[0]
        let (_, firstK, _, _) = markers[18]
        b.ok("edit", firstA, "role=Schulleiterin", "tags+=netzwerk")
        a.ok("edit", firstA, "role=Rektorin", "stance=supporter")
        a.ok("edit", firstK, "organisation=Mittelschule Kempten")
        b.ok("edit", firstK, "notes=Neue Notiz MARKER-LOCAL-B")
        b.sync(); a.sync(); b.sync()
        a.ok("resolve", firstA, "role", "--value", "Rektorin")
        a.ok("rebuild")
        b.ok("rebuild")
        a.sync(); b.sync(); a.sync()

        // Zero hits in every object of the remote and of both workspaces' repositories.
        let everything = [region.remote, a.cwd + "/.kbm/repo.git", b.cwd + "/.kbm/repo.git"].map(allObjects).joined()
        XCTAssertTrue(everything.contains("Person A 0"), "the scan reads real objects")
        for (_, _, field, marker) in markers {
            let probe = marker.split(separator: "\n").first.map(String.init) ?? marker
            XCTAssertFalse(everything.contains(probe), "\(field) marker \(probe) reached a git object")
        }
        XCTAssertFalse(everything.contains("MARKER"), "some local value reached a git object")
        // …and nowhere else under the repositories either.
        XCTAssertEqual(KBMRunner.sh("grep -r -l MARKER \(region.remote) \(a.cwd)/.kbm/repo.git \(b.cwd)/.kbm/repo.git || true").stdout, "")

        // The markers are still in each owner's store, and the other office does not have them.
        for (owner, id, field, marker) in markers where !(id == firstK && field == "notes") {
            XCTAssertEqual(owner.json(id)[field] as? String, marker, "\(field) of \(id) kept by its owner")
            let other = owner.cwd == a.cwd ? b : a
            XCTAssertNil(other.json(id)[field], "\(field) of \(id) must not reach the other office")
        }
        // A shared field changed by another office arrived without touching the local fields.
        XCTAssertEqual(a.json(firstA)["tags"] as? [String], ["netzwerk"])
        XCTAssertEqual(b.json(firstK)["organisation"] as? String, "Mittelschule Kempten")
        XCTAssertEqual(b.json(firstK)["notes"] as? String, "Neue Notiz MARKER-LOCAL-B")
    }

    func testShareUnshareAndPrivacyReport() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        let id = a.ok("add", "stakeholder", "name=Staatliches Schulamt Augsburg", "type=office", "email=poststelle@schulamt.example", "phone=0821 111").lastLine
        XCTAssertEqual(a.run(["share", id, "name", "--reason", "x"]).status, 2, "shared fields need no share")
        XCTAssertEqual(a.run(["share", id, "email", "--reason", " "]).status, 2, "a reason is required")
        a.ok("share", id, "email", "--reason", "Funktionsadresse der Behörde, keine Person")
        a.sync(); b.sync()
        XCTAssertEqual(b.json(id)["email"] as? String, "poststelle@schulamt.example")
        XCTAssertNil(b.json(id)["phone"])
        let report = b.ok("privacy-report", "--json").stdout
        XCTAssertTrue(report.contains("Funktionsadresse der Behörde, keine Person"), report)
        XCTAssertTrue(a.ok("privacy-report").stdout.contains("local:  last_contact, email, phone, notes"))

        let unshare = a.ok("unshare", id, "email").stdout
        XCTAssertTrue(unshare.contains("still hold"), unshare)
        a.sync(); b.sync()
        XCTAssertNil(b.json(id)["email"])
        XCTAssertEqual(a.json(id)["email"] as? String, "poststelle@schulamt.example", "the owner keeps it locally")
        let head = KBMRunner.sh("git --git-dir=\(region.remote) show main:\(RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id))").stdout
        XCTAssertFalse(head.contains("poststelle@"))
    }

    func testForgetDeletesEverywhereAndExplains() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        let id = a.ok("add", "stakeholder", "name=Erika Muster", "email=erika@example.org").lastLine
        a.sync(); b.sync()
        XCTAssertEqual(b.json(id)["name"] as? String, "Erika Muster")
        let out = a.ok("forget", id).stdout
        XCTAssertTrue(out.contains("Erased the local fields (email)"), out)
        XCTAssertTrue(out.contains("Older commits"), out)
        b.sync()
        XCTAssertEqual(a.run(["show", id]).status, 2)
        XCTAssertEqual(b.run(["show", id]).status, 2)
    }
}

extension PrivacyTests {
    /// Editing only a personal field does not even show up in the shared history.
    func testEditingOnlyLocalFieldsMakesNoSharedCommit() {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "stakeholder", "name=Leonie Bauer").lastLine
        a.sync()
        let before = KBMRunner.sh("git --git-dir=\(region.remote) rev-parse main").stdout
        a.ok("edit", id, "email=leonie@example.org", "notes=Telefonat am Montag")
        let report = a.sync()
        XCTAssertEqual(report["committed"] as? Int, 0)
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(region.remote) rev-parse main").stdout, before)
        XCTAssertEqual(a.json(id)["email"] as? String, "leonie@example.org")
        XCTAssertTrue(a.ok("status").stdout.contains("No local changes waiting"))
    }
}

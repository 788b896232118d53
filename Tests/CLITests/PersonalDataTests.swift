import Foundation
import KBMTestSupport
import XCTest

/// Issue 13, items 6 and 7: personal data leaves a laptop only through a `kbm share` made there,
/// and the assessments of named persons are personal data. End to end through the built binary;
/// what reaches the region is read with the git CLI.
final class PersonalDataTests: XCTestCase {
    /// Every object of a repository, as one text (for scanning).
    func allObjects(_ gitDir: String) -> String {
        KBMRunner.sh("git --git-dir=\(gitDir) rev-list --objects --all | cut -d' ' -f1 | git --git-dir=\(gitDir) cat-file --batch").stdout
    }

    /// The record file at the tip of the region's main branch, read with the git CLI.
    func regionFile(_ region: RegionFixture, county: String, id: String) -> String {
        KBMRunner.sh("git --git-dir=\(region.remote) show main:\(RegionFixture.recordPath(county: county, kind: "stakeholder", id: id))").stdout
    }

    /// `text` (a record file without body) with lines inserted before the closing `---`.
    func inserting(_ lines: [String], into text: String) -> String {
        var all = text.components(separatedBy: "\n")
        guard let close = all.indices.dropFirst().first(where: { all[$0] == "---" }) else { return text }
        all.insert(contentsOf: lines, at: close)
        return all.joined(separator: "\n")
    }

    static let forgedDisclosure = ["disclosures:", "  - id: 01KGZZZZZZZZZZZZZZZZZZZZZZ", "    field: email",
                                   "    by: Koordination lk-augsburg <bildung@lk-augsburg.de>", "    at: \"2026-02-01T10:00:00Z\"",
                                   "    reason: Einwilligung liegt vor"]

    // MARK: item 6

    /// A co-owner marks the owner's e-mail as shared; the owner edits and syncs as usual. Before
    /// the fix, the owner's e-mail went to the region without the owner ever being told.
    func testDisclosureFromAnotherOfficeNeverPublishesTheOwnersPersonalData() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        let marker = "johanna.riedl.\(UUID().uuidString.prefix(8).lowercased())@privat.example"
        let id = a.ok("add", "stakeholder", "name=Johanna Riedl", "type=person", "co_owners=stadt-kempten", "email=\(marker)").lastLine
        a.sync(); b.sync()
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id)

        // B, a co-owner, tries it with kbm: `edit --file` may not add a disclosure (only `kbm share` does).
        let forged = region.root + "/forged.md"
        try inserting(Self.forgedDisclosure, into: b.ok("show", id, "--file").stdout).write(toFile: forged, atomically: true, encoding: .utf8)
        let refused = b.run(["edit", id, "--file", forged])
        XCTAssertEqual(refused.status, 2, "edit --file must not add a disclosure: \(refused.stdout)")
        XCTAssertTrue(refused.stderr.contains("kbm share"), refused.stderr)
        b.sync()
        XCTAssertFalse(regionFile(region, county: "lk-augsburg", id: id).contains("disclosures"))

        // …and then around kbm, with the git CLI: the mark reaches the region and A's laptop.
        let hand = region.handClone()
        let file = hand + "/" + path
        let current = try String(contentsOfFile: file, encoding: .utf8)
        if !current.contains("disclosures:") {
            try inserting(Self.forgedDisclosure, into: current).write(toFile: file, atomically: true, encoding: .utf8)
            region.handPush(hand, "mark the e-mail as shared")
        }
        a.sync()

        // A works as usual: an edit of a shared field, a sync, another edit and sync.
        a.ok("edit", id, "role=Geschäftsführerin")
        a.sync()
        a.ok("edit", id, "tags+=kammer")
        a.sync(); b.sync()
        let tip = regionFile(region, county: "lk-augsburg", id: id)
        XCTAssertTrue(tip.contains("Geschäftsführerin") && tip.contains("disclosures:"), tip)
        XCTAssertFalse(tip.contains(marker), "A's e-mail reached the region's file:\n\(tip)")
        XCTAssertFalse(allObjects(region.remote).contains(marker), "A's e-mail reached a git object of the region")
        XCTAssertFalse(allObjects(a.cwd + "/.kbm/repo.git").contains(marker), "A's e-mail reached a git object on A's laptop")
        XCTAssertNil(b.json(id)["email"])
        XCTAssertEqual(a.json(id)["email"] as? String, marker, "A keeps its e-mail")

        // A is told, in status, in the sync output and in the privacy report.
        let status = a.ok("status").stdout
        XCTAssertTrue(status.contains("not by `kbm share` on this laptop") && status.contains("\(id) \"Johanna Riedl\": 'email'"), status)
        XCTAssertTrue(status.contains("kbm unshare \(id) email"), status)
        XCTAssertTrue(a.ok("sync").stdout.contains("not by `kbm share` on this laptop"))
        let review = (try JSONSerialization.jsonObject(with: Data(a.ok("status", "--json").stdout.utf8)) as? [String: Any])?["disclosures_to_review"] as? [[String: Any]]
        XCTAssertEqual(review?.first?["field"] as? String, "email")
        let report = a.ok("privacy-report", "--json").stdout
        XCTAssertTrue(report.contains("\"to_review\": true"), report)

        // A's own laptop is no back door either: a file with a new disclosure is refused by
        // edit --file and add --file.
        let own = region.root + "/own.md"
        a.ok("edit", id, "phone=0821 999 111")
        var withPhone = a.ok("show", id, "--file").stdout
        withPhone = withPhone.replacingOccurrences(of: "    reason: Einwilligung liegt vor", with: "    reason: Einwilligung liegt vor\n  - id: 01KGZZZZZZZZZZZZZZZZZZZZZY\n    field: phone\n    reason: x")
        try withPhone.write(toFile: own, atomically: true, encoding: .utf8)
        XCTAssertEqual(a.run(["edit", id, "--file", own]).status, 2, "edit --file must not add a disclosure on the owner's laptop")
        let folder = region.root + "/import"
        let target = folder + "/" + path
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try withPhone.write(toFile: target, atomically: true, encoding: .utf8)
        XCTAssertEqual(a.run(["import", folder]).status, 2, "import must not add a disclosure")
        let editor = region.root + "/editor.sh"
        try "#!/bin/sh\nsed -i 's/^    reason: Einwilligung liegt vor$/    reason: Einwilligung liegt vor\\n  - id: 01KGZZZZZZZZZZZZZZZZZZZZZY\\n    field: phone/' \"$1\"\n"
            .write(toFile: editor, atomically: true, encoding: .utf8)
        KBMRunner.sh("chmod +x \(editor)")
        let editing = KBMRunner(cwd: a.cwd, environment: ["EDITOR": editor]).run(["edit", id, "--editor"])
        XCTAssertEqual(editing.status, 2, "edit --editor must not add a disclosure: \(editing.stdout)")
        XCTAssertTrue(editing.stderr.contains("kbm share"), editing.stderr)
        let newFile = region.root + "/new.md"
        let fresh = a.ok("add", "stakeholder", "name=Probe", "email=probe@example.org").lastLine
        try inserting(["disclosures:", "  - id: 01KGZZZZZZZZZZZZZZZZZZZZZX", "    field: email"],
                      into: a.ok("show", fresh, "--file").stdout.replacingOccurrences(of: fresh, with: "01KGZZZZZZZZZZZZZZZZZZZZZW"))
            .write(toFile: newFile, atomically: true, encoding: .utf8)
        XCTAssertEqual(a.run(["add", "--file", newFile]).status, 2, "add --file must not bring a disclosure")
        a.sync()
        XCTAssertFalse(allObjects(region.remote).contains("0821 999 111"), "the phone number reached the region")

        // A decides: `kbm share` on A's laptop is the way to publish it on purpose.
        a.ok("share", id, "email", "--reason", "Funktionsadresse, Einwilligung vom 3.2.2026")
        a.sync(); b.sync()
        XCTAssertTrue(regionFile(region, county: "lk-augsburg", id: id).contains(marker))
        XCTAssertEqual(b.json(id)["email"] as? String, marker)
        XCTAssertFalse(a.ok("status").stdout.contains("not by `kbm share` on this laptop"), "reviewed")
    }

    /// A mark that comes with another office's value: that value, already in the region, stays
    /// there; the owner's own value stays here (hidden, not lost), comes back with `kbm unshare`,
    /// and `kbm share` by the owner shares the owner's value.
    func testForeignMarkWithAValueKeepsTheOwnersValueHere() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let mine = "own.\(UUID().uuidString.prefix(8).lowercased())@privat.example"
        let id = a.ok("add", "stakeholder", "name=Sabine Lechner", "type=person", "email=\(mine)").lastLine
        a.sync()
        let hand = region.handClone()
        let file = hand + "/" + RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id)
        try inserting(["email: other@kempten.example"] + Self.forgedDisclosure, into: try String(contentsOfFile: file, encoding: .utf8))
            .write(toFile: file, atomically: true, encoding: .utf8)
        region.handPush(hand, "another value, marked as shared")
        a.sync()
        a.ok("edit", id, "role=Ausbildungsleiterin")
        a.sync()
        XCTAssertFalse(allObjects(region.remote).contains(mine), "the owner's own e-mail reached the region")
        XCTAssertTrue(regionFile(region, county: "lk-augsburg", id: id).contains("other@kempten.example"), "the region keeps what it had")
        // Removing the mark takes the other value out of the region and brings the owner's back.
        a.ok("unshare", id, "email")
        XCTAssertEqual(a.json(id)["email"] as? String, mine)
        a.sync()
        let unshared = regionFile(region, county: "lk-augsburg", id: id)
        XCTAssertFalse(unshared.contains("other@kempten.example") || unshared.contains(mine) || unshared.contains("disclosures:"), unshared)
        a.ok("share", id, "email", "--reason", "Einwilligung vom 3.2.2026")
        a.sync()
        let tip = regionFile(region, county: "lk-augsburg", id: id)
        XCTAssertTrue(tip.contains(mine) && !tip.contains("other@kempten.example"), tip)
    }

    // MARK: item 7

    /// A person's stance, influence and key-person flag stay on the laptop; a body's are shared.
    func testAssessmentsOfPersonsStayLocalAndBodiesStayShared() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        let person = a.ok("add", "stakeholder", "name=Johanna Riedl", "type=person", "role=Kreisrätin", "stance=critical", "influence=high", "key_person=true").lastLine
        let untyped = a.ok("add", "stakeholder", "name=Peter Aigner", "stance=supporter", "influence=low").lastLine
        let body = a.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation", "stance=supporter", "influence=high", "key_person=true").lastLine
        a.sync(); b.sync()
        let personFile = regionFile(region, county: "lk-augsburg", id: person)
        XCTAssertTrue(personFile.contains("Johanna Riedl") && personFile.contains("Kreisrätin"), personFile)
        for field in ["stance", "influence", "key_person"] {
            XCTAssertFalse(personFile.contains("\(field):"), "\(field) of a person reached the region:\n\(personFile)")
            XCTAssertFalse(regionFile(region, county: "lk-augsburg", id: untyped).contains("\(field):"), "\(field) of an untyped stakeholder reached the region")
        }
        XCTAssertFalse(allObjects(region.remote).contains("critical"), "the person's stance reached a git object")
        let bodyFile = regionFile(region, county: "lk-augsburg", id: body)
        XCTAssertTrue(bodyFile.contains("stance: supporter") && bodyFile.contains("influence: high") && bodyFile.contains("key_person: true"), bodyFile)
        XCTAssertEqual(a.json(person)["stance"] as? String, "critical", "the owner keeps its assessment")
        XCTAssertEqual(a.json(person)["key_person"] as? Bool, true)
        XCTAssertTrue(a.ok("show", person).stdout.contains("critical (local only)"))
        XCTAssertNil(b.json(person)["stance"])
        XCTAssertEqual(b.json(body)["stance"] as? String, "supporter")
        XCTAssertTrue(a.ok("privacy-report").stdout.contains("stance (shared only when type is organisation, office or committee)"))

        // Shared on purpose with `kbm share`.
        a.ok("share", person, "stance", "--reason", "öffentliche Erklärung im Kreistag")
        a.sync(); b.sync()
        XCTAssertTrue(regionFile(region, county: "lk-augsburg", id: person).contains("stance: critical"))
        XCTAssertEqual(b.json(person)["stance"] as? String, "critical")
        XCTAssertNil(b.json(person)["influence"])
    }

    /// Records written before: region files of persons carry the assessments, and the stores of
    /// the owner and of another office hold them as shared fields. After the update the owner keeps
    /// them locally and its next sync removes them from the region; another office drops them, and
    /// an office joining while the old file is still there never takes them in.
    func testExistingPersonAssessmentsMigrate() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        let person = a.ok("add", "stakeholder", "name=Johanna Riedl", "type=person", "role=Kreisrätin").lastLine
        let body = a.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation", "stance=supporter").lastLine
        a.sync(); b.sync()
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: person)

        // The region's file as the previous version wrote it…
        let hand = region.handClone()
        let file = hand + "/" + path
        let old = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "role: Kreisrätin\n", with: "role: Kreisrätin\nstance: critical\ninfluence: high\nkey_person: true\n")
        try old.write(toFile: file, atomically: true, encoding: .utf8)
        region.handPush(hand, "lk-augsburg: 1 record changed (written by kbm before the update)")
        a.sync(); b.sync()
        // …and the stores as the previous version kept them: the assessments among the shared fields.
        for w in [a, b] {
            let db = w.cwd + "/.kbm/store.sqlite"
            KBMRunner.sh("sqlite3 \(db) \"UPDATE records SET fields = json_set(fields, '$.stance', 'critical', '$.influence', 'high', '$.key_person', json('true')) WHERE id = '\(person)'; DELETE FROM settings WHERE key = 'privacy_rules';\"")
            XCTAssertTrue(KBMRunner.sh("sqlite3 \(db) \"SELECT fields FROM records WHERE id = '\(person)'\"").stdout.contains("critical"))
        }

        // An office joining now takes nothing of it in.
        let c = region.join("lk-ostallgaeu")
        XCTAssertNil(c.json(person)["stance"])
        XCTAssertFalse(c.ok("show", person).stdout.contains("critical"))
        XCTAssertEqual(c.json(body)["stance"] as? String, "supporter")

        // The owner keeps its values, and its next sync takes them out of the region's file.
        XCTAssertEqual(a.json(person)["stance"] as? String, "critical")
        XCTAssertTrue(a.ok("status").stdout.contains(person), "the record waits to be committed")
        a.sync()
        let tip = regionFile(region, county: "lk-augsburg", id: person)
        XCTAssertTrue(tip.contains("Kreisrätin"), tip)
        for field in ["stance", "influence", "key_person"] { XCTAssertFalse(tip.contains("\(field):"), "\(field) is still in the region's file:\n\(tip)") }
        XCTAssertEqual(a.json(person)["stance"] as? String, "critical")
        XCTAssertEqual(a.json(person)["influence"] as? String, "high")
        XCTAssertEqual(a.json(person)["key_person"] as? Bool, true)
        XCTAssertTrue(regionFile(region, county: "lk-augsburg", id: body).contains("stance: supporter"), "a body's stance stays shared")

        // The other office dropped them (it does not keep another county's assessment as its own).
        XCTAssertNil(b.json(person)["stance"])
        XCTAssertNil(b.json(person)["key_person"])
        b.sync(); c.sync()
        for w in [b, c] {
            XCTAssertNil(w.json(person)["stance"])
            XCTAssertFalse(w.ok("list", "--json").stdout.contains("critical"))
            XCTAssertEqual(w.json(body)["stance"] as? String, "supporter")
        }
        XCTAssertEqual(a.ok("doctor").status, 0)
    }
}

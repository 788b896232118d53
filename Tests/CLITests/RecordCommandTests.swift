import Foundation
import KBMTestSupport
import XCTest

/// The record commands through the built binary: each command, each exit code, and
/// "invalid input changes nothing".
final class RecordCommandTests: XCTestCase {
    var dir = ""
    var kbm: KBMRunner { KBMRunner(cwd: dir) }

    override func setUp() {
        dir = KBMRunner.makeTempDir()
        kbm.ok("init", "--county", "lk-augsburg", "--user", "Anna Berger <anna.berger@lra-a.de>")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// The store's JSON of every record: what must stay unchanged after a refused command.
    func snapshot() -> String { kbm.ok("list", "--json").stdout }

    func testInitRefusesBadInputAndExistingWorkspace() {
        let other = KBMRunner.makeTempDir()
        let runner = KBMRunner(cwd: other)
        XCTAssertEqual(runner.run(["init", "--county", "LK Augsburg", "--user", "A <a@b.de>"]).status, 2)
        XCTAssertEqual(runner.run(["init", "--county", "lk-augsburg", "--user", "no email"]).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other + "/.kbm"))
        XCTAssertEqual(kbm.run(["init", "--county", "lk-augsburg", "--user", "A <a@b.de>"]).status, 2)
    }

    func testAddShowListEditDelete() throws {
        let id = kbm.ok("add", "stakeholder", "name=Maria Huber", "type=person", "sector=school",
                        "committees=Kreistag, Bildungsbeirat", "stance=supporter", "key_person=true").lastLine
        XCTAssertTrue(id.range(of: "^[0-7][0-9A-HJKMNP-TV-Z]{25}$", options: .regularExpression) != nil, id)

        let json = try JSONSerialization.jsonObject(with: Data(kbm.ok("show", id, "--json").stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["name"] as? String, "Maria Huber")
        XCTAssertEqual(json?["committees"] as? [String], ["Bildungsbeirat", "Kreistag"])
        XCTAssertEqual(json?["key_person"] as? Bool, true)
        XCTAssertEqual(json?["county"] as? String, "lk-augsburg")
        for key in ["id", "kind", "created", "updated"] { XCTAssertNotNil(json?[key], key) }

        kbm.ok("edit", id, "committees+=Jugendhilfeausschuss", "committees-=Kreistag", "role=Schulleiterin", "stance=")
        let file = kbm.ok("show", id, "--file").stdout
        XCTAssertTrue(file.contains("committees:\n  - Bildungsbeirat\n  - Jugendhilfeausschuss\n"), file)
        XCTAssertTrue(file.contains("role: Schulleiterin\n"))
        XCTAssertFalse(file.contains("stance:"))

        let list = kbm.ok("list", "stakeholder", "--where", "committees=Bildungsbeirat").stdout
        XCTAssertTrue(list.contains(id))
        XCTAssertFalse(kbm.ok("list", "event").stdout.contains(id))
        XCTAssertFalse(kbm.ok("list", "--where", "sector=youth").stdout.contains(id))

        kbm.ok("delete", id)
        XCTAssertEqual(kbm.run(["show", id]).status, 2)
    }

    func testGermanTextRoundTripsExactly() throws {
        let notes = "Sprach über den Übergang Schule–Beruf.\n\n„Wir brauchen mehr Praktika“ – sagt sie. 👍\nno\n---\n: key"
        let id = kbm.ok("add", "stakeholder", "name=  Jörg Weiß-Öztürk  ", "organisation=Staatliches Schulamt im Landkreis Augsburg", "notes=\(notes)", "role=no").lastLine
        let json = try JSONSerialization.jsonObject(with: Data(kbm.ok("show", id, "--json").stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["notes"] as? String, notes)
        XCTAssertEqual(json?["name"] as? String, "  Jörg Weiß-Öztürk  ")
        XCTAssertEqual(json?["role"] as? String, "no")
        // Export and re-import in a second workspace: the same bytes.
        let out = KBMRunner.makeTempDir()
        kbm.ok("export", out, "--include-local")
        let other = KBMRunner.makeTempDir()
        let second = KBMRunner(cwd: other)
        second.ok("init", "--county", "lk-augsburg", "--user", "B <b@c.de>")
        second.ok("import", out)
        XCTAssertEqual(second.ok("show", id, "--file").stdout, kbm.ok("show", id, "--file").stdout)
    }

    func testEventFollowUpsAndLists() throws {
        let id = kbm.ok("add", "event", "title=Fachtag Übergang Schule–Beruf", "type=fachtag", "start=2026-03-14",
                        "goals=Netzwerk stärken,Angebote sichtbar machen", "participants=85", "follow_ups+=Protokoll versenden").lastLine
        let json = try JSONSerialization.jsonObject(with: Data(kbm.ok("show", id, "--json").stdout.utf8)) as? [String: Any]
        let items = json?["follow_ups"] as? [[String: Any]]
        let item = try XCTUnwrap(items?.first?["id"] as? String)
        XCTAssertEqual(items?.first?["status"] as? String, "open")
        kbm.ok("edit", id, "follow_ups.\(item).status=done", "follow_ups.\(item).owner=Anna Berger", "goals+=Presse einladen")
        let file = kbm.ok("show", id, "--file").stdout
        XCTAssertTrue(file.contains("    status: done\n"), file)
        XCTAssertTrue(file.contains("goals:\n  - Netzwerk stärken\n  - Angebote sichtbar machen\n  - Presse einladen\n"), file)
        XCTAssertEqual(kbm.run(["edit", id, "follow_ups.\(item).status=finished"]).status, 2)
        XCTAssertEqual(kbm.run(["edit", id, "follow_ups.NOPE.status=done"]).status, 2)
    }

    func testInvalidInputExitsTwoAndChangesNothing() {
        let id = kbm.ok("add", "event", "title=Bildungskonferenz", "participants=120").lastLine
        let before = snapshot()
        let cases: [([String], String)] = [
            (["add", "evnt", "title=x"], "Did you mean 'event'"),
            (["add", "event", "titl=x"], "Did you mean 'title'"),
            (["add", "event", "type=x"], "one of fachtag"),
            (["add", "event", "title=x", "start=14.3."], "expected a date like 2026-03-14 or a date and time like 2026-03-14 09:30, got \"14.3.\""),
            (["add", "event", "title=x", "participants=-3"], "participants"),
            (["add", "event", "start=2026-01-01"], "'title' is required"),
            (["add", "event", "title"], "Expected <field>=<value>"),
            (["edit", id, "participants=viele"], "whole number"),
            (["edit", id, "goals-=nicht da"], "is not in it"),
            (["edit", "01ZZZ", "title=x"], "not a record id"),
            (["edit", "01JD3Q5V8X2M4N6P8R0T2W4Y6Z", "title=x"], "No record with id"),
            (["show", "nope"], "not a record id"),
            (["delete", "01JD3Q5V8X2M4N6P8R0T2W4Y6Z"], "No record"),
            (["list", "--where", "colour=red"], "unknown field"),
            (["list", "--county", "LK"], "--county"),
            (["frobnicate"], "Unexpected argument"),
            (["import", "/nonexistent-folder"], "no such folder"),
        ]
        for (args, expected) in cases {
            let r = kbm.run(args)
            XCTAssertEqual(r.status, 2, "kbm \(args.joined(separator: " ")) should exit 2: \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "kbm \(args.joined(separator: " ")): expected '\(expected)' in: \(r.stderr)")
        }
        XCTAssertEqual(snapshot(), before)
    }

    func testImportIsAllOrNothingAndNamesTheFile() {
        let folder = KBMRunner.makeTempDir()
        let good = """
        ---
        id: 01JD3Q5V8X2M4N6P8R0T2W4Y6Z
        kind: tip
        county: lk-augsburg
        format: 1
        created: 2026-01-05T10:00:00Z
        updated: 2026-01-05T10:00:00Z
        title: Zahlen erzählen lassen
        theme: monitoring_data
        ---

        Eine Grafik pro Botschaft.

        """
        let bad = """
        ---
        id: 01JD3Q5V8X2M4N6P8R0T2W4Y70
        kind: event
        county: lk-augsburg
        format: 1
        created: 2026-01-05T10:00:00Z
        updated: 2026-01-05T10:00:00Z
        title: Fachtag
        start: 14.3.
        ---

        """
        KBMRunner.sh("mkdir -p \(folder)/counties/lk-augsburg/tip/z \(folder)/counties/lk-augsburg/event/0")
        try? good.write(toFile: "\(folder)/counties/lk-augsburg/tip/z/01JD3Q5V8X2M4N6P8R0T2W4Y6Z.md", atomically: true, encoding: .utf8)
        try? bad.write(toFile: "\(folder)/counties/lk-augsburg/event/0/01JD3Q5V8X2M4N6P8R0T2W4Y70.md", atomically: true, encoding: .utf8)
        let before = snapshot()
        let r = kbm.run(["import", folder])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("01JD3Q5V8X2M4N6P8R0T2W4Y70.md:9: field 'start': expected a date like 2026-03-14 or a date and time like 2026-03-14T09:30, got \"14.3.\""), r.stderr)
        XCTAssertEqual(snapshot(), before)
        try? FileManager.default.removeItem(atPath: "\(folder)/counties/lk-augsburg/event")
        kbm.ok("import", folder)
        XCTAssertTrue(kbm.ok("show", "01JD3Q5V8X2M4N6P8R0T2W4Y6Z", "--file").stdout == good)
    }

    func testWorkspaceIsFoundFromSubfolderAndWithDashC() {
        let id = kbm.ok("add", "tip", "title=Früh einbinden").lastLine
        let sub = dir + "/a/b"
        KBMRunner.sh("mkdir -p \(sub)")
        XCTAssertTrue(KBMRunner(cwd: sub).ok("list").stdout.contains(id))
        XCTAssertTrue(KBMRunner(cwd: "/").ok("-C", dir, "list").stdout.contains(id))
        XCTAssertTrue(KBMRunner(cwd: "/", environment: ["KBM_WORKSPACE": dir]).ok("list").stdout.contains(id))
        XCTAssertEqual(KBMRunner(cwd: "/").run(["list"]).status, 2)
    }

    func testEditFromFileAndEditor() throws {
        let id = kbm.ok("add", "product", "title=Bildungsbericht 2026", "type=bildungsbericht").lastLine
        var text = kbm.ok("show", id, "--file").stdout
        text = text.replacingOccurrences(of: "type: bildungsbericht\n", with: "type: bildungsbericht\nurl: 'https://bildung.landkreis-augsburg.de'\n")
        let path = dir + "/edit.md"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        kbm.ok("edit", id, "--file", path)
        XCTAssertTrue(kbm.ok("show", id, "--file").stdout.contains("url: https://bildung.landkreis-augsburg.de\n"))
        // --editor with a scripted editor (sed) that changes the title.
        let r = KBMRunner(cwd: dir, environment: ["EDITOR": "sed -i 's/^title: .*/title: Bildungsbericht 2027/'"]).run(["edit", id, "--editor"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(kbm.ok("show", id, "--file").stdout.contains("title: Bildungsbericht 2027\n"))
        // An editor that breaks the file: refused, nothing changed.
        let before = snapshot()
        let bad = KBMRunner(cwd: dir, environment: ["EDITOR": "sed -i 's/^type: .*/type: roman/'"]).run(["edit", id, "--editor"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("field 'type'"), bad.stderr)
        XCTAssertEqual(snapshot(), before)
    }
}

extension RecordCommandTests {
    /// Links and office entries carry decisions with rules: only their own commands change them.
    func testManagedKindsAreRefusedByGenericCommands() {
        let before = snapshot()
        let link = kbm.run(["add", "link", "label=x", "relation=same", "records=01JD3Q5V8X2M4N6P8R0T2W4Y6Z,01JD3Q5V8X2M4N6P8R0T2W4Y70"])
        XCTAssertEqual(link.status, 2)
        XCTAssertTrue(link.stderr.contains("kbm link"), link.stderr)
        let office = kbm.run(["add", "office", "name=Bildungsbüro"])
        XCTAssertEqual(office.status, 2)
        XCTAssertTrue(office.stderr.contains("kbm registry"), office.stderr)
        XCTAssertEqual(snapshot(), before)
    }
}

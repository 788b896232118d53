import Foundation
import KBMTestSupport
import XCTest

/// Issue 13, items 9–12: size limit on write, quarantine after the owner's repair, terminal
/// control characters from other offices, and smaller input checks. End to end through the
/// built binary, real bare repositories and the git CLI.
final class RobustnessTests: RegionTestCase {
    private func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private func decode(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    private func quarantinedPaths(_ w: KBMRunner) -> [String] {
        let status = decode(w.ok("status", "--json").stdout) as? [String: Any] ?? [:]
        return (status["quarantined"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    }

    /// Matches the whole of `text` against a regular expression.
    private func assertMatches(_ text: String, _ pattern: String, file: StaticString = #filePath, line: UInt = #line) {
        let range = text.range(of: "^" + pattern + "$", options: .regularExpression)
        XCTAssertNotNil(range, "\(text.debugDescription)\ndoes not match\n\(pattern)", file: file, line: line)
    }

    // MARK: item 9: the size limit applies on write

    func testRecordsPastTheSizeLimitAreRefusedByEveryWriteCommand() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "event", "title=Fachtag Übergang", "start=2026-03-14").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        // `goals+=` appends: each argument stays below the kernel's limit for one argument (128 KiB).
        let goal = String(repeating: "Weiterbildung sichtbar machen ", count: 3_400)  // 102,000 bytes, no comma
        for n in 1...10 { a.ok("edit", id, "goals+=\(goal)\(n)") }
        let before = a.ok("show", id, "--file").stdout
        XCTAssertLessThan(before.utf8.count, 1 << 20)
        let tooMuch = a.run(["edit", id, "goals+=\(goal)11"])
        XCTAssertEqual(tooMuch.status, 2, tooMuch.stderr)
        XCTAssertEqual(tooMuch.stdout, "")
        let sizePattern = "kbm: record \(id) would be a file of 1\\.1 MiB \\(([0-9]+) bytes\\); a record file may hold at most 1 MiB \\(1048576 bytes\\), or the other offices cannot read it\\. Its largest field is 'goals' \\([0-9.]+ [KM]iB\\): shorten it, or keep long documents elsewhere and link them\\. Nothing was stored\\.\n"
        assertMatches(tooMuch.stderr, sizePattern)
        XCTAssertEqual(a.ok("show", id, "--file").stdout, before, "nothing stored")
        // A plain `field=value` that crosses the limit.
        let outcomes = String(repeating: "Ergebnis ", count: 11_000)  // 99,000 bytes
        let setField = a.run(["edit", id, "outcomes=\(outcomes)"])
        XCTAssertEqual(setField.status, 2, setField.stderr)
        assertMatches(setField.stderr, sizePattern)
        XCTAssertEqual(a.ok("show", id, "--file").stdout, before)

        // `kbm edit --file` and `kbm add --file`: a file over the limit names its record and size.
        let dir = tempDir("kbm-robust")
        let big = before.replacingOccurrences(of: "title: Fachtag Übergang\n", with: "title: Fachtag Übergang\n") + "\n" + String(repeating: "Zeile mit Ergebnissen\n", count: 6_000)
        XCTAssertGreaterThan(big.utf8.count, 1 << 20)
        try write(big, to: dir + "/big.md")
        let editFile = a.run(["edit", id, "--file", dir + "/big.md"])
        XCTAssertEqual(editFile.status, 2)
        XCTAssertEqual(editFile.stderr, "kbm: \(dir)/big.md: record \(id) is a file of 1.1 MiB (\(big.utf8.count) bytes); a record file may hold at most 1 MiB (1048576 bytes), or the other offices cannot read it. Nothing was stored.\n")
        let newID = RegionFixture.newID()
        let bigNew = RegionFixture.recordText(id: newID, kind: "tip", county: "lk-augsburg", ["title: Lang"], body: String(repeating: "Ein langer Tipp. ", count: 70_000))
        try write(bigNew, to: dir + "/new.md")
        let addFile = a.run(["add", "--file", dir + "/new.md"])
        XCTAssertEqual(addFile.status, 2)
        XCTAssertEqual(addFile.stderr, "kbm: \(dir)/new.md: record \(newID) is a file of 1.1 MiB (\(bigNew.utf8.count) bytes); a record file may hold at most 1 MiB (1048576 bytes), or the other offices cannot read it. Nothing was stored.\n")
        XCTAssertEqual(a.run(["show", newID]).status, 2)

        // `kbm import`: a file under the limit whose canonical form is over it (raw tabs in a
        // quoted value are written as \t escapes), beside a valid file: nothing is stored.
        let importID = RegionFixture.newID(), okID = RegionFixture.newID()
        let tabs = String(repeating: "\t", count: 600_000)
        let expanding = RegionFixture.recordText(id: importID, kind: "tip", county: "lk-augsburg", ["title: Tabs", "tags:", "  - \"x\(tabs)x\""])
        XCTAssertLessThan(expanding.utf8.count, 1 << 20)
        let importPath = dir + "/export/" + RegionFixture.recordPath(county: "lk-augsburg", kind: "tip", id: importID)
        try write(expanding, to: importPath)
        try write(RegionFixture.recordText(id: okID, kind: "tip", county: "lk-augsburg", ["title: Klein"]), to: dir + "/export/" + RegionFixture.recordPath(county: "lk-augsburg", kind: "tip", id: okID))
        let imported = a.run(["import", dir + "/export"])
        XCTAssertEqual(imported.status, 2)
        assertMatches(imported.stderr, "kbm: \(NSRegularExpression.escapedPattern(for: importPath)): record \(importID) would be a file of 1\\.1 MiB \\([0-9]+ bytes\\); a record file may hold at most 1 MiB \\(1048576 bytes\\), or the other offices cannot read it\\. Its largest field is 'tags' \\(586 KiB\\): shorten it, or keep long documents elsewhere and link them\\. Nothing was stored\\.\n")
        XCTAssertEqual(a.run(["show", importID]).status, 2)
        XCTAssertEqual(a.run(["show", okID]).status, 2)

        // What was stored syncs; no office quarantines anything and the owner's doctor is content.
        a.sync()
        b.sync()
        XCTAssertEqual(quarantinedPaths(a), [])
        XCTAssertEqual(quarantinedPaths(b), [])
        XCTAssertEqual((b.json(id)["goals"] as? [String])?.count, 10)
        XCTAssertTrue(a.ok("doctor").stdout.contains("The workspace is healthy."))
    }

    // MARK: item 10: the owner's repair releases the quarantine everywhere

    func testOwnersRepairOfAQuarantinedRecordClearsItsQuarantineInEveryOffice() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "event", "title=Fachtag Übergang", "start=2026-03-14", "co_owners=stadt-kempten").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        let c = region.join("lk-ostallgaeu")
        // A broken version of A's record, pushed with the git CLI.
        let hand = handClone(region)
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "event", id: id)
        let text = try String(contentsOfFile: hand + "/" + path, encoding: .utf8)
        XCTAssertTrue(text.contains("start: \"2026-03-14\"\n"), text)
        try write(text.replacingOccurrences(of: "start: \"2026-03-14\"", with: "start: 14.3."), to: hand + "/" + path)
        region.handPush(hand, "broken by hand")
        for w in [a, b, c] {
            w.sync()
            XCTAssertEqual(quarantinedPaths(w), [path], w.cwd)
        }
        // A repairs it with an ordinary edit and syncs; the others sync.
        a.ok("edit", id, "start=2026-04-01")
        for w in [a, b, c, a] {
            let report = w.sync()
            XCTAssertEqual((report["quarantined"] as? [Any])?.count, 0, "\(w.cwd): \(report)")
        }
        for w in [a, b, c] {
            XCTAssertEqual(quarantinedPaths(w), [], w.cwd)
            XCTAssertEqual(w.json(id)["start"] as? String, "2026-04-01", w.cwd)
            XCTAssertTrue(w.ok("status").stdout.contains("No files in quarantine."), w.cwd)
            XCTAssertEqual(w.ok("doctor").stdout.hasSuffix("The workspace is healthy.\n"), true, w.cwd)
            XCTAssertEqual(w.ok("rebuild").stdout, "Rebuilt the store from the repository: 1 records.\n")
            XCTAssertEqual(quarantinedPaths(w), [], "after rebuild: \(w.cwd)")
            w.ok("doctor", "--repair")
            XCTAssertEqual(quarantinedPaths(w), [], "after doctor --repair: \(w.cwd)")
        }
        // A workspace left with a stale entry (by an older kbm): doctor reports it, and both
        // rebuild and doctor --repair release it.
        let stale = "INSERT INTO quarantine(path, commit_id, reason, line, detected) VALUES ('\(path)', 'abc', 'old', 5, '2026-01-01T00:00:00Z')"
        let db = a.cwd + "/.kbm/store.sqlite"
        KBMRunner.sh("python3 -c \"import sqlite3; c = sqlite3.connect('\(db)'); c.execute(\\\"\(stale)\\\"); c.commit()\"")
        XCTAssertEqual(quarantinedPaths(a), [path])
        let doctor = a.run(["doctor"])
        XCTAssertEqual(doctor.status, 1)
        XCTAssertTrue(doctor.stdout.contains("\(path) is listed in quarantine but holds a valid record"), doctor.stdout)
        a.ok("rebuild")
        XCTAssertEqual(quarantinedPaths(a), [])
        KBMRunner.sh("python3 -c \"import sqlite3; c = sqlite3.connect('\(db)'); c.execute(\\\"\(stale)\\\"); c.commit()\"")
        XCTAssertEqual(quarantinedPaths(a), [path])
        a.ok("doctor", "--repair")
        XCTAssertEqual(quarantinedPaths(a), [])
        XCTAssertTrue(a.ok("doctor").stdout.hasSuffix("The workspace is healthy.\n"))

        // A rebuild still quarantines what is broken: B's own file broken by hand.
        let bID = b.ok("add", "tip", "title=Netzwerk").lastLine
        b.sync()
        c.sync()
        KBMRunner.sh("git pull -q --rebase origin main", cwd: hand)
        let bPath = RegionFixture.recordPath(county: "stadt-kempten", kind: "tip", id: bID)
        try write(RegionFixture.recordText(id: bID, kind: "tip", county: "stadt-kempten", ["title: Netzwerk", "theme: nope"]), to: hand + "/" + bPath)
        region.handPush(hand, "broken again")
        c.sync()
        XCTAssertEqual(quarantinedPaths(c), [bPath])
        c.ok("rebuild")
        XCTAssertEqual(quarantinedPaths(c), [bPath])
        XCTAssertEqual(c.json(bID)["title"] as? String, "Netzwerk")
    }

    // MARK: item 11: control characters from other offices' records

    /// ESC, BEL and NUL (YAML escapes), a C1 CSI, DEL and a right-to-left override.
    private static let hostileTitle = "\\e]0;pwned\\a\\e[31mX\\0\\x9B2J\\x7F\\u202EGrüße 🎉"
    private static let hostileValue = "\u{1B}]0;pwned\u{07}\u{1B}[31mX\u{00}\u{9B}2J\u{7F}\u{202E}Grüße 🎉"
    private static let hostileShown = "\\u{1B}]0;pwned\\u{7}\\u{1B}[31mX\\u{0}\\u{9B}2J\\u{7F}\\u{202E}Grüße 🎉"

    /// Bytes no human or JSON output may hold: C0 controls other than line feed, DEL, C1 controls,
    /// bidi controls.
    private func assertTerminalSafe(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let unsafe = text.unicodeScalars.filter { s in
            let v = s.value
            return (v < 0x20 && v != 0x0A) || v == 0x7F || (0x80...0x9F).contains(v) || (0x2028...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        }
        XCTAssertTrue(unsafe.isEmpty, "\(what) prints \(unsafe.map { String($0.value, radix: 16) }) raw:\n\(text.debugDescription)", file: file, line: line)
    }

    /// Runs `kbm <args> --json` through Python's json module and returns `ascii()` of the expression.
    private func pythonJSON(_ w: KBMRunner, _ args: String, _ expression: String) -> String {
        let script = "import json,sys; d=json.load(sys.stdin); print(ascii(\(expression)))"
        return KBMRunner.sh("\(KBMRunner.binary) \(args) | python3 -c '\(script)'", cwd: w.cwd).stdout
    }

    func testControlCharactersFromOtherOfficesAreShownEscaped() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let ownID = a.ok("add", "stakeholder", "name=Maria Huber", "type=person", "organisation=Landratsamt Augsburg").lastLine
        a.sync()
        let hand = handClone(region)
        // stadt-kempten's records, written by hand: escapes in a title, a multi-line body, a
        // follow-up, an open conflict, and a name close to A's stakeholder (a duplicate candidate).
        let event = RegionFixture.newID(), person = RegionFixture.newID()
        let eventText = RegionFixture.recordText(id: event, kind: "event", county: "stadt-kempten", [
            "title: \"\(Self.hostileTitle)\"", "start: \"2026-03-14\"",
            "follow_ups:", "  - id: \"01KGHJWY8TMZM6HGCM1P6TSCED\"", "    text: \"\\e[5mBlink\"", "    status: open",
            "conflicts:", "  - field: location", "    kind: field", "    base: Halle",
            "    ours:", "      county: stadt-kempten", "      author: \"\\e[8mK <k@x.de>\"", "      commit: abc", "      value: \"\\e[2JSaal\"",
            "    theirs:", "      county: lk-augsburg", "      author: A <a@x.de>", "      commit: def", "      value: Aula",
        ], body: "Zeile eins mit Ümlaut\n\u{1B}[2J Zeile zwei 🎉")
        try write(eventText, to: hand + "/" + RegionFixture.recordPath(county: "stadt-kempten", kind: "event", id: event))
        try write(RegionFixture.recordText(id: person, kind: "stakeholder", county: "stadt-kempten", ["name: \"Maria Huber\\a\"", "type: person", "organisation: Landratsamt Augsburg"]),
                  to: hand + "/" + RegionFixture.recordPath(county: "stadt-kempten", kind: "stakeholder", id: person))
        KBMRunner.sh("cd \(hand) && git add -A && git -c user.name=$'Evil\\e]0;x\\a' commit -q -m $'stadt-kempten: \\e[31mrot\\e[0m' && git push -q origin HEAD:main")

        let sync = a.ok("sync")
        assertTerminalSafe(sync.stdout, "sync")
        XCTAssertEqual(sync.stdout, "Committed 0 changes, received 2, 0 new conflicts.\nEverything is shared with the region.\n"
                       + "What arrived from the region:\n  stadt-kempten (2 records):\n    \(event)  event  \(Self.hostileShown)\n    \(person)  stakeholder  Maria Huber\\u{7}\n")

        let list = a.ok("list").stdout
        assertTerminalSafe(list, "list")
        XCTAssertTrue(list.contains("\(event)  event        stadt-kempten  \(Self.hostileShown)  ⚠\n"), list)
        XCTAssertTrue(list.contains("\(person)  stakeholder  stadt-kempten  Maria Huber\\u{7}\n"), list)

        let show = a.ok("show", event).stdout
        assertTerminalSafe(show, "show")
        XCTAssertTrue(show.contains("  title:      \(Self.hostileShown)\n"), show)
        XCTAssertTrue(show.contains("    │ Zeile eins mit Ümlaut\n    │ \\u{1B}[2J Zeile zwei 🎉\n"), show)
        XCTAssertTrue(show.contains("    - [01KGHJWY8TMZM6HGCM1P6TSCED] \\u{1B}[5mBlink (status: open)\n"), show)
        XCTAssertTrue(show.contains("  ⚠ conflict in 'location': stadt-kempten (\\u{1B}[8mK <k@x.de>) has \\u{1B}[2JSaal, lk-augsburg (A <a@x.de>) has Aula"), show)

        for args in [["conflicts"], ["log"], ["log", event], ["status"], ["duplicates"], ["list", "--dedupe"], ["sync"]] {
            let out = a.run(args)
            XCTAssertEqual(out.status, 0, "\(args): \(out.stderr)")
            assertTerminalSafe(out.stdout + out.stderr, args.joined(separator: " "))
        }
        XCTAssertTrue(a.ok("conflicts").stdout.contains("    stadt-kempten (\\u{1B}[8mK <k@x.de>): \\u{1B}[2JSaal\n"))
        XCTAssertTrue(a.ok("log").stdout.contains("    stadt-kempten: \\u{1B}[31mrot\\u{1B}[0m\n"))
        let duplicates = a.ok("duplicates").stdout
        XCTAssertTrue(duplicates.contains("      \(person)  stadt-kempten  Maria Huber\\u{7}\n"), duplicates)
        XCTAssertTrue(duplicates.contains("      \(ownID)  lk-augsburg  Maria Huber\n"), duplicates)

        // JSON escapes them: valid JSON (Python's json module) with the exact values.
        let expected = "'\\x1b]0;pwned\\x07\\x1b[31mX\\x00\\x9b2J\\x7f\\u202eGr\\xfc\\xdfe \\U0001f389'\n"
        XCTAssertEqual(pythonJSON(a, "show \(event) --json", "d[\"title\"]"), expected)
        XCTAssertEqual(pythonJSON(a, "list event --json", "d[0][\"title\"]"), expected)
        XCTAssertEqual(pythonJSON(a, "list --where type=person --json", "sorted(r[\"name\"] for r in d)"), "['Maria Huber', 'Maria Huber\\x07']\n")
        XCTAssertEqual(pythonJSON(a, "conflicts --json", "[d[0][\"ours\"], d[0][\"ours_side\"][\"author\"], d[0][\"title\"]]"),
                       "['\\x1b[2JSaal', '\\x1b[8mK <k@x.de>', \(expected.dropLast())]\n")
        XCTAssertEqual(pythonJSON(a, "log --json", "d[0][\"summary\"]"), "'stadt-kempten: \\x1b[31mrot\\x1b[0m'\n")
        XCTAssertEqual(pythonJSON(a, "show \(event) --combined --json", "d[\"records\"][0][\"title\"]"), expected)
        for args in [["show", event, "--json"], ["list", "--json"], ["list", "--dedupe", "--json"], ["conflicts", "--json"], ["log", "--json"],
                     ["status", "--json"], ["sync", "--json"], ["duplicates", "--json"]] {
            let out = a.run(args)
            XCTAssertEqual(out.status, 0, "\(args): \(out.stderr)")
            assertTerminalSafe(out.stdout, args.joined(separator: " "))
            XCTAssertNotNil(decode(out.stdout), args.joined(separator: " "))
        }
    }

    // MARK: item 12: smaller input checks

    func testImportOfAFolderWithoutRecordsIsAnError() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let empty = tempDir("kbm-robust")
        let r = a.run(["import", empty])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "kbm: Nothing to import from \(empty): expected record files at counties/<county>/<kind>/<shard>/<id>.md inside it (the layout `kbm export` and the regional repository use), found none. Nothing was stored.\n")
        // Record files in the wrong place are not records either.
        try write(RegionFixture.recordText(id: RegionFixture.newID(), kind: "tip", county: "lk-augsburg", ["title: Lose"]), to: empty + "/tip.md")
        let loose = a.run(["import", empty])
        XCTAssertEqual(loose.status, 2)
        XCTAssertEqual(loose.stderr, "kbm: Nothing to import from \(empty): expected record files at counties/<county>/<kind>/<shard>/<id>.md inside it (the layout `kbm export` and the regional repository use), found none there (1 other .md file outside counties/ is not records). Nothing was stored.\n")
        XCTAssertEqual(a.ok("list").stdout, "No records.\n")
    }

    func testAControlCharacterParseErrorNamesItsOwnLine() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let dir = tempDir("kbm-robust")
        let id = RegionFixture.newID()
        let path = dir + "/" + RegionFixture.recordPath(county: "lk-augsburg", kind: "tip", id: id)
        // Line 8 holds the raw ESC.
        let text = RegionFixture.recordText(id: id, kind: "tip", county: "lk-augsburg", ["title: Hallo \u{1B} Welt", "theme: communicate_value"])
        XCTAssertEqual(text.split(separator: "\n", omittingEmptySubsequences: false)[7], "title: Hallo \u{1B} Welt")
        try write(text, to: path)
        let r = a.run(["import", dir])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "kbm: \(path):8: invalid YAML: control characters are not allowed (U+001B)\n")
        // The same file from the region: quarantined with line 8.
        let hand = handClone(region)
        let repoPath = RegionFixture.recordPath(county: "lk-augsburg", kind: "tip", id: id)
        try write(text, to: hand + "/" + repoPath)
        region.handPush(hand, "control character")
        let report = a.sync()
        let entry = (report["quarantined"] as? [[String: Any]])?.first
        XCTAssertEqual(entry?["path"] as? String, repoPath)
        XCTAssertEqual(entry?["line"] as? Int, 8)
        XCTAssertEqual(entry?["reason"] as? String, "invalid YAML: control characters are not allowed (U+001B)")
    }

    func testNoCommandPrintsASwiftErrorDescription() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        a.ok("add", "tip", "title=Gesund")
        a.sync()
        // A store that lags behind the repository: doctor finds a problem and says what to do.
        let hand = handClone(region)
        let id = RegionFixture.newID()
        try write(RegionFixture.recordText(id: id, kind: "tip", county: "lk-augsburg", ["title: Von Hand"]), to: hand + "/" + RegionFixture.recordPath(county: "lk-augsburg", kind: "tip", id: id))
        region.handPush(hand, "by hand")
        KBMRunner.sh("git --git-dir=\(a.cwd)/.kbm/repo.git fetch -q \(region.remote) main:main")
        let doctor = a.run(["doctor"])
        XCTAssertEqual(doctor.status, 1)
        XCTAssertTrue(doctor.stdout.contains("✗ The database lags behind the repository (an interrupted sync)."), doctor.stdout)
        XCTAssertEqual(doctor.stderr, "kbm: 1 problem found (listed above). `kbm doctor --repair` repairs it from the repository.\n")
        let json = a.run(["doctor", "--json"])
        XCTAssertEqual(json.status, 1)
        XCTAssertEqual((decode(json.stdout) as? [String: Any])?["healthy"] as? Bool, false)
        XCTAssertEqual(json.stderr, doctor.stderr)
        a.ok("doctor", "--repair")
        XCTAssertEqual(a.json(id)["title"] as? String, "Von Hand")
        // A damaged database: every command says what happened and what to do, never a Swift dump.
        let db = a.cwd + "/.kbm/store.sqlite"
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: db))
        for command in ["doctor", "verify", "list", "sync", "status"] {
            let r = a.run([command])
            XCTAssertEqual(r.status, 1, command)
            XCTAssertTrue(r.stderr.hasPrefix("kbm: "), "\(command): \(r.stderr)")
            for raw in ["ExitCode", "rawValue", "Error Domain", "UserInfo"] {
                XCTAssertFalse(r.stderr.contains(raw) || r.stdout.contains(raw), "\(command) prints \(raw): \(r.stderr)")
            }
        }
        XCTAssertEqual(a.run(["doctor"]).stderr, "kbm: 1 problem found (listed above). `kbm doctor --repair` repairs it from the repository.\n")
        XCTAssertTrue(a.run(["list"]).stderr.hasSuffix("Run `kbm doctor --repair` to rebuild it from the repository.\n"))
        // `kbm rebuild`, the command a user tries first, repairs it as `kbm doctor --repair` does (issue 14).
        let rebuild = a.ok("rebuild")
        XCTAssertTrue(rebuild.stdout.contains("Moved the damaged database to .kbm/store.sqlite.damaged-"), rebuild.stdout)
        XCTAssertEqual(a.json(id)["title"] as? String, "Von Hand")
    }

    func testEmptyFollowUpsAndBlankNamesAreRefused() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "event", "title=Fachtag").lastLine
        for value in ["follow_ups+=", "follow_ups+=   "] {
            let r = a.run(["edit", id, value])
            XCTAssertEqual(r.status, 2, value)
            XCTAssertEqual(r.stderr, "kbm: field 'follow_ups': a new item needs its text, got \(value.hasSuffix("=") ? "nothing" : "only spaces"): follow_ups+=<text>\n")
        }
        XCTAssertNil(a.json(id)["follow_ups"])
        let item = a.ok("add", "event", "title=Messe", "follow_ups+=Stand buchen")
        XCTAssertEqual(item.status, 0)
        let messe = item.lastLine
        let itemID = ((a.json(messe)["follow_ups"] as? [[String: Any]])?.first?["id"] as? String) ?? ""
        let blankItem = a.run(["edit", messe, "follow_ups.\(itemID).text=  "])
        XCTAssertEqual(blankItem.status, 2)
        XCTAssertEqual(blankItem.stderr, "kbm: field 'follow_ups.\(itemID).text' is required and cannot be cleared or set to only spaces\n")

        let cases: [([String], String)] = [
            (["add", "stakeholder", "name=   ", "type=person"], "kbm: field 'name' is required for a stakeholder and holds only spaces: give it a text with name=<value>.\n"),
            (["add", "event", "title= \u{A0} "], "kbm: field 'title' is required for a event and holds only spaces: give it a text with title=<value>.\n"),
            (["edit", id, "title=  "], "kbm: field 'title' is required for a event and holds only spaces: give it a text with title=<value>.\n"),
        ]
        for (args, message) in cases {
            let r = a.run(args)
            XCTAssertEqual(r.status, 2, args.joined(separator: " "))
            XCTAssertEqual(r.stderr, message, args.joined(separator: " "))
        }
        let dir = tempDir("kbm-robust")
        let blankID = RegionFixture.newID()
        try write(RegionFixture.recordText(id: blankID, kind: "tip", county: "lk-augsburg", ["title: \"   \""]), to: dir + "/blank.md")
        let file = a.run(["add", "--file", dir + "/blank.md"])
        XCTAssertEqual(file.status, 2)
        XCTAssertEqual(file.stderr, "kbm: field 'title' is required for a tip and holds only spaces: give it a text with title=<value>.\n")
        XCTAssertEqual(a.json(id)["title"] as? String, "Fachtag")
        XCTAssertEqual(a.listJSON().count, 2)
    }

    /// With a registry: unknown counties in co_owners and `clone --county` are warned about, and
    /// `kbm sync` mentions refused commits. In open mode nothing is checked.
    func testUnknownCountiesAreWarnedAboutAndSyncMentionsRefusedCommits() throws {
        let region = region()
        let agency = region.join("transferagentur", user: "Tom Agentur <tom@transferagentur.de>")
        let a = region.join("lk-augsburg")
        // Open mode: nothing to check.
        let open = a.run(["add", "event", "title=Offen", "co_owners=lk-nirgendwo"])
        XCTAssertEqual(open.status, 0)
        XCTAssertEqual(open.stderr, "")
        for w in [agency, a] { w.ok("keygen") }
        agency.ok("registry", "add-office", "transferagentur", "--name", "Transferagentur Bayern")
        agency.ok("registry", "add-coordinator", "transferagentur", "Tom Agentur <tom@transferagentur.de>", "--key", agency.ok("whoami").lastLine)
        for county in ["lk-augsburg", "stadt-kempten"] { agency.ok("registry", "add-office", county, "--name", "Bildungsbüro \(county)") }
        agency.ok("registry", "add-coordinator", "lk-augsburg", "Koordination lk-augsburg <bildung@lk-augsburg.de>", "--key", a.ok("whoami").lastLine)
        agency.sync()
        a.sync()
        let known = "known counties: lk-augsburg, stadt-kempten, transferagentur"

        let add = a.run(["add", "event", "title=Gemeinsam", "co_owners=stadt-kempten,lk-nirgendwo"])
        XCTAssertEqual(add.status, 0)
        XCTAssertEqual(add.stderr, "kbm: warning: co_owners: lk-nirgendwo is not in the region's office registry (\(known)). Changes signed for it are refused until the agency registers the office; check the spelling. The record was stored.\n")
        let id = add.lastLine
        XCTAssertEqual(a.json(id)["co_owners"] as? [String], ["lk-nirgendwo", "stadt-kempten"])
        // Only counties the command adds are warned about.
        let unrelated = a.run(["edit", id, "participants=30"])
        XCTAssertEqual(unrelated.stderr, "")
        let two = a.run(["edit", id, "co_owners+=lk-irgendwo,lk-ostallgaeu"])
        XCTAssertEqual(two.status, 0)
        XCTAssertEqual(two.stderr, "kbm: warning: co_owners: lk-irgendwo, lk-ostallgaeu are not in the region's office registry (\(known)). Changes signed for them are refused until the agency registers the office; check the spelling. The record was stored.\n")
        XCTAssertEqual(a.run(["edit", id, "co_owners+=stadt-kempten"]).stderr, "")

        let clone = KBMRunner.exec(KBMRunner.binary, ["clone", region.remote, region.root + "/neu", "--county", "lk-neuburg", "--user", "N <n@x.de>"], cwd: region.root)
        XCTAssertEqual(clone.status, 0)
        XCTAssertEqual(clone.stderr, "kbm: warning: lk-neuburg is not in the region's office registry (\(known)). The other offices refuse this workspace's changes until the agency registers the office; check --county, or send `kbm whoami` to the agency.\n")
        let registered = KBMRunner.exec(KBMRunner.binary, ["clone", region.remote, region.root + "/sk", "--county", "stadt-kempten", "--user", "S <s@x.de>"], cwd: region.root)
        XCTAssertEqual(registered.status, 0)
        XCTAssertEqual(registered.stderr, "")

        // An unsigned hand commit changing A's record: refused; `kbm sync` says so.
        a.sync()
        let hand = handClone(region)
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "event", id: id)
        KBMRunner.sh("cd \(hand) && sed -i 's/^title: .*/title: Gefälscht/' \(path) && git commit -q -am 'lk-augsburg: unsigned' && git push -q origin HEAD:main")
        let sync = agency.run(["sync"])
        XCTAssertEqual(sync.status, 0, sync.stderr)
        XCTAssertTrue(sync.stdout.hasPrefix("Committed 0 changes, received 2, 0 new conflicts.\nEverything is shared with the region.\nRefused: 1 commit changed records without authority (kept in history, not imported; the last valid versions stay). Details: `kbm status`.\nWhat arrived from the region:\n  lk-augsburg (2 records):\n"), sync.stdout)
        // `kbm verify` fails with a sentence, not a Swift error.
        let verify = agency.run(["verify"])
        XCTAssertEqual(verify.status, 1)
        XCTAssertEqual(verify.stderr, "kbm: 1 commit failed the check.\n")
    }

    /// A command started in a folder that was deleted says so and ends (it used to walk up a
    /// relative path for ever, at 100 % CPU).
    func testACommandInADeletedFolderSaysSoAndEnds() throws {
        let dir = KBMRunner.makeTempDir("kbm-gone")
        let r = KBMRunner.exec("/bin/bash", ["-c", "cd \(dir) && rmdir \(dir) && timeout 20 \(KBMRunner.binary) list; echo \"exit=$?\""], cwd: "/")
        XCTAssertTrue(r.stdout.contains("exit=2"), r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("no longer exists"), r.stderr)
    }
}

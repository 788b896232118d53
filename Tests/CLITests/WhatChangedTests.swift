import Foundation
import KBMTestSupport
import XCTest

/// Issue 15, "what did the other offices change since last week?": `kbm sync` says what arrived,
/// per county with titles; `kbm sync --json` lists every id; `kbm log` filters by date, county and
/// kind, shows titles, and never cuts a list without saying how many were left out.
final class WhatChangedTests: RegionTestCase {

    // MARK: kbm sync

    func testSyncSaysWhatArrivedPerCountyWithTitles() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let d = region.join("lk-unterallgaeu")
        let b = region.join("stadt-kempten")
        let c = region.join("lk-ostallgaeu")
        let hostile = "Abend \u{1B}[31mrot"
        var kempten = [b.ok("add", "event", "title=\(hostile)", "start=2026-05-04 18:00").lastLine]
        for n in 1...12 {
            kempten.append(b.ok("add", "event", "title=Fachtag Kempten \(n < 10 ? "0" : "")\(n)", "start=2026-05-\(n < 10 ? "0" : "")\(n)").lastLine)
        }
        b.sync()
        let ihk = c.ok("add", "Akteur", "name=IHK Schwaben", "type=organisation").lastLine
        let tip = c.ok("add", "Praxistipp", "title=Öffentlichkeit „gewinnen“, Straße 🎉", "theme=communicate_value").lastLine
        c.sync()

        // Text: per county (sorted), at most 10 records each with their titles, then how many more.
        let out = a.ok("sync").stdout
        XCTAssertTrue(out.contains("received 15"), out)
        XCTAssertTrue(out.contains("What arrived from the region:\n  lk-ostallgaeu (2 records):\n    \(ihk)  stakeholder  IHK Schwaben\n    \(tip)  tip  Öffentlichkeit „gewinnen“, Straße 🎉\n  stadt-kempten (13 records):\n"), out)
        XCTAssertTrue(out.contains("    \(kempten[0])  event  Abend \\u{1B}[31mrot\n    \(kempten[1])  event  Fachtag Kempten 01\n"), out)
        XCTAssertTrue(out.contains("    \(kempten[9])  event  Fachtag Kempten 09\n    … and 3 more\n"), out)
        XCTAssertFalse(out.contains("Fachtag Kempten 10"), out)
        XCTAssertTrue(out.hasSuffix("    … and 3 more\n"), "sync ends with what arrived: \(out)")
        XCTAssertFalse(out.contains("\u{1B}"), "no raw control characters: \(out)")

        // JSON: every id, with kind, county and title exactly.
        let report = d.sync()
        let arrived = try XCTUnwrap(report["arrived"] as? [[String: Any]])
        XCTAssertEqual(arrived.count, 15)
        XCTAssertEqual(Set(arrived.compactMap { $0["id"] as? String }), Set(kempten + [ihk, tip]))
        let first = try XCTUnwrap(arrived.first { $0["id"] as? String == kempten[0] })
        XCTAssertEqual(first["title"] as? String, hostile)
        XCTAssertEqual(first["kind"] as? String, "event")
        XCTAssertEqual(first["county"] as? String, "stadt-kempten")
        XCTAssertEqual(first["deleted"] as? Bool, false)
        XCTAssertEqual(arrived.first { $0["id"] as? String == tip }?["title"] as? String, "Öffentlichkeit „gewinnen“, Straße 🎉")

        // A deletion arrives with its title; a sync that receives nothing says nothing about arrivals.
        b.ok("delete", kempten[5])
        b.sync()
        let deleted = a.ok("sync").stdout
        XCTAssertTrue(deleted.contains("What arrived from the region:\n  stadt-kempten (1 record):\n    \(kempten[5])  event  Fachtag Kempten 05  (deleted)\n"), deleted)
        let quiet = a.ok("sync").stdout
        XCTAssertFalse(quiet.contains("What arrived"), quiet)
        XCTAssertEqual((d.sync()["arrived"] as? [[String: Any]])?.first?["deleted"] as? Bool, true)
        XCTAssertEqual((a.sync()["arrived"] as? [[String: Any]])?.count, 0)
    }

    // MARK: kbm log

    /// A region whose history holds a hand-made commit dated 15 January 2020 (a tip of lk-augsburg),
    /// a commit of stadt-kempten with 24 records (23 events, one stakeholder) and one of lk-augsburg.
    func history() throws -> (a: KBMRunner, old: String, events: [String], person: String, own: String) {
        let region = region()
        let hand = handClone(region)
        let old = RegionFixture.newID()
        let path = hand + "/" + RegionFixture.recordPath(county: "lk-augsburg", kind: "tip", id: old)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(RegionFixture.recordText(id: old, kind: "tip", county: "lk-augsburg", ["title: Alter Praxistipp"]).utf8).write(to: URL(fileURLWithPath: path))
        KBMRunner.sh("cd \(hand) && git add -A && GIT_AUTHOR_DATE='2020-01-15T10:00:00Z' GIT_COMMITTER_DATE='2020-01-15T10:00:00Z' git commit -q -m 'Alter Tipp von Hand' && git push -q origin HEAD:main")
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        var events: [String] = []
        for n in 1...23 { events.append(b.ok("add", "event", "title=Kemptener Termin \(n < 10 ? "0" : "")\(n)").lastLine) }
        let person = b.ok("add", "stakeholder", "name=Sabine Lechner", "type=person").lastLine
        b.sync()
        a.sync()
        let own = a.ok("add", "veranstaltung", "Titel=Bildungskonferenz Augsburg", "Beginn=24.04.2026 09:30").lastLine
        a.sync()
        return (a, old, events, person, own)
    }

    /// The entries of `kbm log --json …`.
    func entries(_ a: KBMRunner, _ args: String..., file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        a.decoded(["log", "--json"] + args, as: [[String: Any]].self, file: file, line: line) ?? []
    }

    func summaries(_ entries: [[String: Any]]) -> [String] { entries.compactMap { $0["summary"] as? String } }

    func testLogShowsTitlesAndSaysHowManyRecordsAndCommitsItLeftOut() throws {
        let (a, old, events, person, own) = try history()
        let log = a.ok("log").stdout
        XCTAssertTrue(log.contains("    \(own)  Bildungskonferenz Augsburg: (created)\n"), log)
        XCTAssertTrue(log.contains("    \(old)  Alter Praxistipp: (created)\n"), log)
        // The commit of 24 records: 20 shown, the rest counted.
        XCTAssertTrue(log.contains("    \(events[0])  Kemptener Termin 01: (created)\n"), log)
        XCTAssertTrue(log.contains("    … and 4 more records\n"), log)
        XCTAssertEqual(log.components(separatedBy: "Kemptener Termin").count - 1, 20, log)
        // JSON keeps every record, with kind, county and title.
        let all = entries(a, "--limit", "1000")
        let kempten = try XCTUnwrap(all.first { ($0["changes"] as? [[String: Any]])?.count == 24 })
        let changes = try XCTUnwrap(kempten["changes"] as? [[String: Any]])
        XCTAssertEqual(Set(changes.compactMap { $0["record"] as? String }), Set(events + [person]))
        let lechner = try XCTUnwrap(changes.first { $0["record"] as? String == person })
        XCTAssertEqual(lechner["title"] as? String, "Sabine Lechner")
        XCTAssertEqual(lechner["kind"] as? String, "stakeholder")
        XCTAssertEqual(lechner["county"] as? String, "stadt-kempten")
        XCTAssertEqual(kempten["more_changes"] as? Int, 0)

        // --limit: the commits left out are counted.
        let total = all.count
        XCTAssertGreaterThanOrEqual(total, 3)
        let limited = a.ok("log", "--limit", "1").stdout
        XCTAssertTrue(limited.contains("… and \(total - 1) more commit\(total - 1 == 1 ? "" : "s") (show them with --limit \(total))"), limited)
        let json = a.run(["log", "--json", "--limit", "1"])
        XCTAssertEqual(json.status, 0)
        XCTAssertTrue(json.stderr.contains("… and \(total - 1) more commit"), json.stderr)
        XCTAssertFalse(a.ok("log", "--limit", "\(total)").stdout.contains("more commit"))
        a.refused(["log", "--limit", "0"], "--limit")
    }

    func testLogSinceCountyAndKind() throws {
        let (a, old, _, person, own) = try history()
        func ids(_ entries: [[String: Any]]) -> Set<String> {
            Set(entries.flatMap { ($0["changes"] as? [[String: Any]] ?? []).compactMap { $0["record"] as? String } })
        }
        // --since: a span back from now, or a date (ISO or German).
        for recent in ["7d", "2w", "1d"] {
            let found = ids(entries(a, "--since", recent))
            XCTAssertTrue(found.contains(own), recent)
            XCTAssertFalse(found.contains(old), "\(recent): the 2020 commit is older")
        }
        XCTAssertTrue(ids(entries(a, "--since", "15.01.2020")).contains(old))
        XCTAssertTrue(ids(entries(a, "--since", "2020-01-15")).contains(old))
        XCTAssertFalse(ids(entries(a, "--since", "16.01.2020")).contains(old))
        XCTAssertTrue(ids(entries(a, "--since", "16.01.2020")).contains(own))
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd"
        let tomorrow = format.string(from: Date().addingTimeInterval(86400))
        XCTAssertEqual(a.ok("log", "--since", tomorrow).stdout, "No changes match.\n")
        a.refused(["log", "--since", "gestern"], "--since", "7d", "2026-04-24")
        a.refused(["log", "--since", "31.02.2026"], "--since", "February 2026 has 28 days")

        // --county: changes to that county's records only (a commit touching none is left out).
        let kempten = entries(a, "--county", "stadt-kempten")
        XCTAssertEqual(ids(kempten).count, 24)
        XCTAssertFalse(ids(kempten).contains(own))
        let augsburg = ids(entries(a, "--county", "lk-augsburg"))
        XCTAssertEqual(augsburg, [own, old])
        a.refused(["log", "--county", "lk-nirgendwo"], "--county", "lk-nirgendwo is not a county of this region", "stadt-kempten")
        a.refused(["log", "--county", "Kempten"], "--county")

        // --kind takes the German label; the commit of 24 shows only its stakeholder, and says no "more".
        let text = a.ok("log", "--kind", "Akteur").stdout
        XCTAssertTrue(text.contains("    \(person)  Sabine Lechner: (created)\n"), text)
        XCTAssertFalse(text.contains("Kemptener Termin"), text)
        XCTAssertFalse(text.contains("more record"), text)
        XCTAssertFalse(text.contains("Bildungskonferenz"), text)
        XCTAssertEqual(ids(entries(a, "--kind", "veranstaltung", "--county", "lk-augsburg")), [own])
        XCTAssertEqual(ids(entries(a, "--kind", "Praxistipp", "--since", "7d")), [])
        a.refused(["log", "--kind", "quatsch"], "Unknown kind 'quatsch'")
    }
}

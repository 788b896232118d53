import Foundation
import KBMTestSupport
import XCTest

/// Issue 15: times of day for events, and `kbm calendar` writing an iCalendar file that Outlook and
/// Thunderbird import. Every file is read back by an independent parser (Python's `icalendar`,
/// Tests/python/requirements.txt) and checked field by field, and its raw bytes are checked for
/// CRLF line ends and folding at 75 octets.
final class CalendarTests: RegionTestCase {
    var dir = ""
    var kbm: KBMRunner { KBMRunner(cwd: dir) }

    override func setUp() {
        super.setUp()
        dir = standaloneWorkspace("kbm-calendar").cwd
    }


    func fileText(_ id: String) -> String { kbm.ok("show", id, "--file").stdout }

    // MARK: times of day

    func testStartAndEndTakeATimeOfDayInEveryWayACoordinatorWritesIt() {
        let typed = ["start=2026-04-24 09:30", "Beginn=24.04.2026 09:30", "start=2026-04-24T09:30", "Beginn=24.4.2026 9:30 Uhr"]
        for start in typed {
            let id = kbm.ok("add", "veranstaltung", "Titel=Fachtag", start, "Ende=24.04.2026 16:15").lastLine
            let file = fileText(id)
            XCTAssertTrue(file.contains("start: \"2026-04-24T09:30\"\n"), "\(start): \(file)")
            XCTAssertTrue(file.contains("end: \"2026-04-24T16:15\"\n"), "\(start): \(file)")
            XCTAssertEqual(kbm.json(id)["start"] as? String, "2026-04-24T09:30")
        }
        // A plain date stays a plain date.
        let day = kbm.ok("add", "event", "title=Messe", "start=24.04.2026").lastLine
        XCTAssertTrue(fileText(day).contains("start: \"2026-04-24\"\n"))
        // Adding a time later, and taking it away again.
        kbm.ok("edit", day, "start=24.04.2026 10:00")
        XCTAssertTrue(fileText(day).contains("start: \"2026-04-24T10:00\"\n"))
        kbm.ok("edit", day, "start=2026-04-24")
        XCTAssertTrue(fileText(day).contains("start: \"2026-04-24\"\n"))
    }

    func testWrongTimesAndAnEndBeforeTheStartAreRefusedSayingWhy() {
        kbm.refused(["add", "event", "title=X", "start=24.04.2026 25:00"], "start", "there is no hour 25")
        kbm.refused(["add", "event", "title=X", "start=24.04.2026 09:75"], "start", "there is no minute 75")
        kbm.refused(["add", "event", "title=X", "start=31.04.2026 09:30"], "start", "April has 30 days")
        kbm.refused(["add", "event", "title=X", "start=24.04.2026 halb zehn"], "start", "is not a time of day", "09:30")
        // A product's publication date takes no time.
        kbm.refused(["add", "product", "title=X", "published=24.04.2026 09:30"], "published")
        // The same day, an earlier time.
        kbm.refused(["add", "event", "title=X", "start=24.04.2026 14:00", "end=24.04.2026 09:00"],
                "field 'end': the end 2026-04-24T09:00 is before the start 2026-04-24T14:00", "same day, earlier time")
        kbm.refused(["add", "event", "title=X", "start=25.04.2026 09:00", "end=24.04.2026"], "field 'end'", "before the start")
        XCTAssertEqual(kbm.ok("list").stdout, "No records.\n")
        // An edit that crosses them is refused and changes nothing.
        let id = kbm.ok("add", "event", "title=Fachtag", "start=24.04.2026 09:00", "end=24.04.2026 17:00").lastLine
        let before = fileText(id)
        kbm.refused(["edit", id, "end=24.04.2026 08:59"], "field 'end'", "before the start 2026-04-24T09:00")
        XCTAssertEqual(fileText(id), before)
        // Allowed: the same minute, an end day without a time, a start day without a time.
        kbm.ok("edit", id, "end=24.04.2026 09:00")
        kbm.ok("edit", id, "end=24.04.2026")
        kbm.ok("edit", id, "start=24.04.2026", "end=24.04.2026 08:00")
    }

    func testWhereComparesTimedStartsByDayOrByTime() {
        let morning = kbm.ok("add", "event", "title=Morgen", "start=24.04.2026 09:30").lastLine
        let evening = kbm.ok("add", "event", "title=Abend", "start=24.04.2026 19:00").lastLine
        let allDay = kbm.ok("add", "event", "title=Ganztags", "start=24.04.2026").lastLine
        let next = kbm.ok("add", "event", "title=Danach", "start=25.04.2026 08:00").lastLine
        func ids(_ clause: String) -> Set<String> {
            Set(kbm.ok("list", "event", "--where", clause).stdout.split(separator: "\n").compactMap { row in
                row.split(separator: " ").first.map(String.init).flatMap { $0.count == 26 ? $0 : nil }
            })
        }
        XCTAssertEqual(ids("start=24.04.2026"), [morning, evening, allDay])
        XCTAssertEqual(ids("Beginn>=24.04.2026 12:00"), [evening, next])
        XCTAssertEqual(ids("start<=2026-04-24"), [morning, evening, allDay])
        XCTAssertEqual(ids("start>2026-04-24"), [next])
        kbm.refused(["list", "--where", "start>=24.04.2026 24:00"], "--where", "there is no hour 24")
    }

    // MARK: kbm calendar

    /// Reads an .ics file with Python's icalendar and returns what it found, plus checks of the raw bytes.
    func parsed(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let script = #"""
import sys, json, datetime, icalendar
raw = open(sys.argv[1], 'rb').read()
lines = raw.split(b'\r\n')
report = {
    'ends_with_crlf': raw.endswith(b'\r\n'),
    'bare_lf': b'\n' in raw.replace(b'\r\n', b''),
    'bare_cr': b'\r' in raw.replace(b'\r\n', b''),
    'max_octets': max(len(l) for l in lines),
    'folded': sum(1 for l in lines if l.startswith(b' ')),
    'lines_not_utf8': [],
}
for l in lines:
    try:
        l.decode('utf-8', 'strict')
    except UnicodeDecodeError:
        report['lines_not_utf8'].append(l.hex())
# The content lines as written (unfolded, not unescaped): escaping is checked on these.
report['content_lines'] = raw.replace(b'\r\n ', b'').decode('utf-8').split('\r\n')
cal = icalendar.Calendar.from_ical(raw.decode('utf-8'))
def when(v):
    if v is None:
        return None
    d = v.dt
    if isinstance(d, datetime.datetime):
        return {'kind': 'datetime', 'local': d.replace(tzinfo=None).isoformat(), 'offset': str(d.utcoffset()),
                'tzid': v.params.get('TZID'), 'utc': d.tzinfo is not None and d.utcoffset() == datetime.timedelta(0) and v.params.get('TZID') is None}
    return {'kind': 'date', 'local': d.isoformat(), 'value': v.params.get('VALUE')}
def text(c, name):
    v = c.get(name)
    return None if v is None else str(v)
report['calendar'] = {'version': text(cal, 'VERSION'), 'prodid': text(cal, 'PRODID'), 'name': text(cal, 'X-WR-CALNAME')}
report['events'] = [{'uid': text(e, 'UID'), 'summary': text(e, 'SUMMARY'), 'location': text(e, 'LOCATION'),
                     'description': text(e, 'DESCRIPTION'), 'dtstart': when(e.get('DTSTART')), 'dtend': when(e.get('DTEND')),
                     'dtstamp': when(e.get('DTSTAMP'))} for e in cal.walk('VEVENT')]
report['todos'] = [{'uid': text(t, 'UID'), 'summary': text(t, 'SUMMARY'), 'description': text(t, 'DESCRIPTION'),
                    'due': when(t.get('DUE')), 'status': text(t, 'STATUS'), 'related': text(t, 'RELATED-TO'),
                    'dtstamp': when(t.get('DTSTAMP'))} for t in cal.walk('VTODO')]
zones = cal.walk('VTIMEZONE')
report['timezones'] = [text(z, 'TZID') for z in zones]
if zones:
    ical = lambda v: (lambda x: x.decode() if isinstance(x, bytes) else x)(v.to_ical())
    report['timezone_rules'] = [[sub.name] + [ical(sub.get(p)) for p in ('TZOFFSETFROM', 'TZOFFSETTO', 'RRULE', 'DTSTART')]
                                for sub in zones[0].subcomponents]
    # Offsets computed from the component's own rules, not from the name Europe/Berlin.
    tz = zones[0].to_tz(lookup_tzid=False)
    report['summer_offset'] = str(datetime.datetime(2026, 7, 1, 12, 0, tzinfo=tz).utcoffset())
    report['winter_offset'] = str(datetime.datetime(2026, 1, 15, 12, 0, tzinfo=tz).utcoffset())
    report['dst_starts'] = str(datetime.datetime(2026, 3, 29, 3, 30, tzinfo=tz).utcoffset())
    report['dst_ends'] = str(datetime.datetime(2026, 10, 25, 3, 30, tzinfo=tz).utcoffset())
print(json.dumps(report))
"""#
        let scriptPath = dir + "/check_ics.py"
        try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        let r = KBMRunner.exec("/usr/bin/env", ["python3", scriptPath, path], cwd: dir)
        XCTAssertEqual(r.status, 0, "icalendar could not read \(path): \(r.stderr)", file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any], file: file, line: line)
    }

    func event(_ report: [String: Any], uid: String) -> [String: Any]? {
        (report["events"] as? [[String: Any]])?.first { $0["uid"] as? String == uid }
    }

    func testCalendarHoldsEveryEventWithItsFieldsExactly() throws {
        let title = "Fachtag „Übergang Schule–Beruf“; Teil 1, mit \\ Backslash, \"Zitat\" und 🎓👩‍🏫 Straße"
        let location = "Aula, Gymnasium Königsbrunn; Raum 2 \\ Nord"
        let goals = ["Netzwerke, Produkte und Konzepte sichtbar machen; gemeinsam mit Kammern und Schulen in ganz Schwaben 🎉",
                     "Übergänge gestalten – „ohne Brüche“ für Jugendliche mit Förderbedarf, Eltern und Lehrkräfte äöüß ÄÖÜẞ",
                     "👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦 Familienzentren einbinden"]
        var add = ["add", "veranstaltung", "Titel=\(title)", "Beginn=24.04.2026 09:30", "Ende=24.04.2026 16:15", "Ort=\(location)"]
        add += goals.map { "goals+=\($0)" }
        let added = kbm.run(add)
        XCTAssertEqual(added.status, 0, added.stderr)
        let timed = added.lastLine
        let allDay = kbm.ok("add", "event", "title=Ausbildungsmesse Mindelheim", "start=24.04.2026", "end=25.04.2026").lastLine
        let oneDay = kbm.ok("add", "event", "title=Netzwerktreffen", "start=2026-03-14").lastLine
        let winter = kbm.ok("add", "event", "title=Bildungsbeirat", "start=15.01.2026 17:00").lastLine
        let openEnd = kbm.ok("add", "event", "title=Zweitägige Klausur", "start=27.04.2026 13:00", "end=28.04.2026").lastLine
        let undated = kbm.ok("add", "event", "title=Noch ohne Termin").lastLine
        kbm.ok("add", "tip", "title=Kein Termin", "theme=events")

        let ics = dir + "/kalender.ics"
        let out = kbm.ok("calendar", ics).stdout
        XCTAssertTrue(out.contains("Wrote \(ics): 5 events."), out)
        XCTAssertTrue(out.contains("Left out 1 event without a start date:\n  \(undated)  Noch ohne Termin\n"), out)
        let report = try parsed(ics)

        // The raw file: CRLF everywhere, folded at 75 octets, never inside a UTF-8 sequence.
        XCTAssertEqual(report["ends_with_crlf"] as? Bool, true)
        XCTAssertEqual(report["bare_lf"] as? Bool, false)
        XCTAssertEqual(report["bare_cr"] as? Bool, false)
        XCTAssertLessThanOrEqual(report["max_octets"] as? Int ?? 999, 75)
        XCTAssertGreaterThan(report["folded"] as? Int ?? 0, 3, "the long title and goals are folded")
        XCTAssertEqual((report["lines_not_utf8"] as? [String]) ?? ["?"], [])

        // Europe/Berlin with its CET/CEST rules.
        XCTAssertEqual(report["timezones"] as? [String], ["Europe/Berlin"])
        XCTAssertEqual(report["summer_offset"] as? String, "2:00:00")
        XCTAssertEqual(report["winter_offset"] as? String, "1:00:00")
        XCTAssertEqual(report["dst_starts"] as? String, "2:00:00")
        XCTAssertEqual(report["dst_ends"] as? String, "1:00:00")
        XCTAssertEqual(report["timezone_rules"] as? [[String]], [
            ["DAYLIGHT", "+0100", "+0200", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "19700329T020000"],
            ["STANDARD", "+0200", "+0100", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "19701025T030000"],
        ])
        XCTAssertEqual((report["calendar"] as? [String: Any])?["version"] as? String, "2.0")
        XCTAssertEqual((report["events"] as? [[String: Any]])?.count, 5)

        // The timed event: every text exactly as stored, times in Europe/Berlin.
        let e = try XCTUnwrap(event(report, uid: "\(timed)@kbm"))
        XCTAssertEqual(e["summary"] as? String, title)
        XCTAssertEqual(e["location"] as? String, location)
        XCTAssertEqual(e["description"] as? String, goals.joined(separator: "\n"))
        // As written: `\`, `;`, `,` and line breaks escaped (a lenient reader would take a bare comma too).
        let lines = try XCTUnwrap(report["content_lines"] as? [String])
        XCTAssertTrue(lines.contains(#"SUMMARY:Fachtag „Übergang Schule–Beruf“\; Teil 1\, mit \\ Backslash\, "Zitat" und 🎓👩‍🏫 Straße"#), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains(#"LOCATION:Aula\, Gymnasium Königsbrunn\; Raum 2 \\ Nord"#), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix(#"DESCRIPTION:Netzwerke\, Produkte und Konzepte sichtbar machen\; gemeinsam mit Kammern und Schulen in ganz Schwaben 🎉\nÜbergänge"#) },
                      lines.joined(separator: "\n"))
        let start = try XCTUnwrap(e["dtstart"] as? [String: Any])
        XCTAssertEqual(start["local"] as? String, "2026-04-24T09:30:00")
        XCTAssertEqual(start["offset"] as? String, "2:00:00")
        XCTAssertEqual(start["tzid"] as? String, "Europe/Berlin")
        let end = try XCTUnwrap(e["dtend"] as? [String: Any])
        XCTAssertEqual(end["local"] as? String, "2026-04-24T16:15:00")
        XCTAssertEqual(end["tzid"] as? String, "Europe/Berlin")
        let stamp = try XCTUnwrap(e["dtstamp"] as? [String: Any])
        XCTAssertEqual(stamp["kind"] as? String, "datetime")
        XCTAssertEqual(stamp["utc"] as? Bool, true)
        let updated = try XCTUnwrap(kbm.json(timed)["updated"] as? String)
        XCTAssertEqual((stamp["local"] as? String).map { $0 + "Z" }, updated)

        // All day: VALUE=DATE, DTEND the day after the last day.
        let messe = try XCTUnwrap(event(report, uid: "\(allDay)@kbm"))
        XCTAssertEqual((messe["dtstart"] as? [String: Any])?["kind"] as? String, "date")
        XCTAssertEqual((messe["dtstart"] as? [String: Any])?["local"] as? String, "2026-04-24")
        XCTAssertEqual((messe["dtend"] as? [String: Any])?["local"] as? String, "2026-04-26")
        XCTAssertNil(messe["location"] as? String)
        XCTAssertNil(messe["description"] as? String)
        let treffen = try XCTUnwrap(event(report, uid: "\(oneDay)@kbm"))
        XCTAssertEqual((treffen["dtstart"] as? [String: Any])?["local"] as? String, "2026-03-14")
        XCTAssertEqual((treffen["dtend"] as? [String: Any])?["local"] as? String, "2026-03-15")
        // Winter time, and no end.
        let beirat = try XCTUnwrap(event(report, uid: "\(winter)@kbm"))
        XCTAssertEqual((beirat["dtstart"] as? [String: Any])?["offset"] as? String, "1:00:00")
        XCTAssertNil(beirat["dtend"] as? [String: Any])
        // A timed start with a plain end day: it lasts until that day ends.
        let klausur = try XCTUnwrap(event(report, uid: "\(openEnd)@kbm"))
        XCTAssertEqual((klausur["dtend"] as? [String: Any])?["local"] as? String, "2026-04-29T00:00:00")

        // The same records give the same file (stable UIDs and stamps: re-importing updates entries).
        let again = dir + "/again.ics"
        kbm.ok("calendar", again)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: ics)), try Data(contentsOf: URL(fileURLWithPath: again)))
    }

    func testFollowUpsBecomeTasksAndFromLeavesOutPastEvents() throws {
        let old = kbm.ok("add", "event", "title=Bildungskonferenz 2025, Rückblick", "start=2025-11-20").lastLine
        kbm.ok("edit", old, "follow_ups+=Dokumentation an Kreistag; mit Fotos, \"Stimmen\" & 🎤")
        kbm.ok("edit", old, "follow_ups+=Erledigte Sache")
        let items = try XCTUnwrap(kbm.json(old)["follow_ups"] as? [[String: Any]])
        let first = try XCTUnwrap(items[0]["id"] as? String), second = try XCTUnwrap(items[1]["id"] as? String)
        kbm.ok("edit", old, "follow_ups.\(first).due=08.05.2026", "follow_ups.\(first).owner=Geschäftsstelle Bildungsbeirat")
        kbm.ok("edit", old, "follow_ups.\(second).status=erledigt")
        let coming = kbm.ok("add", "event", "title=Fachtag Übergang", "start=24.04.2026 09:30").lastLine
        kbm.ok("edit", coming, "follow_ups+=Raum buchen")

        let ics = dir + "/aufgaben.ics"
        let out = kbm.ok("calendar", ics, "--followups", "--from", "01.01.2026").stdout
        XCTAssertTrue(out.contains("1 event, 2 open follow-ups as tasks"), out)
        let report = try parsed(ics)
        let events = try XCTUnwrap(report["events"] as? [[String: Any]])
        XCTAssertEqual(events.map { $0["uid"] as? String }, ["\(coming)@kbm"], "the 2025 event ended before --from")
        let todos = try XCTUnwrap(report["todos"] as? [[String: Any]])
        XCTAssertEqual(todos.count, 2, "the done follow-up is no task")
        let task = try XCTUnwrap(todos.first { $0["uid"] as? String == "\(old).\(first)@kbm" })
        XCTAssertEqual(task["summary"] as? String, "Dokumentation an Kreistag; mit Fotos, \"Stimmen\" & 🎤")
        XCTAssertEqual(task["description"] as? String, "Veranstaltung: Bildungskonferenz 2025, Rückblick\nZuständig: Geschäftsstelle Bildungsbeirat")
        XCTAssertEqual((task["due"] as? [String: Any])?["kind"] as? String, "date")
        XCTAssertEqual((task["due"] as? [String: Any])?["local"] as? String, "2026-05-08")
        XCTAssertEqual(task["status"] as? String, "NEEDS-ACTION")
        XCTAssertEqual(task["related"] as? String, "\(old)@kbm")
        let room = try XCTUnwrap(todos.first { $0["summary"] as? String == "Raum buchen" })
        XCTAssertNil(room["due"] as? [String: Any])
        XCTAssertEqual(room["description"] as? String, "Veranstaltung: Fachtag Übergang")

        // Without --followups: no tasks.
        kbm.ok("calendar", ics)
        XCTAssertEqual((try parsed(ics)["todos"] as? [[String: Any]])?.count, 0)
    }

    func testCalendarOptionsAreChecked() {
        kbm.refused(["calendar", dir + "/x.ics", "--from", "31.04.2026"], "--from", "April has 30 days")
        kbm.refused(["calendar", dir + "/x.ics", "--county", "Augsburg"], "--county")
        kbm.refused(["calendar", dir + "/x.ics", "--county", "lk-nirgendwo"], "--county", "lk-nirgendwo is not a county of this region", "lk-augsburg")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.ics"))
        let r = kbm.run(["calendar", dir + "/no/such/folder/x.ics"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("Could not write \(dir)/no/such/folder/x.ics"), r.stderr)
    }

    func testCountyLimitsTheCalendarToOneOfficesEvents() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        let ours = a.ok("add", "event", "title=Bildungskonferenz Augsburg", "start=24.04.2026").lastLine
        a.sync()
        let theirs = b.ok("add", "event", "title=Fachtag Kempten", "start=25.04.2026 10:00").lastLine
        b.sync()
        a.sync()
        let ics = dir + "/kempten.ics"
        a.ok("calendar", ics, "--county", "stadt-kempten")
        let uids = (try parsed(ics)["events"] as? [[String: Any]])?.compactMap { $0["uid"] as? String }
        XCTAssertEqual(uids, ["\(theirs)@kbm"])
        a.ok("calendar", ics)
        XCTAssertEqual(Set((try parsed(ics)["events"] as? [[String: Any]])?.compactMap { $0["uid"] as? String } ?? []), ["\(ours)@kbm", "\(theirs)@kbm"])
    }
}

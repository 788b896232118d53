import Foundation

/// Writes events (and their open follow-ups) as an iCalendar file (RFC 5545) that Outlook,
/// Thunderbird and phone calendars import or subscribe to. Pure: records in, text out.
///
/// - one VEVENT per event, UID `<record id>@kbm` (stable: importing again updates the entry);
///   a plain date is an all-day event (`DTSTART;VALUE=DATE`, `DTEND` the day after the last day),
///   a date and time is a timed event in Europe/Berlin (`DTSTART;TZID=Europe/Berlin:…`, with the
///   VTIMEZONE that defines CET/CEST);
/// - DTSTAMP and LAST-MODIFIED are the record's `updated`, CREATED its `created`: the same records
///   give the same file;
/// - SUMMARY is the title, LOCATION the location, DESCRIPTION the goals, one per line;
/// - with follow-ups: one VTODO per open follow-up (UID `<record id>.<item id>@kbm`), SUMMARY its
///   text, DUE its due date, DESCRIPTION the event's title and the owner, RELATED-TO the event;
/// - lines end in CRLF and are folded at 75 octets, never inside a UTF-8 sequence; text values
///   escape `\`, `;`, `,` and line breaks.
public enum ICalendar {
    public static let timeZone = "Europe/Berlin"

    /// The calendar text for `events` (records of kind event; one without a start is left out) and,
    /// for `todos`, the open follow-ups of those events.
    public static func write(events: [Record], todos: [Record] = [], name: String, schema: Schema = .current) -> String {
        var lines: [String] = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//kbm//Bildungsbuero calendar//DE",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:" + text(name),
            "X-WR-TIMEZONE:" + timeZone,
        ]
        lines += vtimezone
        for record in events { lines += vevent(record, schema: schema) }
        for record in todos { lines += vtodos(record, schema: schema) }
        lines.append("END:VCALENDAR")
        return lines.flatMap(fold).map { $0 + "\r\n" }.joined()
    }

    /// Whether an event can be a calendar entry: it has a valid start.
    public static func isSchedulable(_ record: Record) -> Bool {
        record["start"]?.stringValue.map(DateTimeValue.isValid) ?? false
    }

    /// The follow-ups of an event still to do (status open, or none given).
    public static func openFollowUps(_ record: Record) -> [Item] {
        (record["follow_ups"]?.itemsValue ?? []).filter { ($0.fields["status"] ?? "open") == "open" }
    }

    /// The VTIMEZONE of Europe/Berlin: CET (+01:00) in winter, CEST (+02:00) from the last Sunday
    /// of March 02:00 to the last Sunday of October 03:00 (the EU rule since 1996).
    static let vtimezone = [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "X-LIC-LOCATION:Europe/Berlin",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]

    static func vevent(_ record: Record, schema: Schema) -> [String] {
        guard let startText = record["start"]?.stringValue, let start = DateTimeValue.split(startText),
              let startDay = DateValue.dayNumber(start.date) else { return [] }
        let end = record["end"]?.stringValue.flatMap(DateTimeValue.split)
        var lines = ["BEGIN:VEVENT", "UID:" + text("\(record.id)@kbm"), "DTSTAMP:" + utc(record.updated),
                     "CREATED:" + utc(record.created), "LAST-MODIFIED:" + utc(record.updated)]
        if let time = start.time {
            lines.append("DTSTART;TZID=\(timeZone):" + local(start.date, time))
            if let end, let endDay = DateValue.dayNumber(end.date) {
                if let endTime = end.time {
                    lines.append("DTEND;TZID=\(timeZone):" + local(end.date, endTime))
                } else {
                    // A plain end date lasts the whole day: the event ends at midnight after it.
                    lines.append("DTEND;TZID=\(timeZone):" + local(DateValue.date(dayNumber: endDay + 1), (0, 0)))
                }
            }
            // No end: the event ends when it starts (RFC 5545, 3.6.1).
        } else {
            // All day; DTEND is exclusive: the day after the last day.
            let lastDay = end.flatMap { DateValue.dayNumber($0.date) }.map { max($0, startDay) } ?? startDay
            lines.append("DTSTART;VALUE=DATE:" + compact(start.date))
            lines.append("DTEND;VALUE=DATE:" + compact(DateValue.date(dayNumber: lastDay + 1)))
        }
        lines.append("SUMMARY:" + text(record.title(schema: schema)))
        if let location = record["location"]?.stringValue, !location.isEmpty { lines.append("LOCATION:" + text(location)) }
        let goals = record["goals"]?.strings ?? []
        if !goals.isEmpty { lines.append("DESCRIPTION:" + text(goals.joined(separator: "\n"))) }
        lines.append("END:VEVENT")
        return lines
    }

    static func vtodos(_ record: Record, schema: Schema) -> [String] {
        let eventLabel = schema.label(kind: "event")
        let ownerLabel = schema.label(field: "follow_ups", of: "event", item: "owner")
        var lines: [String] = []
        for item in openFollowUps(record) {
            lines += ["BEGIN:VTODO", "UID:" + text("\(record.id).\(item.id)@kbm"), "DTSTAMP:" + utc(record.updated)]
            lines.append("SUMMARY:" + text(item.fields["text"] ?? ""))
            if let due = item.fields["due"], DateValue.isValid(due) { lines.append("DUE;VALUE=DATE:" + compact(due)) }
            var description = ["\(eventLabel): \(record.title(schema: schema))"]
            if let owner = item.fields["owner"], !owner.isEmpty { description.append("\(ownerLabel): \(owner)") }
            lines.append("DESCRIPTION:" + text(description.joined(separator: "\n")))
            lines += ["STATUS:NEEDS-ACTION", "RELATED-TO:" + text("\(record.id)@kbm"), "END:VTODO"]
        }
        return lines
    }

    // MARK: values

    /// `2026-04-24` → `20260424`.
    static func compact(_ date: String) -> String { date.replacingOccurrences(of: "-", with: "") }

    /// A local date and time: `20260424T093000`.
    static func local(_ date: String, _ time: (hour: Int, minute: Int)) -> String {
        compact(date) + String(format: "T%02d%02d00", time.hour, time.minute)
    }

    /// A UTC timestamp `2026-03-14T09:30:00Z` → `20260314T093000Z`.
    static func utc(_ stamp: Timestamp) -> String {
        stamp.rawValue.filter { $0 != "-" && $0 != ":" }
    }

    /// A TEXT value (RFC 5545, 3.3.11): `\`, `;`, `,` escaped, line breaks as `\n`; control
    /// characters a TEXT value may not hold (all but tab) are left out.
    public static func text(_ value: String) -> String {
        var out = ""
        var previousCR = false
        for scalar in value.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": if !previousCR { out += "\\n" }
            case "\r", "\u{85}", "\u{2028}", "\u{2029}": out += "\\n"
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds a content line (RFC 5545, 3.1): at most 75 octets per line, continuation lines start
    /// with one space; a break never falls inside a UTF-8 sequence (nor between the scalars of a
    /// character where that fits).
    public static func fold(_ line: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var octets = 0
        for character in line {
            let size = character.utf8.count
            let limit = lines.isEmpty ? 75 : 74
            if octets + size > limit && !current.isEmpty && size <= 74 {
                lines.append(lines.isEmpty ? current : " " + current)
                current = ""
                octets = 0
            }
            if size > 74 {
                // A character longer than a line (a long chain of combining marks): split between its scalars.
                for scalar in character.unicodeScalars {
                    let n = String(scalar).utf8.count
                    if octets + n > (lines.isEmpty ? 75 : 74) && !current.isEmpty {
                        lines.append(lines.isEmpty ? current : " " + current)
                        current = ""
                        octets = 0
                    }
                    current.unicodeScalars.append(scalar)
                    octets += n
                }
                continue
            }
            current.append(character)
            octets += size
        }
        lines.append(lines.isEmpty ? current : " " + current)
        return lines
    }
}

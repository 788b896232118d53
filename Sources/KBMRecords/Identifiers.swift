import Foundation

/// A record's globally unique id: a ULID (26 characters of Crockford base32, time-ordered),
/// generated offline and never reused.
public struct RecordID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// The strict pattern every id must match.
    public static let pattern = "^[0-7][0-9A-HJKMNP-TV-Z]{25}$"

    /// Accepts only a well-formed ULID in canonical upper case.
    public init?(_ text: String) {
        guard RecordID.isValid(text) else { return nil }
        rawValue = text
    }

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 26, bytes[0] >= UInt8(ascii: "0"), bytes[0] <= UInt8(ascii: "7") else { return false }
        return bytes.allSatisfy { crockfordValue($0) != nil }
    }

    public var description: String { rawValue }
    public static func < (a: RecordID, b: RecordID) -> Bool { a.rawValue < b.rawValue }

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    static func crockfordValue(_ byte: UInt8) -> UInt8? {
        guard let index = alphabet.firstIndex(of: byte) else { return nil }
        return UInt8(index)
    }

    /// The character that names the shard folder of this id (its last, random character).
    public var shard: String { String(rawValue.suffix(1)).lowercased() }
}

/// Makes ULIDs. Within one generator, ids made in the same millisecond still sort in creation order.
public struct RecordIDGenerator: Sendable {
    private var lastMillis: UInt64 = 0
    private var lastRandom: (UInt16, UInt64) = (0, 0)

    public init() {}

    public mutating func next(now: Date = Date()) -> RecordID {
        var millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var random: (UInt16, UInt64)
        if millis <= lastMillis {
            // Same (or earlier, if the clock went back) millisecond: increment so the order holds.
            millis = lastMillis
            let (low, overflow) = lastRandom.1.addingReportingOverflow(1)
            random = (overflow ? lastRandom.0 &+ 1 : lastRandom.0, low)
        } else {
            var rng = SystemRandomNumberGenerator()
            random = (UInt16.random(in: 0...UInt16.max, using: &rng), rng.next())
        }
        lastMillis = millis
        lastRandom = random
        return RecordIDGenerator.encode(millis: millis, high: random.0, low: random.1)
    }

    static func encode(millis: UInt64, high: UInt16, low: UInt64) -> RecordID {
        // 48 bits of time, then 80 bits of randomness: 128 bits in 26 base32 characters.
        var chars = [UInt8](repeating: 0, count: 26)
        var time = millis & 0xFFFF_FFFF_FFFF
        for i in stride(from: 9, through: 0, by: -1) {
            chars[i] = RecordID.alphabet[Int(time & 31)]
            time >>= 5
        }
        // 80 random bits: high (16) + low (64) as 16 characters.
        var bits = low
        var top = UInt64(high)
        for i in stride(from: 25, through: 10, by: -1) {
            chars[i] = RecordID.alphabet[Int(bits & 31)]
            bits = (bits >> 5) | ((top & 31) << 59)
            top >>= 5
        }
        let text = String(decoding: chars, as: UTF8.self)
        guard let id = RecordID(text) else {
            preconditionFailure("an encoded ULID always matches the pattern: \(text)")
        }
        return id
    }
}

/// The owning office of a record: a slug such as `lk-augsburg` or `transferagentur`.
public struct County: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public static let pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"
    /// The regional agency, which may change every record and the registry.
    public static let agency = County(unchecked: "transferagentur")

    public init?(_ text: String) {
        guard County.isValid(text) else { return nil }
        rawValue = text
    }

    init(unchecked: String) { rawValue = unchecked }

    public static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 64 else { return false }
        var previousDash = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") {
                if previousDash { return false }
                previousDash = true
            } else if (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                previousDash = false
            } else {
                return false
            }
        }
        return !previousDash
    }

    public var description: String { rawValue }
    public static func < (a: County, b: County) -> Bool { a.rawValue < b.rawValue }
}

/// A moment in UTC, written as `2026-11-27T04:36:46Z`. Independent of locale and time zone.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: String) {
        guard Timestamp.isValid(text) else { return nil }
        rawValue = text
    }

    public init(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rem = seconds - days * 86400
        let (y, m, d) = civilFromDays(days)
        rawValue = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, Int(rem / 3600), Int(rem % 3600 / 60), Int(rem % 60))
    }

    public static func now() -> Timestamp { Timestamp(Date()) }

    public static func isValid(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 20, b[19] == UInt8(ascii: "Z"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":") else { return false }
        guard DateValue.isValid(String(decoding: b[0..<10], as: UTF8.self)) else { return false }
        func num(_ r: Range<Int>) -> Int? {
            guard b[r].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return Int(String(decoding: b[r], as: UTF8.self))
        }
        guard let h = num(11..<13), let mi = num(14..<16), let s = num(17..<19) else { return false }
        return h < 24 && mi < 60 && s < 60
    }

    public var description: String { rawValue }
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.rawValue < b.rawValue }
}

/// Calendar dates `YYYY-MM-DD`, checked for real days (no 2026-02-30).
public enum DateValue {
    public static func isValid(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard digits.allSatisfy({ b[$0] >= 48 && b[$0] <= 57 }) else { return false }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return false }
        let (y, m, d) = (parts[0], parts[1], parts[2])
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= lengths[m - 1]
    }

    /// Days since 1970-01-01 of a valid date, for comparing dates (for example "within a day").
    public static func dayNumber(_ text: String) -> Int? {
        guard isValid(text) else { return nil }
        let p = text.split(separator: "-").compactMap { Int($0) }
        return daysFromCivil(p[0], p[1], p[2])
    }

    /// The date `YYYY-MM-DD` of a day number (days since 1970-01-01): the inverse of `dayNumber`.
    public static func date(dayNumber: Int) -> String {
        let (y, m, d) = civilFromDays(Int64(dayNumber))
        return String(format: "%04d-%02d-%02d", y, m, d)
    }
}

/// An event's start or end: a date `YYYY-MM-DD`, or a date and a time of day `YYYY-MM-DDTHH:MM`
/// (wall-clock time in Europe/Berlin, no zone written). Plain dates stay plain: files written
/// before times existed read and write back byte for byte.
public enum DateTimeValue {
    /// Whether `text` is a valid date, or a valid date and time in the canonical form.
    public static func isValid(_ text: String) -> Bool {
        split(text) != nil
    }

    /// The date and, when given, the time of day (hour, minute) of a valid value.
    public static func split(_ text: String) -> (date: String, time: (hour: Int, minute: Int)?)? {
        let b = Array(text.utf8)
        if b.count == 10 { return DateValue.isValid(text) ? (text, nil) : nil }
        guard b.count == 16, b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":") else { return nil }
        let date = String(decoding: b[0..<10], as: UTF8.self)
        guard DateValue.isValid(date), [11, 12, 14, 15].allSatisfy({ b[$0] >= 48 && b[$0] <= 57 }) else { return nil }
        let hour = Int(b[11] - 48) * 10 + Int(b[12] - 48), minute = Int(b[14] - 48) * 10 + Int(b[15] - 48)
        guard hour < 24, minute < 60 else { return nil }
        return (date, (hour, minute))
    }

    /// Whether a valid value holds a time of day.
    public static func hasTime(_ text: String) -> Bool { split(text)?.time != nil }

    /// Days since 1970-01-01 of the value's date (its time of day ignored).
    public static func dayNumber(_ text: String) -> Int? {
        split(text).flatMap { DateValue.dayNumber($0.date) }
    }

    /// Whether `end` lies before `start`. With a time on both sides the times count; otherwise the
    /// days do (an end written as a plain date lasts the whole day). Nil when either is invalid.
    public static func endsBeforeStart(start: String, end: String) -> Bool? {
        guard let s = split(start), let e = split(end), let sd = DateValue.dayNumber(s.date), let ed = DateValue.dayNumber(e.date) else { return nil }
        if let st = s.time, let et = e.time {
            return ed * 1440 + et.hour * 60 + et.minute < sd * 1440 + st.hour * 60 + st.minute
        }
        return ed < sd
    }

    /// The canonical text of a date and an optional time.
    public static func canonical(date: String, hour: Int?, minute: Int?) -> String {
        guard let hour, let minute else { return date }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date)T\(two(hour)):\(two(minute))"
    }
}

// Howard Hinnant's civil calendar algorithms: exact, no Calendar or TimeZone involved.
private func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
}

private func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

/// A date as a coordinator types it: ISO (`2026-04-24`) or German (`24.04.2026`, `24.4.2026`),
/// checked as a real calendar date. Records always store the ISO form.
public enum DateInput {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// The ISO date `text` means, or a message that says what is wrong with it
    /// ("31.04.2026: April has 30 days").
    public static func parse(_ text: String) -> Result<String, DateInputError> {
        let t = text.trimmingCharacters(in: .whitespaces)
        let iso = t.split(separator: "-", omittingEmptySubsequences: false)
        let german = t.split(separator: ".", omittingEmptySubsequences: false)
        let y: Substring, m: Substring, d: Substring
        if iso.count == 3, iso[0].count == 4, (1...2).contains(iso[1].count), (1...2).contains(iso[2].count) {
            (y, m, d) = (iso[0], iso[1], iso[2])
        } else if german.count == 3, german[2].count == 4, (1...2).contains(german[0].count), (1...2).contains(german[1].count) {
            (y, m, d) = (german[2], german[1], german[0])
        } else {
            return .failure(DateInputError(text: text, reason: nil))
        }
        guard [y, m, d].allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(y), let month = Int(m), let day = Int(d) else {
            return .failure(DateInputError(text: text, reason: nil))
        }
        guard (1...12).contains(month) else { return .failure(DateInputError(text: text, reason: "there is no month \(month)")) }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let length = lengths[month - 1]
        guard day >= 1 else { return .failure(DateInputError(text: text, reason: "there is no day 0")) }
        guard day <= length else {
            let name = monthNames[month - 1]
            return .failure(DateInputError(text: text, reason: month == 2 ? "February \(year) has \(length) days" : "\(name) has \(length) days"))
        }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return .success("\(y)-\(two(month))-\(two(day))")
    }
}

extension DateInput {
    /// A date with an optional time of day as a coordinator types it: `2026-04-24 09:30`,
    /// `24.04.2026 09:30`, `2026-04-24T09:30`, `24.4.2026 9:30 Uhr`, or a plain date. Returns the
    /// canonical form (`2026-04-24T09:30`, or `2026-04-24` for a plain date), or what is wrong.
    public static func parseDateTime(_ text: String) -> Result<String, DateInputError> {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.lowercased().hasSuffix("uhr") { t = String(t.dropLast(3)).trimmingCharacters(in: .whitespaces) }
        let datePart: String, timePart: String?
        if let space = t.firstIndex(where: { $0 == " " || $0 == "T" }) {
            datePart = String(t[..<space])
            timePart = t[t.index(after: space)...].trimmingCharacters(in: .whitespaces)
        } else {
            (datePart, timePart) = (t, nil)
        }
        let date: String
        switch parse(datePart) {
        case .success(let iso): date = iso
        case .failure(let error): return .failure(DateInputError(text: text, reason: error.reason, time: true))
        }
        guard let timePart else { return .success(date) }
        let pieces = timePart.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2, (1...2).contains(pieces[0].count), pieces[1].count == 2,
              pieces.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(pieces[0]), let minute = Int(pieces[1]) else {
            return .failure(DateInputError(text: text, reason: "\(RecordParseError.quote(timePart)) is not a time of day (write times as 09:30)", time: true))
        }
        guard hour < 24 else { return .failure(DateInputError(text: text, reason: "there is no hour \(hour) (a day has the hours 00 to 23)", time: true)) }
        guard minute < 60 else { return .failure(DateInputError(text: text, reason: "there is no minute \(minute) (an hour has the minutes 00 to 59)", time: true)) }
        return .success(DateTimeValue.canonical(date: date, hour: hour, minute: minute))
    }
}

/// Why a typed date is not a date.
public struct DateInputError: Error, Equatable, Sendable {
    public let text: String
    /// What is wrong with a date of the right shape ("April has 30 days"); nil when it is not a date at all.
    public let reason: String?
    /// Whether a time of day was allowed too (the example then shows one).
    public var time = false

    public init(text: String, reason: String?, time: Bool = false) {
        (self.text, self.reason, self.time) = (text, reason, time)
    }

    /// For a field: `start: 31.04.2026: April has 30 days`, or what a date looks like.
    public var message: String {
        if let reason { return "\(text): \(reason)" }
        if time {
            return "expected a date like 2026-03-14 or a date and time like 2026-03-14 09:30, got \(RecordParseError.quote(text)) (write dates as 2026-03-14 or 14.03.2026, times as 09:30)"
        }
        return "expected a date like 2026-03-14, got \(RecordParseError.quote(text)) (write dates as 2026-03-14 or 14.03.2026)"
    }
}

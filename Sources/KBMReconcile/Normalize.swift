import Foundation

/// Normalisation of names, titles, organisations and phone numbers for comparing records
/// entered in different counties. Pure and deterministic: no locale, no clocks.
public enum Normalize {
    /// Lower case, umlauts and ß spelled out (ä → ae, ß → ss), other accents dropped, every
    /// run of non-letters a single space. A hyphen between two letters joins them
    /// ("Huber-Schmid" → "huberschmid"); a dangling one ("Industrie- und …") goes.
    public static func fold(_ text: String) -> String {
        var out: [Character] = []
        out.reserveCapacity(text.count)
        let scalars = Array(text.precomposedStringWithCanonicalMapping.unicodeScalars)
        var pendingSpace = false
        for (index, scalar) in scalars.enumerated() {
            if let spelled = spelledOut(scalar) {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(contentsOf: spelled)
                continue
            }
            let value = scalar.value
            if (value >= 0x30 && value <= 0x39) || (value >= 0x61 && value <= 0x7A) {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(Character(scalar))
            } else if value >= 0x41 && value <= 0x5A {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(Character(Unicode.Scalar(value + 32) ?? scalar))
            } else if scalar == "-" || scalar == "‐" || scalar == "–",
                      index > 0, index + 1 < scalars.count,
                      isLetter(scalars[index - 1]), isLetter(scalars[index + 1]) {
                continue
            } else if value > 0x7F, scalar.properties.isAlphabetic {
                // Other letters: strip accents (é → e); keep the letter if nothing ASCII is left.
                let stripped = String(Character(scalar)).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(contentsOf: stripped.lowercased())
            } else {
                pendingSpace = true
            }
        }
        return String(out)
    }

    static func isLetter(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic }

    static func spelledOut(_ s: Unicode.Scalar) -> String? {
        switch s {
        case "ä", "Ä": return "ae"
        case "ö", "Ö": return "oe"
        case "ü", "Ü": return "ue"
        case "ß", "ẞ": return "ss"
        default: return nil
        }
    }

    /// The folded words of a text.
    public static func tokens(_ text: String) -> [String] {
        fold(text).split(separator: " ").map(String.init)
    }

    /// Titles and forms of address that say nothing about who someone is.
    public static let personTitles: Set<String> = [
        "dr", "prof", "professor", "professorin", "herr", "herrn", "frau", "hr", "fr", "dipl", "ing", "med", "phil",
        "rer", "nat", "pol", "jur", "oec", "paed", "hc", "habil", "mag", "ma", "ba", "msc", "bsc", "mba", "pd",
        "stv", "stellv", "mdl", "mdb", "landrat", "landraetin", "buergermeister", "buergermeisterin", "oberbuergermeister",
        "oberbuergermeisterin", "pfarrer", "pfarrerin", "sr", "schwester", "von", "van",
    ]

    /// The words of a person's name in a stable form: titles dropped, "Huber, Maria" as "maria huber".
    public static func personName(_ name: String) -> [String] {
        var text = name
        // "Huber, Maria" and "Huber, Dr. Maria": the part after the first comma comes first.
        if let comma = text.firstIndex(of: ",") {
            let last = text[..<comma]
            let first = text[text.index(after: comma)...]
            text = first + " " + last
        }
        return tokens(text).filter { !personTitles.contains($0) }
    }

    /// Words that carry no identity in organisation names.
    public static let organisationStopWords: Set<String> = [
        "und", "u", "fuer", "der", "die", "das", "des", "dem", "den", "im", "in", "am", "an", "zu", "zur", "zum", "von",
        "e", "v", "ev", "ggmbh", "gmbh", "ag", "kdoer", "ab", "bei", "fuers", "mit",
    ]

    /// Abbreviations of the bodies Bildungsbüros work with, spelled out.
    public static let organisationAbbreviations: [String: String] = [
        "ihk": "industrie und handelskammer",
        "hwk": "handwerkskammer",
        "vhs": "volkshochschule",
        "aa": "agentur fuer arbeit",
        "afa": "agentur fuer arbeit",
        "arbeitsagentur": "agentur fuer arbeit",
        "ba": "bundesagentur fuer arbeit",
        "ssa": "staatliches schulamt",
        "schulamt": "schulamt",
        "staatl": "staatliches",
        "lra": "landratsamt",
        "lk": "landkreis",
        "lkr": "landkreis",
        "kjr": "kreisjugendring",
        "bjr": "bayerischer jugendring",
        "dgb": "deutscher gewerkschaftsbund",
        "bbw": "bildungswerk der bayerischen wirtschaft",
        "hs": "hochschule",
        "th": "technische hochschule",
        "fh": "fachhochschule",
        "uni": "universitaet",
        "bfz": "berufliches fortbildungszentrum",
        "jc": "jobcenter",
        "kita": "kindertagesstaette",
        "kitas": "kindertagesstaetten",
        "st": "sankt",
        "str": "strasse",
    ]

    /// The words of an organisation's name: abbreviations spelled out, stop words dropped.
    public static func organisation(_ name: String) -> [String] {
        var out: [String] = []
        for token in tokens(name) {
            if let long = organisationAbbreviations[token] {
                out += long.split(separator: " ").map(String.init).filter { !organisationStopWords.contains($0) }
            } else if !organisationStopWords.contains(token) {
                out.append(token)
            }
        }
        return out
    }

    /// Words too common in event and product titles to tell two apart.
    public static let titleStopWords: Set<String> = [
        "und", "der", "die", "das", "des", "dem", "den", "im", "in", "am", "an", "zu", "zur", "zum", "fuer", "von", "mit",
        "auf", "ein", "eine", "einer", "als", "bei", "nach", "aus", "ueber", "vom", "the", "of", "and", "a",
    ]

    /// The words of an event's or product's title, stop words dropped.
    public static func title(_ text: String) -> [String] {
        tokens(text).filter { !titleStopWords.contains($0) }.map { organisationAbbreviations[$0] ?? $0 }
            .flatMap { $0.split(separator: " ").map(String.init) }
            .filter { !titleStopWords.contains($0) }
    }

    /// An email address in a comparable form (trimmed, lower case), or nil when it is not one.
    public static func email(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard trimmed.contains("@"), !trimmed.contains(" ") else { return nil }
        return trimmed
    }

    /// A phone number as digits with the German trunk prefix: "+49 (0)821 12-34", "0049 821 1234"
    /// and "0821 1234" all become "08211234". Nil when fewer than six digits are left.
    public static func phone(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var digits = String(trimmed.filter { $0.isASCII && $0.isNumber })
        let international = trimmed.hasPrefix("+") || digits.hasPrefix("00")
        if international {
            if trimmed.hasPrefix("+") { digits = "00" + digits }
            if digits.hasPrefix("0049") {
                digits = "0" + digits.dropFirst(4)
                // "+49 (0)821": the trunk zero written after the country code.
                if digits.hasPrefix("00") { digits.removeFirst() }
            }
        }
        return digits.count >= 6 ? digits : nil
    }
}

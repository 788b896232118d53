import Foundation

/// Normalisation of names, titles, organisations and phone numbers for comparing records
/// entered in different counties. Pure and deterministic: no locale, no clocks.
public enum Normalize {
    /// What `fold` does with a hyphen between two letters ("Huber-Schmid", "Augsburg-Land").
    public enum Hyphen: Sendable {
        /// "huberschmid": one word.
        case join
        /// "huber schmid": two words.
        case split
        /// "huber-schmid": kept, for a caller that looks at the parts.
        case keep
    }

    /// Lower case, umlauts and ß spelled out (ä → ae, ß → ss), other accents dropped, every
    /// run of non-letters a single space. A hyphen between two letters joins them by default
    /// ("Huber-Schmid" → "huberschmid", see `Hyphen`); a dangling one ("Industrie- und …") goes.
    public static func fold(_ text: String) -> String { fold(text, hyphen: .join) }

    /// `fold` with a choice of what a hyphen between two letters does.
    public static func fold(_ text: String, hyphen: Hyphen) -> String {
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
                switch hyphen {
                case .join: continue
                case .split: pendingSpace = true
                case .keep: out.append("-")
                }
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
        // Turkish dotless and dotted i, which have no decomposition: "Yılmaz" / "Yilmaz".
        case "ı", "İ": return "i"
        default: return nil
        }
    }

    /// The folded words of a text.
    public static func tokens(_ text: String, hyphen: Hyphen = .join) -> [String] {
        fold(text, hyphen: hyphen).split(separator: " ").map(String.init)
    }

    /// The text without remarks in parentheses: "Sebastian Lindner (Schulleiter)", "Dipl.-Ing. (FH)",
    /// "Technische Hochschule Deggendorf (THD)". An unclosed "(" drops the rest.
    public static func withoutParentheses(_ text: String) -> String {
        guard text.contains("(") else { return text }
        var out = ""
        var depth = 0
        for c in text {
            if c == "(" { depth += 1; out.append(" ") } else if c == ")" { depth = max(0, depth - 1); out.append(" ") } else if depth == 0 { out.append(c) }
        }
        return out
    }

    /// A table of phrases (runs of folded words) indexed by their first word, longest first.
    struct PhraseIndex<Value: Sendable>: Sendable {
        let table: [[String]: Value]
        let byFirstWord: [String: [[String]]]

        init(_ table: [[String]: Value]) {
            self.table = table
            byFirstWord = Dictionary(grouping: table.keys, by: { $0.first ?? "" }).mapValues { $0.sorted { $0.count > $1.count } }
        }

        /// `words` with every run that is a phrase replaced by `replacement(value)`, longest runs
        /// first: ["g", "m", "b", "h"] → [], ["d", "j"] → [] noting "jun".
        func replacing(_ words: [String], with replacement: (Value) -> [String]) -> [String] {
            guard words.contains(where: { byFirstWord[$0] != nil }) else { return words }
            var out: [String] = []
            var i = 0
            outer: while i < words.count {
                for key in byFirstWord[words[i]] ?? [] where i + key.count <= words.count {
                    if words[i..<(i + key.count)].elementsEqual(key), let value = table[key] {
                        out += replacement(value)
                        i += key.count
                        continue outer
                    }
                }
                out.append(words[i])
                i += 1
            }
            return out
        }
    }

    /// Titles, degrees, ranks and forms of address that say nothing about who someone is.
    public static let personTitles: Set<String> = [
        // Forms of address.
        "herr", "herrn", "frau", "hr", "fr", "sr", "schwester", "pfarrer", "pfarrerin", "pater",
        // Academic titles and degrees ("Dr. med.", "Dipl.-Ing. (FH)", "Dipl.-Kffr.", "M.A." see `personTitlePhrases`).
        "dr", "prof", "professor", "professorin", "dipl", "ing", "med", "dent", "vet", "phil", "rer", "nat", "pol", "soc", "jur",
        "oec", "paed", "sozpaed", "sozialpaed", "psych", "theol", "biol", "chem", "inf", "kfm", "kffr", "kff", "vw", "hc", "habil",
        "mag", "ma", "ba", "msc", "bsc", "mba", "beng", "meng", "llm", "pd",
        // Offices and ranks people write before a name (Bavarian school and civil service ranks among them).
        "stv", "stellv", "stellvertretender", "stellvertretende", "mdl", "mdb", "mdep", "landrat", "landraetin",
        "buergermeister", "buergermeisterin", "oberbuergermeister", "oberbuergermeisterin", "erster", "erste", "zweiter",
        "zweite", "dritter", "dritte", "kreisrat", "kreisraetin", "stadtrat", "stadtraetin", "bezirksrat", "bezirksraetin",
        "rektor", "rektorin", "konrektor", "konrektorin", "schulrat", "schulraetin", "schulamtsdirektor", "schulamtsdirektorin",
        "studienrat", "studienraetin", "oberstudienrat", "oberstudienraetin", "studiendirektor", "studiendirektorin",
        "oberstudiendirektor", "oberstudiendirektorin", "str", "strin", "ostr", "ostrin", "std", "stdin", "ostd", "ostdin",
        "von", "van",
    ]

    /// Degrees and titles that fold into several words ("M.A." → "m a", "Dr. h. c." → "dr h c").
    public static let personTitlePhrases: [[String]: [String]] = [
        ["h", "c"]: [], ["m", "a"]: [], ["b", "a"]: [], ["m", "sc"]: [], ["b", "sc"]: [], ["m", "ed"]: [], ["b", "ed"]: [],
        ["m", "eng"]: [], ["b", "eng"]: [], ["ll", "m"]: [],
    ]

    static let personTitlePhraseIndex = PhraseIndex(personTitlePhrases)

    /// Father and son: "sen." / "jun.", "d. Ä." / "d. J." (der Ältere / der Jüngere).
    public static let generationSuffixes: [[String]: String] = [
        ["jun"]: "jun", ["junior"]: "jun", ["jr"]: "jun", ["d", "j"]: "jun",
        ["sen"]: "sen", ["senior"]: "sen", ["d", "ae"]: "sen",
    ]

    static let generationSuffixIndex = PhraseIndex(generationSuffixes)

    /// A person's name as compared: its words and a generation suffix.
    public struct PersonName: Hashable, Sendable {
        /// Given names and surnames, titles dropped, compounds split at hyphens ("Hans-Jürgen
        /// Schmid-Wagner" → hans juergen schmid wagner); "Nachname, Vorname" turned round.
        public var words: [String]
        /// "jun" or "sen" when the name says so.
        public var generation: String?
    }

    /// A person's name in a stable form: titles and remarks in parentheses dropped, "Huber,
    /// Maria" as "maria huber", hyphenated parts as words, jun./sen. set apart.
    public static func person(_ name: String) -> PersonName {
        var text = withoutParentheses(name)
        // "Huber, Maria" and "Huber, Dr. Maria": the part after the first comma comes first.
        if let comma = text.firstIndex(of: ",") {
            let last = text[..<comma]
            let first = text[text.index(after: comma)...]
            text = first + " " + last
        }
        var generation: String?
        var words = personTitlePhraseIndex.replacing(tokens(text, hyphen: .split)) { $0 }
        words = generationSuffixIndex.replacing(words) { generation = $0; return [] }
        return PersonName(words: words.filter { !personTitles.contains($0) }, generation: generation)
    }

    /// The words of a person's name (see `person`).
    public static func personName(_ name: String) -> [String] { person(name).words }

    /// Words that carry no identity in organisation names: articles, prepositions, legal forms,
    /// "staatlich".
    public static let organisationStopWords: Set<String> = [
        "und", "u", "fuer", "der", "die", "das", "des", "dem", "den", "im", "in", "am", "an", "zu", "zur", "zum", "von",
        "e", "v", "ev", "ggmbh", "gmbh", "mbh", "ag", "kg", "ug", "gbr", "kdoer", "ab", "bei", "fuers", "mit",
        "staatliche", "staatliches", "staatlicher", "staatl",
    ]

    /// Legal forms and long names that fold into several words, as data: spelled out or dropped.
    public static let organisationPhrases: [[String]: [String]] = [
        ["eingetragener", "verein"]: [], ["eingetragene", "verein"]: [], ["g", "m", "b", "h"]: [], ["co", "kg"]: [],
        ["gmbh", "co"]: [], ["k", "d", "oe", "r"]: [],
        ["hochschule", "fuer", "angewandte", "wissenschaften"]: ["hochschule"],
    ]

    static let organisationPhraseIndex = PhraseIndex(organisationPhrases)

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
        "sjr": "stadtjugendring",
        "bjr": "bayerischer jugendring",
        "kreisjugendamt": "jugendamt landkreis",
        "stadtjugendamt": "jugendamt stadt",
        "dgb": "deutscher gewerkschaftsbund",
        "bbw": "bildungswerk der bayerischen wirtschaft",
        "keb": "katholische erwachsenenbildung",
        "brk": "bayerisches rotes kreuz",
        "awo": "arbeiterwohlfahrt",
        "hs": "hochschule",
        "haw": "hochschule",
        "th": "technische hochschule",
        "tu": "technische universitaet",
        "fh": "fachhochschule",
        "uni": "universitaet",
        "bfz": "berufliches fortbildungszentrum",
        "bsz": "berufliches schulzentrum",
        "fos": "fachoberschule",
        "bos": "berufsoberschule",
        "gym": "gymnasium",
        "jc": "jobcenter",
        "kita": "kindertagesstaette",
        "kitas": "kindertagesstaetten",
        "st": "sankt",
        "str": "strasse",
    ]

    /// Whether a body's name says it belongs to the county or to the (county-free) city of a
    /// place: "Staatliches Schulamt im Landkreis Passau", "VHS Augsburg-Land", "Augsburger Land"
    /// against "… in der Stadt Passau", "VHS Stadt Augsburg", "Augsburg-Stadt".
    public enum Place: String, Hashable, Sendable {
        case county = "Landkreis"
        case city = "Stadt"
    }

    /// Words that say county or city.
    public static let placeWords: [String: Place] = [
        "landkreis": .county, "landkreises": .county, "kreis": .county, "land": .county,
        "stadt": .city, "kreisfreie": .city,
    ]

    /// An organisation's name as compared: its words and whether it names the county or the city.
    public struct OrganisationName: Hashable, Sendable {
        public var words: [String]
        /// Nil when the name says neither, or both.
        public var place: Place?
    }

    /// An organisation's name in a stable form: remarks in parentheses and legal forms dropped,
    /// abbreviations spelled out, stop words dropped, each word once, county or city set apart.
    public static func organisationName(_ name: String) -> OrganisationName {
        var places = Set<Place>()
        var folded: [String] = []
        for token in tokens(withoutParentheses(name), hyphen: .keep) {
            guard token.contains("-") else { folded.append(token); continue }
            // "Augsburg-Land", "München-Stadt": the place and a county or city mark.
            var parts = token.split(separator: "-").map(String.init)
            if parts.count >= 2, let last = parts.last, let place = placeWords[last], last == "land" || last == "stadt" {
                places.insert(place)
                parts.removeLast()
            }
            folded.append(parts.joined())
        }
        var out: [String] = []
        var seen = Set<String>()
        let words = organisationPhraseIndex.replacing(folded) { $0 }
        for (i, token) in words.enumerated() {
            let long = organisationAbbreviations[token].map { $0.split(separator: " ").map(String.init) } ?? [token]
            for word in long {
                if let place = placeWords[word] {
                    places.insert(place)
                    // "Augsburger Land": the place is Augsburg.
                    if word == "land", i > 0, let previous = out.last, previous == words[i - 1], previous.hasSuffix("er"), previous.count > 5 {
                        seen.remove(previous)
                        out[out.count - 1] = String(previous.dropLast(2))
                        seen.insert(out[out.count - 1])
                    }
                    continue
                }
                guard !organisationStopWords.contains(word), seen.insert(word).inserted else { continue }
                out.append(word)
            }
        }
        return OrganisationName(words: out, place: places.count == 1 ? places.first : nil)
    }

    /// The words of an organisation's name (see `organisationName`).
    public static func organisation(_ name: String) -> [String] { organisationName(name).words }

    /// Words that number bodies of one kind in one place: "Berufsschule I" / "Berufsschule II", "Mittelschule 2".
    public static func numbers(_ words: [String]) -> Set<String> {
        let roman: Set<String> = ["i", "ii", "iii", "iv", "vi", "vii", "viii", "ix"]
        return Set(words.filter { roman.contains($0) || (!$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber)) })
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

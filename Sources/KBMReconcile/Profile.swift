import KBMRecords

/// What reconciliation compares of one record, normalised once: folded name words, phonetic
/// codes, email, phone, dates. Built from a record; the record itself is not kept.
public struct Profile: Sendable {
    public let id: RecordID
    public let kind: String
    public let county: County
    public let title: String
    /// stakeholder: `type`; event and product: their `type`; tip: its `theme`.
    public let type: String?
    /// A stakeholder's name words (titles dropped, word order kept as written after "Last, First"
    /// is turned round) or an organisation's words (abbreviations spelled out); an event's or
    /// product's title words.
    public let words: [String]
    public let organisation: [String]
    /// A body's name or a stakeholder's organisation: whether it names the county or the city
    /// ("Jugendamt Landkreis Passau" / "Jugendamt Stadt Passau").
    public let place: Normalize.Place?
    public let organisationPlace: Normalize.Place?
    /// A person's "jun." or "sen.".
    public let generation: String?
    public let role: [String]
    public let sector: String?
    public let email: String?
    public let phone: String?
    /// event: start as days since 1970; product: published.
    public let day: Int?
    public let topics: Set<String>

    /// Kinds that reconciliation compares.
    public static let kinds = ["stakeholder", "event", "product", "tip"]

    public init(_ record: Record) {
        id = record.id
        kind = record.kind
        county = record.county
        func text(_ name: String) -> String? { record.fields[name]?.stringValue }
        switch record.kind {
        case "stakeholder":
            title = text("name") ?? ""
            let type = text("type")
            self.type = type
            // Persons: forms of address dropped. Bodies: abbreviations spelled out.
            if type == "person" || (type == nil && Profile.looksLikePerson(title)) {
                let name = Normalize.person(title)
                words = name.words
                generation = name.generation
                place = nil
            } else {
                let name = Normalize.organisationName(title)
                words = name.words
                generation = nil
                place = name.place
            }
            let organisationName = Normalize.organisationName(text("organisation") ?? "")
            organisation = organisationName.words
            organisationPlace = organisationName.place
            role = Normalize.title(text("role") ?? "")
            sector = text("sector")
            email = text("email").flatMap(Normalize.email)
            phone = text("phone").flatMap(Normalize.phone)
            day = nil
        case "event":
            title = text("title") ?? ""
            type = text("type")
            words = Normalize.title(title)
            organisation = Normalize.title(text("location") ?? "")
            (place, organisationPlace, generation) = (nil, nil, nil)
            role = []
            sector = nil
            email = nil
            phone = nil
            day = text("start").flatMap(DateTimeValue.dayNumber)
        case "product":
            title = text("title") ?? ""
            type = text("type")
            words = Normalize.title(title)
            organisation = []
            (place, organisationPlace, generation) = (nil, nil, nil)
            role = []
            sector = nil
            email = nil
            phone = nil
            day = text("published").flatMap(DateValue.dayNumber)
        default:
            title = record.title()
            type = text("theme")
            words = Normalize.title(title)
            organisation = []
            (place, organisationPlace, generation) = (nil, nil, nil)
            role = []
            sector = nil
            email = nil
            phone = nil
            day = nil
        }
        topics = Set((record.fields["topics"]?.strings ?? []).map(Normalize.fold))
    }

    /// Without a `type`, a name of two or three words none of which marks a body is taken for a person.
    static func looksLikePerson(_ name: String) -> Bool {
        let words = Normalize.personName(name)
        let bodyWords: Set<String> = ["ihk", "hwk", "vhs", "amt", "schulamt", "kammer", "agentur", "verein", "schule", "stadt", "landkreis", "gmbh"]
        return (2...3).contains(words.count) && !words.contains { bodyWords.contains($0) || $0.hasSuffix("amt") || $0.hasSuffix("schule") }
    }

    /// The name (or title) words sorted: "huber maria" for both "Dr. Maria Huber" and "Huber, Maria".
    public var sortedKey: String { words.sorted().joined(separator: " ") }

    /// Phonetic codes of the words, sorted.
    public var phoneticKey: String { words.map(KoelnerPhonetik.code).filter { !$0.isEmpty }.sorted().joined(separator: " ") }
}

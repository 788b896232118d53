import Foundation
import KBMRecords

/// A small, fast, seeded random number generator (SplitMix64): the same seed gives the same region
/// on every machine and every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    mutating func some(_ items: [String], _ range: ClosedRange<Int>) -> [String] {
        var out: [String] = []
        for _ in 0..<int(range) { out.append(pick(items)) }
        return Array(Set(out)).sorted()
    }
}

/// The 40 counties (Landkreise and kreisfreie Städte) of the synthetic region.
enum Region {
    static let counties: [(slug: String, name: String)] = [
        ("lk-augsburg", "Landkreis Augsburg"), ("stadt-augsburg", "Stadt Augsburg"),
        ("lk-aichach-friedberg", "Landkreis Aichach-Friedberg"), ("lk-dillingen", "Landkreis Dillingen a.d. Donau"),
        ("lk-donau-ries", "Landkreis Donau-Ries"), ("lk-guenzburg", "Landkreis Günzburg"),
        ("lk-neu-ulm", "Landkreis Neu-Ulm"), ("lk-unterallgaeu", "Landkreis Unterallgäu"),
        ("lk-ostallgaeu", "Landkreis Ostallgäu"), ("lk-oberallgaeu", "Landkreis Oberallgäu"),
        ("lk-lindau", "Landkreis Lindau (Bodensee)"), ("stadt-kempten", "Stadt Kempten (Allgäu)"),
        ("stadt-kaufbeuren", "Stadt Kaufbeuren"), ("stadt-memmingen", "Stadt Memmingen"),
        ("lk-muenchen", "Landkreis München"), ("stadt-muenchen", "Landeshauptstadt München"),
        ("lk-dachau", "Landkreis Dachau"), ("lk-freising", "Landkreis Freising"),
        ("lk-erding", "Landkreis Erding"), ("lk-ebersberg", "Landkreis Ebersberg"),
        ("lk-starnberg", "Landkreis Starnberg"), ("lk-fuerstenfeldbruck", "Landkreis Fürstenfeldbruck"),
        ("lk-landsberg", "Landkreis Landsberg am Lech"), ("lk-weilheim-schongau", "Landkreis Weilheim-Schongau"),
        ("lk-garmisch-partenkirchen", "Landkreis Garmisch-Partenkirchen"), ("lk-bad-toelz", "Landkreis Bad Tölz-Wolfratshausen"),
        ("lk-miesbach", "Landkreis Miesbach"), ("lk-rosenheim", "Landkreis Rosenheim"),
        ("stadt-rosenheim", "Stadt Rosenheim"), ("lk-traunstein", "Landkreis Traunstein"),
        ("lk-berchtesgadener-land", "Landkreis Berchtesgadener Land"), ("lk-altoetting", "Landkreis Altötting"),
        ("lk-muehldorf", "Landkreis Mühldorf a. Inn"), ("lk-passau", "Landkreis Passau"),
        ("stadt-passau", "Stadt Passau"), ("lk-regen", "Landkreis Regen"),
        ("lk-freyung-grafenau", "Landkreis Freyung-Grafenau"), ("lk-deggendorf", "Landkreis Deggendorf"),
        ("lk-straubing-bogen", "Landkreis Straubing-Bogen"), ("stadt-regensburg", "Stadt Regensburg"),
    ]

    static let firstNames = ["Jürgen", "Sabine", "Anna", "Björn", "Jörg", "Günther", "Käthe", "Sören", "Ursula", "Jürgen", "Maximilian",
                             "Franziska", "Müge", "Özlem", "Ömer", "Tobias", "Brigitte", "Hannelore", "Josef", "Theresa", "Lukas", "Zoë",
                             "Benedikt", "Agnes", "Xaver", "Rosalie", "Kübra", "Dörte", "Matthäus", "Annemarie"]
    static let lastNames = ["Müller", "Schäfer", "Bäuerle", "Größl", "Huber", "Lechner", "Weiß", "Köhler", "Hößl", "Brückner",
                            "Fischer", "Wörle", "Schön", "Krämer", "Öztürk", "Nüßlein", "Strauß", "Gärtner", "Zöllner", "Mayr",
                            "Dürr", "Kühn", "Bräu", "Pfäffle", "Süß", "Lößl", "Rötzer", "Häusler", "Böhm", "Färber"]
    static let organisations = ["Staatliches Schulamt", "IHK Schwaben", "Handwerkskammer für München und Oberbayern", "Agentur für Arbeit",
                                "Volkshochschule", "Kreisjugendring", "Jobcenter", "Landratsamt – Sachgebiet Bildung", "Bürgerstiftung",
                                "Grund- und Mittelschule am Mühlbach", "Realschule Schöngeising", "Berufliches Schulzentrum", "Förderzentrum St. Ägidius",
                                "Kita Sonnenblümchen", "Hochschule für angewandte Wissenschaften", "Caritasverband", "Diakonisches Werk",
                                "Autohaus Lechner GmbH", "Brauerei Öttinger & Söhne", "Kreistag – Ausschuss für Bildung, Kultur und Sport"]
    static let roles = ["Schulleiterin", "Schulleiter", "Geschäftsführerin", "Bürgermeister", "Landrätin", "Referent für Übergänge",
                        "Ausbildungsberaterin", "Vorsitzende", "Fachbereichsleitung Jugend & Familie", "Bildungskoordinatorin für Neuzugewanderte",
                        "Koordinator Ehrenamt", "Schulrätin", "Personalleiter", "Leiterin der Volkshochschule"]
    static let committees = ["Bildungsbeirat", "Steuerungsgruppe Übergänge", "Kreistagsausschuss für Bildung", "Arbeitskreis Schule–Wirtschaft",
                             "Netzwerk Frühe Hilfen", "Lenkungskreis Bildungsregion", "Jugendhilfeausschuss"]
    static let topics = ["Übergang Schule–Beruf", "frühkindliche Bildung", "Integration", "Digitalisierung", "Fachkräftesicherung",
                         "Ganztag", "Inklusion", "Demokratiebildung", "Bildungsmonitoring", "Sprachförderung", "MINT-Förderung", "Ehrenamt"]
    static let tags = ["bildungsregion", "übergänge", "ganztag", "mint", "sprachförderung", "fachkräfte", "inklusion", "ehrenamt",
                       "monitoring", "wirtschaft", "jugend", "älterwerden", "kulturelle-bildung", "nachhaltigkeit", "digitale-bildung"]
    static let sectors = ["school", "early_childhood", "vocational", "higher_ed", "adult_ed", "youth", "economy", "politics", "administration", "civil_society", "other"]
    static let places = ["Landratsamt, großer Sitzungssaal", "Stadthalle", "Berufliches Schulzentrum, Aula", "Bürgerhaus Schöneck",
                         "Kulturzentrum Alte Mälzerei", "Rathaus, Fürstensaal", "online (BigBlueButton)", "Volkshochschule, Raum Ötztal"]
    static let eventThemes = ["Übergang Schule–Beruf", "Bildung für nachhaltige Entwicklung", "Ganztag gestalten", "Fachkräfte von morgen",
                              "Sprache öffnet Türen", "Bildungsbericht 2026", "Frühe Bildung stärken", "Demokratie lernen", "Digitale Schule"]
    static let goals = ["Netzwerk der Schulen und Betriebe stärken", "Bildungsbericht vorstellen und diskutieren", "Angebote für Neuzugewanderte bündeln",
                        "Übergänge von der Kita in die Grundschule verbessern", "Ehrenamtliche Lernpaten gewinnen", "Lücken im Ganztagsangebot erkennen",
                        "Jugendliche ohne Ausbildungsplatz früh erreichen"]
    static let targetGroups = ["Schulleitungen", "Lehrkräfte", "Eltern", "Jugendliche", "Betriebe", "Kommunalpolitik", "Ehrenamtliche", "Fachkräfte der Jugendhilfe", "Kitaleitungen"]
    static let followUpTexts = ["Protokoll an alle Teilnehmenden schicken", "Fotos für die Pressemitteilung freigeben lassen", "Raum für das Folgetreffen buchen",
                                "Rückmeldebögen auswerten", "Dank an die Referentinnen und Referenten", "Ergebnisse im Bildungsbeirat vorstellen",
                                "Kontakt zur IHK für Ausbildungsmesse aufnehmen", "Förderantrag bis Monatsende prüfen"]
    static let productTitles = ["Newsletter Bildungsregion", "Bildungsbericht", "Faktencheck Übergänge", "Broschüre „Bildungswege im Landkreis“",
                                "Flyer Lernpaten", "Präsentation für den Kreistag", "Bildungsportal", "Kompetenzpass Ehrenamt"]
    static let productTypes = ["newsletter", "flyer", "broschuere", "bildungsbericht", "faktencheck", "praesentation", "portal", "pass", "other"]
    static let channels = ["Website", "Newsletter", "Presse", "Social Media", "Gremien", "Schulen", "Rathäuser"]
    static let tipTitles = ["Den Nutzen der Bildungsregion sichtbar machen", "Daten für das Bildungsmonitoring gewinnen", "Gremien gut vorbereiten",
                            "Mit der Verwaltungsspitze über Prioritäten sprechen", "Partnerschaften mit der Wirtschaft pflegen",
                            "Veranstaltungen wirksam nachbereiten", "Produkte auf die Zielgruppe zuschneiden"]
    static let themes = ["communicate_value", "monitoring_data", "products", "events", "committees", "administration", "political_leadership", "partnerships"]
    static let sentences = ["Die Erfahrung zeigt, dass frühe Absprachen mit dem Schulamt später viel Zeit sparen.",
                            "Bewährt hat sich, die Bürgermeisterinnen und Bürgermeister persönlich einzuladen und nicht nur über den Verteiler.",
                            "Für die Auswertung genügen oft drei Kennzahlen; mehr überfordert die Gremien.",
                            "Ein kurzer Rückblick zu Beginn jeder Sitzung hält alle auf demselben Stand.",
                            "Übergänge gelingen dort, wo Kita, Grundschule und Jugendhilfe regelmäßig miteinander sprechen.",
                            "Die Ergebnisse wurden im Ausschuss für Bildung, Kultur und Sport vorgestellt und einstimmig begrüßt.",
                            "Wichtig ist, dass die Betriebe früh erfahren, welche Schülerinnen und Schüler sich für welche Berufe interessieren.",
                            "Das Landratsamt stellt die Räume kostenlos zur Verfügung; die Verpflegung übernimmt der Förderverein.",
                            "Größere Veranstaltungen brauchen einen Vorlauf von mindestens vier Monaten.",
                            "Die Rückmeldungen der Teilnehmenden waren überwiegend positiv, gewünscht wurden mehr Zeit für Austausch und Gespräche."]
}

/// Generates a synthetic region: `count` records over 40 counties, seeded and deterministic.
/// Kinds: about 55 % stakeholders (2 % near-duplicates across counties), 20 % events with
/// follow-ups, 10 % products, 15 % tips with long bodies. Umlauts everywhere.
struct RegionGenerator {
    var random: SeededRandom
    let count: Int
    let stakeholdersOnly: Bool
    var millis: UInt64 = 1_767_225_600_000 // 2026-01-01T00:00:00Z
    var counter: UInt64 = 0

    init(count: Int, seed: UInt64 = 9, stakeholdersOnly: Bool = false) {
        self.random = SeededRandom(seed: seed)
        self.count = count
        self.stakeholdersOnly = stakeholdersOnly
    }

    /// A deterministic ULID: time-ordered, 80 bits from the seeded generator.
    mutating func nextID() -> RecordID {
        counter += 1
        millis += UInt64(random.int(1...4000))
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        var chars = [UInt8](repeating: 0, count: 26)
        var time = millis
        for i in stride(from: 9, through: 0, by: -1) { chars[i] = alphabet[Int(time & 31)]; time >>= 5 }
        var bits = random.next()
        var top = random.next() & 0xFFFF
        for i in stride(from: 25, through: 10, by: -1) {
            chars[i] = alphabet[Int(bits & 31)]
            bits = (bits >> 5) | ((top & 31) << 59)
            top >>= 5
        }
        return RecordID(String(decoding: chars, as: UTF8.self))!
    }

    func timestamp(_ millis: UInt64) -> Timestamp { Timestamp(Date(timeIntervalSince1970: Double(millis) / 1000)) }

    mutating func date() -> String {
        String(format: "%04d-%02d-%02d", random.int(2024...2027), random.int(1...12), random.int(1...28))
    }

    mutating func paragraph(_ sentences: ClosedRange<Int>) -> String {
        (0..<random.int(sentences)).map { _ in random.pick(Region.sentences) }.joined(separator: " ")
    }

    /// All records, in generation order.
    mutating func generate() -> [Record] {
        var records: [Record] = []
        records.reserveCapacity(count)
        var stakeholdersByCounty: [String: [RecordID]] = [:]
        for index in 0..<count {
            let county = Region.counties[index % Region.counties.count]
            let roll = stakeholdersOnly ? 0 : random.int(0...99)
            let record: Record
            if roll < 55 {
                // 2 % are near-duplicates of an earlier stakeholder (another office met the same person).
                if random.chance(0.02), let original = records.last(where: { $0.kind == "stakeholder" }) {
                    record = duplicate(of: original, county: county.slug)
                } else {
                    record = stakeholder(county: county.slug)
                }
                stakeholdersByCounty[county.slug, default: []].append(record.id)
            } else if roll < 75 {
                record = event(county: county.slug, partners: stakeholdersByCounty[county.slug] ?? [])
            } else if roll < 85 {
                record = product(county: county.slug)
            } else {
                record = tip(county: county.slug)
            }
            records.append(record)
        }
        return records
    }

    mutating func header(_ kind: String, county: String) -> Record {
        let id = nextID()
        let created = timestamp(millis)
        let updated = timestamp(millis + UInt64(random.int(0...90_000_000)))
        return Record(id: id, kind: kind, county: County(county)!, created: created, updated: updated)
    }

    mutating func stakeholder(county: String) -> Record {
        var r = header("stakeholder", county: county)
        let person = random.chance(0.7)
        let first = random.pick(Region.firstNames), last = random.pick(Region.lastNames)
        let organisation = random.pick(Region.organisations)
        r["name"] = .text(person ? "\(first) \(last)" : "\(organisation) \(Region.lastNames[random.int(0...9)])")
        r["type"] = .text(person ? "person" : random.pick(["organisation", "office", "committee"]))
        r["organisation"] = .text(organisation)
        if person { r["role"] = .text(random.pick(Region.roles)) }
        r["sector"] = .text(random.pick(Region.sectors))
        if random.chance(0.4) { r["committees"] = .strings(random.some(Region.committees, 1...3)) }
        // A person's assessments are personal data that stay on the laptop (docs/privacy.md): a
        // region's files hold them for bodies only. Drawn for everyone, so the region stays the same.
        let stance = random.pick(["supporter", "neutral", "critical", "unknown"])
        let influence = random.pick(["low", "medium", "high"])
        let keyPerson = random.chance(0.15)
        if !person {
            r["stance"] = .text(stance)
            r["influence"] = .text(influence)
            if keyPerson { r["key_person"] = .bool(true) }
        }
        r["topics"] = .strings(random.some(Region.topics, 1...4))
        if random.chance(0.6) { r["tags"] = .strings(random.some(Region.tags, 1...3)) }
        return r
    }

    /// The same person seen by another office: a spelling variant, same organisation.
    mutating func duplicate(of original: Record, county: String) -> Record {
        var r = header("stakeholder", county: county)
        for (name, value) in original.fields { r.fields[name] = value }
        let name = original["name"]?.stringValue ?? ""
        r["name"] = .text(random.chance(0.5) ? name.replacingOccurrences(of: "ü", with: "ue").replacingOccurrences(of: "ä", with: "ae") : name + " ")
        r["name"] = .text((r["name"]?.stringValue ?? name).trimmingCharacters(in: .whitespaces))
        r["tags"] = .strings(random.some(Region.tags, 1...2))
        return r
    }

    mutating func event(county: String, partners: [RecordID]) -> Record {
        var r = header("event", county: county)
        let theme = random.pick(Region.eventThemes)
        let type = random.pick(["fachtag", "bildungskonferenz", "ausbildungsmesse", "netzwerktreffen", "gremium", "online", "other"])
        r["title"] = .text("\(type == "bildungskonferenz" ? "Bildungskonferenz" : "Fachtag") „\(theme)“ \(random.int(2024...2027))")
        r["type"] = .text(type)
        let start = date()
        r["start"] = .text(start)
        if random.chance(0.3) { r["end"] = .text(start) }
        r["location"] = .text(random.pick(Region.places))
        r["goals"] = .strings((0..<random.int(1...3)).map { _ in random.pick(Region.goals) })
        r["target_groups"] = .strings(random.some(Region.targetGroups, 1...4))
        r["participants"] = .int(random.int(12...480))
        if !partners.isEmpty { r["partners"] = .strings((0..<random.int(0...4)).map { _ in random.pick(partners).rawValue }.sorted()) }
        var items: [Item] = []
        for _ in 0..<random.int(0...5) {
            var fields = ["text": random.pick(Region.followUpTexts), "owner": "\(random.pick(Region.firstNames)) \(random.pick(Region.lastNames))",
                          "status": random.pick(["open", "open", "done", "dropped"])]
            if random.chance(0.6) { fields["due"] = date() }
            items.append(Item(id: nextID().rawValue, fields: fields))
        }
        r["follow_ups"] = .items(items)
        if random.chance(0.3) { r["press"] = .strings(random.some(["Augsburger Allgemeine", "Münchner Merkur", "Passauer Neue Presse", "Bayerischer Rundfunk", "Allgäuer Zeitung"], 1...2)) }
        r["outcomes"] = .text((0..<random.int(1...4)).map { _ in paragraph(2...5) }.joined(separator: "\n\n"))
        if random.chance(0.5) { r["tags"] = .strings(random.some(Region.tags, 1...3)) }
        return r
    }

    mutating func product(county: String) -> Record {
        var r = header("product", county: county)
        let index = random.int(0...(Region.productTitles.count - 1))
        r["title"] = .text("\(Region.productTitles[index]) \(random.int(2023...2027)) – Ausgabe \(random.int(1...12))")
        r["type"] = .text(Region.productTypes[index])
        r["target_groups"] = .strings(random.some(Region.targetGroups, 1...3))
        r["goals"] = .strings((0..<random.int(1...2)).map { _ in random.pick(Region.goals) })
        r["published"] = .text(date())
        r["channels"] = .strings(random.some(Region.channels, 1...3))
        r["url"] = .text("https://bildungsregion.example/\(county)/produkte/\(r.id.rawValue.lowercased())")
        if random.chance(0.5) { r["feedback"] = .text(paragraph(1...4)) }
        r["tags"] = .strings(random.some(Region.tags, 1...3))
        return r
    }

    mutating func tip(county: String) -> Record {
        var r = header("tip", county: county)
        r["title"] = .text(random.pick(Region.tipTitles) + " (\(Region.counties.first { $0.slug == county }?.name ?? county))")
        r["theme"] = .text(random.pick(Region.themes))
        // Long bodies: 4 to 14 paragraphs, about 1 to 6 KB.
        r["body"] = .text((0..<random.int(4...14)).map { _ in paragraph(2...6) }.joined(separator: "\n\n"))
        if random.chance(0.5) { r["quote"] = .text("„\(random.pick(Region.sentences))“ – \(random.pick(Region.firstNames)) \(random.pick(Region.lastNames))") }
        r["tags"] = .strings(random.some(Region.tags, 1...4))
        return r
    }

    /// Writes records as canonical files under `dir` (counties/<county>/<kind>/<shard>/<id>.md).
    static func write(_ records: [Record], to dir: String) throws -> Int {
        var bytes = 0
        var made: Set<String> = []
        for record in records {
            let path = dir + "/" + RecordLayout.path(of: record)
            let folder = (path as NSString).deletingLastPathComponent
            if made.insert(folder).inserted {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let data = Data(RecordWriter.write(record).utf8)
            bytes += data.count
            guard FileManager.default.createFile(atPath: path, contents: data) else { throw BenchError("cannot write \(path)") }
        }
        return bytes
    }
}

/// Edits the benchmark applies: deterministic changes to one field of a record.
enum Edits {
    /// The field an edit changes, by kind: `primary` for one side, `secondary` for the other.
    static func field(of kind: String, secondary: Bool) -> String {
        switch kind {
        case "stakeholder": return secondary ? "tags" : "role"
        case "event": return secondary ? "tags" : "location"
        case "product": return secondary ? "tags" : "url"
        default: return secondary ? "tags" : "quote"
        }
    }

    /// `record` with `field` set to a new value that names `side` (so two sides differ).
    static func apply(_ record: Record, field: String, side: String, round: Int) -> Record {
        var r = record
        switch field {
        case "tags": r[field] = .strings((record[field]?.strings ?? []) + ["geändert-\(side)-\(round)"])
        case "url": r[field] = .text("https://bildungsregion.example/\(record.county)/geändert/\(side)/\(round)")
        default: r[field] = .text("Geändert von \(side) (Runde \(round)): Übergänge stärken, Grüße aus Süd")
        }
        r.updated = Timestamp("2027-0\(side == "A" ? 3 : 4)-1\(round % 10)T08:00:00Z")!
        return r
    }
}

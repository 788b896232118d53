import KBMRecords
@testable import KBMReconcile

/// A realistic region for measuring precision and recall: stakeholders, events and products of
/// four counties, with planted duplicates (titles and forms of address, umlaut spellings, word
/// order, abbreviations, same email, same phone, typos) and near-misses that must stay apart.
/// Each entry carries the entity it describes; records with the same entity are true duplicates.
enum RegionFixtureData {
    struct Entry {
        var entity: String
        var record: Record
    }

    static let counties = ["lk-augsburg", "stadt-augsburg", "lk-ostallgaeu", "stadt-kempten"]

    static func entries() -> [Entry] {
        var seq = 1000
        var out: [Entry] = []
        func p(_ entity: String, _ county: String, _ name: String, _ org: String?, _ role: String?, _ sector: String?,
               email: String? = nil, phone: String? = nil, type: String = "person") {
            seq += 1
            out.append(Entry(entity: entity, record: Make.stakeholder(seq, county, name: name, type: type, organisation: org, role: role, sector: sector, email: email, phone: phone)))
        }
        func o(_ entity: String, _ county: String, _ name: String, _ sector: String?) {
            p(entity, county, name, nil, nil, sector, type: "organisation")
        }
        let (la, sa, oal, ke) = ("lk-augsburg", "stadt-augsburg", "lk-ostallgaeu", "stadt-kempten")

        // Planted duplicates: persons.
        p("huber", la, "Dr. Maria Huber", "Staatliches Schulamt im Landkreis Augsburg", "Schulamtsdirektorin", "school")
        p("huber", sa, "Huber, Maria", "Staatliches Schulamt Augsburg", "Schulamtsdirektorin", "school")
        p("mueller-j", oal, "Jürgen Müller", "Agentur für Arbeit Kempten-Memmingen", "Teamleiter Berufsberatung", "economy")
        p("mueller-j", ke, "Juergen Mueller", "Arbeitsagentur Kempten-Memmingen", "Teamleiter Berufsberatung", "economy")
        p("weiss", la, "Herr Stefan Weiß", "Bildungswerk der Bayerischen Wirtschaft", "Projektleiter", "economy", phone: "0821 3102-245")
        p("weiss", sa, "Stefan Weiss", "bbw Augsburg", "Projektleitung SchuleWirtschaft", "economy", phone: "+49 821 3102245")
        p("schroeder", ke, "Prof. Dr. Claudia Schröder", "Hochschule Kempten", "Vizepräsidentin Lehre", "higher_ed")
        p("schroeder", oal, "Schröder, Claudia", "Hochschule Kempten", "Vizepräsidentin", "higher_ed")
        p("schroeder", la, "Claudia Schroeder", "HS Kempten", "Vizepräsidentin für Lehre", "higher_ed")
        p("bauer-a", oal, "Anna Bauer", "Kreisjugendring Ostallgäu", "Geschäftsführerin", "youth", email: "a.bauer@kjr-oal.example")
        p("bauer-a", ke, "A. Bauer", "KJR Ostallgäu", "Geschäftsführung", "youth", email: "A.Bauer@kjr-oal.example")
        p("meier-s", oal, "Frau Sabine Meier", "Jugendamt Landkreis Ostallgäu", "Jugendhilfeplanung", "youth")
        p("meier-s", ke, "Sabine Maier", "Jugendamt Ostallgäu", "Jugendhilfeplanerin", "youth")
        p("schmid-t", la, "Thomas Schmid", "Berufliches Schulzentrum Neusäß", "Schulleiter", "vocational")
        p("schmid-t", sa, "Thomas Schmidt", "Berufliches Schulzentrum Neusäß", "Schulleiter", "vocational")
        p("wagner-k", la, "Dr. Klaus Wagner", "Kreistag Augsburg", "Kreisrat, Sprecher Bildungsausschuss", "politics", phone: "08231 60 12 00")
        p("wagner-k", sa, "Klaus Wagner", "Kreistag Landkreis Augsburg", "Kreisrat", "politics", phone: "08231/601200")
        p("koehler-b", sa, "Brigitte Köhler", "Volkshochschule Augsburg", "Programmbereich Grundbildung", "adult_ed", email: "koehler@vhs-augsburg.example")
        p("koehler-b", la, "Köhler, Brigitte", "VHS Augsburg", "Grundbildung", "adult_ed", email: "koehler@vhs-augsburg.example")
        p("lechner", oal, "Markus Lechner", "Landratsamt Ostallgäu", "Leiter Sachgebiet Bildung", "administration")
        p("lechner", ke, "Markus Lechner", "Landratsamt Ostallgäu", "Sachgebietsleiter Bildung", "administration")
        p("fischer-e", ke, "Elisabeth Fischer", "Staatliches Schulamt Kempten", "Schulrätin", "school", email: "e.fischer@schulamt-ke.example", phone: "0831 2525-310")
        p("fischer-e", oal, "Frau Elisabeth Fischer", "Schulamt Kempten", "Schulrätin", "school", phone: "0831 2525310")
        p("oezdemir", sa, "Ayşe Özdemir", "Integrationsbeirat Stadt Augsburg", "Vorsitzende", "civil_society")
        p("oezdemir", la, "Ayse Oezdemir", "Integrationsbeirat Augsburg", "Vorsitzende", "civil_society")
        // Planted duplicates: bodies.
        o("ihk", la, "IHK Schwaben", "economy")
        o("ihk", ke, "Industrie- und Handelskammer Schwaben", "economy")
        o("hwk", sa, "HWK Schwaben", "economy")
        o("hwk", oal, "Handwerkskammer für Schwaben", "economy")
        o("vhs-ke", ke, "Volkshochschule Kempten", "adult_ed")
        o("vhs-ke", oal, "VHS Kempten", "adult_ed")
        o("aa-a", la, "Agentur für Arbeit Augsburg", "economy")
        o("aa-a", sa, "Arbeitsagentur Augsburg", "economy")

        // Near-misses and singles.
        p("huber-schmid", la, "Maria Huber-Schmid", "Volkshochschule Augsburger Land", "Fachbereichsleiterin Sprachen und Integration", "adult_ed")
        p("hubert", ke, "Maria Hubert", "Musikschule Kempten", "Leiterin", "other")
        p("mueller-t1", la, "Thomas Müller", "Jugendamt Landkreis Augsburg", "Sachgebietsleiter", "youth")
        p("mueller-t2", ke, "Thomas Müller", "Carl-von-Linde-Gymnasium Kempten", "Schulleiter", "school")
        p("weiss-stefanie", sa, "Stefanie Weiß", "Stadtbücherei Augsburg", "Leseförderung", "civil_society")
        p("bauer-andreas", la, "Andreas Bauer", "Gymnasium Königsbrunn", "Oberstufenkoordinator", "school", email: "andreas.bauer@gym-koenigsbrunn.example")
        p("meier-s2", la, "Sabine Meyer", "Gymnasium Gersthofen", "Schulleiterin", "school")
        p("schmid-t2", oal, "Tobias Schmid", "Berufsschule Marktoberdorf", "Schulleiter", "vocational")
        o("ihk-muc", la, "IHK für München und Oberbayern", "economy")
        o("hwk-muc", oal, "Handwerkskammer für München und Oberbayern", "economy")
        o("vhs-kf", oal, "VHS Kaufbeuren", "adult_ed")
        o("aa-ke", ke, "Agentur für Arbeit Kempten-Memmingen", "economy")
        p("lang", sa, "Petra Lang", "Bildungsregion Augsburg", "Koordinatorin", "administration")
        p("hofmann", la, "Michael Hofmann", "Landratsamt Augsburg", "Landrat", "politics")
        p("zimmermann", ke, "Julia Zimmermann", "Stadtjugendring Kempten", "Geschäftsführerin", "youth")
        p("koch", oal, "Andrea Koch", "Kita-Fachberatung Ostallgäu", "Fachberaterin", "early_childhood")
        p("richter", sa, "Wolfgang Richter", "Stadtrat Augsburg", "Stadtrat, Bildungsausschuss", "politics")
        p("braun", ke, "Helga Braun", "Seniorenbeirat Kempten", "Vorsitzende", "civil_society")
        p("wolf", la, "Daniel Wolf", "Mittelschule Stadtbergen", "Schulleiter", "school")
        p("schaefer", oal, "Katrin Schäfer", "Caritasverband Ostallgäu", "Migrationsberatung", "civil_society")
        p("neumann", sa, "Florian Neumann", "Universität Augsburg", "Zentrum für Lehrerinnenbildung", "higher_ed")
        p("schwarz", ke, "Monika Schwarz", "Jobcenter Kempten", "Teamleiterin U25", "economy")
        p("krueger", la, "Stefan Krüger", "Sparkasse Schwaben-Bodensee", "Ausbildungsleiter", "economy")
        p("hartmann", oal, "Eva Hartmann", "Staatliches Schulamt Ostallgäu", "Schulrätin", "school")
        p("huber-j", ke, "Josef Huber", "Kreishandwerkerschaft Kempten", "Kreishandwerksmeister", "economy")
        o("jugendamt-ke", ke, "Jugendamt Stadt Kempten", "youth")
        o("kjr-a", la, "Kreisjugendring Augsburg-Land", "youth")

        // Events: a joint Fachtag entered twice, a fair of two years, a conference.
        func e(_ entity: String, _ county: String, _ title: String, _ type: String?, _ start: String?) {
            seq += 1
            out.append(Entry(entity: entity, record: Make.event(seq, county, title: title, type: type, start: start)))
        }
        e("fachtag-usb", oal, "Fachtag Übergang Schule–Beruf", "fachtag", "2026-05-06")
        e("fachtag-usb", ke, "Fachtag Uebergang Schule-Beruf Allgäu", "fachtag", "2026-05-07")
        e("messe-2026", oal, "Ausbildungsmesse Allgäu 2026", "ausbildungsmesse", "2026-03-14")
        e("messe-2026", ke, "Allgäuer Ausbildungsmesse 2026", "ausbildungsmesse", "2026-03-14")
        e("messe-2025", ke, "Ausbildungsmesse Allgäu 2025", "ausbildungsmesse", "2025-03-15")
        e("konf-a", la, "Bildungskonferenz Augsburg 2026", "bildungskonferenz", "2026-10-20")
        e("konf-sa", sa, "Bildungskonferenz Stadt Augsburg", "bildungskonferenz", "2026-11-18")
        e("netz", la, "Netzwerktreffen Ganztag", "netzwerktreffen", "2026-02-11")

        // Products.
        func d(_ entity: String, _ county: String, _ title: String, _ type: String?) {
            seq += 1
            out.append(Entry(entity: entity, record: Make.product(seq, county, title: title, type: type)))
        }
        d("bericht-la-24", la, "Bildungsbericht Landkreis Augsburg 2024", "bildungsbericht")
        d("bericht-la-24", sa, "Bildungsbericht 2024 – Landkreis Augsburg", "bildungsbericht")
        d("bericht-la-20", la, "Bildungsbericht Landkreis Augsburg 2020", "bildungsbericht")
        d("pass", oal, "Bildungs- und Beratungspass Ostallgäu", "pass")
        d("pass", ke, "Bildungs und Beratungspass Ostallgaeu", "pass")
        d("news-ke", ke, "Newsletter Bildung Kempten", "newsletter")
        d("flyer-ke", ke, "Flyer Bildung Kempten", "flyer")
        return out
    }
}

import XCTest
import KBMRecords
@testable import KBMReconcile

final class ScoringTests: XCTestCase {
    /// Named cases: two records, whether they should match at the default threshold, and a reason
    /// expected among the reasons. Every case also runs with the records swapped.
    func testScoringTable() {
        struct Case { var name: String; var a: Record; var b: Record; var match: Bool; var reason: String? }
        func S(_ seq: Int, _ county: String, _ name: String, _ type: String, _ org: String?, _ role: String?, _ sector: String?, _ email: String?, _ phone: String?) -> Record {
            Make.stakeholder(seq, county, name: name, type: type, organisation: org, role: role, sector: sector, email: email, phone: phone)
        }
        let cases: [Case] = [
            Case(name: "title and word order", a: S(1, "lk-augsburg", "Dr. Maria Huber", "person", "Staatliches Schulamt im Landkreis Augsburg", "Schulamtsdirektorin", "school", nil, nil),
                 b: S(2, "stadt-augsburg", "Huber, Maria", "person", "Staatliches Schulamt Augsburg", "Schulamtsdirektorin", "school", nil, nil), match: true, reason: "same name after normalisation"),
            Case(name: "umlaut spelling", a: S(3, "lk-ostallgaeu", "Jürgen Müller", "person", "Agentur für Arbeit Kempten-Memmingen", "Teamleiter Berufsberatung", "economy", nil, nil),
                 b: S(4, "stadt-kempten", "Juergen Mueller", "person", "Arbeitsagentur Kempten-Memmingen", "Teamleiter Berufsberatung", "economy", nil, nil), match: true, reason: "same organisation"),
            Case(name: "abbreviation", a: S(5, "lk-augsburg", "IHK Schwaben", "organisation", nil, nil, "economy", nil, nil),
                 b: S(6, "stadt-kempten", "Industrie- und Handelskammer Schwaben", "organisation", nil, nil, "economy", nil, nil), match: true, reason: "same name after normalisation"),
            Case(name: "same email, short first name", a: S(7, "lk-ostallgaeu", "Anna Bauer", "person", "Kreisjugendring Ostallgäu", "Geschäftsführerin", "youth", "a.bauer@kjr-oal.example", nil),
                 b: S(8, "stadt-kempten", "A. Bauer", "person", "KJR Ostallgäu", "Geschäftsführung", "youth", "A.Bauer@kjr-oal.example", nil), match: true, reason: "same email"),
            Case(name: "same phone, other format", a: S(9, "lk-augsburg", "Herr Stefan Weiß", "person", "Bildungswerk der Bayerischen Wirtschaft", nil, "economy", nil, "0821 3102-245"),
                 b: S(10, "stadt-augsburg", "Stefan Weiss", "person", "bbw Augsburg", nil, "economy", nil, "+49 821 3102245"), match: true, reason: "same phone"),
            Case(name: "sounds alike", a: S(11, "lk-unterallgaeu", "Frau Sabine Meier", "person", "Jugendamt Landkreis Unterallgäu", "Jugendhilfeplanung", "youth", nil, nil),
                 b: S(12, "lk-ostallgaeu", "Sabine Maier", "person", "Jugendamt Unterallgäu", "Jugendhilfeplanung", "youth", nil, nil), match: true, reason: "similar name"),
            Case(name: "near-miss: double surname", a: S(13, "lk-augsburg", "Dr. Maria Huber", "person", "Staatliches Schulamt im Landkreis Augsburg", "Schulamtsdirektorin", "school", nil, nil),
                 b: S(14, "lk-augsburg", "Maria Huber-Schmid", "person", "Volkshochschule Augsburger Land", "Fachbereichsleiterin Sprachen und Integration", "adult_ed", nil, nil), match: false, reason: nil),
            Case(name: "near-miss: same name, other person", a: S(15, "lk-augsburg", "Thomas Müller", "person", "Jugendamt Landkreis Augsburg", "Sachgebietsleiter", "youth", nil, nil),
                 b: S(16, "stadt-kempten", "Thomas Müller", "person", "Carl-von-Linde-Gymnasium Kempten", "Schulleiter", "school", nil, nil), match: false, reason: "different organisation"),
            Case(name: "near-miss: other chamber", a: S(17, "lk-augsburg", "IHK Schwaben", "organisation", nil, nil, "economy", nil, nil),
                 b: S(18, "lk-rosenheim", "IHK für München und Oberbayern", "organisation", nil, nil, "economy", nil, nil), match: false, reason: nil),
            Case(name: "near-miss: another town's VHS", a: S(19, "lk-augsburg", "Volkshochschule Kempten", "organisation", nil, nil, "adult_ed", nil, nil),
                 b: S(20, "stadt-kempten", "VHS Kaufbeuren", "organisation", nil, nil, "adult_ed", nil, nil), match: false, reason: nil),
            // Names as offices type them (docs/duplicates-evaluation.md).
            Case(name: "compound first name run together", a: S(31, "lk-rosenheim", "Hans-Peter Lutz", "person", "Volkshochschule Rosenheim", "Leiter", "adult_ed", nil, nil),
                 b: S(32, "lk-ebersberg", "Lutz, Hanspeter", "person", "VHS Rosenheim", "Leitung", "adult_ed", nil, nil), match: true, reason: "same organisation"),
            Case(name: "double surname with a space", a: S(33, "lk-passau", "Dr. Eva Kurz-Rainer", "person", "Jobcenter Landkreis Passau", nil, "economy", nil, nil),
                 b: S(34, "stadt-passau", "Eva Kurz Rainer", "person", "Jobcenter Passau-Land", nil, "economy", nil, nil), match: true, reason: "same name after normalisation"),
            Case(name: "near-miss: father and son", a: S(35, "lk-traunstein", "Georg Lutz sen.", "person", "Lutz Holzbau GmbH", "Inhaber", "economy", nil, nil),
                 b: S(36, "lk-traunstein", "Georg Lutz jun.", "person", "Lutz Holzbau", "Inhaber", "economy", nil, nil), match: false, reason: "father and son"),
            Case(name: "near-miss: a given name more", a: S(37, "lk-regen", "Anna Ott", "person", "Gymnasium Zwiesel", "Lehrerin", "school", nil, nil),
                 b: S(38, "lk-deggendorf", "Anna-Lena Ott", "person", "Gymnasium Zwiesel", "Lehrerin", "school", nil, nil), match: false, reason: "a name word on one side only"),
            Case(name: "near-miss: gendered given names", a: S(39, "lk-regen", "Simon Ott", "person", "Gymnasium Zwiesel", "Lehrer", "school", nil, nil),
                 b: S(40, "lk-deggendorf", "Simone Ott", "person", "Gymnasium Zwiesel", "Lehrerin", "school", nil, nil), match: false, reason: nil),
            Case(name: "Schulamt without Landkreis", a: S(41, "lk-erding", "Staatliches Schulamt im Landkreis Erding", "office", nil, nil, "school", nil, nil),
                 b: S(42, "lk-freising", "Schulamt Erding", "organisation", nil, nil, "school", nil, nil), match: true, reason: "same name after normalisation"),
            Case(name: "near-miss: city and county", a: S(43, "lk-erding", "Jugendamt Landkreis Erding", "office", nil, nil, "youth", nil, nil),
                 b: S(44, "lk-freising", "Jugendamt Stadt Erding", "office", nil, nil, "youth", nil, nil), match: false, reason: "one of a Landkreis, one of a Stadt"),
            Case(name: "near-miss: numbered schools", a: S(45, "lk-erding", "Staatliche Berufsschule I Erding", "office", nil, nil, "vocational", nil, nil),
                 b: S(46, "lk-freising", "Berufsschule II Erding", "office", nil, nil, "vocational", nil, nil), match: false, reason: "different numbers"),
            Case(name: "joint event a day apart", a: Make.event(21, "lk-ostallgaeu", title: "Fachtag Übergang Schule–Beruf", type: "fachtag", start: "2026-05-06"),
                 b: Make.event(22, "stadt-kempten", title: "Fachtag Uebergang Schule-Beruf", type: "fachtag", start: "2026-05-07"), match: true, reason: "start dates a day apart"),
            Case(name: "event of another year", a: Make.event(23, "lk-ostallgaeu", title: "Ausbildungsmesse Allgäu 2026", type: "ausbildungsmesse", start: "2026-03-14"),
                 b: Make.event(24, "stadt-kempten", title: "Ausbildungsmesse Allgäu 2025", type: "ausbildungsmesse", start: "2025-03-15"), match: false, reason: "start dates"),
            Case(name: "product, words reordered", a: Make.product(25, "lk-augsburg", title: "Bildungsbericht Landkreis Augsburg 2024", type: "bildungsbericht"),
                 b: Make.product(26, "stadt-augsburg", title: "Bildungsbericht 2024 – Landkreis Augsburg", type: "bildungsbericht"), match: true, reason: "same title"),
            Case(name: "product, other edition", a: Make.product(27, "lk-augsburg", title: "Bildungsbericht Landkreis Augsburg 2024", type: "bildungsbericht"),
                 b: Make.product(28, "lk-augsburg", title: "Bildungsbericht Landkreis Augsburg 2020", type: "bildungsbericht"), match: false, reason: "different years"),
            Case(name: "product, other type", a: Make.product(29, "lk-augsburg", title: "Newsletter Bildung", type: "newsletter"),
                 b: Make.product(30, "lk-ostallgaeu", title: "Newsletter Bildung", type: "flyer"), match: false, reason: "different type"),
        ]
        for c in cases {
            for (x, y) in [(c.a, c.b), (c.b, c.a)] {
                let m = Scorer.score(Profile(x), Profile(y))
                XCTAssertEqual(m.score >= Scorer.defaultMinScore, c.match, "\(c.name): score \(m.score) \(m.reasons)")
                if let reason = c.reason {
                    XCTAssertTrue(m.reasons.contains { $0.hasPrefix(reason) }, "\(c.name): reasons \(m.reasons)")
                }
            }
            let ab = Scorer.score(Profile(c.a), Profile(c.b)).score, ba = Scorer.score(Profile(c.b), Profile(c.a)).score
            XCTAssertEqual(ab, ba, accuracy: 0.02, "\(c.name): the score should not depend much on the order")
        }
    }
}

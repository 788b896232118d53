import XCTest
@testable import KBMReconcile

final class NormalizationTests: XCTestCase {
    func testFoldSpellsOutUmlautsAndCollapsesSpaces() {
        let cases: [(String, String)] = [
            ("  Jürgen   MÜLLER ", "juergen mueller"),
            ("Weiß", "weiss"),
            ("Schröder, Claudia", "schroeder claudia"),
            ("Günzburg", "guenzburg"),
            ("René Lefèvre", "rene lefevre"),
            ("Huber-Schmid", "huberschmid"),
            ("Industrie- und Handelskammer", "industrie und handelskammer"),
            ("Schule–Beruf", "schuleberuf"),
        ]
        for (input, expected) in cases { XCTAssertEqual(Normalize.fold(input), expected, input) }
        // Decomposed input (ü as u + combining diaeresis) folds like the composed form.
        XCTAssertEqual(Normalize.fold("Mu\u{0308}ller"), "mueller")
    }

    func testPersonNamesDropTitlesAndTurnLastFirstRound() {
        let cases: [(String, [String])] = [
            ("Dr. Maria Huber", ["maria", "huber"]),
            ("Huber, Maria", ["maria", "huber"]),
            ("Huber, Dr. Maria", ["maria", "huber"]),
            ("Prof. Dr. Claudia Schröder", ["claudia", "schroeder"]),
            ("Frau Sabine Meier", ["sabine", "meier"]),
            ("Herrn Dipl.-Ing. Stefan Weiß", ["stefan", "weiss"]),
            // Compound names: the parts are words, however joined ("Schmid Wagner" / "Schmidwagner" see Similarity).
            ("Maria Huber-Schmid", ["maria", "huber", "schmid"]),
            ("Hans-Jürgen Ott", ["hans", "juergen", "ott"]),
            // Degrees, ranks and remarks.
            ("Dipl.-Ing. (FH) Karl Lutz", ["karl", "lutz"]),
            ("Prof. Dr.-Ing. Eva Kurz", ["eva", "kurz"]),
            ("Dr. h. c. Eva Kurz", ["eva", "kurz"]),
            ("Stefan Lutz M.A.", ["stefan", "lutz"]),
            ("OStRin Eva Kurz", ["eva", "kurz"]),
            ("Erster Bürgermeister Georg Lutz", ["georg", "lutz"]),
            ("Georg Lutz (Schulleiter)", ["georg", "lutz"]),
            ("Lutz, Dr. Georg, MBA", ["georg", "lutz"]),
        ]
        for (input, expected) in cases { XCTAssertEqual(Normalize.personName(input), expected, input) }
    }

    func testGenerationSuffixesAreSetApart() {
        let cases: [(String, String?)] = [
            ("Georg Lutz jun.", "jun"), ("Georg Lutz junior", "jun"), ("Lutz, Georg jun", "jun"), ("Georg Lutz d. J.", "jun"),
            ("Georg Lutz sen.", "sen"), ("Georg Lutz Senior", "sen"), ("Georg Lutz d. Ä.", "sen"), ("Georg Lutz", nil),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(Normalize.person(input).generation, expected, input)
            XCTAssertEqual(Normalize.person(input).words, ["georg", "lutz"], input)
        }
    }

    func testOrganisationLegalFormsRemarksAndPlaces() {
        let same: [[String]] = [
            ["Musikschule Dachau", "Musikschule Dachau e. V.", "Musikschule Dachau e.V.", "Musikschule Dachau eingetragener Verein"],
            ["Lernhaus Erding", "Lernhaus Erding GmbH", "Lernhaus Erding gGmbH", "Lernhaus Erding G.m.b.H.", "Lernhaus Erding GmbH & Co. KG"],
            ["Technische Hochschule Nürnberg", "TH Nürnberg", "Technische Hochschule Nürnberg (THN)"],
            ["Schulamt Dachau", "Staatliches Schulamt im Landkreis Dachau", "Staatl. Schulamt Dachau", "SSA Dachau", "Staatliches Schulamt in der Stadt Dachau"],
            ["Hochschule Coburg", "Hochschule für angewandte Wissenschaften Coburg", "HAW Coburg"],
            ["Jugendamt Erding", "Kreisjugendamt Erding", "Jugendamt Landkreis Erding"],
            ["Volkshochschule Dachau", "VHS Dachau-Land", "Volkshochschule Dachauer Land", "VHS Stadt Dachau"],
        ]
        for group in same {
            for name in group.dropFirst() { XCTAssertEqual(Normalize.organisation(name), Normalize.organisation(group[0]), name) }
        }
        let places: [(String, Normalize.Place?)] = [
            ("Staatliches Schulamt im Landkreis Dachau", .county), ("VHS Dachau-Land", .county), ("Volkshochschule Dachauer Land", .county),
            ("Kreisjugendamt Erding", .county), ("Staatliches Schulamt in der Stadt Dachau", .city), ("Kreisjugendring München-Stadt", .city),
            ("Schulamt Dachau", nil), ("Caritas Stadt und Landkreis Dachau", nil), ("Stadtjugendring Dachau", nil),
        ]
        for (name, place) in places { XCTAssertEqual(Normalize.organisationName(name).place, place, name) }
        XCTAssertEqual(Normalize.numbers(Normalize.organisation("Staatliche Berufsschule II Erding")), ["ii"])
        XCTAssertEqual(Normalize.numbers(Normalize.organisation("Musikschule Dachau e. V.")), [])
    }

    func testOrganisationAbbreviationsAreSpelledOut() {
        XCTAssertEqual(Normalize.organisation("IHK Schwaben"), Normalize.organisation("Industrie- und Handelskammer Schwaben"))
        XCTAssertEqual(Normalize.organisation("HWK Schwaben"), Normalize.organisation("Handwerkskammer für Schwaben"))
        XCTAssertEqual(Normalize.organisation("VHS Kempten"), Normalize.organisation("Volkshochschule Kempten"))
        XCTAssertEqual(Normalize.organisation("Arbeitsagentur Augsburg"), Normalize.organisation("Agentur für Arbeit Augsburg"))
        XCTAssertNotEqual(Normalize.organisation("IHK Schwaben"), Normalize.organisation("IHK München und Oberbayern"))
    }

    func testPhoneNumbersCompareAsDigitsWithTrunkPrefix() {
        let same = ["0821 3102-245", "+49 821 3102245", "+49 (0)821 / 31 02 245", "0049 821 3102245", "(0821) 3102 245"]
        for text in same { XCTAssertEqual(Normalize.phone(text), "08213102245", text) }
        XCTAssertNil(Normalize.phone("123"))
        XCTAssertEqual(Normalize.email("  Maria.Huber@Schulamt.example "), "maria.huber@schulamt.example")
        XCTAssertNil(Normalize.email("keine Angabe"))
    }

    func testKoelnerPhonetik() {
        // Reference values of the algorithm's published examples.
        XCTAssertEqual(KoelnerPhonetik.code("Müller-Lüdenscheidt"), "65752682")
        XCTAssertEqual(KoelnerPhonetik.code("Wikipedia"), "3412")
        XCTAssertEqual(KoelnerPhonetik.code("Breschnew"), "17863")
        for name in ["Meier", "Maier", "Mayer", "Meyer"] { XCTAssertEqual(KoelnerPhonetik.code(name), "67", name) }
        XCTAssertEqual(KoelnerPhonetik.code("Schmid"), KoelnerPhonetik.code("Schmidt"))
        XCTAssertNotEqual(KoelnerPhonetik.code("Huber"), KoelnerPhonetik.code("Huberschmid"))
    }

    func testSimilarity() {
        XCTAssertEqual(Similarity.jaroWinkler("martha", "marhta"), 0.961, accuracy: 0.001)
        XCTAssertEqual(Similarity.tokens(["maria", "huber"], ["huber", "maria"]), 1)
        XCTAssertLessThan(Similarity.tokens(["maria", "huber"], ["maria", "huberschmid"]), 0.6)
        XCTAssertGreaterThan(Similarity.tokens(["sabine", "meier"], ["sabine", "maier"], phonetic: true), 0.9)
    }

    func testNameWordsSoundAlikeAndEndAlike() {
        for (a, b) in [("meier", "maier"), ("mayr", "maier"), ("schmid", "schmidt"), ("josef", "joseph"), ("katrin", "kathrin"),
                       ("markus", "marcus"), ("muller", "mueller"), ("sofie", "sophie")] {
            XCTAssertNotNil(Similarity.nameWords(a, b), "\(a) / \(b)")
            XCTAssertNotNil(Similarity.nameWords(b, a), "\(b) / \(a)")
        }
        // Other given names that sound alike, and other surnames.
        for (a, b) in [("simon", "simone"), ("christian", "christine"), ("peter", "petra"), ("jan", "jana"), ("stefan", "stefanie"),
                       ("andrea", "andreas"), ("karin", "katrin"), ("huber", "hubert"), ("kern", "kerner"), ("lena", "lea")] {
            XCTAssertNil(Similarity.nameWords(a, b), "\(a) / \(b)")
            XCTAssertNil(Similarity.nameWords(b, a), "\(b) / \(a)")
        }
    }

    func testCompoundNamePartsMatchHoweverJoined() {
        let forms = [["hans", "juergen", "ott"], ["hansjuergen", "ott"], ["ott", "hans", "juergen"]]
        for x in forms {
            for y in forms {
                let m = Similarity.personNames(x, y)
                XCTAssertEqual(m.score, 1, "\(x) / \(y)")
                XCTAssertTrue(m.onlyInA.isEmpty && m.onlyInB.isEmpty)
            }
        }
        let part = Similarity.personNames(["anna", "ott"], ["anna", "lena", "ott"])
        XCTAssertEqual(part.onlyInA, [])
        XCTAssertEqual(part.onlyInB, ["lena"])
    }
}

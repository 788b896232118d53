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
            ("Maria Huber-Schmid", ["maria", "huberschmid"]),
        ]
        for (input, expected) in cases { XCTAssertEqual(Normalize.personName(input), expected, input) }
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
}

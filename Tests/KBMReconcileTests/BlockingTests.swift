import Foundation
import KBMTestSupport
import XCTest
import KBMRecords
@testable import KBMReconcile

final class BlockingTests: XCTestCase {
    func pairSet(_ pairs: [DuplicatePair]) -> Set<[String]> { Set(pairs.map { [$0.a.rawValue, $0.b.rawValue] }) }

    /// The sample region's planted pairs are found, the near-miss is not.
    func testSampleRegionPlantedDuplicates() throws {
        let records = try Make.sampleRecords()
        XCTAssertGreaterThan(records.count, 200)
        let profiles = records.filter { Profile.kinds.contains($0.kind) }.map(Profile.init)
        var stats = Blocking.Stats()
        let candidates = Set(Blocking.candidatePairs(profiles, stats: &stats).map { [profiles[$0.0].id.rawValue, profiles[$0.1].id.rawValue].sorted() })
        let huber = ["01KGHD9MT9CXTXQJ4KPFB35Y6A", "01KGHDXQD7W9R00YVEJDBR2A2C"]
        let ihk = ["01KGHCRE0XT3PMC9F0KPPTTNHP", "01KGHDB2Q2VC802EM401QE87BK"]
        let nearMiss = "01KGHDGTA6DC7NPD83MY6QWK58"
        XCTAssertTrue(candidates.contains(huber), "blocking must propose the Huber pair")
        XCTAssertTrue(candidates.contains(ihk), "blocking must propose the IHK pair")
        XCTAssertLessThan(stats.comparisons, stats.allPairs / 10)

        let (found, _) = DuplicateFinder.find(profiles)
        let pairs = pairSet(found)
        XCTAssertTrue(pairs.contains(huber))
        XCTAssertTrue(pairs.contains(ihk))
        XCTAssertFalse(found.contains { $0.a.rawValue == nearMiss || $0.b.rawValue == nearMiss }, "Maria Huber-Schmid must not match: \(found.filter { $0.a.rawValue == nearMiss || $0.b.rawValue == nearMiss })")
        for p in found {
            let a = records.first { $0.id == p.a }, b = records.first { $0.id == p.b }
            print(String(format: "sample: %.2f", p.match.score), a?.title() ?? "", "|", b?.title() ?? "", "|", p.match.reasons.joined(separator: "; "))
        }
    }

    /// Precision and recall on the realistic fixture (printed), at the default threshold.
    func testPrecisionAndRecallOnFixture() {
        let entries = RegionFixtureData.entries()
        XCTAssertGreaterThanOrEqual(entries.filter { $0.record.kind == "stakeholder" }.count, 50)
        XCTAssertEqual(Set(entries.map(\.record.county.rawValue)).count, 4)
        var truth = Set<[String]>()
        for (i, x) in entries.enumerated() {
            for y in entries[(i + 1)...] where x.entity == y.entity {
                truth.insert([x.record.id.rawValue, y.record.id.rawValue].sorted())
            }
        }
        let entity = Dictionary(entries.map { ($0.record.id, $0.entity) }, uniquingKeysWith: { a, _ in a })
        let title = Dictionary(entries.map { ($0.record.id, $0.record.title()) }, uniquingKeysWith: { a, _ in a })
        let (found, stats) = DuplicateFinder.find(entries.map { Profile($0.record) })
        let predicted = pairSet(found)
        let truePositives = predicted.intersection(truth).count
        let precision = predicted.isEmpty ? 1 : Double(truePositives) / Double(predicted.count)
        let recall = Double(truePositives) / Double(truth.count)
        for p in found where entity[p.a] != entity[p.b] {
            print(String(format: "false positive %.2f: ", p.match.score) + "\(title[p.a] ?? "") | \(title[p.b] ?? "") | \(p.match.reasons)")
        }
        for pair in truth.subtracting(predicted) {
            let a = entries.first { $0.record.id.rawValue == pair[0] }!.record, b = entries.first { $0.record.id.rawValue == pair[1] }!.record
            let m = Scorer.score(Profile(a), Profile(b))
            print(String(format: "missed %.2f: ", m.score) + "\(a.title()) | \(b.title()) | \(m.reasons)")
        }
        print(String(format: "fixture: %d records, %d true pairs, %d predicted, precision %.3f, recall %.3f, %d comparisons of %d possible",
                     entries.count, truth.count, predicted.count, precision, recall, stats.comparisons, stats.allPairs))
        XCTAssertGreaterThanOrEqual(recall, 0.9)
        XCTAssertGreaterThanOrEqual(precision, 0.9)
    }

    /// 100,000 synthetic stakeholders: blocking keeps the comparisons far below n²/2, and the run
    /// takes seconds. Planted duplicates (umlaut spellings, word order) are still found.
    func testHundredThousandRecordsWithoutComparingAllPairs() {
        var rng = SplitMix64(seed: 20260203)
        let first = ["Maria", "Anna", "Thomas", "Stefan", "Sabine", "Jürgen", "Claudia", "Michael", "Andrea", "Markus", "Petra",
                     "Wolfgang", "Julia", "Florian", "Katrin", "Monika", "Josef", "Eva", "Helga", "Daniel", "Brigitte", "Klaus",
                     "Elisabeth", "Tobias", "Sandra", "Christian", "Martina", "Andreas", "Barbara", "Franz", "Lena", "Lukas",
                     "Sophie", "Jonas", "Leonie", "Felix", "Hannah", "Paul", "Laura", "Maximilian"]
        let stems = ["Hub", "Müll", "Schmi", "Weiß", "Bau", "Mai", "Wag", "Köh", "Lech", "Fisch", "Hof", "Zimm", "Kre", "Rich",
                     "Brau", "Wol", "Schä", "Neu", "Schwa", "Krü", "Hart", "Lang", "Stei", "Gru", "Ro", "Pfa", "Eder", "Bra",
                     "Sei", "Hell", "Kai", "Fuchs", "Ber", "Obe", "Unt", "Wink", "Ried", "Anger", "Moos", "Bichl"]
        let endings = ["er", "mann", "inger", "huber", "bauer", "maier", "hofer", "leitner", "berger", "moser", "egger",
                       "reiter", "wieser", "lechner", "thaler", "gruber", "stetter", "rainer", "eder", "wimmer", "brunner",
                       "auer", "kammer", "meister", "ecker"]
        let orgs = ["Staatliches Schulamt", "Volkshochschule", "Jugendamt", "Agentur für Arbeit", "Gymnasium", "Mittelschule",
                    "Kreisjugendring", "Landratsamt", "Caritasverband", "Stadtbücherei", "Berufsschule", "Musikschule"]
        let places = ["Augsburg", "Kempten", "Kaufbeuren", "Memmingen", "Günzburg", "Neu-Ulm", "Dillingen", "Donauwörth",
                      "Füssen", "Mindelheim", "Landsberg", "Friedberg", "Aichach", "Lindau", "Sonthofen", "Nördlingen"]
        let counties = ["lk-augsburg", "stadt-augsburg", "lk-ostallgaeu", "stadt-kempten", "lk-unterallgaeu", "lk-guenzburg",
                        "lk-donau-ries", "lk-oberallgaeu"]
        let n = 100_000
        var records: [Record] = []
        records.reserveCapacity(n + 200)
        for i in 0..<n {
            let name = first[rng.below(first.count)] + " " + stems[rng.below(stems.count)] + endings[rng.below(endings.count)]
            let org = orgs[rng.below(orgs.count)] + " " + places[rng.below(places.count)]
            records.append(Make.stakeholder(i, counties[rng.below(counties.count)], name: name, organisation: org,
                                            phone: "08\(rng.below(900) + 100) \(rng.below(900_000) + 100_000)"))
        }
        // Planted: 100 records entered again in another county, "Last, First" with umlauts spelled out.
        var planted: [(RecordID, RecordID)] = []
        for k in 0..<100 {
            let original = records[k * 997]
            let words = original.title().split(separator: " ").map(String.init)
            let variant = "\(words[1]), \(words[0])".replacingOccurrences(of: "ü", with: "ue").replacingOccurrences(of: "ö", with: "oe")
                .replacingOccurrences(of: "ä", with: "ae").replacingOccurrences(of: "ß", with: "ss")
            var copy = Make.stakeholder(n + k, "stadt-kempten", name: variant, organisation: original.fields["organisation"]?.stringValue)
            copy.fields["phone"] = original.fields["phone"]
            records.append(copy)
            planted.append((original.id, copy.id))
        }
        let start = Date()
        let profiles = records.map(Profile.init)
        let profiled = Date()
        let (found, stats) = DuplicateFinder.find(profiles, minScore: Scorer.defaultMinScore)
        let elapsed = Date().timeIntervalSince(start)
        let pairs = Set(found.map { [$0.a, $0.b] })
        let foundPlanted = planted.filter { pairs.contains([min($0.0, $0.1), max($0.0, $0.1)]) }.count
        print(String(format: "100k: %d records, %d comparisons (all pairs would be %d, %.4f%%), %d blocks (%d too large, skipped), %d pairs ≥ %.2f, planted found %d/100, profiles %.1fs, total %.1fs",
                     records.count, stats.comparisons, stats.allPairs, 100 * Double(stats.comparisons) / Double(stats.allPairs),
                     stats.blocks, stats.skippedBlocks, found.count, Scorer.defaultMinScore, foundPlanted,
                     profiled.timeIntervalSince(start), elapsed))
        XCTAssertLessThan(stats.comparisons, stats.allPairs / 500, "blocking must not compare (nearly) all pairs")
        XCTAssertGreaterThanOrEqual(foundPlanted, 95)
        XCTAssertLessThan(elapsed, 120, "far too slow")
    }
}

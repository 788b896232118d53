import Foundation
import XCTest
import KBMFuzz

/// A short, seeded fuzz run of the record parser and of the merge, part of every test run.
/// KBM_FUZZ_SECONDS sets the time per target (default 20); KBM_FUZZ_SEED repeats a run.
/// The long run is `make fuzz` (libFuzzer when it builds, else this driver for longer).
final class FuzzRunTests: XCTestCase {
    var seconds: Double { ProcessInfo.processInfo.environment["KBM_FUZZ_SECONDS"].flatMap(Double.init) ?? 20 }
    var seed: UInt64 { ProcessInfo.processInfo.environment["KBM_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_010 }

    static var sampleRepo: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-repo").path
    }

    func runTarget(_ target: FuzzTarget) {
        let out = NSTemporaryDirectory() + "kbm-fuzz-\(target.rawValue)-\(UUID().uuidString.prefix(8))"
        let run = FuzzRun(target: target, seed: seed, seconds: seconds, sampleRepo: Self.sampleRepo, outputDirectory: out)
        let result = run.run()
        print("kbm-fuzz \(target.rawValue): seed \(seed), \(result.inputs) inputs in \(String(format: "%.1f", result.seconds)) s, \(result.failures.count) failures")
        XCTAssertGreaterThan(result.inputs, 100, "the fuzz run tried almost nothing")
        for failure in result.failures.prefix(5) {
            XCTFail("\(target.rawValue) (seed \(seed)): \(failure.message.prefix(1500))\ninput: \(String(decoding: failure.input, as: UTF8.self).debugDescription.prefix(1500))")
        }
        if result.failures.isEmpty { try? FileManager.default.removeItem(atPath: out) }
    }

    func testParserFuzz() { runTarget(.parser) }

    func testMergeFuzz() { runTarget(.merge) }

    /// The sample repository's files all pass the parser property (the corpus itself is sound).
    func testCorpusSeedsPass() {
        let seeds = FuzzCorpus.seeds(sampleRepo: Self.sampleRepo)
        XCTAssertGreaterThan(seeds.count, 100)
        for seed in seeds { XCTAssertNil(ParserFuzz.check(seed)) }
    }
}

import Foundation

/// Which property a fuzz run checks.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case parser, merge

    public func check(_ data: [UInt8]) -> String? {
        switch self {
        case .parser: return ParserFuzz.check(data)
        case .merge: return MergeFuzz.check(data)
        }
    }
}

/// A seeded mutation-based fuzz run without libFuzzer: mutates the corpus for a time budget and
/// records every input whose check fails. (A crash ends the process: the input being tried is
/// written to `<out>/current-<target>` first, so it can be replayed.)
public struct FuzzRun {
    public struct Result: Sendable {
        public var inputs = 0
        public var failures: [(input: [UInt8], message: String)] = []
        public var seconds = 0.0
    }

    public var target: FuzzTarget
    public var seed: UInt64
    public var seconds: Double
    public var maxInputs: Int
    public var sampleRepo: String?
    /// Where failing inputs are written (nil: nowhere).
    public var outputDirectory: String?

    public init(target: FuzzTarget, seed: UInt64, seconds: Double, maxInputs: Int = .max, sampleRepo: String?, outputDirectory: String?) {
        (self.target, self.seed, self.seconds, self.maxInputs, self.sampleRepo, self.outputDirectory) = (target, seed, seconds, maxInputs, sampleRepo, outputDirectory)
    }

    public func run() -> Result {
        var result = Result()
        let start = Date()
        var mutator = Mutator(seed: seed, seeds: target == .parser ? FuzzCorpus.seeds(sampleRepo: sampleRepo) : [])
        var random = SplitMix64(seed: seed ^ 0xA5A5)
        if let outputDirectory { try? FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true) }
        let current = outputDirectory.map { "\($0)/current-\(target.rawValue)" }
        while result.inputs < maxInputs {
            if result.inputs % 64 == 0, Date().timeIntervalSince(start) >= seconds { break }
            let input: [UInt8]
            switch target {
            case .parser: input = mutator.next()
            case .merge: input = (0..<(16 + Int(random.next() % 240))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            if let current, result.inputs % 16 == 0 || target == .parser { try? Data(input).write(to: URL(fileURLWithPath: current)) }
            result.inputs += 1
            if let message = target.check(input) {
                result.failures.append((input, message))
                if let outputDirectory {
                    try? Data(input).write(to: URL(fileURLWithPath: "\(outputDirectory)/failure-\(target.rawValue)-\(result.failures.count)"))
                }
                if result.failures.count >= 20 { break }
            }
        }
        if let current { try? FileManager.default.removeItem(atPath: current) }
        result.seconds = Date().timeIntervalSince(start)
        return result
    }
}

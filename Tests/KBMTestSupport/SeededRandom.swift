// The one seeded generator of the tests is the fuzzer's (Sources/KBMFuzz/FuzzInput.swift), so a
// seed printed by a failing property test, a simulation or a fuzz run means the same sequence
// everywhere. Re-exported: a test target that imports KBMTestSupport sees `SplitMix64`.
@_exported import struct KBMFuzz.SplitMix64

extension SplitMix64 {
    /// A number in 0..<n; 0 without drawing when n ≤ 1.
    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    /// True with a probability of `p` percent.
    public mutating func percent(_ p: Int) -> Bool { below(100) < p }
    /// One element of a non-empty array.
    public mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
}

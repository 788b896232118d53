/// Reads choices from fuzzer bytes, like libFuzzer's FuzzedDataProvider: the same bytes always
/// give the same choices, and running out of bytes gives zeros (so every input is usable).
public struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var exhausted: Bool { position >= bytes.count }

    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A number in 0..<count (0 when count is 0).
    public mutating func int(_ count: Int) -> Int {
        guard count > 1 else { return 0 }
        let raw = (UInt32(byte()) << 8) | UInt32(byte())
        return Int(raw) % count
    }

    public mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    public mutating func pick<T>(_ options: [T]) -> T { options[int(options.count)] }

    /// The rest of the bytes.
    public mutating func rest() -> ArraySlice<UInt8> {
        defer { position = bytes.count }
        return bytes[min(position, bytes.count)...]
    }
}

/// A small deterministic generator (SplitMix64), so a fuzz run repeats from its seed.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

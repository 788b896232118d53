import CLibgit2

/// A git object id (SHA-1), stored as 20 raw bytes; `hex` is its 40-character lowercase form.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    // 20 bytes as 8 + 8 + 4, so hashing and comparing are cheap (tree diffs compare many ids).
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    /// Parses 40 hex digits (either case); nil for anything else.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var raw = [UInt8](repeating: 0, count: 20)
        for index in 0..<20 {
            guard let high = hexValue(utf8[2 * index]), let low = hexValue(utf8[2 * index + 1]) else { return nil }
            raw[index] = high << 4 | low
        }
        self.init(rawBytes: raw)
    }

    init(_ oid: git_oid) {
        self.init(rawBytes: withUnsafeBytes(of: oid.id) { Array($0) })
    }

    private init(rawBytes raw: [UInt8]) {
        precondition(raw.count == 20, "a SHA-1 object id has 20 bytes")
        func load<T: FixedWidthInteger>(_ range: Range<Int>, as: T.Type) -> T {
            raw[range].reduce(T.zero) { $0 << 8 | T($1) }
        }
        high = load(0..<8, as: UInt64.self)
        middle = load(8..<16, as: UInt64.self)
        low = load(16..<20, as: UInt32.self)
    }

    /// The 20 raw bytes.
    public var rawBytes: [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: high >> ($0 * 8)) }
            + (0..<8).reversed().map { UInt8(truncatingIfNeeded: middle >> ($0 * 8)) }
            + (0..<4).reversed().map { UInt8(truncatingIfNeeded: low >> ($0 * 8)) }
    }

    /// 40 lowercase hex digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(40)
        for byte in rawBytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The first 7 hex digits, for messages.
    public var short: String { String(hex.prefix(7)) }

    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }

    /// The libgit2 representation.
    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { buffer in
            for (index, byte) in rawBytes.enumerated() { buffer[index] = byte }
        }
        return oid
    }
}

private func hexValue(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
    default: return nil
    }
}

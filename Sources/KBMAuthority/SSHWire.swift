import Foundation

/// SSH's wire encoding (RFC 4251 §5): big-endian uint32, and `string` = uint32 length + bytes.
/// Used by OpenSSH keys, public key lines and SSHSIG signatures.
struct SSHWriter {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ data: some Sequence<UInt8>) { bytes += data }

    mutating func uint32(_ value: UInt32) {
        bytes += [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    mutating func string(_ data: some Collection<UInt8>) {
        uint32(UInt32(data.count))
        bytes += data
    }

    mutating func string(_ text: String) { string(Array(text.utf8)) }
}

/// Reads SSH's wire encoding; every read throws `AuthorityError.malformed` past the end.
struct SSHReader {
    private let bytes: [UInt8]
    private var offset = 0
    let what: String

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    var isAtEnd: Bool { offset == bytes.count }
    var remaining: ArraySlice<UInt8> { bytes[offset...] }

    mutating func raw(_ count: Int) throws -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw AuthorityError.malformed("\(what): truncated") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func uint32() throws -> UInt32 {
        let b = try raw(4)
        return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
    }

    mutating func string() throws -> [UInt8] {
        let length = try uint32()
        guard length <= 1 << 20 else { throw AuthorityError.malformed("\(what): a field claims \(length) bytes") }
        return try raw(Int(length))
    }

    mutating func text() throws -> String {
        let data = try string()
        guard let text = String(validating: data, as: UTF8.self) else { throw AuthorityError.malformed("\(what): a name is not UTF-8") }
        return text
    }
}

/// PEM-like armor: `-----BEGIN <label>-----`, base64 in lines of `width`, `-----END <label>-----`.
enum Armor {
    static func wrap(_ bytes: [UInt8], label: String, width: Int) -> String {
        let base64 = Data(bytes).base64EncodedString()
        var lines = ["-----BEGIN \(label)-----"]
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: width, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<end]))
            index = end
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The bytes between the BEGIN and END lines of `label`. Throws `AuthorityError.malformed`.
    static func unwrap(_ text: String, label: String) throws -> [UInt8] {
        let begin = "-----BEGIN \(label)-----", end = "-----END \(label)-----"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else {
            throw AuthorityError.malformed("expected a block starting with \(begin)")
        }
        let body = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(body)) else { throw AuthorityError.malformed("\(label): invalid base64") }
        return Array(data)
    }
}

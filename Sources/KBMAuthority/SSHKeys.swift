import Crypto
import Foundation

/// An Ed25519 public key as OpenSSH writes it: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… comment`.
public struct SSHPublicKey: Hashable, Sendable, CustomStringConvertible {
    public static let type = "ssh-ed25519"
    /// The 32 raw bytes of the key.
    public let raw: [UInt8]

    public init(raw: [UInt8]) throws {
        guard raw.count == 32 else { throw AuthorityError.malformed("an Ed25519 public key has 32 bytes, not \(raw.count)") }
        self.raw = raw
    }

    /// Parses a public key line (`ssh-ed25519 <base64> [comment]`); the comment is ignored.
    /// Throws `AuthorityError` for another key type or a damaged key.
    public init(line: String) throws {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count >= 2 else { throw AuthorityError.malformed("expected a public key line like `ssh-ed25519 AAAA… name`, got \"\(line.prefix(40))\"") }
        guard parts[0] == Self.type else { throw AuthorityError.unsupported("only ssh-ed25519 keys are supported, not \(parts[0])") }
        guard let data = Data(base64Encoded: parts[1]) else { throw AuthorityError.malformed("the key's base64 is damaged") }
        try self.init(wire: Array(data))
    }

    /// Parses the wire blob: string "ssh-ed25519", string key.
    public init(wire: [UInt8]) throws {
        var reader = SSHReader(wire, what: "public key")
        let type = try reader.text()
        guard type == Self.type else { throw AuthorityError.unsupported("only ssh-ed25519 keys are supported, not \(type)") }
        let raw = try reader.string()
        guard reader.isAtEnd else { throw AuthorityError.malformed("public key: trailing bytes") }
        try self.init(raw: raw)
    }

    /// The wire blob: string "ssh-ed25519", string key.
    public var wire: [UInt8] {
        var writer = SSHWriter()
        writer.string(Self.type)
        writer.string(raw)
        return writer.bytes
    }

    /// `ssh-ed25519 <base64>` without a comment: the form the registry stores and compares.
    public var line: String { "\(Self.type) \(Data(wire).base64EncodedString())" }

    public var description: String { line }

    /// `SHA256:…` as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        let digest = SHA256.hash(data: wire)
        var text = Data(digest).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}

/// An unencrypted Ed25519 private key in OpenSSH's format (`-----BEGIN OPENSSH PRIVATE KEY-----`),
/// the format `ssh-keygen -t ed25519 -N ''` writes.
public struct SSHPrivateKey: Sendable {
    static let magic = Array("openssh-key-v1".utf8) + [0]
    static let label = "OPENSSH PRIVATE KEY"

    /// The 32-byte seed.
    let seed: [UInt8]
    public let publicKey: SSHPublicKey
    public var comment: String

    /// A new random key.
    public static func generate(comment: String) -> SSHPrivateKey {
        let key = Curve25519.Signing.PrivateKey()
        // A fresh key's public part always has 32 bytes.
        guard let result = try? SSHPrivateKey(seed: Array(key.rawRepresentation), comment: comment) else {
            preconditionFailure("swift-crypto made an Ed25519 key of unexpected size")
        }
        return result
    }

    /// The key with this 32-byte seed. Throws `AuthorityError.malformed` for another length.
    public init(seed: [UInt8], comment: String) throws {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw AuthorityError.malformed("an Ed25519 private key seed has 32 bytes")
        }
        self.seed = seed
        self.publicKey = try SSHPublicKey(raw: Array(key.publicKey.rawRepresentation))
        self.comment = comment
    }

    /// Reads an OpenSSH private key file's text. Throws `AuthorityError` for an encrypted key,
    /// another key type, or damage (the check integers or the embedded public key disagree).
    public init(openSSH text: String) throws {
        let bytes = try Armor.unwrap(text, label: Self.label)
        var reader = SSHReader(bytes, what: "OpenSSH private key")
        guard try reader.raw(Self.magic.count) == Self.magic else { throw AuthorityError.malformed("not an OpenSSH private key (bad magic)") }
        let cipher = try reader.text(), kdf = try reader.text()
        _ = try reader.string()
        guard cipher == "none", kdf == "none" else {
            throw AuthorityError.unsupported("the key is protected by a passphrase (cipher \(cipher)); kbm needs a key without one (ssh-keygen -t ed25519 -N '')")
        }
        guard try reader.uint32() == 1 else { throw AuthorityError.unsupported("the file holds more than one key") }
        let outerPublic = try SSHPublicKey(wire: try reader.string())
        var inner = SSHReader(try reader.string(), what: "OpenSSH private key")
        guard try inner.uint32() == inner.uint32() else { throw AuthorityError.malformed("OpenSSH private key: check integers differ (damaged or encrypted)") }
        let type = try inner.text()
        guard type == SSHPublicKey.type else { throw AuthorityError.unsupported("only ssh-ed25519 keys are supported, not \(type)") }
        let publicRaw = try inner.string()
        let secret = try inner.string()
        let comment = try inner.text()
        guard secret.count == 64, Array(secret[32...]) == publicRaw, publicRaw == outerPublic.raw else {
            throw AuthorityError.malformed("OpenSSH private key: the public and private parts do not match")
        }
        try self.init(seed: Array(secret[..<32]), comment: comment)
        guard publicKey == outerPublic else { throw AuthorityError.malformed("OpenSSH private key: the seed does not give the stored public key") }
    }

    /// The key as OpenSSH writes it (unencrypted), 70 base64 characters a line.
    public var openSSH: String {
        var inner = SSHWriter()
        // The check integers only detect a wrong passphrase; without encryption any equal pair works.
        // A value derived from the key keeps the file deterministic.
        let check = UInt32(publicKey.raw[0]) << 24 | UInt32(publicKey.raw[1]) << 16 | UInt32(publicKey.raw[2]) << 8 | UInt32(publicKey.raw[3])
        inner.uint32(check)
        inner.uint32(check)
        inner.string(SSHPublicKey.type)
        inner.string(publicKey.raw)
        inner.string(seed + publicKey.raw)
        inner.string(comment)
        var pad: UInt8 = 1
        while inner.bytes.count % 8 != 0 {
            inner.raw([pad])
            pad += 1
        }
        var outer = SSHWriter()
        outer.raw(Self.magic)
        outer.string("none")
        outer.string("none")
        outer.string([UInt8]())
        outer.uint32(1)
        outer.string(publicKey.wire)
        outer.string(inner.bytes)
        return Armor.wrap(outer.bytes, label: Self.label, width: 70)
    }

    /// The `.pub` file line: `ssh-ed25519 <base64> <comment>`.
    public var publicLine: String { comment.isEmpty ? publicKey.line : "\(publicKey.line) \(comment)" }

    /// The Ed25519 signature of `message` (64 bytes).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        return Array(try key.signature(for: message))
    }
}

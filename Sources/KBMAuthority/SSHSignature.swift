import Crypto
import Foundation

/// An SSHSIG signature (OpenSSH's PROTOCOL.sshsig), as `ssh-keygen -Y sign` writes it and git
/// stores in a commit's `gpgsig` header with `gpg.format=ssh`.
///
/// The signature covers, not the message itself, but this blob:
/// `"SSHSIG" ‖ string namespace ‖ string reserved ‖ string hash_algorithm ‖ string H(message)`.
/// The armored form (`-----BEGIN SSH SIGNATURE-----`) holds:
/// `"SSHSIG" ‖ uint32 1 ‖ string publickey ‖ string namespace ‖ string reserved ‖
///  string hash_algorithm ‖ string signature`, where `signature` is itself
/// `string "ssh-ed25519" ‖ string <64 bytes>`.
public struct SSHSignature: Hashable, Sendable {
    static let magic = Array("SSHSIG".utf8)
    static let label = "SSH SIGNATURE"
    /// git's namespace for commit and tag signatures.
    public static let gitNamespace = "git"

    public let publicKey: SSHPublicKey
    public let namespace: String
    public let hashAlgorithm: String
    /// The raw Ed25519 signature (64 bytes).
    public let signature: [UInt8]

    /// Signs `message` with `key` in `namespace`, hashing with SHA-512 as ssh-keygen does.
    public static func sign(_ message: some Collection<UInt8>, key: SSHPrivateKey, namespace: String = gitNamespace) throws -> SSHSignature {
        let toSign = signedData(message, namespace: namespace, hashAlgorithm: "sha512")
        return SSHSignature(publicKey: key.publicKey, namespace: namespace, hashAlgorithm: "sha512", signature: try key.sign(toSign))
    }

    /// The bytes the Ed25519 signature covers. Unknown hash algorithms give an empty digest,
    /// which no valid signature covers.
    static func signedData(_ message: some Collection<UInt8>, namespace: String, hashAlgorithm: String) -> [UInt8] {
        let digest: [UInt8]
        switch hashAlgorithm {
        case "sha512": digest = Array(SHA512.hash(data: Array(message)))
        case "sha256": digest = Array(SHA256.hash(data: Array(message)))
        default: digest = []
        }
        var writer = SSHWriter()
        writer.raw(magic)
        writer.string(namespace)
        writer.string("")
        writer.string(hashAlgorithm)
        writer.string(digest)
        return writer.bytes
    }

    public init(publicKey: SSHPublicKey, namespace: String, hashAlgorithm: String, signature: [UInt8]) {
        self.publicKey = publicKey
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.signature = signature
    }

    /// Reads the binary blob. Throws `AuthorityError` if it is not an Ed25519 SSHSIG version 1.
    public init(blob: [UInt8]) throws {
        var reader = SSHReader(blob, what: "SSH signature")
        guard try reader.raw(6) == Self.magic else { throw AuthorityError.malformed("not an SSH signature (no SSHSIG magic)") }
        let version = try reader.uint32()
        guard version == 1 else { throw AuthorityError.unsupported("SSH signature version \(version)") }
        let key = try SSHPublicKey(wire: try reader.string())
        let namespace = try reader.text()
        _ = try reader.string()
        let hash = try reader.text()
        var inner = SSHReader(try reader.string(), what: "SSH signature")
        let type = try inner.text()
        guard type == SSHPublicKey.type else { throw AuthorityError.unsupported("signature type \(type)") }
        let raw = try inner.string()
        guard raw.count == 64 else { throw AuthorityError.malformed("an Ed25519 signature has 64 bytes, not \(raw.count)") }
        self.init(publicKey: key, namespace: namespace, hashAlgorithm: hash, signature: raw)
    }

    /// Reads the armored text (`-----BEGIN SSH SIGNATURE-----` …). Throws `AuthorityError`.
    public init(armored text: String) throws {
        try self.init(blob: try Armor.unwrap(text, label: Self.label))
    }

    /// The binary blob.
    public var blob: [UInt8] {
        var inner = SSHWriter()
        inner.string(SSHPublicKey.type)
        inner.string(signature)
        var writer = SSHWriter()
        writer.raw(Self.magic)
        writer.uint32(1)
        writer.string(publicKey.wire)
        writer.string(namespace)
        writer.string("")
        writer.string(hashAlgorithm)
        writer.string(inner.bytes)
        return writer.bytes
    }

    /// The armored text, 70 base64 characters a line, as ssh-keygen writes it.
    public var armored: String { Armor.wrap(blob, label: Self.label, width: 70) }

    /// Whether this is a valid signature of `message` in `namespace` by its embedded key.
    /// Who that key belongs to is the caller's question (the registry's).
    public func verifies(_ message: some Collection<UInt8>, namespace expected: String = gitNamespace) -> Bool {
        guard namespace == expected, hashAlgorithm == "sha512" || hashAlgorithm == "sha256" else { return false }
        return publicKey.isValidSignature(signature, for: Self.signedData(message, namespace: namespace, hashAlgorithm: hashAlgorithm))
    }
}

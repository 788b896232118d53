import Foundation
import KBMTestSupport
import XCTest
@testable import KBMAuthority

/// OpenSSH key and SSHSIG encoding, checked against ssh-keygen itself.
final class SSHKeyTests: XCTestCase {
    var dir = ""

    override func setUp() {
        dir = makeTempDir("kbm-ssh")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    @discardableResult
    func sh(_ command: String) throws -> (status: Int32, out: String) {
        // stdout and stderr as one stream, in order.
        let r = KBMRunner.exec("/bin/bash", ["-c", "exec 2>&1\n" + command], cwd: dir)
        return (r.status, r.stdout)
    }

    func write(_ text: String, _ name: String, mode: Int = 0o600) {
        _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
    }

    func testPrivateKeyRoundTripsAndKeepsItsPublicKey() throws {
        let key = SSHPrivateKey.generate(comment: "bildung@lk-augsburg.de")
        XCTAssertTrue(key.openSSH.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----\n"))
        let again = try SSHPrivateKey(openSSH: key.openSSH)
        XCTAssertEqual(again.publicKey, key.publicKey)
        XCTAssertEqual(again.comment, "bildung@lk-augsburg.de")
        XCTAssertEqual(again.openSSH, key.openSSH)
        XCTAssertEqual(try SSHPublicKey(line: key.publicLine), key.publicKey)
        XCTAssertTrue(key.publicKey.line.hasPrefix("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA"))
    }

    func testMalformedKeysAreRefused() {
        XCTAssertThrowsError(try SSHPublicKey(line: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ"))
        XCTAssertThrowsError(try SSHPublicKey(line: "ssh-ed25519 !!!"))
        XCTAssertThrowsError(try SSHPublicKey(line: "ssh-ed25519"))
        XCTAssertThrowsError(try SSHPrivateKey(openSSH: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"))
    }

    func testSignatureBlobLayout() throws {
        let key = SSHPrivateKey.generate(comment: "")
        let signature = try SSHSignature.sign(Array("tree 123\n".utf8), key: key)
        let blob = signature.blob
        var reader = SSHReader(blob, what: "test")
        XCTAssertEqual(try reader.raw(6), Array("SSHSIG".utf8))
        XCTAssertEqual(try reader.uint32(), 1)
        XCTAssertEqual(try reader.string(), key.publicKey.wire)
        XCTAssertEqual(try reader.text(), "git")
        XCTAssertEqual(try reader.string(), [])
        XCTAssertEqual(try reader.text(), "sha512")
        var inner = SSHReader(try reader.string(), what: "inner")
        XCTAssertEqual(try inner.text(), "ssh-ed25519")
        XCTAssertEqual(try inner.string().count, 64)
        XCTAssertTrue(reader.isAtEnd)
        // The armor is ssh-keygen's: 70 characters a line.
        let lines = signature.armored.split(separator: "\n")
        XCTAssertEqual(lines.first, "-----BEGIN SSH SIGNATURE-----")
        XCTAssertEqual(lines.last, "-----END SSH SIGNATURE-----")
        XCTAssertTrue(lines.dropFirst().dropLast().dropLast().allSatisfy { $0.count == 70 })
        XCTAssertEqual(try SSHSignature(armored: signature.armored), signature)
        XCTAssertTrue(signature.verifies(Array("tree 123\n".utf8)))
        XCTAssertFalse(signature.verifies(Array("tree 124\n".utf8)))
        XCTAssertFalse(signature.verifies(Array("tree 123\n".utf8), namespace: "file"))
    }

    func testSshKeygenVerifiesKbmSignaturesAndReadsKbmKeys() throws {
        let key = SSHPrivateKey.generate(comment: "kbm@test")
        write(key.openSSH, "kbm_key")
        // ssh-keygen reads kbm's private key file and derives the same public key.
        let derived = try sh("ssh-keygen -y -f kbm_key")
        XCTAssertEqual(derived.status, 0, derived.out)
        XCTAssertEqual(try SSHPublicKey(line: derived.out), key.publicKey)

        let message = "Fachtag Übergang Schule–Beruf\n"
        write(message, "message", mode: 0o644)
        write(try SSHSignature.sign(Array(message.utf8), key: key).armored, "message.sig", mode: 0o644)
        write("kbm@test \(key.publicKey.line)\n", "allowed", mode: 0o644)
        let verified = try sh("ssh-keygen -Y verify -f allowed -I kbm@test -n git -s message.sig < message")
        XCTAssertEqual(verified.status, 0, verified.out)
    }

    func testKbmVerifiesSshKeygenSignaturesAndReadsItsKeys() throws {
        XCTAssertEqual(try sh("ssh-keygen -q -t ed25519 -N '' -C made-by-ssh-keygen -f id").status, 0)
        let key = try SSHPrivateKey(openSSH: String(contentsOfFile: dir + "/id", encoding: .utf8))
        XCTAssertEqual(key.publicKey, try SSHPublicKey(line: String(contentsOfFile: dir + "/id.pub", encoding: .utf8)))
        XCTAssertEqual(key.comment, "made-by-ssh-keygen")

        let message = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\n\nmsg\n"
        write(message, "payload", mode: 0o644)
        XCTAssertEqual(try sh("ssh-keygen -q -Y sign -n git -f id payload").status, 0)
        let signature = try SSHSignature(armored: String(contentsOfFile: dir + "/payload.sig", encoding: .utf8))
        XCTAssertEqual(signature.publicKey, key.publicKey)
        XCTAssertEqual(signature.hashAlgorithm, "sha512")
        XCTAssertTrue(signature.verifies(Array(message.utf8)))
        XCTAssertFalse(signature.verifies(Array((message + "x").utf8)))
        // Ed25519 is deterministic: kbm's signature of the same payload with the same key is byte-identical.
        XCTAssertEqual(try SSHSignature.sign(Array(message.utf8), key: key).armored,
                       try String(contentsOfFile: dir + "/payload.sig", encoding: .utf8))
    }
}

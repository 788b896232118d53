import Foundation
import KBMGit
import XCTest

final class BlobTests: GitTestCase {
    func testObjectIDParsing() throws {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        XCTAssertEqual(ObjectID(hex: hex)?.hex, hex)
        XCTAssertEqual(ObjectID(hex: hex.uppercased())?.hex, hex)
        XCTAssertEqual(ObjectID(hex: hex)?.short, "0123456")
        XCTAssertNil(ObjectID(hex: "0123"))
        XCTAssertNil(ObjectID(hex: String(hex.dropLast()) + "g"))
        XCTAssertEqual(ObjectID(hex: hex)?.rawBytes.count, 20)
    }

    func testInitBareSetsHeadToMain() throws {
        let repository = try makeBare()
        XCTAssertTrue(repository.isBare)
        XCTAssertEqual(try git(["--git-dir", gitDir(repository), "symbolic-ref", "HEAD"]), "refs/heads/main\n")
        XCTAssertNil(try repository.reference("HEAD"))
        // Opening again works, and so does "initialising" an existing repository.
        XCTAssertTrue(try Repository.open(at: gitDir(repository)).isBare)
        XCTAssertTrue(try Repository.initBare(at: gitDir(repository)).isBare)
    }

    func testOpenMissingRepositoryThrowsNotFound() throws {
        XCTAssertThrowsError(try Repository.open(at: directory + "/nothing")) { error in
            XCTAssertEqual((error as? GitError)?.isNotFound, true, "\(error)")
        }
    }

    func testTextBlobRoundTripMatchesGit() throws {
        let repository = try makeBare()
        let text = "Grüße aus Köln – „Straße“ ✓\nline 2\n"
        let id = try repository.writeBlob(Data(text.utf8))
        let file = directory + "/text.txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        XCTAssertEqual(try git(["hash-object", file]), id.hex + "\n")
        XCTAssertEqual(try git(["--git-dir", gitDir(repository), "cat-file", "blob", id.hex]), text)
        XCTAssertEqual(try repository.readBlob(id), Data(text.utf8))
        XCTAssertEqual(try repository.blobSize(id), text.utf8.count)
        XCTAssertTrue(try repository.containsObject(id))
    }

    func testBinaryAndEmptyBlobs() throws {
        let repository = try makeBare()
        let binary = Data((0..<1024).map { UInt8(truncatingIfNeeded: $0 * 7) })
        let id = try repository.writeBlob(binary)
        XCTAssertEqual(try repository.readBlob(id), binary)
        XCTAssertEqual(try repository.blobSize(id), 1024)
        let empty = try repository.writeBlob([UInt8]())
        XCTAssertEqual(empty.hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
        XCTAssertEqual(try repository.readBlob(empty), Data())
        XCTAssertEqual(try repository.blobSize(empty), 0)
    }

    func testMissingBlobThrowsNotFound() throws {
        let repository = try makeBare()
        let missing = try ObjectID("1111111111111111111111111111111111111111")
        XCTAssertFalse(try repository.containsObject(missing))
        XCTAssertThrowsError(try repository.readBlob(missing)) { error in
            XCTAssertEqual((error as? GitError)?.isNotFound, true, "\(error)")
        }
        XCTAssertThrowsError(try repository.blobSize(missing)) { error in
            XCTAssertEqual((error as? GitError)?.isNotFound, true, "\(error)")
        }
    }
}

import Foundation
import KBMGit
import XCTest

final class CommitTests: GitTestCase {
    private let author = Signature(name: "Jürgen Müller", email: "jm@example.com", time: 1_700_000_000, timeZoneOffsetMinutes: 60)
    private let committer = Signature(name: "kbm", email: "kbm@example.com", time: 1_700_000_100, timeZoneOffsetMinutes: -300)

    private func tree(_ repository: Repository) throws -> ObjectID {
        try repository.updateTree(base: nil, upserts: ["a.txt": try repository.writeBlob(Data("a".utf8))], removals: [])
    }

    func testCreateCommitWithoutMovingRefs() throws {
        let repository = try makeBare()
        let tree = try tree(repository)
        let root = try repository.createCommit(tree: tree, parents: [], author: author, committer: committer,
                                               message: "Erster Commit: Grüße\n\nDetails.\n")
        XCTAssertNil(try repository.reference("refs/heads/main"), "createCommit must not move any reference")
        let raw = try git(["--git-dir", gitDir(repository), "cat-file", "-p", root.hex])
        XCTAssertTrue(raw.hasPrefix("tree \(tree.hex)\nauthor Jürgen Müller <jm@example.com> 1700000000 +0100\ncommitter kbm <kbm@example.com> 1700000100 -0500\n\nErster Commit: Grüße\n"), raw)
        XCTAssertFalse(raw.contains("gpgsig"))

        let child = try repository.createCommit(tree: tree, parents: [root], author: author, committer: committer, message: "second\n")
        let info = try repository.commitInfo(child)
        XCTAssertEqual(info.id, child)
        XCTAssertEqual(info.tree, tree)
        XCTAssertEqual(info.parents, [root])
        XCTAssertEqual(info.author, author)
        XCTAssertEqual(info.committer, committer)
        XCTAssertEqual(info.message, "second\n")
        XCTAssertNil(info.signature)
        XCTAssertNil(info.signedPayload)
        XCTAssertEqual(try repository.commitTree(child), tree)

        try repository.setReference("refs/heads/main", to: child, message: "test")
        XCTAssertEqual(try git(["--git-dir", gitDir(repository), "log", "--format=%an|%ae|%s|%P", "main"]),
                       "Jürgen Müller|jm@example.com|second|\(root.hex)\nJürgen Müller|jm@example.com|Erster Commit: Grüße|\n")
        try git(["--git-dir", gitDir(repository), "fsck", "--strict", "--no-dangling"])
    }

    func testSignedCommit() throws {
        let repository = try makeBare()
        let armored = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEfakefakefake\n=abcd\n-----END PGP SIGNATURE-----\n"
        var signedContent = ""
        let id = try repository.createCommit(tree: try tree(repository), parents: [], author: author, committer: committer,
                                             message: "signed\n") { content in
            signedContent = content
            return armored
        }
        XCTAssertTrue(signedContent.hasPrefix("tree "))
        XCTAssertTrue(signedContent.hasSuffix("\n\nsigned\n"))
        let raw = try git(["--git-dir", gitDir(repository), "cat-file", "-p", id.hex])
        XCTAssertTrue(raw.contains("\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEEfakefakefake\n =abcd\n -----END PGP SIGNATURE-----\n\nsigned\n"), raw)

        let info = try repository.commitInfo(id)
        XCTAssertEqual(info.signature, String(armored.dropLast()), "the header content, without the final newline")
        XCTAssertEqual(info.signedPayload, signedContent)
        XCTAssertEqual(info.message, "signed\n")
        try repository.setReference("refs/heads/main", to: id, message: "test")
        try git(["--git-dir", gitDir(repository), "fsck", "--strict", "--no-dangling"])
    }

    func testSignerErrorsPropagate() throws {
        struct SignerFailed: Error {}
        let repository = try makeBare()
        XCTAssertThrowsError(try repository.createCommit(tree: try tree(repository), parents: [], author: author,
                                                         committer: committer, message: "x\n") { _ in throw SignerFailed() }) {
            XCTAssertTrue($0 is SignerFailed)
        }
    }

    func testInvalidInputsThrow() throws {
        let repository = try makeBare()
        let missing = try ObjectID("2222222222222222222222222222222222222222")
        XCTAssertThrowsError(try repository.createCommit(tree: missing, parents: [], author: author, committer: committer, message: "x"))
        XCTAssertThrowsError(try repository.createCommit(tree: try tree(repository), parents: [missing], author: author,
                                                         committer: committer, message: "x"))
        XCTAssertThrowsError(try repository.createCommit(tree: try tree(repository), parents: [],
                                                         author: Signature(name: "", email: "", time: 0), committer: committer, message: "x"))
        XCTAssertThrowsError(try repository.commitInfo(missing)) { XCTAssertEqual(($0 as? GitError)?.isNotFound, true) }
    }
}

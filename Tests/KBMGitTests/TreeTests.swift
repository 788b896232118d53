import Foundation
import KBMGit
import KBMTestSupport
import XCTest

final class TreeTests: GitTestCase {
    private func blobs(_ repository: Repository, _ files: [String: String]) throws -> [String: ObjectID] {
        try files.mapValues { try repository.writeBlob(Data($0.utf8)) }
    }

    private func lsTree(_ repository: Repository, _ tree: ObjectID) throws -> [String] {
        try git(["--git-dir", gitDir(repository), "ls-tree", "-r", "-z", "--name-only", tree.hex])
            .split(separator: "\0").map(String.init)
    }

    func testUpsertsBuildNestedTrees() throws {
        let repository = try makeBare()
        let files = ["a.txt": "A", "people/anna.md": "Anna", "people/bob.md": "Bob", "deep/x/y/z.txt": "Z"]
        let tree = try repository.updateTree(base: nil, upserts: try blobs(repository, files), removals: [])
        XCTAssertEqual(try lsTree(repository, tree), ["a.txt", "deep/x/y/z.txt", "people/anna.md", "people/bob.md"])
        XCTAssertEqual(try git(["--git-dir", gitDir(repository), "cat-file", "-p", "\(tree.hex):people/bob.md"]), "Bob")
        let entries = try repository.treeEntries(tree)
        XCTAssertEqual(entries.map(\.path), ["a.txt", "deep/x/y/z.txt", "people/anna.md", "people/bob.md"])
        XCTAssertTrue(entries.allSatisfy { $0.mode == .regular })
        _ = try git(["--git-dir", gitDir(repository), "fsck", "--strict", tree.hex])
    }

    func testUpdateModifiesAndRemoves() throws {
        let repository = try makeBare()
        let base = try repository.updateTree(
            base: nil, upserts: try blobs(repository, ["a.txt": "A", "dir/b.txt": "B", "dir/c.txt": "C", "solo/only.txt": "O"]),
            removals: [])
        let changed = try repository.updateTree(
            base: base, upserts: try blobs(repository, ["a.txt": "A2", "dir/new.txt": "N"]),
            removals: ["dir/b.txt", "solo/only.txt", "not/there.txt", "missing.txt"])
        XCTAssertEqual(try lsTree(repository, changed), ["a.txt", "dir/c.txt", "dir/new.txt"])
        // Removing the last file of a folder removes the folder.
        XCTAssertNil(try repository.treeEntry(changed, path: "solo"))
        XCTAssertEqual(try git(["--git-dir", gitDir(repository), "ls-tree", "--name-only", changed.hex]), "a.txt\ndir\n")
        XCTAssertEqual(try repository.readBlob(try XCTUnwrap(repository.treeEntry(changed, path: "a.txt")).id), Data("A2".utf8))
        // Removing everything gives the empty tree.
        let empty = try repository.updateTree(base: changed, upserts: [:], removals: ["a.txt", "dir/c.txt", "dir/new.txt"])
        XCTAssertEqual(empty.hex, "4b825dc642cb6eb9a060e54bf8d69288fbee4904")
        // No changes returns the base itself.
        XCTAssertEqual(try repository.updateTree(base: changed, upserts: [:], removals: ["nope"]), changed)
    }

    func testInvalidUpdatesThrow() throws {
        let repository = try makeBare()
        let blob = try repository.writeBlob(Data("x".utf8))
        let base = try repository.updateTree(base: nil, upserts: ["file": blob], removals: [])
        for bad in ["", "/abs", "a//b", "../x", "a/./b", "trailing/"] {
            XCTAssertThrowsError(try repository.updateTree(base: base, upserts: [bad: blob], removals: []), bad)
        }
        XCTAssertThrowsError(try repository.updateTree(base: base, upserts: [".git": blob], removals: []))
        XCTAssertThrowsError(try repository.updateTree(base: base, upserts: ["x": blob], removals: ["x"]))
        // A file cannot become a folder in one update.
        XCTAssertThrowsError(try repository.updateTree(base: base, upserts: ["file/inner": blob], removals: []))
    }

    func testTreeIDsMatchGitWriteTree() throws {
        // Build a work tree with the CLI, then the same content with libgit2.
        let work = directory + "/work"
        try git(["init", "-q", work])
        let files = ["README.md": "hello\n", "people/Müller.md": "Ä Ö Ü ß\n", "people/a-b.md": "1", "people/a/b.md": "2",
                     "people/a.md": "3", "z/y/x/w.txt": "deep", "space name.txt": "s"]
        for (path, content) in files {
            let url = URL(fileURLWithPath: work + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        try git(["add", "-A"], in: work)
        let expected = try git(["write-tree"], in: work)

        let repository = try Repository.open(at: work + "/.git")
        let tree = try repository.updateTree(base: nil, upserts: try blobs(repository, files), removals: [])
        XCTAssertEqual(tree.hex + "\n", expected)

        // Built incrementally, the tree is the same too.
        var incremental = try repository.updateTree(base: nil, upserts: try blobs(repository, ["README.md": "old"]), removals: [])
        for (path, content) in files {
            incremental = try repository.updateTree(base: incremental, upserts: try blobs(repository, [path: content]), removals: [])
        }
        XCTAssertEqual(incremental, tree)
    }

    func testTreeEntriesReportModesAndRawPaths() throws {
        let repository = try makeBare()
        let blob = try repository.writeBlob(Data("target".utf8))
        let commitID = "1234567890123456789012345678901234567890"
        // mktree accepts modes and names that kbm must detect: symlink, executable, submodule,
        // and a name with a control character and invalid UTF-8 (written via printf escapes).
        let input = "100644 blob \(blob.hex)\tplain.txt\n100755 blob \(blob.hex)\ttool.sh\n120000 blob \(blob.hex)\tlink\n160000 commit \(commitID)\tsub\n100644 blob \(blob.hex)\tbad\u{7}name\n"
        let inputFile = directory + "/mktree.txt"
        var data = Data(input.utf8)
        data.append(contentsOf: Array("100644 blob \(blob.hex)\tlatin1-".utf8) + [0xE4] + Array("\n".utf8))
        try data.write(to: URL(fileURLWithPath: inputFile))
        let treeHex = try shell("git --git-dir '\(gitDir(repository))' mktree < '\(inputFile)'")
        let tree = try ObjectID(treeHex)

        let entries = try repository.treeEntries(tree)
        let modes = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0.mode) })
        XCTAssertEqual(modes["plain.txt"], .regular)
        XCTAssertEqual(modes["tool.sh"], .executable)
        XCTAssertEqual(modes["link"], .symlink)
        XCTAssertEqual(modes["sub"], .submodule)
        XCTAssertEqual(modes["bad\u{7}name"], .regular)
        let latin1 = try XCTUnwrap(entries.first { $0.pathBytes.last == 0xE4 })
        XCTAssertEqual(latin1.pathBytes, Array("latin1-".utf8) + [0xE4])
        XCTAssertNil(String(validating: latin1.pathBytes, as: UTF8.self))

        XCTAssertEqual(try repository.treeEntry(tree, path: "sub")?.id.hex, commitID)
        XCTAssertEqual(try repository.treeEntry(tree, path: "tool.sh")?.mode, .executable)
        XCTAssertNil(try repository.treeEntry(tree, path: "nope/deeper"))
    }

    func testTreeEntryForFolder() throws {
        let repository = try makeBare()
        let tree = try repository.updateTree(base: nil, upserts: try blobs(repository, ["a/b/c.txt": "c"]), removals: [])
        let folder = try XCTUnwrap(repository.treeEntry(tree, path: "a/b"))
        XCTAssertEqual(folder.mode, .tree)
        XCTAssertEqual(try repository.treeEntries(folder.id).map(\.path), ["c.txt"])
    }
}

/// Runs a shell command line, for redirections the `git` helper cannot express.
func shell(_ command: String) throws -> String {
    let r = KBMRunner.exec("/bin/sh", ["-c", command], cwd: FileManager.default.currentDirectoryPath)
    guard r.status == 0 else { throw TestSupportError(message: "\(command) failed") }
    return r.stdout
}

import Foundation
import KBMGit
import XCTest

final class TreeDiffTests: GitTestCase {
    /// A work tree whose states are committed with the CLI, so modes and file/folder swaps are real.
    private var work: String { directory + "/work" }

    private func write(_ files: [String: String], remove: [String] = [], chmodX: [String] = []) throws -> ObjectID {
        for path in remove { try FileManager.default.removeItem(atPath: work + "/" + path) }
        for (path, content) in files {
            let url = URL(fileURLWithPath: work + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        try git(["add", "-A"], in: work)
        for path in chmodX { try git(["update-index", "--chmod=+x", path], in: work) }
        return try ObjectID(git(["write-tree"], in: work))
    }

    private func cliDiff(_ old: ObjectID, _ new: ObjectID) throws -> [String] {
        try git(["diff-tree", "-r", "-z", "--no-renames", "--name-only", old.hex, new.hex], in: work)
            .split(separator: "\0").map(String.init).sorted()
    }

    func testDiffMatchesGitDiffTree() throws {
        try git(["init", "-q", work])
        let repository = try Repository.open(at: work + "/.git")
        let states: [ObjectID] = [
            try write(["a.txt": "1", "dir/b.txt": "2", "dir/sub/c.txt": "3", "same/x.txt": "x", "file": "f", "a-b": "ab"]),
            // modify, add nested, delete, unchanged subtree, file → folder
            try write(["a.txt": "1 changed", "dir/sub/new.txt": "n", "new/deep/er.txt": "d"], remove: ["dir/b.txt", "file"]),
            try write(["file/inside.txt": "now a folder", "a/x": "tree sorting next to a-b and a.txt"]),
            // mode change only, folder → file
            try write(["dir": "now a file"], remove: ["dir"], chmodX: ["a.txt"]),
        ]
        for (old, new) in zip(states, states.dropFirst()) + [(states[0], states[3]), (states[3], states[0])] {
            let changes = try repository.diffTrees(old, new)
            XCTAssertEqual(changes.map(\.path).sorted(), try cliDiff(old, new), "\(old) → \(new)")
            XCTAssertEqual(changes.map(\.pathBytes), changes.map(\.pathBytes).sorted { $0.lexicographicallyPrecedes($1) })
        }
        XCTAssertEqual(try repository.diffTrees(states[1], states[1]), [])
    }

    func testChangeDetails() throws {
        try git(["init", "-q", work])
        let repository = try Repository.open(at: work + "/.git")
        let before = try write(["keep.txt": "k", "edit.txt": "old", "gone.txt": "g"])
        let after = try write(["edit.txt": "new", "added/one.txt": "1"], remove: ["gone.txt"], chmodX: ["keep.txt"])
        let changes = Dictionary(uniqueKeysWithValues: try repository.diffTrees(before, after).map { ($0.path, $0) })
        XCTAssertEqual(Set(changes.keys), ["keep.txt", "edit.txt", "gone.txt", "added/one.txt"])
        XCTAssertEqual(changes["keep.txt"]?.old?.mode, .regular)
        XCTAssertEqual(changes["keep.txt"]?.new?.mode, .executable)
        XCTAssertEqual(changes["keep.txt"]?.old?.id, changes["keep.txt"]?.new?.id)
        XCTAssertNotNil(changes["edit.txt"]?.old)
        XCTAssertNotEqual(changes["edit.txt"]?.old?.id, changes["edit.txt"]?.new?.id)
        XCTAssertNil(changes["gone.txt"]?.new)
        XCTAssertNil(changes["added/one.txt"]?.old)
        XCTAssertEqual(try repository.readBlob(try XCTUnwrap(changes["added/one.txt"]?.new?.id)), Data("1".utf8))
    }

    func testDiffAgainstNothingListsEverything() throws {
        let repository = try makeBare()
        let blob = try repository.writeBlob(Data("x".utf8))
        let tree = try repository.updateTree(base: nil, upserts: ["a": blob, "b/c": blob, "b/d/e": blob], removals: [])
        XCTAssertEqual(try repository.diffTrees(nil, tree).map(\.path), ["a", "b/c", "b/d/e"])
        XCTAssertTrue(try repository.diffTrees(nil, tree).allSatisfy { $0.old == nil && $0.new?.id == blob })
        XCTAssertEqual(try repository.diffTrees(tree, nil).map(\.path), ["a", "b/c", "b/d/e"])
        XCTAssertEqual(try repository.diffTrees(nil, nil), [])
    }

    func testLargeTreeDiffAgainstCLI() throws {
        try git(["init", "-q", work])
        let repository = try Repository.open(at: work + "/.git")
        var files: [String: ObjectID] = [:]
        for index in 0..<2000 {
            files["kind\(index % 7)/\(index % 13)/record-\(index).md"] = try repository.writeBlob(Data("record \(index)".utf8))
        }
        let base = try repository.updateTree(base: nil, upserts: files, removals: [])
        var upserts: [String: ObjectID] = [:]
        for index in stride(from: 0, to: 2000, by: 97) {
            upserts["kind\(index % 7)/\(index % 13)/record-\(index).md"] = try repository.writeBlob(Data("edited \(index)".utf8))
        }
        upserts["kind9/new.md"] = try repository.writeBlob(Data("new".utf8))
        let removals = stride(from: 5, to: 2000, by: 211).map { "kind\($0 % 7)/\($0 % 13)/record-\($0).md" }
        let changed = try repository.updateTree(base: base, upserts: upserts, removals: removals)
        XCTAssertEqual(try repository.diffTrees(base, changed).map(\.path).sorted(), try cliDiff(base, changed))
        XCTAssertEqual(try repository.diffTrees(base, changed).count, upserts.count + removals.count)
    }
}

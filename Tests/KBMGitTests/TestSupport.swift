import Foundation
import KBMGit
import KBMTestSupport
import XCTest

/// Runs the git CLI; throws with stderr when it fails.
@discardableResult
func git(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
         allowFailure: Bool = false) throws -> String {
    var env = ["GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.com",
               "GIT_COMMITTER_NAME": "Test Committer", "GIT_COMMITTER_EMAIL": "committer@example.com",
               "GIT_CONFIG_NOSYSTEM": "1"]
    env.merge(environment) { $1 }
    let r = KBMRunner.exec("/usr/bin/git", arguments, cwd: directory ?? FileManager.default.currentDirectoryPath, environment: env)
    if r.status != 0 && !allowFailure {
        throw TestSupportError(message: "git \(arguments.joined(separator: " ")) failed: \(r.stderr)")
    }
    return r.stdout
}

/// A fresh temporary directory per test, removed afterwards.
class GitTestCase: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = makeTempDir("kbmgit")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A new bare repository at `<tmp>/<name>.git`.
    func makeBare(_ name: String = "repo") throws -> Repository {
        try Repository.initBare(at: "\(directory)/\(name).git")
    }

    /// A new bare repository at `<tmp>/remote.git` whose pre-receive hook refuses every push,
    /// printing `message` (if any) to stderr.
    func makeRefusingRemote(message: String? = nil) throws -> Repository {
        let remote = try makeBare("remote")
        let hook = gitDir(remote) + "/hooks/pre-receive"
        try FileManager.default.createDirectory(atPath: gitDir(remote) + "/hooks", withIntermediateDirectories: true)
        let echo = message.map { "echo '\($0)' >&2\n" } ?? ""
        try "#!/bin/sh\n\(echo)exit 1\n".write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        return remote
    }

    /// A new bare repository at `<tmp>/local.git` with `origin` at `url` and one commit on main.
    func makeLocalWithCommit(origin url: String) throws -> Repository {
        let local = try makeBare("local")
        try local.setRemote(name: "origin", url: url)
        let id = try commit(local, ["a.md": "a"])
        try local.setReference("refs/heads/main", to: id, message: "commit")
        return local
    }

    func gitDir(_ repository: Repository) -> String {
        repository.path.hasSuffix("/") ? String(repository.path.dropLast()) : repository.path
    }

    /// Creates a commit whose tree holds `files` on top of `parents`' first tree.
    func commit(_ repository: Repository, _ files: [String: String], removing: [String] = [],
                parents: [ObjectID] = [], message: String = "change", time: Int64 = 1_700_000_000) throws -> ObjectID {
        let base = try parents.first.map { try repository.commitTree($0) }
        let blobs = try files.mapValues { try repository.writeBlob(Data($0.utf8)) }
        let tree = try repository.updateTree(base: base, upserts: blobs, removals: removing)
        let signature = Signature(name: "Tester", email: "tester@example.com", time: time)
        return try repository.createCommit(tree: tree, parents: parents, author: signature, committer: signature,
                                           message: message + "\n")
    }
}

extension ObjectID {
    /// For tests: a hex string known to be valid.
    init(_ hex: String, file: StaticString = #filePath, line: UInt = #line) throws {
        self = try XCTUnwrap(ObjectID(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines)), file: file, line: line)
    }
}

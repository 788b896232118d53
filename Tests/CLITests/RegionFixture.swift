import Foundation
import XCTest

/// A region for end-to-end tests: a bare repository on disk and workspaces of several counties.
final class RegionFixture {
    let root: String
    let remote: String

    init() {
        root = KBMRunner.makeTempDir("kbm-region")
        remote = root + "/region.git"
        KBMRunner.sh("git init -q --bare -b main \(remote)")
    }

    /// `KBM_KEEP_TEST_DIRS=1` keeps the region and its workspaces for a look after a failure.
    deinit {
        if ProcessInfo.processInfo.environment["KBM_KEEP_TEST_DIRS"] == nil { try? FileManager.default.removeItem(atPath: root) }
    }

    /// Clones the region into a new workspace for `county`.
    func join(_ county: String, user: String? = nil, url: String? = nil, environment: [String: String] = [:]) -> KBMRunner {
        let dir = root + "/" + county
        let r = KBMRunner.exec(KBMRunner.binary, ["clone", url ?? remote, dir, "--county", county, "--user", user ?? "Koordination \(county) <bildung@\(county).de>"], cwd: root, environment: environment)
        XCTAssertEqual(r.status, 0, "clone failed: \(r.stderr)")
        return KBMRunner(cwd: dir, environment: environment)
    }

    /// A git CLI clone of the region, for hand edits "on the git host".
    func handClone() -> String {
        let dir = KBMRunner.makeTempDir("kbm-hand")
        KBMRunner.sh("git clone -q \(remote) \(dir)/w && cd \(dir)/w && git config user.name 'Web Editor' && git config user.email web@example.org")
        return dir + "/w"
    }

    /// Commits everything in a hand clone and pushes it.
    func handPush(_ dir: String, _ message: String) {
        KBMRunner.sh("cd \(dir) && git add -A && git commit -q -m '\(message)' && git push -q origin HEAD:main", cwd: dir)
    }

    /// The path of a record file in the repository.
    static func recordPath(county: String, kind: String, id: String) -> String {
        "counties/\(county)/\(kind)/\(id.suffix(1).lowercased())/\(id).md"
    }
}

extension KBMRunner {
    /// `kbm show <id> --json` decoded.
    func json(_ id: String) -> [String: Any] {
        let r = run(["show", id, "--json"])
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// `kbm list --json` decoded.
    func listJSON() -> [[String: Any]] {
        let r = run(["list", "--json"])
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [[String: Any]] ?? []
    }

    /// `kbm sync --json` decoded (asserting success).
    @discardableResult
    func sync(file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        let r = run(["sync", "--json"])
        XCTAssertEqual(r.status, 0, "sync failed: \(r.stderr)", file: file, line: line)
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    }
}

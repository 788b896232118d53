import Foundation
import KBMTestSupport
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

    /// Crockford base32, the alphabet of record ids.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A fresh ULID-shaped id (26 characters, starting "01").
    static func newID() -> String {
        "01" + String((0..<24).map { _ in alphabet.randomElement() ?? "0" })
    }

    /// A canonical-looking record file: the header with `fields` ("name: value" lines), then `body`.
    static func recordText(id: String, kind: String, county: String, _ fields: [String], body: String? = nil) -> String {
        (["---", "id: \(id)", "kind: \(kind)", "county: \(county)", "format: 1",
          "created: 2026-01-10T08:00:00Z", "updated: 2026-01-10T08:00:00Z"] + fields + ["---", ""]).joined(separator: "\n")
            + (body.map { "\n" + $0 + "\n" } ?? "")
    }

    /// The path of a record file in the repository.
    static func recordPath(county: String, kind: String, id: String) -> String {
        "counties/\(county)/\(kind)/\(id.suffix(1).lowercased())/\(id).md"
    }
}

/// A test case that makes regions, hand clones and scratch folders and removes them in tearDown.
class RegionTestCase: XCTestCase {
    private var regions: [RegionFixture] = []
    private var scratch: [String] = []

    override func tearDown() {
        regions = []
        for dir in scratch { try? FileManager.default.removeItem(atPath: dir) }
        scratch = []
        super.tearDown()
    }

    /// A new region, removed after the test.
    func region() -> RegionFixture {
        let region = RegionFixture()
        regions.append(region)
        return region
    }

    /// A git CLI clone of `region` (see `RegionFixture.handClone`), removed after the test.
    func handClone(_ region: RegionFixture) -> String {
        let hand = region.handClone()
        scratch.append((hand as NSString).deletingLastPathComponent)
        return hand
    }

    /// A new workspace of lk-augsburg without a region (`kbm init`), removed after the test.
    func standaloneWorkspace(_ label: String = "kbm-test", environment: [String: String] = [:],
                             file: StaticString = #filePath, line: UInt = #line) -> KBMRunner {
        let w = KBMRunner(cwd: tempDir(label), environment: environment)
        w.ok("init", "--county", "lk-augsburg", "--user", "Anna Berger <anna.berger@lra-a.de>", file: file, line: line)
        return w
    }

    /// A fresh folder, removed after the test.
    func tempDir(_ label: String = "kbm-test") -> String {
        removeAfterTest(KBMRunner.makeTempDir(label))
    }

    /// Removes `dir` after the test; returns it.
    @discardableResult
    func removeAfterTest(_ dir: String) -> String {
        scratch.append(dir)
        return dir
    }
}

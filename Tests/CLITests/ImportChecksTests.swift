import Foundation
import KBMTestSupport
import XCTest

/// Issue 14: `kbm import <dir>` applies the ownership and managed-kind rules of `kbm add --file`;
/// the agency's workspace may seed every county. Checked end to end, the region with the git CLI.
final class ImportChecksTests: XCTestCase {
    private var regions: [RegionFixture] = []
    private var scratch: [String] = []

    override func tearDown() {
        regions.removeAll()
        for dir in scratch { try? FileManager.default.removeItem(atPath: dir) }
        super.tearDown()
    }

    private func region() -> RegionFixture {
        let region = RegionFixture()
        regions.append(region)
        return region
    }

    private func tempDir() -> String {
        let dir = KBMRunner.makeTempDir("kbm-import")
        scratch.append(dir)
        return dir
    }

    private func git(_ remote: String, _ args: String) -> String {
        KBMRunner.sh("git --git-dir=\(remote) \(args)").stdout
    }

    private static func newID() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        return "01" + String((0..<24).map { _ in alphabet.randomElement() ?? "0" })
    }

    /// Writes a record file at its place in the layout under `dir`; returns its path.
    @discardableResult
    private func writeRecord(_ dir: String, id: String, kind: String, county: String, _ fields: [String]) throws -> String {
        let path = dir + "/" + RegionFixture.recordPath(county: county, kind: kind, id: id)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = (["---", "id: \(id)", "kind: \(kind)", "county: \(county)", "format: 1",
                     "created: 2026-01-10T08:00:00Z", "updated: 2026-01-10T08:00:00Z"] + fields + ["---", ""]).joined(separator: "\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: kbm import: the rules of add --file

    func testImportAppliesOwnershipAndManagedKindRules() throws {
        let region = region()
        let a = region.join("lk-augsburg")
        let b = region.join("stadt-kempten")
        let theirs = b.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation").lastLine
        b.sync()
        a.sync()
        let dir = tempDir()
        let own = Self.newID(), foreign = Self.newID(), link = Self.newID()
        try writeRecord(dir, id: own, kind: "tip", county: "lk-augsburg", ["title: Eigener Tipp"])
        let foreignPath = try writeRecord(dir, id: foreign, kind: "tip", county: "stadt-kempten", ["title: Untergeschoben"])
        let linkPath = try writeRecord(dir, id: link, kind: "link", county: "lk-augsburg",
                                       ["label: gleich", "relation: same", "records:", "  - \(theirs)", "  - \(own)"])
        let changedPath = try writeRecord(dir, id: theirs, kind: "stakeholder", county: "stadt-kempten",
                                          ["name: IHK Schwaben (geändert)", "type: organisation"])

        let refused = a.run(["import", dir])
        XCTAssertEqual(refused.status, 2, refused.stdout)
        XCTAssertTrue(refused.stderr.hasPrefix("kbm: Nothing was imported from \(dir): 3 of 4 files are refused:\n"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("  \(foreignPath): Record \(foreign) belongs to stadt-kempten; this workspace is lk-augsburg."), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("  \(changedPath): Record \(theirs) belongs to stadt-kempten"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("  \(linkPath): Records of kind 'link' are managed with"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--skip-refused"), refused.stderr)
        XCTAssertEqual(a.run(["show", own]).status, 2, "nothing is written when a file is refused")

        let skipped = a.run(["import", dir, "--skip-refused"])
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertTrue(skipped.stdout.hasPrefix("Imported \(dir): 1 added, 0 changed, 0 unchanged.\nRefused 3 files (not imported):\n"), skipped.stdout)
        XCTAssertTrue(skipped.stdout.contains("  \(foreignPath): Record \(foreign) belongs to stadt-kempten"), skipped.stdout)
        XCTAssertTrue(skipped.stdout.contains("  \(linkPath): Records of kind 'link'"), skipped.stdout)
        a.sync()
        let files = git(region.remote, "ls-tree -r --name-only main")
        XCTAssertTrue(files.contains(RegionFixture.recordPath(county: "lk-augsburg", kind: "tip", id: own)), files)
        XCTAssertFalse(files.contains(foreign), files)
        XCTAssertFalse(files.contains(link), files)
        let kept = git(region.remote, "show main:" + RegionFixture.recordPath(county: "stadt-kempten", kind: "stakeholder", id: theirs))
        XCTAssertTrue(kept.contains("name: IHK Schwaben\n"), kept)
    }

    func testTheAgencySeedsEveryCountyByImport() throws {
        let region = region()
        let agency = region.join("transferagentur")
        let dir = tempDir()
        let augsburg = Self.newID(), kempten = Self.newID(), link = Self.newID()
        try writeRecord(dir, id: augsburg, kind: "event", county: "lk-augsburg", ["title: Bildungskonferenz"])
        try writeRecord(dir, id: kempten, kind: "stakeholder", county: "stadt-kempten", ["name: Agentur für Arbeit Kempten", "type: organisation"])
        let linkPath = try writeRecord(dir, id: link, kind: "link", county: "transferagentur",
                                       ["label: gleich", "relation: same", "records:", "  - \(augsburg)", "  - \(kempten)"])
        // Managed kinds stay refused for the agency too.
        let refused = agency.run(["import", dir])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("\(linkPath): Records of kind 'link' are managed with"), refused.stderr)
        try FileManager.default.removeItem(atPath: linkPath)
        XCTAssertTrue(agency.ok("import", dir).stdout.hasPrefix("Imported \(dir): 2 added, 0 changed, 0 unchanged.\n"))
        agency.sync()
        let files = git(region.remote, "ls-tree -r --name-only main")
        XCTAssertTrue(files.contains(RegionFixture.recordPath(county: "lk-augsburg", kind: "event", id: augsburg)), files)
        XCTAssertTrue(files.contains(RegionFixture.recordPath(county: "stadt-kempten", kind: "stakeholder", id: kempten)), files)
        // The offices receive them as their own.
        let a = region.join("lk-augsburg")
        a.ok("edit", augsburg, "title=Bildungskonferenz 2027")
        a.sync()
    }
}

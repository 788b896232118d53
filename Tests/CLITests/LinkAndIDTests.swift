import Foundation
import XCTest

/// Issue 13, items 3 and 4: hand-made files that try to take over another county's record.
/// A `merged` link across counties is ignored wherever it comes from.
final class LinkAndIDTests: XCTestCase {
    private var regions: [RegionFixture] = []
    private var scratch: [String] = []

    override func tearDown() {
        regions = []
        for dir in scratch { try? FileManager.default.removeItem(atPath: dir) }
        scratch = []
        super.tearDown()
    }

    private func makeRegion() -> RegionFixture {
        let region = RegionFixture()
        regions.append(region)
        return region
    }

    private func handClone(_ region: RegionFixture) -> String {
        let hand = region.handClone()
        scratch.append((hand as NSString).deletingLastPathComponent)
        return hand
    }

    /// A fresh ULID-shaped id (Crockford base32, 26 characters, first one 0–7).
    private static func newID() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        return "01" + String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    private static func recordText(id: String, kind: String, county: String, _ fields: [String]) -> String {
        (["---", "id: \(id)", "kind: \(kind)", "county: \(county)", "format: 1",
          "created: 2026-01-10T08:00:00Z", "updated: 2026-01-10T08:00:00Z"] + fields + ["---", ""]).joined(separator: "\n")
    }

    private func write(_ text: String, to path: String, in hand: String) throws {
        let full = hand + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    private func statusJSON(_ w: KBMRunner) -> [String: Any] {
        let r = w.run(["status", "--json"])
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    }

    private func quarantine(_ w: KBMRunner) -> [String: String] {
        let entries = statusJSON(w)["quarantined"] as? [[String: Any]] ?? []
        return Dictionary(entries.map { ($0["path"] as? String ?? "", $0["reason"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: item 3: a merged link across counties

    /// lk-augsburg pushes (with the git CLI) a link in its own folder that claims stadt-kempten's
    /// record was merged into its own. stadt-kempten keeps seeing its record, and so do a fresh
    /// clone and a rebuilt store; status names the ignored link; unlink says who can remove it.
    func testMergedLinkAcrossCountiesIsIgnoredEverywhere() throws {
        let region = makeRegion()
        let la = region.join("lk-augsburg")
        let a = la.ok("add", "stakeholder", "name=IHK Schwaben", "type=organisation").lastLine
        la.sync()
        let ke = region.join("stadt-kempten")
        let b = ke.ok("add", "stakeholder", "name=IHK Schwaben Kempten", "type=organisation", "role=Ausbildungsberatung").lastLine
        ke.sync()
        la.sync()
        // kbm itself refuses to merge across counties.
        let refused = la.run(["merge", a, b])
        XCTAssertEqual(refused.status, 2, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("kbm link"), refused.stderr)

        let hand = handClone(region)
        let link = Self.newID()
        let linkPath = RegionFixture.recordPath(county: "lk-augsburg", kind: "link", id: link)
        try write(Self.recordText(id: link, kind: "link", county: "lk-augsburg",
                                  ["label: Übernahme", "relation: merged", "records:", "  - \(a)", "  - \(b)", "survivor: \(a)"]),
                  to: linkPath, in: hand)
        region.handPush(hand, "lk-augsburg: 1 record changed")
        ke.sync()
        la.sync()
        let fresh = region.join("stadt-augsburg")

        for (w, label) in [(ke, "stadt-kempten"), (la, "lk-augsburg"), (fresh, "fresh clone")] {
            let shown = w.json(b)
            XCTAssertEqual(shown["id"] as? String, b, "\(label): kbm show \(b) must show stadt-kempten's own record")
            XCTAssertEqual(shown["county"] as? String, "stadt-kempten", label)
            XCTAssertFalse(w.ok("show", b).stdout.contains("was merged into"), label)
            XCTAssertTrue(w.ok("show", b).stdout.contains("ignored"), "\(label): show names the ignored link")
            XCTAssertTrue(w.listJSON().contains { $0["id"] as? String == b }, label)
            XCTAssertFalse(w.ok("show", a).stdout.contains("linked records"), "\(label): the ignored link groups nothing")
            let counted = w.run(["count", "--json", "stakeholder"])
            let counts = (try? JSONSerialization.jsonObject(with: Data(counted.stdout.utf8))) as? [String: [String: Int]] ?? [:]
            XCTAssertEqual(counts["stakeholder"], ["records": 2, "entities": 2], "\(label): \(counted.stdout) \(counted.stderr)")
            let ignored = statusJSON(w)["ignored_links"] as? [[String: Any]] ?? []
            XCTAssertEqual(ignored.map { $0["id"] as? String }, [link], label)
            XCTAssertTrue((ignored.first?["reason"] as? String ?? "").contains("stadt-kempten"), "\(label): \(ignored)")
            XCTAssertTrue(w.ok("status").stdout.contains("link \(link) of lk-augsburg"), label)
        }
        // After a rebuild too.
        ke.ok("rebuild")
        XCTAssertEqual(ke.json(b)["id"] as? String, b, "after rebuild")
        XCTAssertEqual(ke.json(a)["id"] as? String, a, "after rebuild")

        // stadt-kempten cannot delete lk-augsburg's link; the message says it has no effect.
        let foreign = ke.run(["unlink", b])
        XCTAssertEqual(foreign.status, 2)
        XCTAssertTrue(foreign.stderr.contains(link) && foreign.stderr.contains("ignored"), foreign.stderr)
        // lk-augsburg can delete its own ignored link (it never took effect, so nothing is undone).
        let removed = la.run(["unlink", a])
        XCTAssertEqual(removed.status, 0, removed.stderr)
        la.sync()
        ke.sync()
        XCTAssertTrue((statusJSON(ke)["ignored_links"] as? [[String: Any]] ?? []).isEmpty)
        XCTAssertEqual(ke.json(b)["id"] as? String, b)
    }
}

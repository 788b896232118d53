import Foundation
import KBMGit
import KBMRecords
import KBMStore
@testable import KBMSync
import KBMTestSupport
import XCTest

/// The sync pipeline's merge and import steps in-process, on real SQLite files and real git
/// repositories, as a table: each case edits one shared event on two offices from the same base,
/// then each office integrates the other's commit (both directions, from the same state). Both
/// must end with the same file, byte for byte, and the expected fields, in the repository and in
/// the store (`importIntoStore`).
final class IntegrateTableTests: XCTestCase {
    /// One office: a store, a bare repository and the engine over them.
    final class Office {
        let dir: String
        let store: Store
        let repo: Repository
        let engine: SyncEngine
        let county: County

        init(_ county: String, clock: Date) throws {
            dir = KBMRunner.makeTempDir("kbm-integrate-\(county)")
            store = try Store(path: dir + "/store.sqlite")
            repo = try Repository.initBare(at: dir + "/repo.git")
            self.county = County(county)!
            let environment = SyncEnvironment(now: { clock }, sleep: { _ in })
            engine = SyncEngine(context: SyncContext(
                store: store, repo: repo, county: self.county, author: Author("Koordination \(county) <bildung@\(county).example>")!,
                schema: .current, signer: nil, ownKey: nil, pendingRegistryPath: dir + "/pending", environment: environment))
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func save(_ record: Record) throws {
            try store.write { try $0.save(record, dirty: true) }
            _ = try engine.commitLocalChanges()
        }

        func record(_ id: RecordID) throws -> Record? { try store.read { try $0.record(id) } }

        var tip: ObjectID { get throws { try repo.reference(SyncEngine.localRef)! } }

        /// Fetches `branch` of `other` and merges it into refs/heads/main, then imports.
        func integrate(from other: Office, branch: String) throws {
            try repo.setRemote(name: "peer", url: other.dir + "/repo.git")
            guard let theirs = try repo.fetch(remote: "peer", branch: branch) else { return XCTFail("nothing fetched") }
            try engine.integrate(theirs)
            try engine.importIntoStore()
        }

        func file(_ path: String) throws -> String? {
            guard let entry = try repo.treeEntry(repo.commitTree(tip), path: path) else { return nil }
            return String(decoding: try repo.readBlob(entry.id), as: UTF8.self)
        }
    }

    struct Case {
        var name: String
        /// Changes of the owner (lk-augsburg) and of the co-owner (stadt-kempten) to the base.
        var ours: [String: FieldValue?]
        var theirs: [String: FieldValue?]
        /// Fields of the merged record (nil: absent).
        var expected: [String: FieldValue?]
        var conflicts: [String]
    }

    static let cases: [Case] = [
        Case(name: "different fields", ours: ["location": .text("Stadthalle Gersthofen")], theirs: ["participants": .int(120)],
             expected: ["location": .text("Stadthalle Gersthofen"), "participants": .int(120), "title": .text("Bildungskonferenz 2026")], conflicts: []),
        Case(name: "same value on both sides", ours: ["location": .text("Rathaus – Großer Saal")], theirs: ["location": .text("Rathaus – Großer Saal")],
             expected: ["location": .text("Rathaus – Großer Saal")], conflicts: []),
        Case(name: "a real disagreement", ours: ["location": .text("Kongress am Park")], theirs: ["location": .text("Zeughaus „Kempten“")],
             expected: [:], conflicts: ["location"]),
        Case(name: "goals added on both sides", ours: ["goals": .strings(["Netzwerk stärken", "Übergänge gestalten"])],
             theirs: ["goals": .strings(["Netzwerk stärken", "Eltern erreichen 👪"])],
             // Both additions kept, in the merge's deterministic order (the same whichever side merges).
             expected: ["goals": .strings(["Netzwerk stärken", "Eltern erreichen 👪", "Übergänge gestalten"])], conflicts: []),
        Case(name: "a field cleared on one side, kept on the other", ours: ["participants": nil], theirs: ["outcomes": .text("Gute Resonanz.\nZweiter Termin „im Herbst“ geplant.")],
             expected: ["participants": nil, "outcomes": .text("Gute Resonanz.\nZweiter Termin „im Herbst“ geplant.")], conflicts: []),
    ]

    func testEveryCaseMergesTheSameInBothDirections() throws {
        for testCase in Self.cases {
            try run(testCase)
        }
    }

    private func run(_ testCase: Case) throws {
        let clock = Date(timeIntervalSince1970: 1_777_000_000)
        let a = try Office("lk-augsburg", clock: clock)
        let b = try Office("stadt-kempten", clock: clock)
        let id = RecordID("01JD3Q5V8X2M4N6P8R0T2W4Y6Z")!
        let t0 = Timestamp("2026-03-01T08:00:00Z")!
        var base = Record(id: id, kind: "event", county: a.county, created: t0, updated: t0)
        base["title"] = .text("Bildungskonferenz 2026")
        base["start"] = .text("2026-04-24")
        base["participants"] = .int(80)
        base["co_owners"] = .strings(["stadt-kempten"])
        base["goals"] = .strings(["Netzwerk stärken"])
        try a.save(base)
        try a.repo.setReference("refs/heads/side", to: try a.tip, message: "test")
        try b.integrate(from: a, branch: "side")
        XCTAssertEqual(try b.record(id), try a.record(id), "\(testCase.name): the base arrived")

        func edited(_ changes: [String: FieldValue?], at time: String) -> Record {
            var r = base
            for (field, value) in changes { r[field] = value ?? nil }
            r.updated = Timestamp(time)!
            return r
        }
        try a.save(edited(testCase.ours, at: "2026-03-02T09:00:00Z"))
        try b.save(edited(testCase.theirs, at: "2026-03-02T10:00:00Z"))
        // Both directions from the same state: each side's commit as it was before any merge.
        try a.repo.setReference("refs/heads/side", to: try a.tip, message: "test")
        try b.repo.setReference("refs/heads/side", to: try b.tip, message: "test")
        try a.integrate(from: b, branch: "side")
        try b.integrate(from: a, branch: "side")

        let path = RecordLayout.path(county: a.county, kind: "event", id: id)
        let fileA = try a.file(path), fileB = try b.file(path)
        XCTAssertNotNil(fileA, testCase.name)
        XCTAssertEqual(fileA, fileB, "\(testCase.name): the two directions disagree")
        for office in [a, b] {
            guard let merged = try office.record(id) else { XCTFail("\(testCase.name): gone from \(office.county)'s store"); continue }
            for (field, value) in testCase.expected {
                XCTAssertEqual(merged[field], value ?? nil, "\(testCase.name): \(field) at \(office.county)")
            }
            XCTAssertEqual(merged.conflicts.map(\.field).sorted(), testCase.conflicts, "\(testCase.name): conflicts at \(office.county)")
            // The store holds what the repository holds.
            let parsed = try RecordParser.parse(data: Data((fileA ?? "").utf8), path: path, schema: .current)
            XCTAssertEqual(merged.fields, parsed.fields, "\(testCase.name): store and file differ at \(office.county)")
        }
    }

    /// Import into the store, both directions: a record deleted on one side and edited on the
    /// other stays (the edit wins), in both stores and both repositories.
    func testEditAgainstDeleteKeepsTheEditBothWays() throws {
        let clock = Date(timeIntervalSince1970: 1_777_000_000)
        let a = try Office("lk-augsburg", clock: clock)
        let b = try Office("stadt-kempten", clock: clock)
        let id = RecordID("01JD3Q5V8X2M4N6P8R0T2W4Y70")!
        let t0 = Timestamp("2026-03-01T08:00:00Z")!
        var base = Record(id: id, kind: "event", county: a.county, created: t0, updated: t0)
        base["title"] = .text("Fachtag Übergang Schule–Beruf")
        base["co_owners"] = .strings(["stadt-kempten"])
        try a.save(base)
        try a.repo.setReference("refs/heads/side", to: try a.tip, message: "test")
        try b.integrate(from: a, branch: "side")
        try a.store.write { try $0.delete(id, pending: true) }
        _ = try a.engine.commitLocalChanges()
        var edited = base
        edited["participants"] = .int(42)
        edited.updated = Timestamp("2026-03-02T10:00:00Z")!
        try b.save(edited)
        try a.repo.setReference("refs/heads/side", to: try a.tip, message: "test")
        try b.repo.setReference("refs/heads/side", to: try b.tip, message: "test")
        try a.integrate(from: b, branch: "side")
        try b.integrate(from: a, branch: "side")
        for office in [a, b] {
            XCTAssertEqual(try office.record(id)?["participants"], .int(42), "the edit is lost at \(office.county)")
        }
        let path = RecordLayout.path(county: a.county, kind: "event", id: id)
        XCTAssertEqual(try a.file(path), try b.file(path))
    }
}

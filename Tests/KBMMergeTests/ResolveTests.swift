import XCTest
import KBMRecords
@testable import KBMMerge

final class ResolveTests: XCTestCase {
    func conflicted() -> Record? {
        let ours = edit(fachtag, updated: t1, ["location": text("Aula der Realschule Gersthofen"), "participants": .int(70)])
        let theirs = edit(fachtag, updated: t2, ["location": text("Stadthalle Neusäß"), "participants": .int(75)])
        return RecordMerge.merge(base: fachtag, ours: ours, theirs: theirs, oursSide: augsburg, theirsSide: passau).record
    }

    func testResolveTakesTheChosenSideAndRemovesOnlyThatConflict() throws {
        let merged = try XCTUnwrap(conflicted())
        XCTAssertEqual(merged.conflicts.map(\.field), ["location", "participants"])
        let theirs = RecordMerge.resolve(merged, field: "location", choice: .theirs)
        XCTAssertEqual(theirs["location"], text("Stadthalle Neusäß"))
        XCTAssertEqual(theirs.conflicts.map(\.field), ["participants"])
        let ours = RecordMerge.resolve(merged, field: "location", choice: .ours)
        XCTAssertEqual(ours["location"], text("Aula der Realschule Gersthofen"))
        let own = RecordMerge.resolve(merged, field: "participants", choice: .value(.int(72)))
        XCTAssertEqual(own["participants"], .int(72))
        XCTAssertEqual(own.conflicts.map(\.field), ["location"])
    }

    func testResolvedOnOneReplicaStaysResolvedAfterTheNextMerge() throws {
        let merged = try XCTUnwrap(conflicted())
        var resolved = RecordMerge.resolve(merged, field: "location", choice: .theirs)
        resolved.updated = ts("2026-03-04T08:00:00Z")
        var elsewhere = edit(merged, updated: ts("2026-03-04T09:00:00Z"), ["type": text("bildungskonferenz")])
        elsewhere.conflicts = merged.conflicts
        let next = RecordMerge.merge(base: merged, ours: resolved, theirs: elsewhere, oursSide: augsburg, theirsSide: passau)
        XCTAssertEqual(next.conflicts, [])
        XCTAssertEqual(next.record?.conflicts.map(\.field), ["participants"])
        XCTAssertEqual(next.record?["location"], text("Stadthalle Neusäß"))
        XCTAssertEqual(next.record?["type"], text("bildungskonferenz"))
    }

    func testResolveWithoutAConflictChangesNothingUnlessAValueIsGiven() {
        XCTAssertEqual(RecordMerge.resolve(fachtag, field: "location", choice: .ours), fachtag)
        XCTAssertEqual(RecordMerge.resolve(fachtag, field: "location", choice: .value(.strings([])))["location"], nil)
    }

    func testResolveCountyAndDeleteConflicts() throws {
        var moved = edit(fachtag, updated: t1, [:])
        moved.county = county("stadt-augsburg")
        var movedElsewhere = edit(fachtag, updated: t2, [:])
        movedElsewhere.county = county("lk-aichach-friedberg")
        let merged = try XCTUnwrap(RecordMerge.merge(base: fachtag, ours: moved, theirs: movedElsewhere, oursSide: augsburg, theirsSide: passau).record)
        XCTAssertEqual(merged.county, county("stadt-augsburg"))
        let resolved = RecordMerge.resolve(merged, field: "county", choice: .theirs)
        XCTAssertEqual(resolved.county, county("lk-aichach-friedberg"))
        XCTAssertEqual(resolved.conflicts, [])

        let kept = try XCTUnwrap(RecordMerge.merge(base: fachtag, ours: nil, theirs: moved, oursSide: augsburg, theirsSide: passau).record)
        let settled = RecordMerge.resolve(kept, field: ConflictKind.wholeRecord, choice: .ours)
        XCTAssertEqual(settled, edit(kept, updated: kept.updated, [:]).withConflicts([]))
    }

    func testDanglingReferences() {
        let removed: Set<RecordID> = [rid(partnerVHS)]
        var r = fachtag
        r["partners"] = set([partnerIHK, partnerVHS, "kein-gültiger-verweis"])
        XCTAssertEqual(RecordMerge.danglingReferences(in: r, existing: { !removed.contains($0) }), ["kein-gültiger-verweis", partnerVHS].sorted())
        XCTAssertEqual(RecordMerge.danglingReferences(in: fachtag, existing: { _ in true }), [])
        XCTAssertEqual(RecordMerge.danglingReferences(in: stakeholder, existing: { _ in false }), [], "stakeholders have no refs fields")
    }
}

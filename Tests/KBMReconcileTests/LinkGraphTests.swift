import XCTest
import KBMRecords
@testable import KBMReconcile

final class LinkGraphTests: XCTestCase {
    let a = Make.id(1), b = Make.id(2), c = Make.id(3), d = Make.id(4)

    func testSameLinksFromTwoCountiesMakeOneGroupInAnyOrder() {
        let links = [Make.link(100, "lk-augsburg", "same", [a, b]), Make.link(101, "stadt-kempten", "same", [b, c])]
        for order in [links, links.reversed()] {
            let graph = LinkGraph(links: order, existing: [a, b, c, d])
            XCTAssertEqual(graph.group(of: a), [a, b, c])
            XCTAssertEqual(graph.group(of: c), [a, b, c])
            XCTAssertEqual(graph.group(of: d), [d])
            XCTAssertEqual(graph.groups, [[a, b, c]])
            XCTAssertTrue(graph.isDecided(a, c))
            XCTAssertEqual(graph.representative(of: c), a)
        }
    }

    func testDismissalKeepsAPairApartAndSkipsTheContradictingLink() {
        let links = [Make.link(100, "lk-augsburg", "same", [a, b]), Make.link(101, "stadt-kempten", "not_same", [a, c]),
                     Make.link(102, "lk-ostallgaeu", "same", [b, c])]
        let graph = LinkGraph(links: links.shuffled(), existing: [a, b, c])
        XCTAssertEqual(graph.group(of: a), [a, b])
        XCTAssertEqual(graph.group(of: c), [c])
        XCTAssertTrue(graph.isDismissed(c, a))
        XCTAssertEqual(graph.contradicted, [Make.id(102)])
    }

    func testMergedIdLeadsToTheSurvivor() {
        // b was merged into c: b no longer exists.
        let graph = LinkGraph(links: [Make.link(100, "lk-augsburg", "merged", [b, c], survivor: c)], existing: [a, c])
        XCTAssertEqual(graph.resolve(b), c)
        XCTAssertEqual(graph.resolve(c), c)
        XCTAssertEqual(graph.resolve(a), a)
        XCTAssertEqual(graph.representative(of: b), c)
    }

    /// Concurrent A→B and B→A merges: after sync both records exist (each office's deletion met
    /// the other's edit) and both links exist; every office picks the smaller id.
    func testConcurrentOppositeMergesConvergeOnTheSmallerId() {
        let one = Make.link(100, "lk-augsburg", "merged", [a, b], survivor: b)
        let two = Make.link(101, "stadt-augsburg", "merged", [a, b], survivor: a)
        for links in [[one, two], [two, one]] {
            let graph = LinkGraph(links: links, existing: [a, b])
            XCTAssertEqual(graph.resolve(a), a)
            XCTAssertEqual(graph.resolve(b), a)
        }
        // Once b is folded away for good, a stays the survivor.
        XCTAssertEqual(LinkGraph(links: [one, two], existing: [a]).resolve(b), a)
        // Chains: a merged into b, then b into c.
        let chain = [Make.link(102, "lk-augsburg", "merged", [a, b], survivor: b), Make.link(103, "lk-augsburg", "merged", [b, c], survivor: c)]
        XCTAssertEqual(LinkGraph(links: chain, existing: [c]).resolve(a), c)
    }

    func testMalformedLinksAreIgnored() {
        var bad = Make.link(100, "lk-augsburg", "same", [a])
        XCTAssertNil(LinkDecision(bad))
        bad = Make.link(101, "lk-augsburg", "merged", [a, b], survivor: c)
        XCTAssertNil(LinkDecision(bad))
        bad = Make.link(102, "lk-augsburg", "maybe", [a, b])
        XCTAssertNil(LinkDecision(bad))
        XCTAssertEqual(LinkGraph(links: [bad], existing: [a, b]).groups, [])
    }

    func testPartnersPointingAtAMergedRecordResolve() {
        let graph = LinkGraph(links: [Make.link(100, "lk-augsburg", "merged", [a, b], survivor: a)], existing: [a, c])
        var event = Make.event(50, "lk-augsburg", title: "Fachtag", type: "fachtag", start: nil)
        event.fields["partners"] = .strings([b.rawValue, c.rawValue])
        let (resolved, changes) = graph.resolvingReferences(in: event)
        XCTAssertEqual(resolved.fields["partners"]?.strings, [a.rawValue, c.rawValue].sorted())
        XCTAssertEqual(changes.map(\.0), [b])
    }

    /// A merge folds only records of one county that the link's county owns (issue 13): a link
    /// of lk-augsburg naming stadt-kempten's record as dropped is ignored and hides nothing.
    func testMergedLinkAcrossCountiesIsIgnored() {
        let mine = Make.stakeholder(1, "lk-augsburg", name: "IHK Schwaben")
        let theirs = Make.stakeholder(2, "stadt-kempten", name: "IHK Schwaben")
        var shared = Make.stakeholder(3, "stadt-kempten", name: "HWK Schwaben")
        shared.fields["co_owners"] = .strings(["lk-augsburg"])
        let named = [a: mine, b: theirs, c: shared]
        let hostile = Make.link(100, "lk-augsburg", "merged", [a, b], survivor: a)
        var graph = LinkGraph(links: [hostile], existing: [a, b, c], named: named)
        XCTAssertEqual(graph.resolve(b), b)
        XCTAssertEqual(graph.group(of: b), [b])
        XCTAssertEqual(graph.decisions(involving: b), [])
        XCTAssertEqual(graph.ignored(involving: b).map(\.decision.id), [Make.id(100)])
        XCTAssertTrue(graph.ignored[0].reason.contains("stadt-kempten"), graph.ignored[0].reason)
        // Survivor on the other side: ignored too.
        graph = LinkGraph(links: [Make.link(101, "lk-augsburg", "merged", [a, b], survivor: b)], existing: [a, b], named: named)
        XCTAssertEqual(graph.resolve(a), a)
        // Two records of stadt-kempten, one co-owned by lk-augsburg: lk-augsburg does not own the other.
        graph = LinkGraph(links: [Make.link(102, "lk-augsburg", "merged", [b, c], survivor: c)], existing: [b, c], named: named)
        XCTAssertEqual(graph.resolve(b), b)
        // The co-owner may merge a record it owns into another it owns; the dropped one is gone here.
        graph = LinkGraph(links: [Make.link(103, "lk-augsburg", "merged", [c, d], survivor: c)], existing: [a, b, c], named: [c: shared])
        XCTAssertEqual(graph.resolve(d), c)
        XCTAssertTrue(graph.ignored.isEmpty)
        // The agency merges within one county, never across.
        graph = LinkGraph(links: [Make.link(104, "transferagentur", "merged", [b, c], survivor: b)], existing: [b, c], named: named)
        XCTAssertEqual(graph.resolve(c), b)
        graph = LinkGraph(links: [Make.link(105, "transferagentur", "merged", [a, b], survivor: a)], existing: [a, b], named: named)
        XCTAssertEqual(graph.resolve(b), b)
        XCTAssertEqual(graph.ignored.count, 1)
        // A `same` link across counties groups them, as before.
        graph = LinkGraph(links: [Make.link(106, "lk-augsburg", "same", [a, b])], existing: [a, b], named: named)
        XCTAssertEqual(graph.group(of: b), [a, b])
    }
}

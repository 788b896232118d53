import XCTest
import KBMRecords
@testable import KBMMerge

/// One rule, one named case. Every case also runs with ours and theirs swapped.
struct MergeCase {
    let name: String
    let base: Record?
    let ours: Record?
    let theirs: Record?
    /// The merged content (conflicts left out); nil = deleted.
    let expected: Record?
    /// Fields of the conflicts this merge should find (empty: none).
    var expectConflict: [String] = []
    /// Fields of all open conflicts in the merged record, if the case is about stored conflicts.
    var expectOpen: [String]? = nil
}

let fachtag = record([
    "title": text("Fachtag Übergang Schule–Beruf"),
    "type": text("fachtag"),
    "start": text("2026-03-14"),
    "location": text("Landratsamt Augsburg, Großer Sitzungssaal"),
    "participants": .int(80),
    "target_groups": set(["Eltern", "Lehrkräfte"]),
    "goals": strs(["Übergänge sichtbar machen", "Betriebe gewinnen", "Eltern früh einbinden"]),
    "partners": set([partnerIHK, partnerVHS]),
    "outcomes": text("Zeile eins: Begrüßung durch den Landrat\nZeile zwei: Impulsvortrag Übergangsmanagement\nZeile drei: Workshops zu Praktika\nZeile vier: Abschluss mit Brezen 🥨"),
    "follow_ups": .items([
        item("f1", ["text": "Protokoll an alle Schulleitungen", "owner": "Frau Özdemir", "status": "open"]),
        item("f2", ["text": "Folgetermin mit der IHK vereinbaren", "due": "2026-04-30", "status": "open"]),
    ]),
])

let stakeholder = record([
    "name": text("Dr. Grüßer, Staatliches Schulamt"),
    "type": text("person"),
    "influence": text("medium"),
    "committees": set(["Bildungsbeirat", "Steuerungsgremium"]),
], kind: "stakeholder", id: rid("01JD3Q5V8X2M4N6P8R0T2W4Y7A"))

func conflictOn(_ field: String, commits: (String, String) = ("c1", "c2"), value: FieldValue? = nil) -> FieldConflict {
    FieldConflict(kind: "field", field: field, base: nil,
                  ours: .init(value: value, county: "lk-augsburg", author: "Anna Müller", commit: commits.0),
                  theirs: .init(value: value, county: "lk-kempten", author: "Sepp Huber", commit: commits.1))
}

let cases: [MergeCase] = {
    let b = fachtag
    var out: [MergeCase] = []
    // Scalars
    out.append(MergeCase(name: "scalar: changed on one side only takes that side",
        base: b, ours: edit(b, updated: t1, ["location": text("Aula der Realschule Gersthofen")]),
        theirs: edit(b, updated: t2, ["participants": .int(95)]),
        expected: edit(b, updated: t2, ["location": text("Aula der Realschule Gersthofen"), "participants": .int(95)])))
    out.append(MergeCase(name: "scalar: the same change on both sides is no conflict",
        base: b, ours: edit(b, updated: t1, ["type": text("bildungskonferenz"), "participants": .int(90)]),
        theirs: edit(b, updated: t2, ["type": text("bildungskonferenz")]),
        expected: edit(b, updated: t2, ["type": text("bildungskonferenz"), "participants": .int(90)])))
    out.append(MergeCase(name: "scalar: different changes conflict, the owner's value is provisional",
        base: b, ours: edit(b, updated: t1, ["location": text("Aula der Realschule Gersthofen")]),
        theirs: edit(b, updated: t2, ["location": text("Stadthalle Neusäß")]),
        expected: edit(b, updated: t2, ["location": text("Aula der Realschule Gersthofen")]), expectConflict: ["location"]))
    out.append(MergeCase(name: "scalar: cleared on one side, changed on the other conflicts",
        base: b, ours: edit(b, updated: t1, ["start": nil]),
        theirs: edit(b, updated: t2, ["start": text("2026-03-21")]),
        expected: edit(b, updated: t2, ["start": nil]), expectConflict: ["start"]))
    out.append(MergeCase(name: "scalar: int and bool and enum on a stakeholder",
        base: stakeholder, ours: edit(stakeholder, updated: t1, ["key_person": .bool(true), "influence": text("high")]),
        theirs: edit(stakeholder, updated: t2, ["stance": text("supporter"), "influence": text("low")]),
        expected: edit(stakeholder, updated: t2, ["key_person": .bool(true), "stance": text("supporter"), "influence": text("high")]),
        expectConflict: ["influence"]))
    // Sets
    out.append(MergeCase(name: "set: additions from both sides are kept",
        base: b, ours: edit(b, updated: t1, ["target_groups": set(["Eltern", "Lehrkräfte", "Schülerinnen und Schüler"])]),
        theirs: edit(b, updated: t2, ["target_groups": set(["Ausbildungsbetriebe", "Eltern", "Lehrkräfte"])]),
        expected: edit(b, updated: t2, ["target_groups": set(["Ausbildungsbetriebe", "Eltern", "Lehrkräfte", "Schülerinnen und Schüler"])])))
    out.append(MergeCase(name: "set: an element removed on either side goes",
        base: stakeholder, ours: edit(stakeholder, updated: t1, ["committees": set(["Steuerungsgremium", "Kreistag"])]),
        theirs: edit(stakeholder, updated: t2, ["committees": set(["Bildungsbeirat"])]),
        expected: edit(stakeholder, updated: t2, ["committees": set(["Kreistag"])])))
    out.append(MergeCase(name: "refs: partners added and removed on both sides",
        base: b, ours: edit(b, updated: t1, ["partners": set([partnerIHK, partnerVHS, partnerSchulamt])]),
        theirs: edit(b, updated: t2, ["partners": set([partnerIHK])]),
        expected: edit(b, updated: t2, ["partners": set([partnerIHK, partnerSchulamt])])))
    out.append(MergeCase(name: "counties: co-owners from both sides",
        base: b, ours: edit(b, updated: t1, ["co_owners": set(["lk-guenzburg"])]),
        theirs: edit(b, updated: t2, ["co_owners": set(["lk-donau-ries"])]),
        expected: edit(b, updated: t2, ["co_owners": set(["lk-donau-ries", "lk-guenzburg"])])))
    // Ordered lists
    let goals = ["Übergänge sichtbar machen", "Betriebe gewinnen", "Eltern früh einbinden"]
    out.append(MergeCase(name: "list: insertions from both sides kept in place",
        base: b, ours: edit(b, updated: t1, ["goals": strs([goals[0], "Praktikumsbörse aufbauen", goals[1], goals[2]])]),
        theirs: edit(b, updated: t2, ["goals": strs(goals + ["Größere Reichweite in der Presse"])]),
        expected: edit(b, updated: t2, ["goals": strs([goals[0], "Praktikumsbörse aufbauen", goals[1], goals[2], "Größere Reichweite in der Presse"])])))
    out.append(MergeCase(name: "list: insertions at the same place both kept, in a stable order",
        base: b, ours: edit(b, updated: t1, ["goals": strs(goals + ["Zukunftstag planen"])]),
        theirs: edit(b, updated: t2, ["goals": strs(goals + ["Ausbildungsmesse bewerben", "Zukunftstag planen"])]),
        expected: edit(b, updated: t2, ["goals": strs(goals + ["Ausbildungsmesse bewerben", "Zukunftstag planen"])])))
    out.append(MergeCase(name: "list: removal on one side, insertion on the other",
        base: b, ours: edit(b, updated: t1, ["goals": strs([goals[0], goals[2]])]),
        theirs: edit(b, updated: t2, ["goals": strs([goals[0], goals[1], "Mädchen für MINT-Berufe begeistern", goals[2]])]),
        expected: edit(b, updated: t2, ["goals": strs([goals[0], "Mädchen für MINT-Berufe begeistern", goals[2]])])))
    out.append(MergeCase(name: "list: replaced on one side, removed on the other keeps the replacement",
        base: b, ours: edit(b, updated: t1, ["goals": strs([goals[0], "Handwerksbetriebe gewinnen", goals[2]])]),
        theirs: edit(b, updated: t2, ["goals": strs([goals[0], goals[2]])]),
        expected: edit(b, updated: t2, ["goals": strs([goals[0], "Handwerksbetriebe gewinnen", goals[2]])])))
    out.append(MergeCase(name: "list: the same item changed differently conflicts",
        base: b, ours: edit(b, updated: t1, ["goals": strs([goals[0], "Handwerksbetriebe gewinnen", goals[2]])]),
        theirs: edit(b, updated: t2, ["goals": strs([goals[0], "Großbetriebe gewinnen", goals[2], "Neu: Elternabend"])]),
        expected: edit(b, updated: t2, ["goals": strs([goals[0], "Handwerksbetriebe gewinnen", goals[2], "Neu: Elternabend"])]),
        expectConflict: ["goals"]))
    // Long text
    let lines = ["Zeile eins: Begrüßung durch den Landrat", "Zeile zwei: Impulsvortrag Übergangsmanagement",
                 "Zeile drei: Workshops zu Praktika", "Zeile vier: Abschluss mit Brezen 🥨"]
    func body(_ l: [String]) -> FieldValue { text(l.joined(separator: "\n")) }
    out.append(MergeCase(name: "text: edits to different lines combine",
        base: b, ours: edit(b, updated: t1, ["outcomes": body([lines[0], "Zeile zwei: Vortrag von Frau Dr. Weiß", lines[2], lines[3]])]),
        theirs: edit(b, updated: t2, ["outcomes": body([lines[0], lines[1], "Zeile drei: Workshops zu Praktika und Ausbildung", lines[3], "Nachtrag: 12 Betriebe haben Plätze gemeldet"])]),
        expected: edit(b, updated: t2, ["outcomes": body([lines[0], "Zeile zwei: Vortrag von Frau Dr. Weiß", "Zeile drei: Workshops zu Praktika und Ausbildung", lines[3], "Nachtrag: 12 Betriebe haben Plätze gemeldet"])])))
    out.append(MergeCase(name: "text: overlapping different edits conflict, owner's lines provisional",
        base: b, ours: edit(b, updated: t1, ["outcomes": body([lines[0], "Zeile zwei: geändert in Augsburg", lines[2], "Schluss: Danke!"])]),
        theirs: edit(b, updated: t2, ["outcomes": body([lines[0], "Zeile zwei: geändert in Passau", lines[2], lines[3]])]),
        expected: edit(b, updated: t2, ["outcomes": body([lines[0], "Zeile zwei: geändert in Augsburg", lines[2], "Schluss: Danke!"])]),
        expectConflict: ["outcomes"]))
    out.append(MergeCase(name: "text: insertions at the same place conflict",
        base: b, ours: edit(b, updated: t1, ["outcomes": body(lines + ["Fazit: gelungen"])]),
        theirs: edit(b, updated: t2, ["outcomes": body(lines + ["Fazit: ausbaufähig"])]),
        expected: edit(b, updated: t2, ["outcomes": body(lines + ["Fazit: gelungen"])]), expectConflict: ["outcomes"]))
    // Items
    let f1 = item("f1", ["text": "Protokoll an alle Schulleitungen", "owner": "Frau Özdemir", "status": "open"])
    let f2 = item("f2", ["text": "Folgetermin mit der IHK vereinbaren", "due": "2026-04-30", "status": "open"])
    func with(_ i: Item, _ changes: [String: String?]) -> Item {
        var i = i
        for (k, v) in changes { i.fields[k] = v }
        return i
    }
    out.append(MergeCase(name: "items: different fields of one item and different items combine",
        base: b, ours: edit(b, updated: t1, ["follow_ups": .items([with(f1, ["status": "done"]), f2])]),
        theirs: edit(b, updated: t2, ["follow_ups": .items([with(f1, ["owner": "Herr Maier"]), with(f2, ["due": "2026-05-15"])])]),
        expected: edit(b, updated: t2, ["follow_ups": .items([with(f1, ["status": "done", "owner": "Herr Maier"]), with(f2, ["due": "2026-05-15"])])])))
    out.append(MergeCase(name: "items: the same item field changed differently conflicts on follow_ups",
        base: b, ours: edit(b, updated: t1, ["follow_ups": .items([with(f1, ["status": "done"]), f2])]),
        theirs: edit(b, updated: t2, ["follow_ups": .items([with(f1, ["status": "dropped"]), with(f2, ["status": "done"])])]),
        expected: edit(b, updated: t2, ["follow_ups": .items([with(f1, ["status": "done"]), with(f2, ["status": "done"])])]),
        expectConflict: ["follow_ups"]))
    // An indicator's values are items too: one period per item, merged item by item.
    let ib = record(["name": text("Übertrittsquote an das Gymnasium"), "values": .items([item("v2023", ["period": "2023", "value": "30.5"])])], kind: "indicator")
    let v2023 = item("v2023", ["period": "2023", "value": "30.5"])
    out.append(MergeCase(name: "items: indicator values for different periods and a note on an old one combine",
        base: ib, ours: edit(ib, updated: t1, ["values": .items([v2023, item("v2024", ["period": "2024", "value": "32"])])]),
        theirs: edit(ib, updated: t2, ["values": .items([with(v2023, ["note": "vorläufig"]), item("v2025", ["period": "2025", "value": "33.1"])])]),
        expected: edit(ib, updated: t2, ["values": .items([with(v2023, ["note": "vorläufig"]), item("v2024", ["period": "2024", "value": "32"]), item("v2025", ["period": "2025", "value": "33.1"])])])))
    out.append(MergeCase(name: "items: one indicator value corrected differently on both sides conflicts",
        base: ib, ours: edit(ib, updated: t1, ["values": .items([with(v2023, ["value": "31"])])]),
        theirs: edit(ib, updated: t2, ["values": .items([with(v2023, ["value": "29.8"])])]),
        expected: edit(ib, updated: t2, ["values": .items([with(v2023, ["value": "31"])])]), expectConflict: ["values"]))
    let f3 = item("f3", ["text": "Pressemitteilung schreiben", "owner": "Pressestelle"])
    let f4 = item("f4", ["text": "Fotos an die Augsburger Allgemeine", "status": "open"])
    let f5 = item("f5", ["text": "Dank an die Aussteller schicken"])
    out.append(MergeCase(name: "items: added on both sides all kept, after their predecessors",
        base: b, ours: edit(b, updated: t1, ["follow_ups": .items([f1, f3, f2])]),
        theirs: edit(b, updated: t2, ["follow_ups": .items([f1, f2, f4, f5])]),
        expected: edit(b, updated: t2, ["follow_ups": .items([f1, f3, f2, f4, f5])])))
    out.append(MergeCase(name: "items: deleted on one side and edited on the other is kept with a conflict",
        base: b, ours: edit(b, updated: t1, ["follow_ups": .items([f2])]),
        theirs: edit(b, updated: t2, ["follow_ups": .items([with(f1, ["status": "done"]), f2])]),
        expected: edit(b, updated: t2, ["follow_ups": .items([with(f1, ["status": "done"]), f2])]), expectConflict: ["follow_ups"]))
    out.append(MergeCase(name: "items: deleted on one side and unchanged on the other goes",
        base: b, ours: edit(b, updated: t1, ["follow_ups": .items([f2])]),
        theirs: edit(b, updated: t2, ["follow_ups": .items([f1, with(f2, ["owner": "Frau Schäfer"])])]),
        expected: edit(b, updated: t2, ["follow_ups": .items([with(f2, ["owner": "Frau Schäfer"])])])))
    // Unknown fields
    out.append(MergeCase(name: "opaque: an unknown field from a newer version is kept",
        base: b, ours: edit(b, updated: t1, ["budget": .opaque(" 1200\n")]),
        theirs: edit(b, updated: t2, ["participants": .int(120)]),
        expected: edit(b, updated: t2, ["budget": .opaque(" 1200\n"), "participants": .int(120)])))
    let withBudget = edit(b, updated: t0, ["budget": .opaque("\n  betrag: 1200\n  quelle: Förderprogramm\n")])
    out.append(MergeCase(name: "opaque: changed differently conflicts like a scalar",
        base: withBudget, ours: edit(withBudget, updated: t1, ["budget": .opaque(" 1500\n")]),
        theirs: edit(withBudget, updated: t2, ["budget": .opaque(" 900\n")]),
        expected: edit(withBudget, updated: t2, ["budget": .opaque(" 1500\n")]), expectConflict: ["budget"]))
    // Header
    var newer = edit(b, updated: t2, ["participants": .int(70)])
    newer.format = 2
    var expectedHeader = edit(b, updated: t2, ["participants": .int(70), "location": text("VHS Augsburg")])
    expectedHeader.format = 2
    out.append(MergeCase(name: "header: updated and format are the maximum",
        base: b, ours: edit(b, updated: t1, ["location": text("VHS Augsburg")]), theirs: newer, expected: expectedHeader))
    var moved = edit(b, updated: t1, [:])
    moved.county = county("stadt-augsburg")
    var movedElsewhere = edit(b, updated: t2, [:])
    movedElsewhere.county = county("lk-aichach-friedberg")
    var expectedMoved = edit(b, updated: t2, [:])
    expectedMoved.county = county("stadt-augsburg")
    out.append(MergeCase(name: "header: county changed differently conflicts",
        base: b, ours: moved, theirs: movedElsewhere, expected: expectedMoved, expectConflict: ["county"]))
    var movedWithEdit = edit(b, updated: t2, ["participants": .int(12)])
    movedWithEdit.county = county("stadt-augsburg")
    out.append(MergeCase(name: "header: county changed on one side is taken",
        base: b, ours: edit(b, updated: t1, ["location": text("Rathaus")]), theirs: movedWithEdit,
        expected: { var r = movedWithEdit; r["location"] = text("Rathaus"); return r }()))
    // Delete
    out.append(MergeCase(name: "delete: deleted on one side, edited on the other keeps the edit",
        base: b, ours: nil, theirs: edit(b, updated: t2, ["participants": .int(101)]),
        expected: edit(b, updated: t2, ["participants": .int(101)]), expectConflict: [ConflictKind.wholeRecord]))
    out.append(MergeCase(name: "delete: deleted on both sides is no conflict",
        base: b, ours: nil, theirs: nil, expected: nil))
    out.append(MergeCase(name: "delete: deleted on one side and unchanged on the other is deleted",
        base: b, ours: nil, theirs: b, expected: nil))
    // Create
    let createdA = record(["title": text("Netzwerktreffen Kita–Grundschule"), "location": text("Kita Sonnenschein, Königsbrunn")], created: t1, updated: t1)
    let createdB = record(["title": text("Netzwerktreffen Kita–Grundschule"), "participants": .int(25)], created: t0, updated: t2)
    out.append(MergeCase(name: "create: both sides create the same id, merged against an empty base",
        base: nil, ours: createdA, theirs: createdB,
        expected: record(["title": text("Netzwerktreffen Kita–Grundschule"), "location": text("Kita Sonnenschein, Königsbrunn"), "participants": .int(25)], created: t0, updated: t2)))
    let createdC = record(["title": text("Netzwerktreffen Übergang Kita"), "participants": .int(25)], created: t0, updated: t2)
    out.append(MergeCase(name: "create: both create with different titles conflicts",
        base: nil, ours: createdA, theirs: createdC,
        expected: record(["title": text("Netzwerktreffen Kita–Grundschule"), "location": text("Kita Sonnenschein, Königsbrunn"), "participants": .int(25)], created: t0, updated: t2),
        expectConflict: ["title"]))
    out.append(MergeCase(name: "create: created on one side only", base: nil, ours: createdA, theirs: nil, expected: createdA))
    // Stored conflicts
    let c1 = conflictOn("location", commits: ("c1", "c2"), value: text("Gersthofen"))
    let c2 = conflictOn("participants", commits: ("c3", "c4"), value: .int(3))
    let withC1 = edit(b, updated: t0, [:]).withConflicts([c1])
    out.append(MergeCase(name: "stored conflicts: the union of both sides' open conflicts",
        base: b, ours: edit(b, updated: t1, ["type": text("online")]).withConflicts([c1]),
        theirs: edit(b, updated: t2, [:]).withConflicts([c2, c1]),
        expected: edit(b, updated: t2, ["type": text("online")]), expectOpen: ["location", "participants"]))
    out.append(MergeCase(name: "stored conflicts: resolved on one side goes",
        base: withC1, ours: edit(withC1, updated: t1, ["location": text("Gersthofen")]).withConflicts([]),
        theirs: edit(withC1, updated: t2, ["participants": .int(81)]).withConflicts([c1, c2]),
        expected: edit(b, updated: t2, ["location": text("Gersthofen"), "participants": .int(81)]), expectOpen: ["participants"]))
    return out
}()

extension Record {
    func withConflicts(_ conflicts: [FieldConflict]) -> Record {
        var r = self
        r.conflicts = conflicts
        return r
    }
}

final class MergeRuleTests: XCTestCase {
    func testEveryRuleBothWays() {
        for c in cases {
            let forward = RecordMerge.merge(base: c.base, ours: c.ours, theirs: c.theirs, oursSide: augsburg, theirsSide: passau)
            let swapped = RecordMerge.merge(base: c.base, ours: c.theirs, theirs: c.ours, oursSide: passau, theirsSide: augsburg)
            for (label, result) in [("forward", forward), ("swapped", swapped)] {
                XCTAssertEqual(content(result.record), content(c.expected), "\(c.name) (\(label))")
                XCTAssertEqual(result.conflicts.map(\.field).sorted(), c.expectConflict.sorted(), "\(c.name) (\(label)): new conflicts")
                for conflict in result.conflicts {
                    XCTAssertTrue(result.record?.conflicts.contains(conflict) ?? false, "\(c.name) (\(label)): conflict stored in the record")
                }
                if let open = c.expectOpen {
                    XCTAssertEqual(result.record?.conflicts.map(\.field).sorted(), open.sorted(), "\(c.name) (\(label)): open conflicts")
                }
            }
            XCTAssertEqual(forward.record, swapped.record, "\(c.name): swapping ours and theirs changes the record")
            XCTAssertEqual(forward.conflicts, swapped.conflicts, "\(c.name): swapping ours and theirs changes the conflicts")
            if let f = forward.record, let s = swapped.record {
                XCTAssertEqual(RecordWriter.write(f), RecordWriter.write(s), "\(c.name): files differ")
            }
        }
    }

    func testEveryCaseIsIdempotent() {
        for c in cases {
            for x in [c.ours, c.theirs] {
                XCTAssertEqual(RecordMerge.merge(base: c.base, ours: x, theirs: x, oursSide: augsburg, theirsSide: passau).record, x, "\(c.name): merge(b, x, x)")
                XCTAssertEqual(RecordMerge.merge(base: c.base, ours: c.base, theirs: x, oursSide: augsburg, theirsSide: passau).record, x, "\(c.name): merge(b, b, x)")
                XCTAssertEqual(RecordMerge.merge(base: c.base, ours: x, theirs: c.base, oursSide: augsburg, theirsSide: passau).record, x, "\(c.name): merge(b, x, b)")
            }
        }
    }

    func testConflictSidesAreNormalisedAndCarryMetadata() throws {
        let b = fachtag
        let ours = edit(b, updated: t1, ["location": text("Gersthofen")])
        let theirs = edit(b, updated: t2, ["location": text("Neusäß")])
        let result = RecordMerge.merge(base: b, ours: theirs, theirs: ours, oursSide: passau, theirsSide: augsburg)
        let conflict = try XCTUnwrap(result.conflicts.first)
        XCTAssertEqual(result.status, .conflicted)
        XCTAssertEqual(conflict.kind, "field")
        XCTAssertEqual(conflict.base, text("Landratsamt Augsburg, Großer Sitzungssaal"))
        XCTAssertEqual(conflict.ours, FieldConflict.Side(value: text("Gersthofen"), county: "lk-augsburg", author: "Anna Müller", commit: "a1a1a1"))
        XCTAssertEqual(conflict.theirs, FieldConflict.Side(value: text("Neusäß"), county: "lk-passau", author: "Jörg Weiß", commit: "b2b2b2"))
        XCTAssertEqual(result.record?["location"], conflict.ours.value, "the provisional value is the stored ours side")
    }

    func testDeleteConflictSaysWhoDeleted() throws {
        let result = RecordMerge.merge(base: fachtag, ours: nil, theirs: edit(fachtag, updated: t1, ["participants": .int(3)]),
                                       oursSide: augsburg, theirsSide: passau)
        let conflict = try XCTUnwrap(result.conflicts.first)
        XCTAssertEqual(conflict.kind, ConflictKind.delete)
        XCTAssertEqual(conflict.field, ConflictKind.wholeRecord)
        XCTAssertEqual(conflict.ours.county, "lk-augsburg")
        XCTAssertEqual(conflict.ours.value, .opaque(" deleted\n"))
        XCTAssertEqual(conflict.theirs.value, .opaque(" edited\n"))
    }

    func testStatus() {
        let b = fachtag
        let x = edit(b, updated: t1, ["participants": .int(1)])
        let y = edit(b, updated: t2, ["location": text("Online")])
        func status(_ base: Record?, _ o: Record?, _ t: Record?) -> MergeStatus {
            RecordMerge.merge(base: base, ours: o, theirs: t, oursSide: augsburg, theirsSide: passau).status
        }
        XCTAssertEqual(status(b, x, x), .same)
        XCTAssertEqual(status(b, b, x), .tookTheirs)
        XCTAssertEqual(status(b, x, b), .keptOurs)
        XCTAssertEqual(status(b, x, y), .merged)
        XCTAssertEqual(status(b, nil, b), .deleted)
        XCTAssertEqual(status(b, nil, nil), .deleted)
    }

    /// Conflicts written to the file and parsed back are the same values, so later merges see them.
    func testMergedConflictsSurviveWriteAndParse() throws {
        try XCTSkipIf((try? RecordParser.parse(RecordWriter.write(fachtag))) != fachtag,
                      "KBMRecords cannot read back its own written records yet; nothing to check here")
        for c in cases {
            guard let merged = RecordMerge.merge(base: c.base, ours: c.ours, theirs: c.theirs, oursSide: augsburg, theirsSide: passau).record else { continue }
            let file = RecordWriter.write(merged)
            guard let parsed = try? RecordParser.parse(file) else { XCTFail("\(c.name): does not parse:\n\(file)"); continue }
            XCTAssertEqual(Set(parsed.conflicts), Set(merged.conflicts), c.name)
            XCTAssertEqual(parsed.fields, merged.fields, c.name)
        }
    }
}

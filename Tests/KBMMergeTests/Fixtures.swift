import Foundation
import KBMRecords
@testable import KBMMerge

/// The two offices of most tests. Records belong to lk-augsburg, so its side's value is provisional.
let augsburg = MergeSide(county: "lk-augsburg", author: "Anna Müller", commit: "a1a1a1")
let passau = MergeSide(county: "lk-passau", author: "Jörg Weiß", commit: "b2b2b2")

let eventID = rid("01JD3Q5V8X2M4N6P8R0T2W4Y6Z")
let partnerIHK = "01JD3Q5V8X2M4N6P8R0T2W4Y70"
let partnerVHS = "01JD3Q5V8X2M4N6P8R0T2W4Y71"
let partnerSchulamt = "01JD3Q5V8X2M4N6P8R0T2W4Y72"

func rid(_ text: String) -> RecordID {
    guard let id = RecordID(text) else { preconditionFailure("bad test id \(text)") }
    return id
}

func ts(_ text: String) -> Timestamp {
    guard let t = Timestamp(text) else { preconditionFailure("bad test time \(text)") }
    return t
}

func county(_ text: String) -> County {
    guard let c = County(text) else { preconditionFailure("bad test county \(text)") }
    return c
}

let t0 = ts("2026-03-01T08:00:00Z")
let t1 = ts("2026-03-02T09:15:00Z")
let t2 = ts("2026-03-03T10:30:00Z")

/// A record of `kind` with the given fields (empty values left out, like the parser does).
func record(_ fields: [String: FieldValue], kind: String = "event", id: RecordID = eventID, county c: String = "lk-augsburg",
            created: Timestamp = t0, updated: Timestamp = t0, format: Int = 1, conflicts: [FieldConflict] = []) -> Record {
    var r = Record(id: id, kind: kind, county: county(c), format: format, created: created, updated: updated, conflicts: conflicts)
    for (name, value) in fields { r[name] = value }
    return r
}

/// `base` with fields changed (nil removes) and `updated` set.
func edit(_ base: Record, updated: Timestamp, _ changes: [String: FieldValue?]) -> Record {
    var r = base
    r.updated = updated
    for (name, value) in changes { r[name] = value }
    return r
}

func text(_ s: String) -> FieldValue { .text(s) }
func strs(_ s: [String]) -> FieldValue { .strings(s) }
func set(_ s: [String]) -> FieldValue { .strings(s.sorted()) }
func item(_ id: String, _ fields: [String: String]) -> Item { Item(id: id, fields: fields) }

/// The merged record without its conflicts, for comparing content.
func content(_ r: Record?) -> Record? {
    guard var r else { return nil }
    r.conflicts = []
    return r
}

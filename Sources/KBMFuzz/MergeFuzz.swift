import Foundation
import KBMMerge
import KBMRecords

/// The merge's fuzz properties, on three versions of one record generated from the fuzzer's
/// bytes (base, ours, theirs: fields kept, changed, cleared, set elements added and removed,
/// follow-ups edited, the record deleted): idempotence, swap symmetry, no one-sided change lost,
/// and a merged record that writes and parses back with its conflicts.
public enum MergeFuzz {
    static let ours = MergeSide(county: "lk-augsburg", author: "Anna Müller <a@augsburg.de>", commit: "a1a1a1")
    static let theirs = MergeSide(county: "lk-passau", author: "Jörg Weiß <j@passau.de>", commit: "b2b2b2")

    public static func check(_ data: [UInt8]) -> String? {
        var input = FuzzInput(data)
        let schema = Schema.current
        let kind = input.pick(["event", "stakeholder", "product", "tip"])
        let base: Record? = input.chance(10) ? nil : makeRecord(kind: kind, &input)
        let oursVersion: Record? = input.chance(8) ? nil : edit(base ?? makeRecord(kind: kind, &input), &input, stamp: "2026-03-02T09:15:00Z")
        let theirsVersion: Record? = input.chance(8) ? nil : edit(base ?? makeRecord(kind: kind, &input), &input, stamp: "2026-03-03T10:30:00Z")
        func merge(_ b: Record?, _ o: Record?, _ t: Record?, _ os: MergeSide = ours, _ ts: MergeSide = theirs) -> MergeResult {
            RecordMerge.merge(base: b, ours: o, theirs: t, oursSide: os, theirsSide: ts, schema: schema)
        }
        // Idempotence: merging a version with itself, or with an unchanged side, gives that version.
        for x in [oursVersion, theirsVersion] {
            if merge(base, x, x).record != x { return "merge(base, x, x) != x for \(String(describing: x))" }
            if merge(base, base, x).record != x { return "merge(base, base, x) != x for \(String(describing: x))" }
            if merge(base, x, base).record != x { return "merge(base, x, base) != x for \(String(describing: x))" }
        }
        // Swap symmetry: every office computes the same record and the same conflicts.
        let forward = merge(base, oursVersion, theirsVersion)
        let swapped = merge(base, theirsVersion, oursVersion, theirs, ours)
        if forward.record != swapped.record { return "not swap-symmetric:\n\(String(describing: forward.record))\nvs\n\(String(describing: swapped.record))" }
        if Set(forward.conflicts) != Set(swapped.conflicts) { return "conflicts not swap-symmetric: \(forward.conflicts) vs \(swapped.conflicts)" }
        guard let merged = forward.record else {
            // Deleted: only when a side deleted it.
            if oursVersion != nil && theirsVersion != nil { return "both sides kept the record but the merge deleted it" }
            return nil
        }
        // No field lost: a field changed on one side only has that side's value.
        if let base, let o = oursVersion, let t = theirsVersion {
            for name in Set(base.fields.keys).union(o.fields.keys).union(t.fields.keys) {
                if o.fields[name] == base.fields[name], merged.fields[name] != t.fields[name] {
                    return "field \(name) changed by theirs only: want \(String(describing: t.fields[name])), got \(String(describing: merged.fields[name]))"
                }
                if t.fields[name] == base.fields[name], merged.fields[name] != o.fields[name] {
                    return "field \(name) changed by ours only: want \(String(describing: o.fields[name])), got \(String(describing: merged.fields[name]))"
                }
                // Set additions on either side survive unless the other side removed them.
                if let spec = schema.field(name, of: kind), spec.type == .set || spec.type == .refs || spec.type == .counties {
                    let b = Set(base.fields[name]?.strings ?? []), m = Set(merged.fields[name]?.strings ?? [])
                    let added = Set(o.fields[name]?.strings ?? []).subtracting(b).union(Set(t.fields[name]?.strings ?? []).subtracting(b))
                    let conflicted = merged.conflicts.contains { $0.field == name }
                    if !conflicted, !added.isSubset(of: m) { return "set \(name): additions \(added.subtracting(m)) lost" }
                }
            }
        }
        // The merged record (with its conflicts) is written and read back unchanged.
        let text = RecordWriter.write(merged, schema: schema)
        do {
            let parsed = try RecordParser.parse(text, schema: schema)
            if parsed != merged { return "merged record does not read back:\n\(text)\nwant \(merged)\ngot  \(parsed)" }
        } catch {
            return "merged record does not parse: \(error)\n\(text)"
        }
        return nil
    }

    static let words = ["Bildung", "Übergang", "Schule", "Beruf", "Straße", "e\u{301}", "😀", "no", "null", "- x", "# y", "a: b",
                        "'", "\"", "\\", "\t", " ", "[a]", "{b}", "&x", "*y", "!z", "---", "|", ">"]
    static let ids = (0..<4).map { "01JD3Q5V8X2M4N6P8R0T2W4Y\($0)\($0)" }
    static let counties = ["lk-augsburg", "lk-passau", "stadt-kempten", "lk-regen"]

    static func phrase(_ input: inout FuzzInput) -> String {
        (0..<(1 + input.int(3))).map { _ in input.pick(words) }.joined(separator: input.pick([" ", "", "\n", " \n", ", "]))
    }

    static func value(_ spec: FieldSpec, _ input: inout FuzzInput) -> FieldValue? {
        switch spec.type {
        case .string:
            // One line, not blank at either end (the parser trims nothing, but an edit would refuse it).
            let text = phrase(&input).replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
            return .text("S" + text)
        case .text:
            let text = (0..<(1 + input.int(5))).map { _ in phrase(&input) }.joined(separator: "\n")
            return .text("T" + text)
        case .enumeration: return (spec.values ?? []).isEmpty ? nil : .text(input.pick(spec.values ?? []))
        case .date: return .text("2026-\(String(format: "%02d", 1 + input.int(12)))-\(String(format: "%02d", 1 + input.int(28)))")
        case .datetime:
            let day = "2026-\(String(format: "%02d", 1 + input.int(12)))-\(String(format: "%02d", 1 + input.int(28)))"
            return .text(input.chance(50) ? day : day + String(format: "T%02d:%02d", input.int(24), input.int(60)))
        case .int: return .int(input.int(500))
        case .bool: return .bool(input.chance(50))
        case .set, .list:
            let elements = (0..<(1 + input.int(4))).map { _ in "E" + phrase(&input).replacingOccurrences(of: "\n", with: " ") }
            return .strings(FieldRules.normalizeCollection(elements, type: spec.type))
        case .refs: return .strings(FieldRules.normalizeCollection((0..<(1 + input.int(3))).map { _ in input.pick(ids) }, type: .refs))
        case .counties: return .strings(FieldRules.normalizeCollection((0..<(1 + input.int(2))).map { _ in input.pick(counties) }, type: .counties))
        case .items:
            guard spec.name == "follow_ups" else { return nil }
            return .items((0..<(1 + input.int(3))).map { n in item(id: "f\(input.int(6))\(n)", &input) })
        }
    }

    static func item(id: String, _ input: inout FuzzInput) -> Item {
        var fields = ["text": "I" + phrase(&input).replacingOccurrences(of: "\n", with: " ")]
        if input.chance(50) { fields["status"] = input.pick(["open", "done", "dropped"]) }
        if input.chance(30) { fields["due"] = "2026-0\(1 + input.int(9))-1\(input.int(9))" }
        return Item(id: id, fields: fields)
    }

    static func makeRecord(kind: String, _ input: inout FuzzInput) -> Record {
        let schema = Schema.current
        var generator = RecordIDGenerator()
        var r = Record(id: RecordID("01JD3Q5V8X2M4N6P8R0T2W4Y6Z") ?? generator.next(), kind: kind,
                       county: County("lk-augsburg") ?? .agency,
                       created: Timestamp("2026-03-01T08:00:00Z") ?? .now(), updated: Timestamp("2026-03-01T08:00:00Z") ?? .now())
        for spec in schema.orderedFields(of: kind) where spec.required || input.chance(60) {
            if let v = value(spec, &input) { r[spec.name] = v }
        }
        return r
    }

    static func edit(_ base: Record, _ input: inout FuzzInput, stamp: String) -> Record {
        let schema = Schema.current
        var r = base
        r.updated = Timestamp(stamp) ?? r.updated
        for spec in schema.orderedFields(of: base.kind) {
            switch input.int(10) {
            case 0...4: continue  // unchanged
            case 5 where !spec.required: r[spec.name] = nil
            case 6 where spec.type == .set || spec.type == .list:
                // Add one element, remove another.
                var elements = r[spec.name]?.strings ?? []
                if !elements.isEmpty && input.chance(50) { elements.remove(at: input.int(elements.count)) }
                elements.append("N" + input.pick(words))
                r[spec.name] = .strings(FieldRules.normalizeCollection(elements, type: spec.type))
            case 7 where spec.type == .items && spec.name == "follow_ups":
                var items = r[spec.name]?.itemsValue ?? []
                if !items.isEmpty && input.chance(50) {
                    let at = input.int(items.count)
                    items[at].fields["status"] = input.pick(["open", "done", "dropped"])
                } else {
                    items.append(item(id: "g\(input.int(100))", &input))
                }
                var seen = Set<String>()
                r[spec.name] = .items(items.filter { seen.insert($0.id).inserted })
            default:
                if let v = value(spec, &input) { r[spec.name] = v }
            }
        }
        return r
    }
}

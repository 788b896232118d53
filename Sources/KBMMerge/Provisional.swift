import Foundation
import KBMRecords

/// The deterministic choice of a provisional value while a conflict is open, and the
/// normalised form of new conflicts. Neither depends on which side is "ours" nor on clocks.
struct MergeContext {
    let ours: MergeSide
    let theirs: MergeSide
    /// The county that owns the record (base's county, else the smaller slug): its edit ranks first.
    let owner: String

    /// Whether ours' value is the provisional one. Ranks each side by (not the owner, county,
    /// author, commit, canonical value); the smaller wins.
    func prefersOurs(ours oursValue: FieldValue?, theirs theirsValue: FieldValue?) -> Bool {
        let o = (ours.county == owner ? 0 : 1, ours.county, ours.author, ours.commit, Canonical.key(oursValue))
        let t = (theirs.county == owner ? 0 : 1, theirs.county, theirs.author, theirs.commit, Canonical.key(theirsValue))
        return o <= t
    }

    /// A new conflict with its sides in provisional order: the stored `ours` is the side whose
    /// value is shown, so the conflict is identical whichever side merges.
    func conflict(kind: String = ConflictKind.field, field: String, base: FieldValue?,
                  ours oursValue: FieldValue?, theirs theirsValue: FieldValue?) -> FieldConflict {
        let o = FieldConflict.Side(value: Canonical.nonEmpty(oursValue), county: ours.county, author: ours.author, commit: ours.commit)
        let t = FieldConflict.Side(value: Canonical.nonEmpty(theirsValue), county: theirs.county, author: theirs.author, commit: theirs.commit)
        let oursFirst = prefersOurs(ours: oursValue, theirs: theirsValue)
        return FieldConflict(kind: kind, field: field, base: Canonical.nonEmpty(base),
                             ours: oursFirst ? o : t, theirs: oursFirst ? t : o)
    }
}

/// Canonical keys of values and conflicts, for tie-breaks and a stable order.
enum Canonical {
    /// An empty value is the same as an absent one.
    static func nonEmpty(_ value: FieldValue?) -> FieldValue? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// A string that orders values deterministically (nil first).
    static func key(_ value: FieldValue?) -> String {
        switch value {
        case nil: return ""
        case .text(let s): return "t\u{1}" + s
        case .int(let n): return "i\u{1}\(n)"
        case .bool(let b): return b ? "b\u{1}true" : "b\u{1}false"
        case .strings(let a): return "s\u{1}" + a.joined(separator: "\u{1F}")
        case .items(let items):
            return "m\u{1}" + items.map { item in
                item.id + "\u{1E}" + item.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
            }.joined(separator: "\u{1D}")
        case .opaque(let raw): return "o\u{1}" + raw
        }
    }

    /// A string that orders conflicts: field, kind, commits, then everything else.
    static func key(_ c: FieldConflict) -> String {
        [c.field, c.kind, c.ours.commit, c.theirs.commit, c.ours.county, c.theirs.county, c.ours.author, c.theirs.author,
         key(c.base), key(c.ours.value), key(c.theirs.value)].joined(separator: "\u{0}")
    }

    /// A value as the parser reads it back for a field the schema does not know (header and
    /// whole-record conflicts), so a stored conflict survives a write and a parse unchanged.
    static func plainScalar(_ text: String) -> FieldValue { .opaque(" \(text)\n") }

    /// The text of a plain scalar written by `plainScalar`, or of a `.text` value.
    static func scalarText(_ value: FieldValue?) -> String? {
        switch value {
        case .text(let s)?: return s
        case .opaque(let raw)?: return raw.trimmingCharacters(in: .whitespacesAndNewlines)
        default: return nil
        }
    }
}

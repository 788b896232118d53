import KBMRecords

/// Field-by-field three-way merge of records. Pure: no git, no SQLite, no clocks.
public enum RecordMerge {
    /// Merges one record. `base`, `ours` and `theirs` are nil where the record is absent (not yet
    /// created, or deleted); `oursSide` and `theirsSide` say where each side comes from.
    /// Swapping ours and theirs (with their sides) gives the same record and conflicts.
    /// All three are versions of one record (the same id); the caller pairs them by id.
    public static func merge(base: Record?, ours: Record?, theirs: Record?,
                             oursSide: MergeSide, theirsSide: MergeSide,
                             schema: Schema = .current) -> MergeResult {
        switch (ours, theirs) {
        case (nil, nil):
            // Deleted on both sides (or never there): no conflict.
            return MergeResult(record: nil, status: base == nil ? .same : .deleted)
        case (let kept?, nil), (nil, let kept?):
            let keptIsOurs = ours != nil
            // Added on one side only.
            guard let base else { return MergeResult(record: kept, status: keptIsOurs ? .keptOurs : .tookTheirs) }
            // Deleted on one side, unchanged on the other: deleted.
            if kept == base { return MergeResult(record: nil, status: .deleted) }
            // Deleted on one side, edited on the other: keep the edit, report a delete conflict.
            let context = MergeContext(ours: oursSide, theirs: theirsSide, owner: base.county.rawValue)
            let edited = Canonical.plainScalar("edited"), deleted = Canonical.plainScalar("deleted")
            let conflict = context.conflict(kind: ConflictKind.delete, field: ConflictKind.wholeRecord, base: nil,
                                            ours: keptIsOurs ? edited : deleted, theirs: keptIsOurs ? deleted : edited)
            var record = kept
            record.conflicts = MergeConflicts.merge(base: [], ours: kept.conflicts, theirs: kept.conflicts, added: [conflict])
            return MergeResult(record: record, conflicts: [conflict], status: .conflicted)
        case (let ours?, let theirs?):
            // Both made identical changes (or none).
            if ours == theirs { return MergeResult(record: ours, status: .same) }
            // Only theirs changed.
            if let base, ours == base { return MergeResult(record: theirs, status: .tookTheirs) }
            // Only ours changed.
            if let base, theirs == base { return MergeResult(record: ours, status: .keptOurs) }
            // Both changed it (or both created it: merged against an empty base).
            return mergeBoth(base: base, ours: ours, theirs: theirs, oursSide: oursSide, theirsSide: theirsSide, schema: schema)
        }
    }

    static func mergeBoth(base: Record?, ours: Record, theirs: Record, oursSide: MergeSide, theirsSide: MergeSide, schema: Schema) -> MergeResult {
        let owner = base?.county.rawValue ?? min(ours.county.rawValue, theirs.county.rawValue)
        let context = MergeContext(ours: oursSide, theirs: theirsSide, owner: owner)
        var added: [FieldConflict] = []

        // Header: kind and county like scalars (a change of either is rare), the times deterministic.
        func header(_ name: String, _ b: String?, _ o: String, _ t: String) -> String {
            let (ov, tv) = (Canonical.plainScalar(o), Canonical.plainScalar(t))
            let prefer = context.prefersOurs(ours: ov, theirs: tv)
            let (value, conflicted) = MergeScalar.merge(base: b, ours: o, theirs: t, preferOurs: prefer)
            if conflicted { added.append(context.conflict(field: name, base: b.map(Canonical.plainScalar), ours: ov, theirs: tv)) }
            return value ?? o
        }
        let kind = header("kind", base?.kind, ours.kind, theirs.kind)
        let countyText = header("county", base?.county.rawValue, ours.county.rawValue, theirs.county.rawValue)
        let county = County(countyText) ?? ours.county
        let created = [base?.created, ours.created, theirs.created].compactMap { $0 }.min() ?? ours.created
        let updated = max(ours.updated, theirs.updated)
        let format = max(ours.format, theirs.format)

        var fields: [String: FieldValue] = [:]
        let names = Set(base?.fields.keys.map { $0 } ?? []).union(ours.fields.keys).union(theirs.fields.keys)
        for name in names.sorted() {
            let b = Canonical.nonEmpty(base?.fields[name])
            let o = Canonical.nonEmpty(ours.fields[name])
            let t = Canonical.nonEmpty(theirs.fields[name])
            let outcome = MergeField.merge(spec: schema.field(name, of: kind), base: b, ours: o, theirs: t, context: context)
            if let value = Canonical.nonEmpty(outcome.value) { fields[name] = value }
            if outcome.conflicted { added.append(context.conflict(field: name, base: b, ours: o, theirs: t)) }
        }
        added = MergeConflicts.sorted(added)
        let conflicts = MergeConflicts.merge(base: base?.conflicts ?? [], ours: ours.conflicts, theirs: theirs.conflicts, added: added)
        let record = Record(id: min(ours.id, theirs.id), kind: kind, county: county, format: format, created: created,
                            updated: updated, fields: fields, conflicts: conflicts)
        let status: MergeStatus = !added.isEmpty ? .conflicted : record == ours ? .keptOurs : record == theirs ? .tookTheirs : .merged
        return MergeResult(record: record, conflicts: added, status: status)
    }
}

/// Dispatch of one field to the merge its schema type calls for.
enum MergeField {
    /// Merges one field's values (nil = empty). Unknown fields and values of an unexpected shape
    /// are merged as opaque scalars, so nothing is ever dropped.
    static func merge(spec: FieldSpec?, base: FieldValue?, ours: FieldValue?, theirs: FieldValue?, context: MergeContext) -> FieldOutcome {
        // Both made the same change (or none).
        if ours == theirs { return FieldOutcome(value: ours, conflicted: false) }
        // Only theirs changed.
        if ours == base { return FieldOutcome(value: theirs, conflicted: false) }
        // Only ours changed.
        if theirs == base { return FieldOutcome(value: ours, conflicted: false) }
        let preferOurs = context.prefersOurs(ours: ours, theirs: theirs)
        switch spec?.type {
        case .set?, .refs?, .counties?:
            if let (b, o, t) = strings(base, ours, theirs) {
                return FieldOutcome(value: .strings(MergeSet.merge(base: b, ours: o, theirs: t)), conflicted: false)
            }
        case .list?:
            if let (b, o, t) = strings(base, ours, theirs) {
                let result = MergeList.merge(base: b, ours: o, theirs: t, preferOurs: preferOurs)
                return FieldOutcome(value: .strings(result.merged), conflicted: result.conflicted)
            }
        case .text?:
            if let (b, o, t) = texts(base, ours, theirs) {
                let result = MergeText.merge(base: b, ours: o, theirs: t, preferOurs: preferOurs)
                return FieldOutcome(value: result.text.isEmpty ? nil : .text(result.text), conflicted: result.conflicted)
            }
        case .items?:
            if let (b, o, t) = items(base, ours, theirs) {
                let result = MergeItems.merge(base: b, ours: o, theirs: t, preferOurs: preferOurs)
                return FieldOutcome(value: .items(result.items), conflicted: result.conflicted)
            }
        default:
            break
        }
        // Scalars, unknown (opaque) fields, and anything of an unexpected shape.
        let (value, conflicted) = MergeScalar.merge(base: base, ours: ours, theirs: theirs, preferOurs: preferOurs)
        return FieldOutcome(value: value, conflicted: conflicted)
    }

    static func strings(_ b: FieldValue?, _ o: FieldValue?, _ t: FieldValue?) -> ([String], [String], [String])? {
        func one(_ v: FieldValue?) -> [String]? {
            switch v {
            case nil: return []
            case .strings(let s)?: return s
            default: return nil
            }
        }
        guard let b = one(b), let o = one(o), let t = one(t) else { return nil }
        return (b, o, t)
    }

    static func texts(_ b: FieldValue?, _ o: FieldValue?, _ t: FieldValue?) -> (String, String, String)? {
        func one(_ v: FieldValue?) -> String? {
            switch v {
            case nil: return ""
            case .text(let s)?: return s
            default: return nil
            }
        }
        guard let b = one(b), let o = one(o), let t = one(t) else { return nil }
        return (b, o, t)
    }

    static func items(_ b: FieldValue?, _ o: FieldValue?, _ t: FieldValue?) -> ([Item], [Item], [Item])? {
        func one(_ v: FieldValue?) -> [Item]? {
            switch v {
            case nil: return []
            case .items(let i)?: return i
            default: return nil
            }
        }
        guard let b = one(b), let o = one(o), let t = one(t) else { return nil }
        return (b, o, t)
    }
}

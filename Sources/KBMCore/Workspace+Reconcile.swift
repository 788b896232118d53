import Foundation
import KBMMerge
import KBMReconcile
import KBMRecords
import KBMStore

/// A likely duplicate as `kbm duplicates` lists it.
public struct DuplicateView: Sendable {
    public var a: Record
    public var b: Record
    public var match: MatchScore
}

/// What `kbm unlink` did.
public struct UnlinkOutcome: Sendable {
    /// Link records of this county that were deleted.
    public var removed: [LinkDecision]
    /// Links naming the record that belong to other counties (left alone).
    public var foreign: [LinkDecision]
}

/// What `kbm merge` did.
public struct MergeOutcome: Sendable {
    public var kept: Record
    public var link: Record
    /// Fields both records held with different values: recorded as conflicts on the kept record.
    public var conflicts: [FieldConflict]
}

/// One entity in `kbm list --dedupe`: the record shown and every record of the group in the list.
public struct EntityRow: Sendable {
    public var shown: Record
    public var members: [Record]
}

/// Counts of records and of entities (records linked as the same counted once).
public struct EntityCount: Sendable {
    public var kind: String
    public var records: Int
    public var entities: Int
}

extension Workspace {
    /// The groups made by every link record in the store.
    public func linkGraph() throws -> LinkGraph {
        try store.read { tx in
            let links = try tx.records(RecordFilter(kind: LinkGraph.kind))
            // The records merged links name, so the graph can ignore merges across counties.
            var named: [RecordID: Record] = [:]
            for id in LinkGraph.idsToCheck(links) { named[id] = try tx.record(id) }
            return LinkGraph(links: links, existing: try tx.recordIDs(), named: named)
        }
    }

    func reconcilable(_ record: Record) throws {
        guard Profile.kinds.contains(record.kind) else {
            throw KBMError.invalid("Record \(record.id) is a \(record.kind); only \(Profile.kinds.joined(separator: ", ")) records are reconciled.")
        }
    }

    // MARK: duplicates

    /// Candidate pairs that may describe one entity, best first. Pairs already linked, merged or
    /// dismissed are left out. With `county`, only pairs with a record of that county.
    public func duplicates(kind: String?, county: County?, minScore: Double) throws -> (pairs: [DuplicateView], stats: Blocking.Stats) {
        let kind = try resolveKind(kind)
        if let kind {
            guard Profile.kinds.contains(kind) else { throw KBMError.invalid("--kind: \(kind) records are not reconciled; use one of \(Profile.kinds.joined(separator: ", ")).") }
        }
        let graph = try linkGraph()
        let records = try store.read { try $0.records(RecordFilter(kind: kind)) }.filter { Profile.kinds.contains($0.kind) }
        let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let (pairs, stats) = DuplicateFinder.find(records.map(Profile.init), minScore: minScore) { a, b in
            if graph.isDecided(a, b) { return true }
            if let county, byID[a]?.county != county && byID[b]?.county != county { return true }
            return false
        }
        let views = pairs.compactMap { p -> DuplicateView? in
            guard let a = byID[p.a], let b = byID[p.b] else { return nil }
            return DuplicateView(a: a, b: b, match: p.match)
        }
        return (views, stats)
    }

    // MARK: link, dismiss, unlink

    /// Records that these records describe one entity: a `link` record (relation same) of this
    /// county, synced like any record. Throws invalid input for unknown ids, mixed kinds, fewer
    /// than two records, pairs already linked, or pairs dismissed as not the same.
    public func link(_ ids: [RecordID], reason: String?) throws -> Record {
        let session = try beginWriting()
        defer { session.end() }
        let graph = try linkGraph()
        let records = try distinctRecords(ids, graph: graph, command: "link")
        for (i, a) in records.enumerated() {
            for b in records[(i + 1)...] where graph.isDismissed(a.id, b.id) {
                let who = graph.decisions(involving: a.id).filter { $0.relation == .notSame && $0.records.contains(b.id) }.map { "\($0.county) (\($0.id))" }
                throw KBMError.invalid("\(a.id) and \(b.id) were marked as not the same by \(who.joined(separator: ", ")). Undo that first with `kbm unlink` in that county.")
            }
        }
        if records.dropFirst().allSatisfy({ graph.areLinked(records[0].id, $0.id) }) {
            throw KBMError.invalid("These records are already linked as one entity (`kbm show \(records[0].id)` lists the group).")
        }
        let label = records.map { "\($0.title()) (\($0.county))" }.joined(separator: " = ")
        return try addLink(relation: .same, records: records.map(\.id), survivor: nil, label: label, reason: reason)
    }

    /// Records that two records are not the same entity: the pair is no longer proposed, in any office after sync.
    public func dismiss(_ a: RecordID, _ b: RecordID, reason: String?) throws -> Record {
        let session = try beginWriting()
        defer { session.end() }
        let graph = try linkGraph()
        let records = try distinctRecords([a, b], graph: graph, command: "duplicates --dismiss")
        guard records.count == 2 else { throw KBMError.invalid("--dismiss takes two different records.") }
        if graph.isDismissed(records[0].id, records[1].id) { throw KBMError.invalid("\(a) and \(b) are already marked as not the same.") }
        if graph.areLinked(records[0].id, records[1].id) {
            throw KBMError.invalid("\(a) and \(b) are linked as one entity. Undo that first with `kbm unlink \(a)`.")
        }
        let label = records.map { "\($0.title()) (\($0.county))" }.joined(separator: " ≠ ")
        return try addLink(relation: .notSame, records: records.map(\.id), survivor: nil, label: label, reason: reason)
    }

    /// Deletes this county's `same` and `not_same` links that name `id`, and its ignored merges
    /// (a merge across counties, which never took effect). Links of other counties are reported,
    /// not touched; merges cannot be undone (the dropped record is gone).
    public func unlink(_ id: RecordID) throws -> UnlinkOutcome {
        let session = try beginWriting()
        defer { session.end() }
        let graph = try linkGraph()
        let ignored = graph.ignored(involving: id)
        let involved = graph.decisions(involving: id).filter { $0.relation != .merged } + ignored.map(\.decision)
        let mine = involved.filter { county == .agency || $0.owners.contains(county) }
        let foreign = involved.filter { !(county == .agency || $0.owners.contains(county)) }
        if mine.isEmpty {
            if foreign.isEmpty {
                let merged = graph.decisions(involving: id).filter { $0.relation == .merged }
                if !merged.isEmpty {
                    throw KBMError.invalid("\(id) takes part only in merges (\(merged.map(\.id.rawValue).joined(separator: ", "))); a merge cannot be undone, its dropped record is gone.")
                }
                throw KBMError.invalid("\(id) is not linked to anything.")
            }
            let owners = foreign.map { d in
                let note = ignored.contains { $0.decision.id == d.id } ? "; ignored, it has no effect here" : ""
                return "\(d.id) (\(d.relation.rawValue), by \(d.county)\(note))"
            }.joined(separator: ", ")
            throw KBMError.invalid("The links naming \(id) belong to other counties: \(owners). Only they can undo them; ask their coordinators.")
        }
        try store.write { tx in
            for decision in mine { try tx.delete(decision.id, pending: true) }
        }
        return UnlinkOutcome(removed: mine, foreign: foreign)
    }

    /// The records of `ids` (merged-away ids lead to their survivor), distinct, one kind, at least two.
    func distinctRecords(_ ids: [RecordID], graph: LinkGraph, command: String) throws -> [Record] {
        var out: [Record] = []
        for id in ids {
            let target = try store.read { try $0.record(id) } == nil ? graph.resolve(id) : id
            guard let record = try store.read({ try $0.record(target) }) else {
                throw KBMError.invalid("No record with id \(id). `kbm list` shows the records here.")
            }
            try reconcilable(record)
            if !out.contains(where: { $0.id == record.id }) { out.append(record) }
        }
        guard out.count >= 2 else { throw KBMError.invalid("`kbm \(command)` needs two different records.") }
        let kinds = Set(out.map(\.kind))
        guard kinds.count == 1 else { throw KBMError.invalid("Only records of one kind can be linked; got \(kinds.sorted().joined(separator: " and ")).") }
        return out
    }

    func addLink(relation: LinkDecision.Relation, records: [RecordID], survivor: RecordID?, label: String, reason: String?) throws -> Record {
        var generator = RecordIDGenerator()
        let now = Timestamp.now()
        let record = Record(id: generator.next(), kind: LinkGraph.kind, county: county, created: now, updated: now,
                            fields: LinkDecision.fields(relation: relation, records: records, survivor: survivor, label: oneLine(label), reason: reason))
        try RecordEditor.validate(record, schema: schema)
        try store.write { tx in
            guard try !tx.isKnownID(record.id) else { throw KBMError.failure("Generated id \(record.id) is already in use; try again.") }
            try tx.save(record, dirty: true)
        }
        return record
    }

    func oneLine(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 200 ? String(line.prefix(199)) + "…" : line
    }

    // MARK: merge

    /// Folds `drop` into `keep` (both of this county): fields merge as in sync (sets united, a
    /// field only one has is taken, different values become conflicts with the kept value shown),
    /// `drop` is deleted and a `link` (relation merged, survivor keep) makes its id lead to `keep`.
    public func merge(keep keepID: RecordID, drop dropID: RecordID, reason: String?) throws -> MergeOutcome {
        let session = try beginWriting()
        defer { session.end() }
        guard keepID != dropID else { throw KBMError.invalid("Keep and drop are the same record.") }
        let graph = try linkGraph()
        guard let keep = try store.read({ try $0.record(keepID) }) else {
            throw KBMError.invalid("No record with id \(keepID)" + (graph.resolve(keepID) != keepID ? "; it was merged into \(graph.resolve(keepID))." : "."))
        }
        guard let drop = try store.read({ try $0.record(dropID) }) else {
            throw KBMError.invalid("No record with id \(dropID)" + (graph.resolve(dropID) != dropID ? "; it was already merged into \(graph.resolve(dropID))." : "."))
        }
        try reconcilable(keep)
        guard keep.kind == drop.kind else { throw KBMError.invalid("\(keepID) is a \(keep.kind) and \(dropID) a \(drop.kind); only records of one kind merge.") }
        guard keep.county == drop.county else {
            throw KBMError.invalid("\(keepID) belongs to \(keep.county) and \(dropID) to \(drop.county): merge works within one county. Across counties, use `kbm link \(keepID) \(dropID)`.")
        }
        try checkOwnership(keep)
        try checkOwnership(drop)
        if graph.isDismissed(keepID, dropID) {
            throw KBMError.invalid("\(keepID) and \(dropID) were marked as not the same; undo that first with `kbm unlink`.")
        }
        // Ours is the kept record: its side ranks first, so its values are shown while a conflict is open.
        let oursSide = MergeSide(county: keep.county.rawValue, author: author.description, commit: "kbm-merge:1:\(keepID)")
        let theirsSide = MergeSide(county: drop.county.rawValue, author: author.description, commit: "kbm-merge:2:\(dropID)")
        let result = RecordMerge.merge(base: nil, ours: keep, theirs: drop, oursSide: oursSide, theirsSide: theirsSide, schema: schema)
        var kept = result.record ?? keep
        kept.id = keep.id
        kept.county = keep.county
        kept.kind = keep.kind
        kept.created = min(keep.created, drop.created)
        // This merge confirms that the kept record lives: a delete conflict on it (left by a
        // concurrent merge the other way) is settled.
        kept.conflicts.removeAll { $0.kind == ConflictKind.delete && $0.field == ConflictKind.wholeRecord }
        // Always a change (never equal to the stored version), so a concurrent deletion of the
        // kept record meets an edit and the merge layer keeps it.
        kept.updated = Workspace.later(than: max(keep.updated, drop.updated))
        try RecordEditor.validate(kept, schema: schema)
        var generator = RecordIDGenerator()
        let now = Timestamp.now()
        let linkRecord = Record(id: generator.next(), kind: LinkGraph.kind, county: county, created: now, updated: now,
                                fields: LinkDecision.fields(relation: .merged, records: [keepID, dropID], survivor: keepID,
                                                            label: oneLine("\(drop.title()) → \(keep.title()) (\(keep.county))"), reason: reason))
        try RecordEditor.validate(linkRecord, schema: schema)
        let keptRecord = kept
        try store.write { tx in
            guard try !tx.isKnownID(linkRecord.id) else { throw KBMError.failure("Generated id \(linkRecord.id) is already in use; try again.") }
            try tx.save(keptRecord, dirty: true)
            try tx.delete(dropID, pending: true)
            try tx.save(linkRecord, dirty: true)
        }
        return MergeOutcome(kept: kept, link: linkRecord, conflicts: result.conflicts)
    }

    /// Now, or one second after `stamp` when the clock has not moved past it.
    static func later(than stamp: Timestamp) -> Timestamp {
        let now = Timestamp.now()
        if now > stamp { return now }
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: stamp.rawValue) else { return now }
        return Timestamp(date.addingTimeInterval(1))
    }

    // MARK: show, list, count

    /// The record `id` leads to: itself, or the survivor when it was merged into another record.
    /// `redirectedFrom` is set when it led elsewhere.
    public func lookup(_ id: RecordID) throws -> (record: Record, redirectedFrom: RecordID?) {
        let graph = try linkGraph()
        let target = graph.resolve(id)
        if target != id, let survivor = try store.read({ try $0.record(target) }) { return (survivor, id) }
        return (try record(id), nil)
    }

    /// Extra lines for `kbm show`: how `id` led here, the records linked as the same entity,
    /// merged ids, and references to merged-away records with where they lead.
    public func reconcileNotes(for record: Record, requested: RecordID) throws -> [String] {
        let graph = try linkGraph()
        var lines: [String] = []
        if requested != record.id {
            let concurrent = try store.read { try $0.record(requested) } != nil
            lines.append("  → \(requested) was merged into \(record.id)" + (concurrent ? " (both still exist after merges made at the same time; `kbm merge \(record.id) \(requested)` folds the rest in)" : ""))
        }
        let group = graph.group(of: record.id).filter { $0 != record.id }
        if !group.isEmpty {
            lines.append("  linked records (same entity):")
            for other in group {
                if let r = try store.read({ try $0.record(other) }) {
                    lines.append("    \(r.id)  \(r.county)  \(r.title())")
                } else if let survivor = graph.survivor(of: other), survivor != other {
                    lines.append("    \(other)  (merged into \(survivor))")
                } else {
                    lines.append("    \(other)  (not in this store)")
                }
            }
        }
        let (_, changes) = graph.resolvingReferences(in: record, schema: schema)
        for (old, new) in changes {
            lines.append("  reference \(old) was merged into \(new)")
        }
        if record.kind == LinkGraph.kind, LinkDecision(record) == nil {
            lines.append("  ⚠ this link is not well-formed (relation, at least two records, survivor among them) and is ignored")
        }
        if record.kind == LinkGraph.kind, let ignored = graph.ignored.first(where: { $0.decision.id == record.id }) {
            lines.append("  ⚠ this link is ignored: \(ignored.reason)")
        }
        for ignored in graph.ignored(involving: record.id) {
            lines.append("  ⚠ link \(ignored.decision.id) of \(ignored.decision.county) claims a merge with this record; ignored: \(ignored.reason)")
        }
        return lines
    }

    /// `record` with references to merged-away records (an event's partners) leading to their survivors.
    public func resolvingReferences(_ record: Record) throws -> Record {
        try linkGraph().resolvingReferences(in: record, schema: schema).0
    }

    /// Every field of the entity `id` belongs to, with each linked record's value and county.
    public func combinedView(of id: RecordID) throws -> JSONValue {
        let graph = try linkGraph()
        let (record, _) = try lookup(id)
        let members = try store.read { tx in try graph.group(of: record.id).compactMap { try tx.record($0) } }
        var names: [String] = []
        for spec in schema.orderedFields(of: record.kind) where members.contains(where: { $0.fields[spec.name] != nil }) {
            names.append(spec.name)
        }
        let fields: [(String, JSONValue)] = names.map { name in
            (name, .array(members.compactMap { m in
                guard let value = m.fields[name] else { return nil }
                return .object([("county", .string(m.county.rawValue)), ("id", .string(m.id.rawValue)), ("value", RecordJSON.value(value))])
            }))
        }
        return .object([
            ("id", .string(graph.representative(of: record.id).rawValue)),
            ("kind", .string(record.kind)),
            ("records", .array(members.map { .object([("id", .string($0.id.rawValue)), ("county", .string($0.county.rawValue)), ("title", .string($0.title()))]) })),
            ("counties", .array(Array(Set(members.map(\.county.rawValue))).sorted().map { .string($0) })),
            ("fields", .object(fields)),
        ])
    }

    /// One row per entity: records of one group are shown once (the group's representative when
    /// it is in the list). Link records are decisions, not entities, and are left out.
    public func dedupe(_ records: [Record]) throws -> [EntityRow] {
        let graph = try linkGraph()
        var order: [RecordID] = []
        var rows: [RecordID: [Record]] = [:]
        for record in records where record.kind != LinkGraph.kind {
            let key = graph.representative(of: record.id)
            if rows[key] == nil { order.append(key) }
            rows[key, default: []].append(record)
        }
        return order.compactMap { key in
            guard let members = rows[key], let first = members.first else { return nil }
            return EntityRow(shown: members.first { $0.id == key } ?? first, members: members)
        }
    }

    /// Records and entities per kind (link records excluded), optionally of one kind or county.
    public func entityCounts(kind: String?, county: County?, where clauses: [WhereClause] = []) throws -> [EntityCount] {
        let kind = try resolveKind(kind)
        let records = try list(kind: kind, county: county, where: clauses)
        let rows = try dedupe(records)
        let kinds = kind.map { [$0] } ?? schema.kindNames.filter { $0 != LinkGraph.kind && $0 != "office" }
        return kinds.map { k in
            EntityCount(kind: k, records: records.filter { $0.kind == k }.count, entities: rows.filter { $0.shown.kind == k }.count)
        }
    }
}

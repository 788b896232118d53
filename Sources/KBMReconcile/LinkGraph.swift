import KBMRecords

/// One reconciliation decision, read from a `link` record.
public struct LinkDecision: Hashable, Sendable {
    public enum Relation: String, Sendable, CaseIterable {
        /// The records describe one entity (kept apart, one per county).
        case same
        /// The records do not describe one entity: the pair stops being proposed.
        case notSame = "not_same"
        /// One record was folded into another; the others' ids lead to the survivor.
        case merged
    }

    public var id: RecordID
    public var county: County
    public var owners: [County]
    public var relation: Relation
    public var records: [RecordID]
    public var survivor: RecordID?
    public var reason: String?

    /// Reads a link record. Nil (and the record ignored) when it is not a well-formed link:
    /// an unknown relation, fewer than two records, or a survivor that is not one of them.
    public init?(_ record: Record) {
        guard record.kind == LinkGraph.kind,
              let relation = record.fields["relation"]?.stringValue.flatMap(Relation.init(rawValue:)) else { return nil }
        let records = Array(Set((record.fields["records"]?.strings ?? []).compactMap(RecordID.init))).sorted()
        guard records.count >= 2 else { return nil }
        let survivor = record.fields["survivor"]?.stringValue.flatMap(RecordID.init)
        if let survivor, !records.contains(survivor) { return nil }
        if relation == .merged && survivor == nil { return nil }
        id = record.id
        county = record.county
        owners = record.owners
        self.relation = relation
        self.records = records
        self.survivor = survivor
        reason = record.fields["reason"]?.stringValue
    }

    public init(id: RecordID, county: County, relation: Relation, records: [RecordID], survivor: RecordID? = nil, reason: String? = nil) {
        self.id = id
        self.county = county
        owners = [county]
        self.relation = relation
        self.records = Array(Set(records)).sorted()
        self.survivor = survivor
        self.reason = reason
    }

    /// The record fields of a link with these contents.
    public static func fields(relation: Relation, records: [RecordID], survivor: RecordID?, label: String, reason: String?) -> [String: FieldValue] {
        var fields: [String: FieldValue] = [
            "label": .text(label),
            "relation": .text(relation.rawValue),
            "records": .strings(Array(Set(records.map(\.rawValue))).sorted()),
        ]
        if let survivor { fields["survivor"] = .text(survivor.rawValue) }
        if let reason, !reason.isEmpty { fields["reason"] = .text(reason) }
        return fields
    }
}

/// A link decision the graph does not follow, and why.
public struct IgnoredLink: Sendable {
    public var decision: LinkDecision
    public var reason: String
}

/// The groups that link decisions make, computed the same way in every office from the same
/// set of link records, whatever order they arrived in:
///
/// 0. A `merged` link folds only records its county owns, all of one county (`mergeProblem`):
///    across counties a link can only say "same entity", never hide a record. Other merged
///    links are ignored (listed in `ignored`), wherever they came from.
/// 1. `merged` links join their records first (a merge is done: a record was deleted).
/// 2. `same` links join their records in the order of their ids (ULIDs: creation order), except
///    that a join which would put a dismissed (`not_same`) pair into one group is skipped and
///    reported in `contradicted`.
/// 3. The survivor of a merged group is its smallest id among the records that still exist
///    (the smallest id of all when none does). After concurrent A→B and B→A merges both records
///    exist (the merge layer keeps an edited record over its deletion), and every office picks
///    the same one; with one merge only the kept record exists, so it is the survivor.
/// 4. The representative of a group (one row in `kbm list --dedupe`) is its merged survivor if it
///    has one that exists, else its smallest existing id.
public struct LinkGraph: Sendable {
    public static let kind = "link"

    /// The decisions the graph follows (every well-formed link except the `ignored` ones).
    public let decisions: [LinkDecision]
    /// Merged links that fold records their county does not own: not followed at all.
    public let ignored: [IgnoredLink]
    /// `same` links skipped because they contradict a dismissal.
    public private(set) var contradicted: [RecordID] = []
    private var parent: [RecordID: RecordID] = [:]
    private var mergedParent: [RecordID: RecordID] = [:]
    private var dismissed: Set<Pair> = []
    private let exists: Set<RecordID>

    struct Pair: Hashable, Sendable {
        let a: RecordID, b: RecordID
        init(_ x: RecordID, _ y: RecordID) { a = min(x, y); b = max(x, y) }
    }

    /// Builds the groups from link records (others are ignored) and the ids of the records that exist.
    /// `named` holds the records that merged links name, where they exist (see `mergeProblem`).
    public init(links: [Record], existing: Set<RecordID>, named: [RecordID: Record] = [:]) {
        self.init(decisions: links.compactMap(LinkDecision.init), existing: existing, named: named)
    }

    public init(decisions: [LinkDecision], existing: Set<RecordID>, named: [RecordID: Record] = [:]) {
        var followed: [LinkDecision] = []
        var ignored: [IgnoredLink] = []
        for d in decisions.sorted(by: { $0.id < $1.id }) {
            if let reason = Self.mergeProblem(d, named: named) { ignored.append(IgnoredLink(decision: d, reason: reason)) } else { followed.append(d) }
        }
        self.decisions = followed
        self.ignored = ignored
        exists = existing
        for d in self.decisions where d.relation == .notSame {
            for i in 0..<d.records.count { for j in (i + 1)..<d.records.count { dismissed.insert(Pair(d.records[i], d.records[j])) } }
        }
        for d in self.decisions where d.relation == .merged {
            for other in d.records.dropFirst() {
                Self.union(&mergedParent, d.records[0], other)
                Self.union(&parent, d.records[0], other)
            }
        }
        for d in self.decisions where d.relation == .same {
            var ok = true
            for other in d.records.dropFirst() where !canJoin(d.records[0], other) { ok = false }
            guard ok else { contradicted.append(d.id); continue }
            for other in d.records.dropFirst() { Self.union(&parent, d.records[0], other) }
        }
    }

    /// The ids a merged link names (the records whose counties `mergeProblem` checks).
    public static func idsToCheck(_ links: [Record]) -> Set<RecordID> {
        Set(links.compactMap(LinkDecision.init).filter { $0.relation == .merged }.flatMap(\.records))
    }

    /// Why a `merged` link is not followed, nil when it is. A merge deletes a record and makes
    /// its id lead to another, so it may only fold records of one county that the link's county
    /// owns (their county or a co-owner; the agency owns all). Records that do not exist here
    /// (the dropped record of a merge is gone) cannot be checked and do not count; an id without
    /// a record hides nothing.
    public static func mergeProblem(_ d: LinkDecision, named: [RecordID: Record]) -> String? {
        guard d.relation == .merged else { return nil }
        let known = d.records.compactMap { named[$0] }
        let counties = Set(known.map(\.county))
        if counties.count > 1 {
            let list = known.map { "\($0.id) of \($0.county)" }.joined(separator: ", ")
            return "a merge folds records of one county, but this one names \(list); across counties a link can only say \"same entity\""
        }
        if d.county != .agency, let foreign = known.first(where: { !$0.owners.contains(d.county) }) {
            return "\(d.county) merges \(foreign.id), a record of \(foreign.county) it does not own; only a record's owners merge it"
        }
        return nil
    }

    static func find(_ parent: inout [RecordID: RecordID], _ x: RecordID) -> RecordID {
        var root = x
        while let p = parent[root], p != root { root = p }
        var node = x
        while let p = parent[node], p != root { parent[node] = root; node = p }
        return root
    }

    static func findConst(_ parent: [RecordID: RecordID], _ x: RecordID) -> RecordID {
        var root = x
        while let p = parent[root], p != root { root = p }
        return root
    }

    static func union(_ parent: inout [RecordID: RecordID], _ x: RecordID, _ y: RecordID) {
        let rx = find(&parent, x), ry = find(&parent, y)
        guard rx != ry else { return }
        // The smaller id becomes the root: the structure does not depend on the order of unions.
        if rx < ry { parent[ry] = rx; parent[rx] = rx } else { parent[rx] = ry; parent[ry] = ry }
    }

    /// Whether joining the groups of x and y keeps every dismissed pair apart.
    func canJoin(_ x: RecordID, _ y: RecordID) -> Bool {
        let gx = Set(group(of: x)), gy = Set(group(of: y))
        if gx == gy { return true }
        return !dismissed.contains { (gx.contains($0.a) && gy.contains($0.b)) || (gx.contains($0.b) && gy.contains($0.a)) }
    }

    /// Every record of the group of `id` (the entity), sorted; just `[id]` when it has no links.
    public func group(of id: RecordID) -> [RecordID] {
        let root = Self.findConst(parent, id)
        guard parent[id] != nil else { return [id] }
        return parent.keys.filter { Self.findConst(parent, $0) == root }.sorted()
    }

    /// All groups of two or more records, each sorted, ordered by their first id.
    public var groups: [[RecordID]] {
        var byRoot: [RecordID: [RecordID]] = [:]
        for id in parent.keys { byRoot[Self.findConst(parent, id), default: []].append(id) }
        return byRoot.values.map { $0.sorted() }.filter { $0.count >= 2 }.sorted { $0[0] < $1[0] }
    }

    /// The records merged together with `id` (its merged group), sorted.
    public func mergedGroup(of id: RecordID) -> [RecordID] {
        guard mergedParent[id] != nil else { return [id] }
        let root = Self.findConst(mergedParent, id)
        return mergedParent.keys.filter { Self.findConst(mergedParent, $0) == root }.sorted()
    }

    /// The survivor of the merged group of `id` (rule 3), or nil when `id` was never merged.
    public func survivor(of id: RecordID) -> RecordID? {
        let members = mergedGroup(of: id)
        guard members.count >= 2 else { return nil }
        return members.first { exists.contains($0) } ?? members[0]
    }

    /// Where `id` leads: the survivor when it was merged into another record, else `id`.
    public func resolve(_ id: RecordID) -> RecordID { survivor(of: id) ?? id }

    /// The record that stands for the group of `id` (rule 4).
    public func representative(of id: RecordID) -> RecordID {
        let members = group(of: id)
        if let survivor = survivor(of: id), exists.contains(survivor) { return survivor }
        if let merged = members.lazy.compactMap({ self.survivor(of: $0) }).first(where: { self.exists.contains($0) }) { return merged }
        return members.first { exists.contains($0) } ?? members[0]
    }

    /// Whether a and b are already in one group.
    public func areLinked(_ a: RecordID, _ b: RecordID) -> Bool {
        a == b || (parent[a] != nil && Self.findConst(parent, a) == Self.findConst(parent, b))
    }

    /// Whether the pair was dismissed as "not the same".
    public func isDismissed(_ a: RecordID, _ b: RecordID) -> Bool { dismissed.contains(Pair(a, b)) }

    /// Whether the pair is decided either way (linked, merged or dismissed), so not proposed again.
    public func isDecided(_ a: RecordID, _ b: RecordID) -> Bool { areLinked(a, b) || isDismissed(a, b) }

    /// The decisions that name `id` (the ones the graph follows).
    public func decisions(involving id: RecordID) -> [LinkDecision] {
        decisions.filter { $0.records.contains(id) }
    }

    /// The ignored links that name `id`.
    public func ignored(involving id: RecordID) -> [IgnoredLink] {
        ignored.filter { $0.decision.records.contains(id) }
    }

    /// `record` with every reference (such as an event's partners) to a merged-away record
    /// replaced by its survivor. Returns the record and the replacements made (old → new).
    public func resolvingReferences(in record: Record, schema: Schema = .current) -> (Record, [(RecordID, RecordID)]) {
        var out = record
        var changes: [(RecordID, RecordID)] = []
        for spec in schema.orderedFields(of: record.kind) where spec.type == .refs && record.kind != Self.kind {
            let refs = record.fields[spec.name]?.strings ?? []
            var resolved: [String] = []
            for ref in refs {
                if let id = RecordID(ref), resolve(id) != id {
                    changes.append((id, resolve(id)))
                    resolved.append(resolve(id).rawValue)
                } else {
                    resolved.append(ref)
                }
            }
            if !refs.isEmpty { out[spec.name] = .strings(Array(Set(resolved)).sorted()) }
        }
        return (out, changes)
    }
}

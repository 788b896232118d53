import KBMRecords

/// One version of a file, as the rules see it.
public enum FileVersion: Hashable, Sendable {
    case absent
    /// A record file that parses.
    case record(Record)
    /// A file that exists but is not a readable record.
    case unreadable
}

/// Who signed a commit: the key and the counties the registry lists it for.
public struct Signer: Hashable, Sendable, CustomStringConvertible {
    public var key: SSHPublicKey
    public var counties: Set<County>
    /// The registry's entry for the key, for messages.
    public var coordinator: Coordinator?
    /// The key may change the registry (an agency key of the parent's registry, or pinned).
    public var mayEditRegistry: Bool

    public init(key: SSHPublicKey, counties: Set<County>, coordinator: Coordinator?, mayEditRegistry: Bool) {
        self.key = key
        self.counties = counties
        self.coordinator = coordinator
        self.mayEditRegistry = mayEditRegistry
    }

    public var isAgency: Bool { counties.contains(.agency) }

    public var description: String {
        let who = coordinator.map { "\($0.name) <\($0.email)>" } ?? key.fingerprint
        return "\(who) of \(counties.map(\.rawValue).sorted().joined(separator: ", "))"
    }
}

/// Who may change what (issue 7):
/// - a record belongs to the county of its folder and to its `co_owners`; for an edit or a
///   deletion the OLD version's owners decide (so changing `county` or `co_owners` needs them too);
/// - a new record may be created only by its folder's county; a record moved to another county's
///   folder in the same commit is judged by the owners of its old version;
/// - the agency (`transferagentur`) may change every record;
/// - files under `region/` (the office registry) only the agency may change, with a key the
///   registry of the parent commit lists for it (or a pinned agency key);
/// - every other file of the repository only the agency may change.
public enum AuthorityRules {
    /// Why `signer` may not make this change of `path`, or nil if it may.
    /// `movedFrom` is the old version of the same record id at another path, deleted in the same commit.
    public static func refusal(path: String, old: FileVersion, new: FileVersion, signer: Signer, movedFrom: Record? = nil,
                               schema: Schema = .current) -> String? {
        if path.hasPrefix("region/") {
            return signer.mayEditRegistry ? nil : "only the agency (\(County.agency)) may change \(path)"
        }
        if signer.isAgency { return nil }
        guard let claimed = RecordLayout.parse(path: path, schema: schema) else {
            return "only the agency (\(County.agency)) may change files outside the record layout (\(path))"
        }
        let owners: Set<County>
        switch old {
        case .record(let record):
            owners = Set(record.owners)
        case .unreadable:
            owners = [claimed.county]
        case .absent:
            if let movedFrom { owners = Set(movedFrom.owners) } else { owners = [claimed.county] }
        }
        if !owners.isDisjoint(with: signer.counties) { return nil }
        let action: String
        switch (old, new) {
        case (.absent, _): action = movedFrom == nil ? "create a record of" : "move a record of \(movedFrom.map { $0.owners.map(\.rawValue).joined(separator: ", ") } ?? "") to"
        case (_, .absent): action = "delete a record of"
        default: action = "change a record of"
        }
        let ownerList = owners.map(\.rawValue).sorted().joined(separator: ", ")
        return "\(signer.counties.map(\.rawValue).sorted().joined(separator: ", ")) may not \(action) \(ownerList)"
    }
}

import Foundation
import KBMRecords

/// One coordinator of an office: who may sign that county's changes.
public struct Coordinator: Hashable, Sendable {
    public var name: String
    public var email: String
    public var key: SSHPublicKey

    public init(name: String, email: String, key: SSHPublicKey) {
        self.name = name
        self.email = email
        self.key = key
    }
}

/// An office of the registry (`region/offices/<county>.md`, a record of kind `office`).
public struct Office: Hashable, Sendable {
    public var record: Record
    public var county: County { record.county }
    public var name: String { record.fields["name"]?.stringValue ?? "" }

    public init(record: Record) { self.record = record }

    /// A new office entry without coordinators.
    public init(county: County, name: String, id: RecordID, now: Timestamp) {
        record = Record(id: id, kind: OfficeRegistry.kind, county: county, created: now, updated: now, fields: ["name": .text(name)])
    }

    /// The coordinators whose key line reads as an Ed25519 key (others are listed in `problems`).
    public var coordinators: [Coordinator] {
        record.fields["coordinators", default: .items([])].itemsValue.compactMap { item in
            guard let name = item.fields["name"], let email = item.fields["email"], let line = item.fields["key"],
                  let key = try? SSHPublicKey(line: line) else { return nil }
            return Coordinator(name: name, email: email, key: key)
        }
    }

    /// Items whose key cannot be used, with the reason.
    public var problems: [String] {
        record.fields["coordinators", default: .items([])].itemsValue.compactMap { item in
            do { _ = try SSHPublicKey(line: item.fields["key"] ?? ""); return nil } catch {
                return "\(OfficeRegistry.path(for: county)): coordinator \(item.fields["email"] ?? item.id): \(error)"
            }
        }
    }

    /// Adds a coordinator, or replaces the name and key of the one with this email.
    public mutating func addCoordinator(_ coordinator: Coordinator, now: Timestamp) {
        var items = record.fields["coordinators", default: .items([])].itemsValue
        let fields = ["name": coordinator.name, "email": coordinator.email, "key": coordinator.key.line]
        if let index = items.firstIndex(where: { $0.fields["email"]?.lowercased() == coordinator.email.lowercased() }) {
            items[index].fields = fields
        } else {
            let used = Set(items.map(\.id))
            var number = items.count + 1
            while used.contains("c\(number)") { number += 1 }
            items.append(Item(id: "c\(number)", fields: fields))
        }
        record["coordinators"] = .items(items)
        record.updated = now
    }

    /// Removes the coordinator with this email; false if there is none.
    public mutating func removeCoordinator(email: String, now: Timestamp) -> Bool {
        var items = record.fields["coordinators", default: .items([])].itemsValue
        let before = items.count
        items.removeAll { $0.fields["email"]?.lowercased() == email.lowercased() }
        guard items.count != before else { return false }
        record["coordinators"] = .items(items)
        record.updated = now
        return true
    }

    /// The canonical file text.
    public var fileText: String { RecordWriter.write(record) }
}

/// The region's office registry: which keys sign for which county. Read from the files under
/// `region/offices/` of one commit; an empty registry means the repository runs in open mode.
public struct OfficeRegistry: Hashable, Sendable {
    public static let folder = "region/offices"
    public static let kind = "office"

    public private(set) var offices: [County: Office] = [:]
    /// Files under region/offices that are not usable entries (never fatal: they add no keys).
    public private(set) var problems: [String] = []

    public init() {}

    /// `region/offices/<county>.md`.
    public static func path(for county: County) -> String { "\(folder)/\(county).md" }

    /// Whether `path` lies in the registry's folder.
    public static func contains(path: String) -> Bool { path.hasPrefix(folder + "/") }

    /// Reads the registry from its files (path and content).
    public init(files: [(path: String, data: [UInt8])], schema: Schema = .current) {
        for (path, data) in files where Self.contains(path: path) {
            let name = String(path.dropFirst(Self.folder.count + 1))
            guard name.hasSuffix(".md"), let county = County(String(name.dropLast(3))) else {
                problems.append("\(path): not an office file (expected \(Self.folder)/<county>.md)")
                continue
            }
            do {
                let record = try RecordParser.parse(data: data, path: path, schema: schema)
                guard record.kind == Self.kind, record.county == county else {
                    problems.append("\(path): expected kind office of county \(county), got \(record.kind) of \(record.county)")
                    continue
                }
                let office = Office(record: record)
                problems += office.problems
                offices[county] = office
            } catch {
                problems.append("\(error)")
            }
        }
    }

    public var isEmpty: Bool { offices.isEmpty }

    public mutating func set(_ office: Office) { offices[office.county] = office }

    /// The counties for which `key` signs (usually one).
    public func counties(of key: SSHPublicKey) -> Set<County> {
        Set(offices.values.filter { $0.coordinators.contains { $0.key == key } }.map(\.county))
    }

    /// The coordinator entry of `key` (the first, if listed twice).
    public func coordinator(of key: SSHPublicKey) -> Coordinator? {
        for county in offices.keys.sorted() {
            if let found = offices[county]?.coordinators.first(where: { $0.key == key }) { return found }
        }
        return nil
    }

    /// The keys of the agency's coordinators.
    public var agencyKeys: Set<SSHPublicKey> { Set(offices[County.agency]?.coordinators.map(\.key) ?? []) }
}

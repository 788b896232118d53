import Foundation
import KBMRecords
@testable import KBMReconcile

/// Builds records for reconciliation tests with made-up but valid ids.
struct Make {

    /// A fresh valid id; `seq` makes ids sort in creation order.
    static func id(_ seq: Int) -> RecordID {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var n = seq
        var tail = ""
        for _ in 0..<10 { tail = String(alphabet[n % 32]) + tail; n /= 32 }
        guard let id = RecordID("01KGHD0000000000" + tail) else { preconditionFailure("bad test id") }
        return id
    }

    static let stamp = Timestamp("2026-02-03T09:00:00Z")!

    static func record(_ seq: Int, kind: String, county: String, _ fields: [String: FieldValue]) -> Record {
        Record(id: id(seq), kind: kind, county: County(county)!, created: stamp, updated: stamp, fields: fields)
    }

    static func stakeholder(_ seq: Int, _ county: String, name: String, type: String = "person", organisation: String? = nil,
                            role: String? = nil, sector: String? = nil, email: String? = nil, phone: String? = nil) -> Record {
        var f: [String: FieldValue] = ["name": .text(name), "type": .text(type)]
        if let organisation { f["organisation"] = .text(organisation) }
        if let role { f["role"] = .text(role) }
        if let sector { f["sector"] = .text(sector) }
        if let email { f["email"] = .text(email) }
        if let phone { f["phone"] = .text(phone) }
        return record(seq, kind: "stakeholder", county: county, f)
    }

    static func event(_ seq: Int, _ county: String, title: String, type: String?, start: String?) -> Record {
        var f: [String: FieldValue] = ["title": .text(title)]
        if let type { f["type"] = .text(type) }
        if let start { f["start"] = .text(start) }
        return record(seq, kind: "event", county: county, f)
    }

    static func product(_ seq: Int, _ county: String, title: String, type: String?, published: String? = nil) -> Record {
        var f: [String: FieldValue] = ["title": .text(title)]
        if let type { f["type"] = .text(type) }
        if let published { f["published"] = .text(published) }
        return record(seq, kind: "product", county: county, f)
    }

    static func link(_ seq: Int, _ county: String, _ relation: String, _ ids: [RecordID], survivor: RecordID? = nil) -> Record {
        var f: [String: FieldValue] = ["label": .text("test"), "relation": .text(relation), "records": .strings(ids.map(\.rawValue).sorted())]
        if let survivor { f["survivor"] = .text(survivor.rawValue) }
        return record(seq, kind: "link", county: county, f)
    }

    /// The sample region's records (sample-repo/counties/…).
    static func sampleRecords() throws -> [Record] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-repo/counties")
        var out: [Record] = []
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "md", let data = FileManager.default.contents(atPath: url.path) else { continue }
            out.append(try RecordParser.parse(data: data, path: url.path))
        }
        return out
    }
}

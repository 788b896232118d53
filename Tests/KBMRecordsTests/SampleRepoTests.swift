import Foundation
import KBMRecords
import XCTest

/// sample-repo/ is a valid region: every file parses, lies at its own path, round-trips byte for
/// byte, holds no personal fields, and the region is as rich as the demo needs.
final class SampleRepoTests: XCTestCase {
    static var sampleRepo: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-repo")
    }

    func records() throws -> [(path: String, text: String, record: Record)] {
        let root = Self.sampleRepo
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { throw XCTSkip("no sample-repo") }
        var out: [(String, String, Record)] = []
        for case let relative as String in walker where relative.hasPrefix("counties/") && relative.hasSuffix(".md") {
            let data = try Data(contentsOf: root.appendingPathComponent(relative))
            let text = String(decoding: data, as: UTF8.self)
            out.append((relative, text, try RecordParser.parse(data: data, path: relative)))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    func testEveryFileRoundTripsAndLiesAtItsPath() throws {
        let all = try records()
        XCTAssertGreaterThanOrEqual(all.count, 200)
        var ids: Set<RecordID> = []
        for (path, text, record) in all {
            XCTAssertEqual(RecordWriter.write(record), text, "\(path) is not canonical")
            XCTAssertEqual(RecordLayout.path(of: record), path)
            XCTAssertTrue(ids.insert(record.id).inserted, "duplicate id \(record.id)")
            XCTAssertEqual(record.sharedPart(), record, "\(path) holds a local (personal) field")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: Self.sampleRepo.appendingPathComponent(".git").path), "sample-repo must not be a nested git repository")
    }

    func testTheRegionIsRichEnoughForTheDemo() throws {
        let all = try records().map(\.record)
        let counties = Set(all.map(\.county.rawValue))
        XCTAssertGreaterThanOrEqual(counties.subtracting(["transferagentur"]).count, 8)
        XCTAssertTrue(counties.contains("transferagentur"))
        let tips = all.filter { $0.kind == "tip" }
        for theme in Schema.current.field("theme", of: "tip")?.values ?? [] {
            XCTAssertGreaterThanOrEqual(tips.filter { $0["theme"] == .text(theme) }.count, 3, "theme \(theme)")
        }
        let statuses = Set(all.flatMap { $0["follow_ups"]?.itemsValue ?? [] }.compactMap { $0.fields["status"] })
        XCTAssertEqual(statuses, ["open", "done", "dropped"])
        // Assessments are in the files of bodies only: a person's are personal (local) data.
        let stances = Set(all.compactMap { $0["stance"]?.stringValue })
        XCTAssertTrue(stances.isSuperset(of: ["supporter", "neutral"]))
        XCTAssertFalse(all.contains { $0["type"] == .text("person") && $0["stance"] != nil })
        // The planted joint event with a co-owner.
        let joint = all.first { $0.id.rawValue == "01KGHJT2F0YBXPXVRC6FC2HE97" }
        XCTAssertEqual(joint?["co_owners"], .strings(["stadt-kempten"]))
        // Every partner reference points at a record of the region.
        let ids = Set(all.map(\.id.rawValue))
        for event in all where event.kind == "event" {
            for partner in event["partners"]?.strings ?? [] { XCTAssertTrue(ids.contains(partner), "\(event.id) partner \(partner)") }
        }
    }

    func testTheOfficeRegistryListsDemoOnlyKeysForEveryCounty() throws {
        let offices = Self.sampleRepo.appendingPathComponent("region/offices")
        let files = try FileManager.default.contentsOfDirectory(atPath: offices.path).filter { $0.hasSuffix(".md") }
        let counties = Set(try records().map(\.record.county.rawValue))
        XCTAssertEqual(Set(files.map { String($0.dropLast(3)) }), counties)
        for file in files {
            let data = try Data(contentsOf: offices.appendingPathComponent(file))
            let office = try RecordParser.parse(data: data, path: file)
            XCTAssertEqual(office.kind, "office")
            XCTAssertEqual(office.county.rawValue, String(file.dropLast(3)))
            XCTAssertEqual(RecordWriter.write(office), String(decoding: data, as: UTF8.self))
            let keys = office["coordinators"]?.itemsValue.compactMap { $0.fields["key"] } ?? []
            XCTAssertFalse(keys.isEmpty, file)
            XCTAssertTrue(keys.allSatisfy { $0.hasPrefix("ssh-ed25519 ") }, file)
            // Each key is one of the demo-only keys, marked as such.
            for key in keys {
                let pub = try String(contentsOf: Self.sampleRepo.deletingLastPathComponent().appendingPathComponent("scripts/demo-keys/\(office.county).pub"), encoding: .utf8)
                XCTAssertTrue(pub.hasPrefix(key.split(separator: " ").prefix(2).joined(separator: " ")), file)
                XCTAssertTrue(pub.contains("DEMO-ONLY"), file)
            }
        }
    }
}

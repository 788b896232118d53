import Foundation
import KBMTestSupport
import XCTest
@testable import KBMRecords

/// Random records of every kind, from a seeded generator. Set KBM_PROPERTY_SEED to repeat a run;
/// a failure prints the seed and the record's number.
final class PropertyTests: XCTestCase {
    static let defaultSeed: UInt64 = 20_261_127
    static let recordCount = 2_000

    var seed: UInt64 {
        ProcessInfo.processInfo.environment["KBM_PROPERTY_SEED"].flatMap { UInt64($0) } ?? Self.defaultSeed
    }

    func testOpaquePoolIsCanonical() throws {
        for (name, raw) in RecordGenerator.opaquePool {
            let record = try RecordParser.parse(Fixtures.file(["title: T", YAMLScalar.inline(name) + ":" + String(raw.dropLast())]))
            XCTAssertEqual(record.fields[name], .opaque(raw), name)
        }
    }

    func testWriteParseRoundTripAndHandEditsOnRandomRecords() {
        let seed = self.seed
        var generator = RecordGenerator(seed: seed)
        var failures = 0
        var kinds: [String: Int] = [:]
        for index in 0..<Self.recordCount where failures < 5 {
            let record = generator.record()
            kinds[record.kind, default: 0] += 1
            let context = "seed \(seed) (KBM_PROPERTY_SEED=\(seed)), record #\(index)"
            let text = RecordWriter.write(record)
            do {
                let parsed = try RecordParser.parse(text)
                if parsed != record {
                    failures += 1
                    XCTFail("\(context): parse(write(r)) != r\n\(text)\nwant: \(record)\ngot:  \(parsed)")
                    continue
                }
                let again = RecordWriter.write(parsed)
                if again != text {
                    failures += 1
                    XCTFail("\(context): write(parse(write(r))) != write(r)\n\(text)\n---- again:\n\(again)")
                    continue
                }
            } catch {
                failures += 1
                XCTFail("\(context): \(error)\n\(text)")
                continue
            }
            for (name, edited) in generator.handEdits(of: text) {
                do {
                    let parsed = try RecordParser.parse(edited)
                    let canonical = RecordWriter.write(parsed)
                    if parsed != record || canonical != text {
                        failures += 1
                        XCTFail("\(context): hand edit '\(name)' does not normalise\n\(edited.debugDescription)\n---- canonical:\n\(text)\n---- got:\n\(canonical)")
                        break
                    }
                } catch {
                    failures += 1
                    XCTFail("\(context): hand edit '\(name)' refused: \(error)\n\(edited)")
                    break
                }
            }
        }
        XCTAssertEqual(Set(kinds.keys), Set(Schema.current.kindNames), "every kind is generated")
    }
}

/// Makes random records with German-ish text full of YAML traps, and valid hand edits of their files.
struct RecordGenerator {
    var random: SplitMix64
    let schema = Schema.current

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// Unknown fields (from a newer kbm) with their canonical YAML.
    static let opaquePool: [(String, String)] = [
        ("x_future", " 7\n"), ("zz_flag", " yes\n"), ("x_list", "\n  - a\n  - \"no\"\n"),
        ("x_map", "\n  nested:\n    - \"eins\"\n    - zwei\n  flag: yes\n"), ("x_empty", "\n"), ("x_emptylist", " []\n"),
        ("x_emptymap", " {}\n"), ("future field", " \"Grüße: 😀\"\n"), ("#odd", " \"x\\ty\"\n"),
        ("x_seqmap", "\n  -\n    a: 1\n    b: \"2\"\n  -\n    - x\n"), ("straße", " Maß\n"),
    ]
    static let counties = ["lk-augsburg", "stadt-augsburg", "lk-dillingen", "transferagentur", "lk-neu-ulm", "a1"]

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
    mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func singleLine() -> String {
        if chance(0.3) { return pick(TrapStrings.singleLine).precomposedStringWithCanonicalMapping }
        var out = ""
        for index in 0..<int(1...4) {
            if index > 0 { out += pick(TrapStrings.separators) }
            out += chance(0.6) ? pick(TrapStrings.words) : pick(TrapStrings.singleLine)
        }
        return out.precomposedStringWithCanonicalMapping
    }

    mutating func multiLine() -> String {
        if chance(0.3) { return pick(TrapStrings.multiLine).precomposedStringWithCanonicalMapping }
        var lines: [String] = []
        for _ in 0..<int(1...5) {
            switch int(0...5) {
            case 0: lines.append("")
            case 1: lines.append(pick(["---", "- Punkt", "# Überschrift", "  eingerückt", "Zeile mit Leerzeichen  ", "a: b", "\r"]))
            default: lines.append(singleLine())
            }
        }
        var text = lines.joined(separator: "\n") + pick(["", "", "\n", "\n\n"])
        if chance(0.1) { text = pick(["\n", "\r\n"]) + text }
        return text.precomposedStringWithCanonicalMapping
    }

    mutating func date() -> String {
        let year = int(1990...2040), month = int(1...12)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return String(format: "%04d-%02d-%02d", year, month, int(1...days))
    }

    mutating func recordID() -> RecordID {
        RecordIDGenerator.encode(millis: random.next() & 0xFFFF_FFFF_FFFF, high: UInt16(truncatingIfNeeded: random.next()), low: random.next())
    }

    mutating func strings(_ count: ClosedRange<Int>, _ make: (inout RecordGenerator) -> String) -> [String] {
        (0..<int(count)).map { _ in make(&self) }
    }

    /// A non-empty value for a field declared as `spec` (or, without a spec, an unknown field's YAML).
    mutating func value(for spec: FieldSpec?, isBody: Bool) -> FieldValue {
        guard let spec else { return .opaque(pick(Self.opaquePool).1) }
        switch spec.type {
        case .string: return .text(singleLine())
        case .text:
            let text = chance(0.7) ? multiLine() : singleLine()
            return .text(isBody && text.isEmpty ? "x" : text)
        case .enumeration: return .text(pick(spec.values ?? ["?"]))
        case .date: return .text(date())
        case .datetime: return .text(chance(0.5) ? date() : date() + String(format: "T%02d:%02d", int(0...23), int(0...59)))
        case .int: return .int(spec.min.map { int($0...($0 + 100_000)) } ?? int(-1000...1000))
        case .bool: return .bool(chance(0.5))
        case .set: return .strings(FieldRules.normalizeCollection(strings(1...4) { $0.singleLine() }, type: .set))
        case .list: return .strings(strings(1...4) { $0.chance(0.8) ? $0.singleLine() : $0.multiLine() })
        case .refs: return .strings(FieldRules.normalizeCollection(strings(1...3) { $0.recordID().rawValue }, type: .refs))
        case .counties: return .strings(FieldRules.normalizeCollection(strings(1...3) { $0.pick(Self.counties) }, type: .counties))
        case .items:
            var items: [Item] = []
            var ids: Set<String> = []
            for _ in 0..<int(1...3) {
                var id = chance(0.5) ? pick(["f1", "f2", "a", "1", "no", "x y", "Übung", "-"]) : singleLine()
                if id.isEmpty || ids.contains(id) { id = "item\(ids.count)" }
                ids.insert(id)
                var fields: [String: String] = [:]
                for itemSpec in spec.itemFields ?? [] where itemSpec.required || chance(0.5) {
                    switch itemSpec.type {
                    case .date: fields[itemSpec.name] = date()
                    case .enumeration: fields[itemSpec.name] = pick(itemSpec.values ?? ["?"])
                    case .string where itemSpec.format == "decimal": fields[itemSpec.name] = pick(["0", "12.5", "1234", "-3.25", "1000000"])
                    default: fields[itemSpec.name] = chance(0.9) ? singleLine() : multiLine()
                    }
                }
                let declared = Set((spec.itemFields ?? []).map(\.name))
                let extra = pick(["future", "z_note", "priority"])
                if chance(0.2), !declared.contains(extra) { fields[extra] = singleLine() }
                items.append(Item(id: id, fields: fields))
            }
            return .items(items)
        }
    }

    mutating func record() -> Record {
        let kind = pick(schema.kinds)
        var fields: [String: FieldValue] = [:]
        for spec in schema.orderedFields(of: kind.kind) where spec.required || chance(0.5) {
            fields[spec.name] = value(for: spec, isBody: spec.name == kind.body)
        }
        if chance(0.3) {
            for _ in 0..<int(1...3) {
                let (name, raw) = pick(Self.opaquePool)
                fields[name] = .opaque(raw)
            }
        }
        var record = Record(
            id: recordID(), kind: kind.kind, county: County(pick(Self.counties))!, format: chance(0.9) ? 1 : int(2...9),
            created: Timestamp(Date(timeIntervalSince1970: TimeInterval(int(0...4_102_444_799)))),
            updated: Timestamp(Date(timeIntervalSince1970: TimeInterval(int(0...4_102_444_799)))), fields: fields)
        if chance(0.25) {
            let names = schema.orderedFields(of: kind.kind).map(\.name) + ["x_future", "x_map"]
            for _ in 0..<int(1...3) {
                let name = pick(names)
                let spec = schema.field(name, of: kind.kind)
                let side = { (g: inout RecordGenerator) -> FieldConflict.Side in
                    FieldConflict.Side(value: g.chance(0.8) ? g.value(for: spec, isBody: false) : nil,
                                       county: g.chance(0.9) ? g.pick(Self.counties) : "",
                                       author: g.singleLine(), commit: String(g.random.next(), radix: 16))
                }
                record.conflicts.append(FieldConflict(kind: pick(["field", "delete"]), field: name,
                                                      base: chance(0.5) ? value(for: spec, isBody: false) : nil,
                                                      ours: side(&self), theirs: side(&self)))
            }
            record.conflicts = RecordWriter.canonicalOrder(record.conflicts, kind: kind.kind, schema: schema)
        }
        return record
    }

    // MARK: Hand edits

    /// Valid edits a person (or an editor) might make that mean the same record.
    mutating func handEdits(of text: String) -> [(String, String)] {
        let reordered = reorderKeys(text)
        return [
            ("CRLF", text.withCRLF),
            ("BOM", "\u{FEFF}" + text),
            ("NFD", text.decomposedStringWithCanonicalMapping),
            ("reordered keys", reordered),
            ("single quotes", singleQuoted(text)),
            ("all at once", "\u{FEFF}" + singleQuoted(reordered).withCRLF),
        ]
    }

    /// The front matter's top-level fields in a random order (each with its indented lines).
    mutating func reorderKeys(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let close = lines.dropFirst().firstIndex(of: "---") else { return text }
        var blocks: [[String]] = []
        for line in lines[1..<close] {
            if let first = line.first, first != " " { blocks.append([line]) } else { blocks[blocks.count - 1].append(line) }
        }
        blocks.shuffle(using: &random)
        lines.replaceSubrange(1..<close, with: blocks.flatMap { $0 })
        return lines.joined(separator: "\n")
    }

    /// Double-quoted values without escapes, and the plain header values, in single quotes.
    func singleQuoted(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let close = lines.dropFirst().firstIndex(of: "---") else { return text }
        let quoted = /^( *(?:- )?)(.*?: )?"((?:[^"\\]|\\.)*)"$/
        var blockIndent: Int?
        for index in 1..<close {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            if let parent = blockIndent {
                if line.isEmpty || indent > parent { continue }
                blockIndent = nil
            }
            if line.hasSuffix(": |") || line.hasSuffix(": |-") || line.hasSuffix(": |+") {
                blockIndent = indent
                continue
            }
            for header in Schema.headerFields where line.hasPrefix(header + ": ") {
                lines[index] = header + ": '" + line.dropFirst(header.count + 2) + "'"
            }
            if let match = line.wholeMatch(of: quoted), !match.3.contains("\\") {
                lines[index] = match.1 + (match.2 ?? "") + "'" + match.3.replacingOccurrences(of: "'", with: "''") + "'"
            }
        }
        return lines.joined(separator: "\n")
    }
}

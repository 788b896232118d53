import Foundation
import KBMRecords

/// Seed inputs for the parser fuzzer and the strings its mutations insert.
public enum FuzzCorpus {
    /// Record files: every `.md` under `sampleRepo` (if given) plus built-in hand-made ones.
    public static func seeds(sampleRepo: String?) -> [[UInt8]] {
        var out = builtIn.map { Array($0.utf8) }
        if let sampleRepo, let walker = FileManager.default.enumerator(atPath: sampleRepo) {
            for case let path as String in walker where path.hasSuffix(".md") && path.contains("counties/") {
                if let data = FileManager.default.contents(atPath: sampleRepo + "/" + path) { out.append(Array(data)) }
            }
        }
        return out
    }

    static let header = "---\nid: 01JD3Q5V8X2M4N6P8R0T2W4Y6Z\nkind: event\ncounty: lk-augsburg\nformat: 1\ncreated: 2026-01-10T08:00:00Z\nupdated: 2026-01-10T08:00:00Z\n"

    static let builtIn: [String] = [
        header + "title: Fachtag Übergang\nstart: \"2026-03-14\"\nparticipants: 120\ngoals:\n  - Netzwerk stärken\n  - \"no\"\ntags:\n  - schule\n---\n\nErgebnisse:\n- eins\n---\nzwei\n",
        header + "title: 'Einfach'\nfollow_ups:\n  - id: f1\n    text: Anrufen\n    status: open\n    due: \"2026-04-01\"\nco_owners:\n  - stadt-kempten\n---\n",
        header.replacingOccurrences(of: "kind: event", with: "kind: stakeholder") + "name: Maria Huber\ntype: person\nnotes_x: |\n  zwei\n  Zeilen\nx_future:\n  nested:\n    - a\n---\n\nNotizen\n",
        header.replacingOccurrences(of: "kind: event", with: "kind: tip") + "title: \"Tipp: \\\"zitiert\\\"\"\nconflicts:\n  - field: title\n---\n\nText\n",
        "\u{FEFF}---\r\nid: 01JD3Q5V8X2M4N6P8R0T2W4Y6Z\r\nkind: product\r\ncounty: lk-augsburg\r\nformat: 1\r\ncreated: 2026-01-10T08:00:00Z\r\nupdated: 2026-01-10T08:00:00Z\r\ntitle: Bericht\r\n---\r\n",
    ]

    /// Strings a mutation inserts: YAML traps, structure, huge or deep things.
    public static let traps: [String] = [
        "no", "yes", "null", "~", "1e3", "0777", "0x1F", ".inf", "2026-02-30", "14.3.", "- ", "-", "---", "...", "# ", ": ",
        "? ", "[", "]", "{", "}", "[[[[[[[[[[[[[[[[[[[[", "{a: {b: {c: {d: ", "&a ", "*a", "!!str ", "!tag ", "%YAML 1.2\n",
        "<<: ", "|", "|-", ">", ">+", "'", "\"", "\\", "\\u0000", "\\x", "\t", "\r", "\r\n", "\n", "\n\n", "\u{0}", "\u{7F}",
        "\u{85}", "\u{2028}", "\u{FEFF}", "\u{202E}", "e\u{301}", "😀", "ß", "  ", "        ", "id: ", "kind: ", "county: ",
        "format: 2", "created: ", "updated: ", "title: ", "tags:\n  - ", "goals:\n  - ", "follow_ups:\n  - id: ", "conflicts:\n  - field: ",
        "co_owners:\n  - ", "participants: -1", "participants: 99999999999999999999999", "start: 2026-13-01", "key_person: yes",
        "x_new: ", "01JD3Q5V8X2M4N6P8R0T2W4Y6Z", "lk-augsburg", "event", "stakeholder", "tip", "product", "link",
        "a: b: c", "- - - -", "? [a]: b", "!!binary ", "=", "`", "@",
    ]
}

/// Seeded mutations of record files (for the Swift fuzz driver and the short test run).
public struct Mutator {
    public var random: SplitMix64
    let seeds: [[UInt8]]

    public init(seed: UInt64, seeds: [[UInt8]]) {
        random = SplitMix64(seed: seed)
        self.seeds = seeds.isEmpty ? [Array("---\n---\n".utf8)] : seeds
    }

    mutating func int(_ upper: Int) -> Int { upper <= 1 ? 0 : Int.random(in: 0..<upper, using: &random) }

    /// A mutated copy of a random seed (1–4 mutations).
    public mutating func next() -> [UInt8] {
        var data = seeds[int(seeds.count)]
        for _ in 0..<(1 + int(4)) { mutate(&data) }
        return data
    }

    mutating func position(_ data: [UInt8]) -> Int { int(data.count + 1) }

    /// Start offsets of lines.
    func lineStarts(_ data: [UInt8]) -> [Int] {
        [0] + data.indices.filter { data[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }.filter { $0 <= data.count }
    }

    mutating func mutate(_ data: inout [UInt8]) {
        switch int(14) {
        case 0 where !data.isEmpty:  // flip a bit
            let at = int(data.count)
            data[at] ^= UInt8(1) << UInt8(int(8))
        case 1:  // insert a trap string
            data.insert(contentsOf: Array(FuzzCorpus.traps[int(FuzzCorpus.traps.count)].utf8), at: position(data))
        case 2 where !data.isEmpty:  // delete a range
            let start = int(data.count)
            data.removeSubrange(start..<min(data.count, start + 1 + int(16)))
        case 3:  // duplicate a line
            let starts = lineStarts(data), a = starts[int(starts.count)]
            let end = data[a...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.count
            data.insert(contentsOf: Array(data[a..<end]), at: starts[int(starts.count)])
        case 4:  // swap two lines
            var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            guard lines.count > 1 else { return }
            lines.swapAt(int(lines.count), int(lines.count))
            data = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        case 5:  // replace a value after ": " with a trap
            let colons = data.indices.filter { $0 + 1 < data.count && data[$0] == UInt8(ascii: ":") && data[$0 + 1] == UInt8(ascii: " ") }
            guard !colons.isEmpty else { return }
            let at = colons[int(colons.count)] + 2
            let end = data[at...].firstIndex(of: UInt8(ascii: "\n")) ?? data.count
            data.replaceSubrange(at..<end, with: Array(FuzzCorpus.traps[int(FuzzCorpus.traps.count)].utf8))
        case 6:  // random bytes
            data.insert(contentsOf: (0..<(1 + int(8))).map { _ in UInt8(truncatingIfNeeded: int(256)) }, at: position(data))
        case 7:  // splice with another seed
            let other = seeds[int(seeds.count)]
            let cut = position(data), from = int(other.count + 1)
            data = Array(data[..<cut]) + Array(other[from...])
        case 8:  // indent a line
            let starts = lineStarts(data)
            data.insert(contentsOf: Array(repeating: UInt8(ascii: " "), count: 1 + int(12)), at: starts[int(starts.count)])
        case 9:  // deep nesting
            let depth = 1 + int(40)
            let open = Array(repeating: UInt8(ascii: int(2) == 0 ? "[" : "{"), count: depth)
            data.insert(contentsOf: open, at: position(data))
        case 10:  // a huge value
            data.insert(contentsOf: Array(repeating: UInt8(ascii: "x"), count: int(5000)), at: position(data))
        case 11:  // change line endings
            data = data.flatMap { $0 == UInt8(ascii: "\n") && int(3) == 0 ? [UInt8(ascii: "\r"), $0] : [$0] }
        case 12:  // truncate
            data = Array(data.prefix(position(data)))
        default:  // an interesting byte
            data.insert([0x00, 0x0D, 0x1B, 0x7F, 0x80, 0xC3, 0xE2, 0xF0, 0xFF, 0x22, 0x27, 0x3A, 0x23][int(13)], at: position(data))
        }
    }
}

/// Kölner Phonetik (Postel 1969): a phonetic code made for German names, so "Meier", "Maier",
/// "Mayer" and "Meyer" share the code 67. Works on folded text (see `Normalize.fold`).
public enum KoelnerPhonetik {
    /// The code of one word; empty for a word without letters.
    public static func code(_ word: String) -> String {
        let letters = Array(Normalize.fold(word).utf8).filter { $0 >= 0x61 && $0 <= 0x7A }
        guard !letters.isEmpty else { return "" }
        var raw: [UInt8] = []
        raw.reserveCapacity(letters.count)
        for i in 0..<letters.count {
            let c = letters[i]
            let prev: UInt8? = i > 0 ? letters[i - 1] : nil
            let next: UInt8? = i + 1 < letters.count ? letters[i + 1] : nil
            func `is`(_ v: UInt8?, _ set: String) -> Bool { v.map { set.utf8.contains($0) } ?? false }
            switch c {
            case ascii("a"), ascii("e"), ascii("i"), ascii("j"), ascii("o"), ascii("u"), ascii("y"):
                raw.append(0)
            case ascii("h"):
                continue
            case ascii("b"):
                raw.append(1)
            case ascii("p"):
                raw.append(next == ascii("h") ? 3 : 1)
            case ascii("d"), ascii("t"):
                raw.append(`is`(next, "csz") ? 8 : 2)
            case ascii("f"), ascii("v"), ascii("w"):
                raw.append(3)
            case ascii("g"), ascii("k"), ascii("q"):
                raw.append(4)
            case ascii("c"):
                if i == 0 {
                    raw.append(`is`(next, "ahkloqrux") ? 4 : 8)
                } else {
                    raw.append(`is`(prev, "sz") ? 8 : (`is`(next, "ahkoqux") ? 4 : 8))
                }
            case ascii("x"):
                if `is`(prev, "ckq") { raw.append(8) } else { raw.append(4); raw.append(8) }
            case ascii("l"):
                raw.append(5)
            case ascii("m"), ascii("n"):
                raw.append(6)
            case ascii("r"):
                raw.append(7)
            case ascii("s"), ascii("z"):
                raw.append(8)
            default:
                continue
            }
        }
        // Collapse repeats, then drop zeros except at the start.
        var out: [UInt8] = []
        for (i, d) in raw.enumerated() where i == 0 || d != raw[i - 1] {
            if d == 0 && !out.isEmpty { continue }
            out.append(d)
        }
        // A zero kept at the start only when followed by nothing else distinctive is still a code.
        return String(decoding: out.map { $0 + 0x30 }, as: UTF8.self)
    }

    @inline(__always) static func ascii(_ s: Unicode.Scalar) -> UInt8 { UInt8(s.value) }
}

/// One change of a two-way diff: `base[range]` is replaced by `replacement`.
struct Hunk: Hashable {
    var range: Range<Int>
    var replacement: [String]
}

/// Two-way diff of string sequences (Myers' O(ND) algorithm after trimming common ends).
enum Diff {
    /// Beyond this many differences Myers stops and the rest is one replacement (still correct,
    /// only less precise); keeps time and memory bounded for huge, totally different texts.
    static let maxDifferences = 2000

    /// The changes that turn `base` into `other`, in order, each maximal (no two touch).
    static func hunks(_ base: [String], _ other: [String]) -> [Hunk] {
        var out: [Hunk] = []
        var i = 0, j = 0
        for (bi, oj) in matches(base, other) + [(base.count, other.count)] {
            if bi > i || oj > j { out.append(Hunk(range: i..<bi, replacement: Array(other[j..<oj]))) }
            i = bi + 1
            j = oj + 1
        }
        return out
    }

    /// Index pairs of a longest common subsequence of `a` and `b`, ascending.
    static func matches(_ a: [String], _ b: [String]) -> [(Int, Int)] {
        var numbers: [String: Int] = [:]
        func number(_ s: String) -> Int {
            if let n = numbers[s] { return n }
            numbers[s] = numbers.count
            return numbers.count - 1
        }
        let x = a.map(number), y = b.map(number)
        // Common prefix and suffix first: the usual case is a small edit.
        var prefix = 0
        while prefix < x.count, prefix < y.count, x[prefix] == y[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < x.count - prefix, suffix < y.count - prefix, x[x.count - 1 - suffix] == y[y.count - 1 - suffix] { suffix += 1 }
        var pairs = (0..<prefix).map { ($0, $0) }
        let middle = myers(Array(x[prefix..<(x.count - suffix)]), Array(y[prefix..<(y.count - suffix)]))
        pairs += middle.map { ($0.0 + prefix, $0.1 + prefix) }
        pairs += (0..<suffix).map { (x.count - suffix + $0, y.count - suffix + $0) }
        return pairs
    }

    /// Myers' greedy shortest edit script, returning the matched (diagonal) index pairs.
    static func myers(_ a: [Int], _ b: [Int]) -> [(Int, Int)] {
        let n = a.count, m = b.count
        // Nothing in common is possible when one side is empty.
        if n == 0 || m == 0 { return [] }
        let limit = min(n + m, maxDifferences)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        // trace[d] holds v[-d-1 ... d+1] as it was before round d.
        var trace: [[Int]] = []
        var reached = false
        search: for d in 0...limit {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { reached = true; break search }
            }
        }
        // Too many differences: give up on precision, treat the middle as one replacement.
        guard reached else { return [] }
        var pairs: [(Int, Int)] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let row = trace[d]
            func at(_ k: Int) -> Int { row[k + d + 1] }
            let k = x - y
            let previousK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let previousX = at(previousK)
            let previousY = previousX - previousK
            while x > previousX, y > previousY, x > 0, y > 0 {
                pairs.append((x - 1, y - 1))
                x -= 1
                y -= 1
            }
            if d > 0 { x = previousX; y = previousY }
        }
        return pairs.reversed()
    }
}

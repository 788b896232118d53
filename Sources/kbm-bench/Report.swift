import Foundation

/// Repeated measurements of one command or sequence of commands.
struct Series {
    var seconds: [Double] = []
    var peakRSSKiB: [Int] = []
    var parts: [String: [Double]] = [:]
    var partsRSSKiB: [String: [Int]] = [:]

    mutating func add(_ step: Step) {
        seconds.append(step.seconds)
        peakRSSKiB.append(step.peakRSSKiB)
        for (name, value) in step.parts { parts[name, default: []].append(value) }
        for (name, value) in step.partsRSSKiB { partsRSSKiB[name, default: []].append(value) }
    }

    /// The measurements of one named part of each step.
    func part(_ name: String) -> Series {
        var s = Series()
        s.seconds = parts[name] ?? []
        s.peakRSSKiB = partsRSSKiB[name] ?? []
        return s
    }

    var isEmpty: Bool { seconds.isEmpty }
    var median: Double { Self.median(seconds) }
    var min: Double { seconds.min() ?? 0 }
    var max: Double { seconds.max() ?? 0 }
    var medianRSSMiB: Double { Self.median(peakRSSKiB.map { Double($0) / 1024 }) }
    var maxRSSMiB: Double { Double(peakRSSKiB.max() ?? 0) / 1024 }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    var json: [String: Any] {
        var out: [String: Any] = [
            "runs": seconds.count,
            "median_s": round6(median), "min_s": round6(min), "max_s": round6(max),
            "samples_s": seconds.map(round6),
            "peak_rss_mib_median": round6(medianRSSMiB), "peak_rss_mib_max": round6(maxRSSMiB),
            "peak_rss_kib_samples": peakRSSKiB,
        ]
        if parts.count > 1 {
            out["parts_median_s"] = Dictionary(uniqueKeysWithValues: parts.map { ($0.key, round6(Self.median($0.value))) })
            out["parts_min_s"] = Dictionary(uniqueKeysWithValues: parts.map { ($0.key, round6($0.value.min() ?? 0)) })
            out["parts_max_s"] = Dictionary(uniqueKeysWithValues: parts.map { ($0.key, round6($0.value.max() ?? 0)) })
            out["parts_peak_rss_mib_max"] = Dictionary(uniqueKeysWithValues: partsRSSKiB.map { ($0.key, round6(Double($0.value.max() ?? 0) / 1024)) })
        }
        return out
    }
}

func round6(_ x: Double) -> Double { (x * 1_000_000).rounded() / 1_000_000 }

/// One line of the results table: kbm against its baseline.
struct ResultRow {
    var scenario: String
    var label: String
    var records: Int
    var kbm: Series
    var baseline: Series?
    var baselineLabel: String?
    var target: String?
    var extra: [String: Any] = [:]

    var ratio: Double? {
        guard let baseline, !baseline.isEmpty, baseline.median > 0 else { return nil }
        return kbm.median / baseline.median
    }

    var json: [String: Any] {
        var out: [String: Any] = ["scenario": scenario, "label": label, "records": records, "kbm": kbm.json]
        if let baseline { out["baseline"] = baseline.json; out["baseline_command"] = baselineLabel ?? "" }
        if let ratio { out["ratio_kbm_over_baseline"] = round6(ratio) }
        if let target { out["target"] = target }
        for (k, v) in extra { out[k] = v }
        return out
    }
}

enum Format {
    static func seconds(_ s: Double) -> String {
        if s < 1 { return String(format: "%.0f ms", s * 1000) }
        return String(format: "%.2f s", s)
    }
    static func series(_ s: Series) -> String {
        s.seconds.count > 1 ? "\(seconds(s.median)) (\(seconds(s.min))–\(seconds(s.max)))" : seconds(s.median)
    }
    static func mib(_ s: Series) -> String { String(format: "%.0f MiB", s.maxRSSMiB) }

    /// A Markdown table (readable on a terminal too).
    static func table(_ rows: [ResultRow]) -> String {
        var lines = ["| scenario | records | kbm median (min–max) | kbm peak RSS | baseline | baseline median (min–max) | baseline peak RSS | kbm/baseline |",
                     "|---|---:|---|---:|---|---|---:|---:|"]
        for row in rows {
            let base = row.baseline.map { series($0) } ?? "—"
            let baseRSS = row.baseline.map { mib($0) } ?? "—"
            let ratio = row.ratio.map { String(format: "%.2f×", $0) } ?? (row.target.map { "target \($0)" } ?? "—")
            lines.append("| \(row.label) | \(row.records) | \(series(row.kbm)) | \(mib(row.kbm)) | \(row.baselineLabel ?? "—") | \(base) | \(baseRSS) | \(ratio) |")
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation

/// A chart of a report: data first, SVG made from it by a pure function. Black on white with
/// grey fills and the numbers written at the bars, so it reads in print and in black and white.
public enum Chart: Sendable, Equatable {
    case bars(BarChart)
    case matrix(MatrixChart)
    case range(RangeChart)

    public var id: String {
        switch self {
        case .bars(let c): return c.id
        case .matrix(let c): return c.id
        case .range(let c): return c.id
        }
    }

    public var title: String {
        switch self {
        case .bars(let c): return c.title
        case .matrix(let c): return c.title
        case .range(let c): return c.title
        }
    }

    public var source: String {
        switch self {
        case .bars(let c): return c.source
        case .matrix(let c): return c.source
        case .range(let c): return c.source
        }
    }

    public func svg() -> String {
        switch self {
        case .bars(let c): return c.svg()
        case .matrix(let c): return c.svg()
        case .range(let c): return c.svg()
        }
    }

    /// The chart's data as a table, for Markdown and for readers without pictures.
    public var table: Table {
        switch self {
        case .bars(let c):
            return Table(id: c.id, columns: [c.categoryLabel, c.valueLabel], rows: c.bars.map { [$0.label, GermanFormat.number($0.value)] })
        case .matrix(let c):
            return Table(id: c.id, columns: [c.rowLabel + " \\ " + c.columnLabel] + c.columns,
                         rows: c.rows.enumerated().map { i, row in [row] + c.counts[i].map(GermanFormat.integer) })
        case .range(let c):
            let n = { (x: Double?) in x.map { GermanFormat.number($0) } ?? "–" }
            return Table(id: c.id, columns: ["Zeitraum", "Wert", "Median", "Minimum", "Maximum"], rows: c.points.map { [$0.period, n($0.value), n($0.median), n($0.minimum), n($0.maximum)] })
        }
    }
}

/// Horizontal bars, one per category, with the value written at each bar.
public struct BarChart: Sendable, Equatable {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public init(_ label: String, _ value: Double) {
            self.label = label
            self.value = value
        }
    }
    public var id: String
    public var title: String
    /// What the categories are (`Quartal`), shown on the vertical axis.
    public var categoryLabel: String
    /// What is counted and its unit (`Anzahl Veranstaltungen`), shown under the horizontal axis.
    public var valueLabel: String
    public var source: String
    public var bars: [Bar]

    public init(id: String, title: String, categoryLabel: String, valueLabel: String, source: String, bars: [Bar]) {
        self.id = id
        self.title = title
        self.categoryLabel = categoryLabel
        self.valueLabel = valueLabel
        self.source = source
        self.bars = bars
    }

    public func svg() -> String {
        let width = 640.0, labelWidth = 200.0, barHeight = 22.0, gap = 8.0, top = 44.0
        let plotWidth = width - labelWidth - 60
        let count = max(bars.count, 1)
        let plotHeight = Double(count) * (barHeight + gap)
        let height = top + plotHeight + 64
        // Counts below five get whole-number steps (0, 1, 2, 3), never 0,5.
        let largest = bars.map(\.value).max() ?? 0
        let counts = bars.allSatisfy { $0.value == $0.value.rounded() } && largest < 5
        let maximum = counts ? max(largest, 1) : niceMaximum(largest)
        let e = HTMLText.escape
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"\(e(id))\" role=\"img\" aria-label=\"\(e(title))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        s += "<title>\(e(title))</title>\n"
        s += "<text x=\"0\" y=\"18\" font-size=\"15\" font-weight=\"bold\" fill=\"#000\">\(e(title))</text>\n"
        s += "<text x=\"\(Int(labelWidth - 8))\" y=\"36\" text-anchor=\"end\" font-style=\"italic\" fill=\"#000\">\(e(categoryLabel))</text>\n"
        // Grid lines and ticks: five steps from zero to a round maximum.
        let steps = counts ? Int(maximum) : tickCount(maximum)
        for step in 0...steps {
            let value = maximum * Double(step) / Double(steps)
            let x = labelWidth + plotWidth * Double(step) / Double(steps)
            s += "<line x1=\"\(fmt(x))\" y1=\"\(fmt(top - 4))\" x2=\"\(fmt(x))\" y2=\"\(fmt(top + plotHeight))\" stroke=\"#bbb\" stroke-width=\"0.5\"/>\n"
            s += "<text x=\"\(fmt(x))\" y=\"\(fmt(top + plotHeight + 14))\" text-anchor=\"middle\" fill=\"#000\">\(GermanFormat.number(value))</text>\n"
        }
        if bars.isEmpty {
            s += "<text x=\"\(fmt(labelWidth + 8))\" y=\"\(fmt(top + 16))\" fill=\"#000\">Keine Daten</text>\n"
        }
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * (barHeight + gap)
            let w = maximum > 0 ? plotWidth * bar.value / maximum : 0
            s += "<g class=\"bar\" data-label=\"\(e(bar.label))\" data-value=\"\(GermanFormat.number(bar.value))\">"
            s += "<text x=\"\(fmt(labelWidth - 8))\" y=\"\(fmt(y + barHeight * 0.7))\" text-anchor=\"end\" fill=\"#000\">\(e(clipped(bar.label)))</text>"
            s += "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"\(fmt(barHeight))\" fill=\"#555\" stroke=\"#000\" stroke-width=\"0.8\"/>"
            s += "<text x=\"\(fmt(labelWidth + w + 5))\" y=\"\(fmt(y + barHeight * 0.7))\" font-weight=\"bold\" fill=\"#000\">\(GermanFormat.number(bar.value))</text>"
            s += "</g>\n"
        }
        s += "<line x1=\"\(fmt(labelWidth))\" y1=\"\(fmt(top - 4))\" x2=\"\(fmt(labelWidth))\" y2=\"\(fmt(top + plotHeight))\" stroke=\"#000\"/>\n"
        s += "<text x=\"\(fmt(labelWidth + plotWidth / 2))\" y=\"\(fmt(top + plotHeight + 32))\" text-anchor=\"middle\" font-style=\"italic\" fill=\"#000\">\(e(valueLabel))</text>\n"
        s += "<text x=\"0\" y=\"\(fmt(height - 8))\" font-size=\"10\" fill=\"#333\">Quelle: \(e(source))</text>\n"
        s += "</svg>"
        return s
    }
}

/// A grid of counts, rows × columns (influence × stance), the count written in each cell and
/// the cell shaded darker the more it holds.
public struct MatrixChart: Sendable, Equatable {
    public var id: String
    public var title: String
    public var rowLabel: String
    public var columnLabel: String
    public var source: String
    public var rows: [String]
    public var columns: [String]
    /// counts[row][column]
    public var counts: [[Int]]

    public init(id: String, title: String, rowLabel: String, columnLabel: String, source: String, rows: [String], columns: [String], counts: [[Int]]) {
        self.id = id
        self.title = title
        self.rowLabel = rowLabel
        self.columnLabel = columnLabel
        self.source = source
        self.rows = rows
        self.columns = columns
        self.counts = counts
    }

    public func svg() -> String {
        let left = 150.0, top = 64.0, cellW = 110.0, cellH = 56.0
        let width = left + cellW * Double(columns.count) + 10
        let height = top + cellH * Double(rows.count) + 60
        let maximum = max(counts.flatMap { $0 }.max() ?? 0, 1)
        let e = HTMLText.escape
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"\(e(id))\" role=\"img\" aria-label=\"\(e(title))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        s += "<title>\(e(title))</title>\n"
        s += "<text x=\"0\" y=\"18\" font-size=\"15\" font-weight=\"bold\" fill=\"#000\">\(e(title))</text>\n"
        s += "<text x=\"\(fmt(left + cellW * Double(columns.count) / 2))\" y=\"38\" text-anchor=\"middle\" font-style=\"italic\" fill=\"#000\">\(e(columnLabel)) →</text>\n"
        s += "<text x=\"0\" y=\"\(fmt(top - 8))\" font-style=\"italic\" fill=\"#000\">\(e(rowLabel)) ↓</text>\n"
        for (j, column) in columns.enumerated() {
            s += "<text x=\"\(fmt(left + cellW * (Double(j) + 0.5)))\" y=\"\(fmt(top - 8))\" text-anchor=\"middle\" fill=\"#000\">\(e(column))</text>\n"
        }
        for (i, row) in rows.enumerated() {
            let y = top + cellH * Double(i)
            s += "<text x=\"\(fmt(left - 8))\" y=\"\(fmt(y + cellH / 2 + 4))\" text-anchor=\"end\" fill=\"#000\">\(e(row))</text>\n"
            for (j, column) in columns.enumerated() {
                let n = counts[i][j]
                let x = left + cellW * Double(j)
                let shade = 255 - Int(Double(n) / Double(maximum) * 150)
                let textColour = "#000"
                s += "<g class=\"cell\" data-row=\"\(e(row))\" data-column=\"\(e(column))\" data-value=\"\(n)\">"
                s += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(cellW))\" height=\"\(fmt(cellH))\" fill=\"rgb(\(shade),\(shade),\(shade))\" stroke=\"#000\"/>"
                s += "<text x=\"\(fmt(x + cellW / 2))\" y=\"\(fmt(y + cellH / 2 + 6))\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\" fill=\"\(textColour)\">\(GermanFormat.integer(n))</text>"
                s += "</g>\n"
            }
        }
        s += "<text x=\"0\" y=\"\(fmt(height - 8))\" font-size=\"10\" fill=\"#333\">Quelle: \(e(source))</text>\n"
        s += "</svg>"
        return s
    }
}

/// A round upper end for an axis: 1, 2, 2.5 or 5 times a power of ten, at least the maximum.
func niceMaximum(_ value: Double) -> Double {
    guard value > 0 else { return 4 }
    let power = pow(10, floor(log10(value)))
    for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * power >= value { return factor * power }
    return 10 * power
}

/// How many steps divide an axis from zero to `maximum` (a `niceMaximum`) into round numbers:
/// 250 in five steps of 50, 200 in four of 50, 4 in four of 1.
func tickCount(_ maximum: Double) -> Int {
    guard maximum > 0 else { return 4 }
    let factor = (maximum / pow(10, floor(log10(maximum)))).rounded()
    switch factor {
    case 2, 4: return 4
    default: return 5
    }
}

func fmt(_ x: Double) -> String { String(format: "%.1f", x) }

func clipped(_ text: String, to limit: Int = 30) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
}

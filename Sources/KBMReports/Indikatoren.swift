import Foundation
import KBMRecords

/// `indikatoren`: every indicator over time; with `--county`, that county's value against the
/// region's median and range (min–max over the counties with a value for the period), the
/// source under each chart. Values are read as stored (`1234.5`); a missing value stays missing.
public struct Indikatoren {
    public let input: ReportInput
    public init(_ input: ReportInput) { self.input = input }

    /// One period of an indicator: the county's value and the region's figures.
    public struct Point: Sendable, Equatable {
        public var period: String
        public var value: Double?
        public var median: Double?
        public var minimum: Double?
        public var maximum: Double?
        public var counties: Int
    }

    public struct Series: Sendable, Equatable {
        public var name: String
        public var unit: String
        public var source: String
        public var points: [Point]
    }

    /// The value of a period in a record, nil when missing or not a number.
    static func value(_ item: Item) -> Double? {
        guard let text = item.fields["value"], case .value(let n) = DecimalInput.parse(text) else { return nil }
        return n
    }

    static func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// A period lies in the report's period when its first year does (`2024/25` → 2024).
    func inPeriod(_ period: String) -> Bool {
        guard input.period.from != nil || input.period.to != nil else { return true }
        guard let year = Int(period.prefix(4)) else { return false }
        return input.period.contains(String(format: "%04d-07-01", year)) || input.period.year == year
    }

    /// One series per indicator name of the county (every name in the region without --county).
    public var series: [Series] {
        let region = input.regionRecords("indicator")
        let own = input.county == nil ? region : input.records("indicator")
        let names = Array(Set(own.map { $0.title() })).sorted()
        return names.map { name in
            let all = region.filter { $0.title() == name }
            let mine = input.county.flatMap { c in all.first { $0.county == c } }
            let periods = Set(all.flatMap { ($0["values"]?.itemsValue ?? []).compactMap { $0.fields["period"] } }).filter(inPeriod).sorted()
            let points = periods.map { period -> Point in
                let values = all.compactMap { r in (r["values"]?.itemsValue ?? []).first { $0.fields["period"] == period }.flatMap(Self.value) }
                let own = mine.flatMap { r in (r["values"]?.itemsValue ?? []).first { $0.fields["period"] == period }.flatMap(Self.value) }
                return Point(period: period, value: own, median: Self.median(values), minimum: values.min(), maximum: values.max(), counties: values.count)
            }
            let first = mine ?? all.first
            return Series(name: name, unit: first?.text("unit") ?? "", source: first?.text("source") ?? "ohne Quellenangabe", points: points)
        }
    }

    public func document() -> ReportDocument {
        let all = series
        let n = { (x: Double?) in x.map { GermanFormat.number($0) } ?? "–" }
        var sections: [ReportDocument.Section] = [
            .init("Auf einen Blick", [
                .paragraph(input.county == nil
                           ? "Alle Indikatoren der Region: Median und Spannweite über die Landkreise mit einem Wert."
                           : "Die Indikatoren des Landkreises im Vergleich mit der Region: Median und Spannweite (kleinster bis größter Wert) über die Landkreise mit einem Wert."),
                .figures([KeyFigure("indicators", "Indikatoren", all.count)]),
            ]),
        ]
        if all.isEmpty {
            sections.append(.init("Indikatoren", [.paragraph("Keine Indikatoren \(input.period.phrase) erfasst.")]))
        }
        for s in all {
            var blocks: [ReportDocument.Block] = []
            if s.points.filter({ $0.value != nil || input.county == nil }).count < 2 {
                blocks.append(.paragraph("Nur ein Wert oder keiner: ein Verlauf lässt sich noch nicht zeigen."))
            }
            blocks.append(.chart(.range(RangeChart(id: "indicator-" + s.name, title: s.name, unit: s.unit, source: s.source, showsCounty: input.county != nil,
                                                   points: s.points.map { .init(period: $0.period, value: $0.value, median: $0.median, minimum: $0.minimum, maximum: $0.maximum) }))))
            var columns = ["Zeitraum"]
            if let c = input.county { columns.append(c.rawValue) }
            columns += ["Median der Region", "kleinster Wert", "größter Wert", "Landkreise mit Wert"]
            blocks.append(.table(Table(id: "indicator-" + s.name, columns: columns, rows: s.points.map { p in
                [p.period] + (input.county == nil ? [] : [n(p.value)]) + [n(p.median), n(p.minimum), n(p.maximum), GermanFormat.integer(p.counties)]
            })))
            sections.append(.init(s.name, blocks))
        }
        return ReportDocument(title: "Indikatoren des Bildungsmonitorings", subtitle: input.subtitle, sections: sections)
    }
}

/// Per period: the region's range (a grey band from the smallest to the largest value), its
/// median (a dashed line) and the county's value (a black dot with its number).
public struct RangeChart: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var period: String
        public var value: Double?
        public var median: Double?
        public var minimum: Double?
        public var maximum: Double?
    }
    public var id: String
    public var title: String
    public var unit: String
    public var source: String
    public var showsCounty: Bool
    public var points: [Point]

    public func svg() -> String {
        let left = 70.0, top = 56.0, plotW = 520.0, plotH = 220.0
        let width = left + plotW + 50, height = top + plotH + 90
        let all = points.flatMap { [$0.value, $0.minimum, $0.maximum].compactMap { $0 } }
        let low = min(0, all.min() ?? 0)
        let high = niceMaximum(max(all.max() ?? 0, 0))
        let y = { (v: Double) in top + plotH - (high > low ? (v - low) / (high - low) * plotH : 0) }
        let step = points.isEmpty ? plotW : plotW / Double(points.count)
        let e = HTMLText.escape
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"\(e(id))\" role=\"img\" aria-label=\"\(e(title))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        s += "<title>\(e(title))</title>\n<text x=\"0\" y=\"18\" font-size=\"15\" font-weight=\"bold\" fill=\"#000\">\(e(title))</text>\n"
        s += "<text x=\"0\" y=\"38\" font-style=\"italic\" fill=\"#000\">\(e(unit.isEmpty ? "Wert" : unit))</text>\n"
        let steps = low == 0 ? tickCount(high) : 4
        for i in 0...steps {
            let v = low + (high - low) * Double(i) / Double(steps)
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(v)))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(y(v)))\" stroke=\"#bbb\" stroke-width=\"0.5\"/>"
            s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y(v) + 4))\" text-anchor=\"end\" fill=\"#000\">\(GermanFormat.number(v))</text>\n"
        }
        for (i, p) in points.enumerated() {
            let cx = left + step * (Double(i) + 0.5)
            s += "<g class=\"period\" data-period=\"\(e(p.period))\" data-value=\"\(p.value.map { GermanFormat.number($0) } ?? "")\" data-median=\"\(p.median.map { GermanFormat.number($0) } ?? "")\">"
            if let lo = p.minimum, let hi = p.maximum {
                s += "<rect x=\"\(fmt(cx - 16))\" y=\"\(fmt(y(hi)))\" width=\"32\" height=\"\(fmt(max(y(lo) - y(hi), 1)))\" fill=\"#ddd\" stroke=\"#777\"/>"
            }
            if let m = p.median {
                s += "<line x1=\"\(fmt(cx - 22))\" y1=\"\(fmt(y(m)))\" x2=\"\(fmt(cx + 22))\" y2=\"\(fmt(y(m)))\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>"
            }
            if let v = p.value {
                s += "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(y(v)))\" r=\"5\" fill=\"#000\"/><text x=\"\(fmt(cx + 26))\" y=\"\(fmt(y(v) + 4))\" font-weight=\"bold\" fill=\"#000\">\(GermanFormat.number(v))</text>"
            }
            s += "<text x=\"\(fmt(cx))\" y=\"\(fmt(top + plotH + 16))\" text-anchor=\"middle\" fill=\"#000\">\(e(p.period))</text></g>\n"
        }
        s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top + plotH))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(top + plotH))\" stroke=\"#000\"/>\n"
        s += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(top + plotH + 34))\" text-anchor=\"middle\" font-style=\"italic\" fill=\"#000\">Zeitraum (Jahr oder Schuljahr)</text>\n"
        // Legend, drawn with the same marks as the chart.
        let ly = top + plotH + 52
        s += "<rect x=\"\(fmt(left))\" y=\"\(fmt(ly - 9))\" width=\"14\" height=\"10\" fill=\"#ddd\" stroke=\"#777\"/><text x=\"\(fmt(left + 20))\" y=\"\(fmt(ly))\" fill=\"#000\">Spannweite der Region</text>"
        s += "<line x1=\"\(fmt(left + 170))\" y1=\"\(fmt(ly - 4))\" x2=\"\(fmt(left + 190))\" y2=\"\(fmt(ly - 4))\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/><text x=\"\(fmt(left + 196))\" y=\"\(fmt(ly))\" fill=\"#000\">Median der Region</text>"
        if showsCounty {
            s += "<circle cx=\"\(fmt(left + 330))\" cy=\"\(fmt(ly - 4))\" r=\"5\" fill=\"#000\"/><text x=\"\(fmt(left + 340))\" y=\"\(fmt(ly))\" fill=\"#000\">Landkreis</text>"
        }
        s += "\n<text x=\"0\" y=\"\(fmt(height - 8))\" font-size=\"10\" fill=\"#333\">Quelle: \(e(source))</text>\n</svg>"
        return s
    }
}

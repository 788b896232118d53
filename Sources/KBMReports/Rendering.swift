import Foundation

/// Renders a report as one self-contained HTML page: inline CSS (with print rules for A4),
/// inline SVG, no script, no external request; every record text HTML-escaped.
public enum HTMLRenderer {
    static let css = """
    body { font-family: Helvetica, Arial, sans-serif; color: #000; background: #fff; margin: 2em auto; max-width: 46em; line-height: 1.4; font-size: 11pt; }
    h1 { font-size: 20pt; margin: 0 0 .2em; }
    h2 { font-size: 14pt; border-bottom: 1.5px solid #000; margin-top: 1.6em; padding-bottom: .1em; }
    .subtitle { color: #333; margin: 0 0 1em; }
    .marking { display: inline-block; border: 2px solid #000; padding: .1em .6em; font-weight: bold; text-transform: uppercase; letter-spacing: .1em; }
    .figures { display: flex; flex-wrap: wrap; gap: .6em; padding: 0; list-style: none; }
    .figures li { border: 1px solid #000; padding: .4em .7em; min-width: 8.5em; }
    .figures .value { display: block; font-size: 18pt; font-weight: bold; }
    table { border-collapse: collapse; width: 100%; margin: .6em 0; font-size: 10pt; table-layout: fixed; overflow-wrap: break-word; }
    th, td { border: 1px solid #777; padding: .25em .45em; text-align: left; vertical-align: top; hyphens: auto; }
    th { background: #e6e6e6; }
    td.num { text-align: right; }
    td.date { white-space: nowrap; }
    figure { margin: 1em 0; page-break-inside: avoid; break-inside: avoid; }
    svg.chart { max-width: 100%; height: auto; }
    figcaption { font-size: 9pt; color: #333; }
    footer { margin-top: 2em; font-size: 9pt; color: #333; border-top: 1px solid #777; padding-top: .4em; }
    @page { size: A4; margin: 18mm 16mm; }
    @media print {
      body { margin: 0; max-width: none; font-size: 10pt; }
      h2 { page-break-after: avoid; break-after: avoid; }
      table, .figures { page-break-inside: avoid; break-inside: avoid; }
    }
    """

    public static func render(_ doc: ReportDocument) -> String {
        let e = HTMLText.escape
        var h = "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        h += "<title>\(e(doc.title))</title>\n<style>\n\(css)\n</style>\n</head>\n<body>\n<header>\n"
        if let marking = doc.marking { h += "<p class=\"marking\" data-marking=\"\(e(marking))\">\(e(marking))</p>\n" }
        h += "<h1>\(e(doc.title))</h1>\n<p class=\"subtitle\">\(e(doc.subtitle))</p>\n</header>\n"
        for section in doc.sections {
            h += "<section>\n<h2>\(e(section.heading))</h2>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    h += "<p>\(e(text))</p>\n"
                case .figures(let figures):
                    h += "<ul class=\"figures\">\n"
                    for f in figures {
                        h += "<li><span class=\"value\" data-figure=\"\(e(f.id))\">\(GermanFormat.integer(f.value))</span> \(e(f.label))</li>\n"
                    }
                    h += "</ul>\n"
                case .table(let table):
                    h += tableHTML(table)
                case .chart(let chart):
                    // The source is part of the picture (it goes wherever the SVG is copied).
                    h += "<figure>\n\(chart.svg())\n</figure>\n"
                }
            }
            h += "</section>\n"
        }
        h += "<footer>Erstellt mit kbm aus den Datensätzen des Bildungsbüros.</footer>\n</body>\n</html>\n"
        return h
    }

    static func tableHTML(_ table: Table) -> String {
        let e = HTMLText.escape
        guard !table.rows.isEmpty else { return "<p class=\"empty\" data-table=\"\(e(table.id))\">\(e(table.empty))</p>\n" }
        var h = "<table data-table=\"\(e(table.id))\">\n"
        if let widths = table.widths, widths.count == table.columns.count {
            h += "<colgroup>" + widths.map { "<col style=\"width: \($0)%\">" }.joined() + "</colgroup>\n"
        }
        h += "<thead><tr>"
        for c in table.columns { h += "<th>\(e(c))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            h += "<tr data-key=\"\(e(row.first ?? ""))\">"
            for cell in row {
                let numeric = cell.range(of: #"^-?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?$"#, options: .regularExpression) != nil
                let date = cell.range(of: #"^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"#, options: .regularExpression) != nil
                h += numeric ? "<td class=\"num\">\(e(cell))</td>" : date ? "<td class=\"date\">\(e(cell))</td>" : "<td>\(e(cell))</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }
}

/// Renders a report as Markdown: key figures as a list, tables as pipe tables, each chart as the
/// table of its data (with its title and source).
public enum MarkdownRenderer {
    public static func render(_ doc: ReportDocument) -> String {
        let m = MarkdownText.escape
        var out = ""
        if let marking = doc.marking { out += "**\(m(marking.uppercased()))**\n\n" }
        out += "# \(m(doc.title))\n\n\(m(doc.subtitle))\n"
        for section in doc.sections {
            out += "\n## \(m(section.heading))\n\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    out += "\(m(text))\n\n"
                case .figures(let figures):
                    for f in figures { out += "- **\(GermanFormat.integer(f.value))** \(m(f.label))\n" }
                    out += "\n"
                case .table(let table):
                    out += tableMarkdown(table)
                case .chart(let chart):
                    out += "**\(m(chart.title))**\n\n" + tableMarkdown(chart.table) + "Quelle: \(m(chart.source))\n\n"
                }
            }
        }
        return out
    }

    static func tableMarkdown(_ table: Table) -> String {
        let m = MarkdownText.escape
        guard !table.rows.isEmpty else { return "\(m(table.empty))\n\n" }
        var out = "| " + table.columns.map(m).joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: " --- |", count: table.columns.count) + "\n"
        for row in table.rows { out += "| " + row.map(m).joined(separator: " | ") + " |\n" }
        return out + "\n"
    }
}

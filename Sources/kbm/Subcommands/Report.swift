import ArgumentParser
import Foundation
import KBMCore
import KBMRecords
import KBMReports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a German report with charts: bilanz, nachverfolgung, akteure or indikatoren.",
        discussion: "The format follows the extension of -o: .html (self-contained, prints on A4), .md, or .pdf (needs headless Chromium, Debian package chromium). Reports: "
            + ReportKind.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "; ") + ".")

    @Argument(help: "The report: bilanz, nachverfolgung, akteure or indikatoren.")
    var name: String

    @Option(help: "The calendar year (default for bilanz: this year).")
    var year: String?

    @Option(help: ArgumentHelp("The first day of the period (2025-03-01 or 01.03.2025).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("The last day of the period.", valueName: "date"))
    var to: String?

    @Option(help: "Only the records of this county.")
    var county: String?

    @Option(name: .short, help: ArgumentHelp("The file to write (.html, .md or .pdf; replaced if it exists).", valueName: "file"))
    var output: String

    func run() throws {
        let workspace = try openWorkspace()
        let request = ReportRequest(name: name, year: year, from: from, to: to, county: try countyOption(county), output: output,
                                    today: CLIEnvironment.today())
        let written = try workspace.writeReport(request)
        print("Wrote \(written.path): \(written.title).")
    }
}

import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the workspace (database integrity, database vs. repository, quarantine) and say how to repair it.")

    @Flag(help: "Repair what is wrong: rebuild the database from the repository.")
    var repair = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let root = try Workspace.locate(from: FileManager.default.currentDirectoryPath, environment: ProcessInfo.processInfo.environment)
        let report = try Workspace.doctor(root: root, repair: repair)
        print(json ? report.json.prettyText : report.text)
        if !report.healthy && !repair {
            let count = report.problems.count
            throw KBMError.failure("\(count) problem\(count == 1 ? "" : "s") found (listed above). `kbm doctor --repair` repairs \(count == 1 ? "it" : "them") from the repository.")
        }
    }
}

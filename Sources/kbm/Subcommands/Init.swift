import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a workspace for your county's office.")

    @Option(help: "Your office's county slug, for example lk-augsburg or stadt-kempten.")
    var county: String

    @Option(help: "You, as \"Name <email>\": the author of your changes.")
    var user: String

    @Argument(help: "The folder for the workspace (default: the current folder).")
    var dir: String = "."

    func validate() throws {
        guard County(county) != nil else {
            throw ValidationError("--county: expected a slug like lk-augsburg (lower case letters, digits and single dashes), got \"\(county)\"")
        }
        guard Author(user) != nil else {
            throw ValidationError("--user: expected \"Name <email>\", got \"\(user)\"")
        }
    }

    func run() throws {
        guard let county = County(county), let author = Author(user) else { return }
        let workspace = try Workspace.create(at: dir, county: county, author: author)
        print("Created a workspace for \(county) in \(workspace.root) (user \(author)).")
    }
}

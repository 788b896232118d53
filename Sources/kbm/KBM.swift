import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct KBM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kbm",
        abstract: "Offline-first records for Bildungsbüros, shared through the region's git repository.",
        discussion: "Global option: -C <dir> runs kbm as if started in <dir>. KBM_WORKSPACE names the workspace folder.",
        subcommands: [
            Init.self, Clone.self, Add.self, Edit.self, Show.self, List.self, Delete.self, Import.self, Export.self,
            Remote.self, Sync.self, Status.self, Log.self, Rebuild.self, Conflicts.self, Resolve.self,
            Share.self, Unshare.self, PrivacyReportCommand.self, Forget.self, Purge.self, Doctor.self,
            Keygen.self, Whoami.self, Registry.self, Verify.self,
            Duplicates.self, Link.self, Unlink.self, Merge.self, Count.self, CalendarCommand.self, Search.self, Followups.self, ReportCommand.self,
        ]
    )
}

/// Shared by commands that work in an existing workspace.
func openWorkspace() throws -> Workspace {
    let root = try Workspace.locate(from: FileManager.default.currentDirectoryPath, environment: ProcessInfo.processInfo.environment)
    let workspace = try Workspace.open(at: root)
    workspace.syncEnvironment = CLIEnvironment.sync()
    if let wait = CLIEnvironment.writeWait() { workspace.writeTimeout = wait }
    return workspace
}

func printJSON(_ value: JSONValue) {
    print(value.prettyText)
}

/// The value of a `--county` option, checked.
func countyOption(_ text: String?) throws -> County? {
    guard let text else { return nil }
    guard let county = County(text) else { throw KBMError.invalid("--county: expected a slug like lk-augsburg, got \"\(text)\".") }
    return county
}

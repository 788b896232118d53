import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct Share: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Share one local (personal) field of one record on purpose, with the reason (consent or legal basis).")

    @Argument(help: "The record's id, or its unique title or name.") var id: String
    @Argument(help: "The local field, for example email.") var field: String
    @Option(help: "Why it may be shared: the consent or legal basis.") var reason: String

    func run() throws {
        let workspace = try openWorkspace()
        let record = try workspace.share(id: try workspace.recordID(id), field: field, reason: reason)
        print("'\(field)' of \(record.id) will be shared with the region from the next sync on. `kbm privacy-report` lists this decision.")
    }
}

struct Unshare: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop sharing a local field of a record.")

    @Argument(help: "The record's id, or its unique title or name.") var id: String
    @Argument(help: "The local field.") var field: String

    func run() throws {
        let workspace = try openWorkspace()
        let record = try workspace.unshare(id: try workspace.recordID(id), field: field)
        print("'\(field)' of \(record.id) stays on this laptop from the next sync on.")
        print("Note: commits already pushed still hold the value in the regional repository's history (and in every office's clone).")
    }
}

struct PrivacyReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "privacy-report", abstract: "For the data protection officer: which fields are shared, and which personal fields were shared on purpose and why.")

    @Flag(help: "Print the report as JSON.") var json = false

    func run() throws {
        let report = try openWorkspace().privacyReport()
        print(json ? report.json.prettyText : report.text)
    }
}

struct Forget: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Erase a person: delete the record and its local fields, and sync the deletion.")

    @Argument(help: "The record's id, or its unique title or name.") var id: String

    func run() throws {
        let workspace = try openWorkspace()
        let notes = try workspace.forget(id: try workspace.recordID(id))
        notes.forEach { print($0) }
        if (try? workspace.remoteURL()) != nil {
            do {
                let report = try workspace.sync()
                if !report.outcome.isSynced { print("Not shared yet (\(report.outcome.reason ?? "")): the deletion waits for the next `kbm sync`.") } else { print("The deletion is shared with the region.") }
            } catch {
                print("The deletion waits for the next `kbm sync` (\(KBMError.from(error).message)).")
            }
        }
    }
}

struct Purge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The agency only: erase a record from the region's whole history (signed erasure notice; every office follows it).",
        discussion: "Rewrites every commit of the region's main that holds the record's file, signs the rewritten commits and an erasure notice with the agency's key, and replaces the region's main if nobody pushed meanwhile. See docs/privacy.md for what it cannot reach.")

    @Argument(help: "The record's id, or its unique title or name.") var id: String
    @Option(help: "Why it must be erased (the request, the legal basis), without personal data: it is signed into the notice.") var reason: String
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        let workspace = try openWorkspace()
        let report = try workspace.purge(id: try workspace.recordID(id), reason: reason)
        print(json ? report.json.prettyText : report.text)
    }
}

import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create this workspace's signing key (Ed25519), or use an existing OpenSSH key.",
        discussion: "The key is written to .kbm/id_ed25519 (mode 0600) and .kbm/id_ed25519.pub. Every commit kbm makes is signed with it. Send `kbm whoami` to the agency to be registered.")

    @Option(help: "Use this OpenSSH ed25519 private key (made by ssh-keygen -t ed25519 -N '') instead of a new one.")
    var key: String?

    @Flag(help: "Replace an existing key.")
    var force = false

    func run() throws {
        let line = try openWorkspace().keygen(importing: key, force: force)
        print(line)
    }
}

struct Whoami: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print this workspace's public key line, to send to the agency.")

    func run() throws {
        print(try openWorkspace().publicKeyLine())
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the whole history: every commit signed by someone allowed to make its changes.",
        discussion: "Exit code 1 when a commit fails.")

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let report = try openWorkspace().verifyHistory()
        print(json ? report.json.prettyText : report.text)
        if !report.failures.isEmpty {
            throw KBMError.failure("\(report.failures.count) commit\(report.failures.count == 1 ? "" : "s") failed the check.")
        }
    }
}

struct Registry: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or change the office registry (region/offices): who signs for which county.",
        discussion: "Only the agency (transferagentur) changes the registry. Changes are committed and signed by the next `kbm sync`.",
        subcommands: [Show.self, AddOffice.self, AddCoordinator.self, RemoveCoordinator.self],
        defaultSubcommand: Show.self)

    static func county(_ text: String) throws -> County {
        guard let county = County(text) else { throw ValidationError("expected a county slug like lk-augsburg, got \"\(text)\"") }
        return county
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the offices and their coordinators' keys.")

        @Flag(help: "Print the registry as JSON.")
        var json = false

        func run() throws {
            let view = try openWorkspace().registryView()
            print(json ? view.json.prettyText : view.text)
        }
    }

    struct AddOffice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-office", abstract: "Add an office (or rename it).")

        @Argument(help: "The office's county slug.")
        var county: String

        @Option(help: "The office's name.")
        var name: String

        func validate() throws {
            _ = try Registry.county(county)
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name: give the office's name") }
        }

        func run() throws {
            let county = try Registry.county(county)
            try openWorkspace().registryAddOffice(county, name: name)
            print("Office \(county) added; `kbm sync` commits and shares it.")
        }
    }

    struct AddCoordinator: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-coordinator", abstract: "Register a coordinator's public key for an office.")

        @Argument(help: "The office's county slug.")
        var county: String

        @Argument(help: "The coordinator, as \"Name <email>\".")
        var coordinator: String

        @Option(help: "The coordinator's public key line (`kbm whoami`): ssh-ed25519 AAAA…")
        var key: String

        func validate() throws {
            _ = try Registry.county(county)
            guard Author(coordinator) != nil else { throw ValidationError("expected \"Name <email>\", got \"\(coordinator)\"") }
        }

        func run() throws {
            guard let author = Author(coordinator) else { return }
            let county = try Registry.county(county)
            try openWorkspace().registryAddCoordinator(county, author, keyLine: key)
            print("\(author) may sign for \(county) once `kbm sync` shares the change.")
        }
    }

    struct RemoveCoordinator: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-coordinator", abstract: "Remove a coordinator: their key signs nothing new.")

        @Argument(help: "The office's county slug.")
        var county: String

        @Argument(help: "The coordinator's email.")
        var email: String

        func run() throws {
            let county = try Registry.county(county)
            try openWorkspace().registryRemoveCoordinator(county, email: email)
            print("\(email) removed from \(county); `kbm sync` shares the change.")
        }
    }
}

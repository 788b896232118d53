import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

// kbm's entry point: `-C <dir>` first, then the subcommand. Exit codes: 0 success,
// 1 runtime failure, 2 invalid input or usage, 3 offline (sync committed locally only).

var arguments = Array(CommandLine.arguments.dropFirst())
while arguments.first == "-C" {
    guard arguments.count >= 2 else {
        FileHandle.standardError.write(Data("kbm: -C needs a folder\n".utf8))
        exit(2)
    }
    let dir = arguments[1]
    guard FileManager.default.changeCurrentDirectoryPath(dir) else {
        printError("kbm: -C \(dir): no such folder\n")
        exit(2)
    }
    arguments.removeFirst(2)
}

do {
    var command = try KBM.parseAsRoot(arguments)
    try command.run()
    fflush(nil)
} catch let error as KBMError {
    fflush(nil)
    printError("kbm: \(error.message)\n")
    exit(error.code.rawValue)
} catch let exitCode as ExitCode {
    // A command that has said everything already (on standard output) and only sets the exit code.
    fflush(nil)
    exit(exitCode.rawValue)
} catch {
    fflush(nil)
    let code = KBM.exitCode(for: error)
    if code == .success {
        print(KBM.fullMessage(for: error))
        exit(0)
    }
    if isArgumentError(error) {
        printError("kbm: \(KBM.fullMessage(for: error))\n")
        exit(2)
    }
    let wrapped = KBMError.from(error)
    printError("kbm: \(wrapped.message)\n")
    exit(wrapped.code.rawValue)
}

/// Errors of the argument parser (usage errors) exit with 2 like every invalid input.
func isArgumentError(_ error: Error) -> Bool {
    KBM.exitCode(for: error) == .validationFailure || error is ValidationError
}

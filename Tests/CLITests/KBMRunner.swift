import Foundation
import XCTest

/// Runs the built `kbm` binary as a user would, in a fresh temporary folder.
struct KBMRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
    }

    /// The folder holding the built products (the xctest bundle sits beside `kbm`).
    static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    static var binary: String { productsDirectory.appendingPathComponent("kbm").path }

    /// A fresh empty folder under the system temp directory.
    static func makeTempDir(_ label: String = "kbm-test") -> String {
        let path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    var cwd: String
    var environment: [String: String] = [:]

    @discardableResult
    func run(_ args: [String], stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> Result {
        KBMRunner.exec(KBMRunner.binary, args, cwd: cwd, environment: environment, stdin: stdin)
    }

    /// Runs and asserts the exit status; returns the result.
    @discardableResult
    func ok(_ args: String..., file: StaticString = #filePath, line: UInt = #line) -> Result {
        let r = run(args)
        XCTAssertEqual(r.status, 0, "kbm \(args.joined(separator: " ")) failed: \(r.stderr)", file: file, line: line)
        return r
    }

    static func exec(_ path: String, _ args: [String], cwd: String, environment: [String: String] = [:], stdin: String? = nil) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var env = ProcessInfo.processInfo.environment
        env["KBM_WORKSPACE"] = nil
        env["KBM_FAULT"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        do { try process.run() } catch { return Result(status: -1, stdout: "", stderr: "\(error)") }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a shell command (for setting up or inspecting git repositories in tests).
    @discardableResult
    static func sh(_ command: String, cwd: String = "/", file: StaticString = #filePath, line: UInt = #line) -> Result {
        let r = exec("/bin/bash", ["-c", command], cwd: cwd)
        XCTAssertEqual(r.status, 0, "shell command failed: \(command)\n\(r.stderr)", file: file, line: line)
        return r
    }
}

import Foundation
import XCTest

/// Runs the built `kbm` binary as a user would, in a workspace folder.
///
/// `ok`, `json`, `listJSON` and `sync` fail the test (with the command's stderr) when the command
/// exits non-zero or prints no JSON, so an assertion such as "the field is absent" cannot pass
/// because the command itself failed. To check a failure, use `run` and assert its status.
public struct KBMRunner: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
        public init(status: Int32, stdout: String, stderr: String) {
            (self.status, self.stdout, self.stderr) = (status, stdout, stderr)
        }
    }

    /// The folder holding the built products (the xctest bundle sits beside `kbm`).
    public static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    public static var binary: String { productsDirectory.appendingPathComponent("kbm").path }

    /// A fresh empty folder under the system temp directory.
    public static func makeTempDir(_ label: String = "kbm-test") -> String {
        KBMTestSupport.makeTempDir(label)
    }

    public var cwd: String
    public var environment: [String: String]

    public init(cwd: String, environment: [String: String] = [:]) {
        self.cwd = cwd
        self.environment = environment
    }

    @discardableResult
    public func run(_ args: [String], stdin: String? = nil) -> Result {
        KBMRunner.exec(KBMRunner.binary, args, cwd: cwd, environment: environment, stdin: stdin)
    }

    /// Runs and asserts the exit status; returns the result.
    @discardableResult
    public func ok(_ args: String..., file: StaticString = #filePath, line: UInt = #line) -> Result {
        let r = run(args)
        XCTAssertEqual(r.status, 0, "kbm \(args.joined(separator: " ")) failed: \(r.stderr)", file: file, line: line)
        return r
    }

    /// Runs and expects a refusal of bad input: exit 2, each of `expected` in the message, and no
    /// raw Swift error. Returns the result.
    @discardableResult
    public func refused(_ args: [String], _ expected: String..., file: StaticString = #filePath, line: UInt = #line) -> Result {
        let r = run(args)
        XCTAssertEqual(r.status, 2, "kbm \(args.joined(separator: " ")) should exit 2: \(r.stdout) \(r.stderr)", file: file, line: line)
        for e in expected {
            XCTAssertTrue(r.stderr.contains(e), "kbm \(args.joined(separator: " ")): expected '\(e)' in: \(r.stderr)", file: file, line: line)
        }
        XCTAssertFalse(r.stderr.contains("Swift") || r.stderr.contains("Error Domain"), r.stderr, file: file, line: line)
        return r
    }

    /// `kbm show <id> --json` decoded; fails the test when the command fails.
    public func json(_ id: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        decoded(["show", id, "--json"], file: file, line: line) ?? [:]
    }

    /// `kbm list --json` decoded; fails the test when the command fails.
    public func listJSON(file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        decoded(["list", "--json"], file: file, line: line) ?? []
    }

    /// `kbm sync --json` decoded; fails the test when the sync fails.
    @discardableResult
    public func sync(file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        decoded(["sync", "--json"], file: file, line: line) ?? [:]
    }

    /// Runs `args`, fails the test unless kbm exits 0 and prints one JSON value of type `T`.
    public func decoded<T>(_ args: [String], as type: T.Type = T.self, file: StaticString = #filePath, line: UInt = #line) -> T? {
        switch decode(args, as: type) {
        case .success(let value): return value
        case .failure(let problem):
            XCTFail(problem.message, file: file, line: line)
            return nil
        }
    }

    /// Runs `args` and decodes its output as one JSON value of type `T`; the failure says why not
    /// (kbm's exit status and stderr, or what it printed instead).
    public func decode<T>(_ args: [String], as type: T.Type = T.self) -> Swift.Result<T, TestSupportError> {
        let command = "kbm \(args.joined(separator: " "))"
        let r = run(args)
        guard r.status == 0 else {
            return .failure(TestSupportError(message: "\(command) failed with status \(r.status) in \(cwd): \(r.stderr)"))
        }
        guard let value = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? T else {
            return .failure(TestSupportError(message: "\(command) printed no JSON \(T.self): \(r.stdout)\(r.stderr)"))
        }
        return .success(value)
    }

    public static func exec(_ path: String, _ args: [String], cwd: String, environment: [String: String] = [:], stdin: String? = nil) -> Result {
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

    /// Runs a shell command (for setting up or inspecting git repositories in tests); fails the
    /// test when it exits non-zero.
    @discardableResult
    public static func sh(_ command: String, cwd: String = "/", file: StaticString = #filePath, line: UInt = #line) -> Result {
        let r = exec("/bin/bash", ["-c", command], cwd: cwd)
        XCTAssertEqual(r.status, 0, "shell command failed: \(command)\n\(r.stderr)", file: file, line: line)
        return r
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// One child process: wall time, peak RSS (ru_maxrss of this child alone), exit status, output.
struct ProcessResult {
    var seconds: Double
    var peakRSSKiB: Int
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs whole processes as a user would: posix_spawn, then wait4 for the child's own rusage.
enum Runner {
    nonisolated(unsafe) static var verbose = false
    nonisolated(unsafe) static var environment: [String: String] = {
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C.UTF-8"
        env["GIT_AUTHOR_NAME"] = "Bench Mark"
        env["GIT_AUTHOR_EMAIL"] = "bench@example.org"
        env["GIT_COMMITTER_NAME"] = "Bench Mark"
        env["GIT_COMMITTER_EMAIL"] = "bench@example.org"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env.removeValue(forKey: "KBM_WORKSPACE")
        env.removeValue(forKey: "KBM_FAULT")
        return env
    }()

    /// GNU time, used to measure each command's own peak RSS (see `run`).
    static let timeTool: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? "/usr/bin/time" : nil

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Runs `argv`; stdout goes to `stdoutPath` (default: a temporary file that is read back).
    @discardableResult
    static func run(_ argv: [String], stdoutPath: String? = nil, check: Bool = true) throws -> ProcessResult {
        if verbose { FileHandle.standardError.write(Data("  $ \(argv.joined(separator: " "))\n".utf8)) }
        let outPath = stdoutPath ?? NSTemporaryDirectory() + "kbm-bench-out-\(getpid())"
        let errPath = NSTemporaryDirectory() + "kbm-bench-err-\(getpid())"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let env = environment.map { "\($0.key)=\($0.value)" }
        var cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        // Peak RSS goes through GNU time, which forks the command from its own small process:
        // Linux keeps ru_maxrss across execve, and a child spawned directly from this (large)
        // process would report at least this process's peak (exec_mmap records the old mm's high
        // water mark). Without /usr/bin/time the figure is an upper bound.
        let rssPath = NSTemporaryDirectory() + "kbm-bench-rss-\(getpid())"
        let wrapped = Runner.timeTool.map { [$0, "-f", "%M", "-o", rssPath] + argv } ?? argv
        var cArgs: [UnsafeMutablePointer<CChar>?] = wrapped.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) }; for p in cEnv { free(p) } }
        var pid: pid_t = 0
        let start = now()
        let rc = posix_spawnp(&pid, wrapped[0], &actions, nil, &cArgs, &cEnv)
        guard rc == 0 else { throw BenchError("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let seconds = now() - start
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = stdoutPath == nil ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        var rss = Int(usage.ru_maxrss)
        if Runner.timeTool != nil {
            // GNU time writes "Command exited with non-zero status N" before the figure on failure.
            let text = (try? String(contentsOfFile: rssPath, encoding: .utf8)) ?? ""
            rss = text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? rss
        }
        let result = ProcessResult(seconds: seconds, peakRSSKiB: rss, status: exit, stdout: out, stderr: err)
        if check && exit != 0 {
            throw BenchError("\(argv.joined(separator: " ")) exited with \(exit): \(err.suffix(2000))\(out.suffix(500))")
        }
        return result
    }

    /// Runs a shell command (setup only, never timed).
    static func sh(_ command: String) throws {
        try run(["/bin/sh", "-c", command])
    }
}

/// A sequence of processes timed as one step: total wall time, highest peak RSS of any of them.
struct Step {
    var seconds = 0.0
    var peakRSSKiB = 0
    var parts: [String: Double] = [:]
    var partsRSSKiB: [String: Int] = [:]

    mutating func add(_ name: String, _ result: ProcessResult) {
        seconds += result.seconds
        peakRSSKiB = max(peakRSSKiB, result.peakRSSKiB)
        parts[name, default: 0] += result.seconds
        partsRSSKiB[name] = max(partsRSSKiB[name] ?? 0, result.peakRSSKiB)
    }

    mutating func addInProcess(_ name: String, _ body: () throws -> Void) rethrows {
        let start = Runner.now()
        try body()
        let elapsed = Runner.now() - start
        seconds += elapsed
        parts[name, default: 0] += elapsed
    }
}

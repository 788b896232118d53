import Foundation
import KBMTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Ten offices sync in parallel against `git daemon` on 127.0.0.1 for a bounded time, with random
/// edits and random SIGKILLs of running `kbm sync` and `kbm edit` processes (docs/fault-model.md).
/// At the end, sync rounds until stable: every workspace has the same HEAD and records, and every
/// acknowledged change (an edit that exited 0) is present.
///
/// Each office edits the titles of its own three tips (so the last acknowledged value is
/// unambiguous) and adds tags to two shared events co-owned by all (a set: every acknowledged tag
/// must survive the merges). KBM_SOAK_SECONDS sets the duration (default 45; `make soak` runs
/// longer); KBM_SOAK_REPORT names a file for the figures as JSON.
final class SoakTests: XCTestCase {
    static let offices = 10

    final class Office: @unchecked Sendable {
        // @unchecked: each office is driven by one thread; the main thread reads it only after joining.
        let county: String
        let runner: KBMRunner
        var tips: [String] = []
        /// Per tip: the values its title may have at the end (the last acknowledged one, plus those
        /// of later killed edits, which may or may not have landed).
        var allowedTitles: [String: Set<String>] = [:]
        var ackedTags: [(event: String, tag: String)] = []
        var syncs = 0, syncsKilled = 0, syncFailures = 0, edits = 0, editsKilled = 0, pushRetries = 0
        var failureMessages: [String] = []

        init(county: String, runner: KBMRunner) { (self.county, self.runner) = (county, runner) }
    }

    /// Runs kbm; with `killAfter`, SIGKILLs it after that many milliseconds if still running.
    /// Returns (status, stdout, killed).
    static func run(_ runner: KBMRunner, _ args: [String], killAfter: Int?) -> (Int32, String, String, Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: KBMRunner.binary)
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: runner.cwd)
        var env = ProcessInfo.processInfo.environment
        env["KBM_WORKSPACE"] = nil
        env["KBM_FAULT"] = nil
        process.environment = env
        let outFile = runner.cwd + "/.kbm-soak-out", errFile = runner.cwd + "/.kbm-soak-err"
        _ = FileManager.default.createFile(atPath: outFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile, contents: nil)
        guard let out = FileHandle(forWritingAtPath: outFile), let err = FileHandle(forWritingAtPath: errFile) else { return (-1, "", "no output files", false) }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "", "\(error)", false) }
        var killed = false
        if let killAfter {
            usleep(UInt32(killAfter) * 1000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL); killed = true }
        }
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        killed = killed && process.terminationReason == .uncaughtSignal
        let stdout = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, stdout, stderr, killed)
    }

    func testConcurrentSoakWithRandomKills() throws {
        let seconds = ProcessInfo.processInfo.environment["KBM_SOAK_SECONDS"].flatMap(Double.init) ?? 45
        let region = RegionFixture()
        let (daemon, url) = try FaultSupport.gitDaemon(root: region.root)
        defer { daemon.forceStop() }
        let counties = (0..<Self.offices).map { "lk-soak-\($0)" }

        // Set-up: every office joins; the first shares two events co-owned by all; each adds its tips.
        var offices: [Office] = []
        for county in counties {
            let runner = region.join(county, url: url, environment: ["KBM_NETWORK_TIMEOUT": "10"])
            offices.append(Office(county: county, runner: runner))
        }
        let coOwners = "co_owners=" + counties.dropFirst().joined(separator: ",")
        let shared = (0..<2).map { offices[0].runner.ok("add", "event", "title=Gemeinsamer Fachtag \($0)", coOwners).lastLine }
        for office in offices {
            for n in 0..<3 {
                let title = "\(office.county) Tipp \(n) v0"
                let id = office.runner.ok("add", "tip", "title=\(title)").lastLine
                office.tips.append(id)
                office.allowedTitles[id] = [title]
            }
            office.runner.sync()
        }
        for office in offices { office.runner.sync() }

        // The soak: one thread per office until the deadline.
        let deadline = Date().addingTimeInterval(seconds)
        let group = DispatchGroup()
        for (index, office) in offices.enumerated() {
            group.enter()
            let thread = Thread {
                var random = SystemRandomNumberGenerator()
                var version = 0
                while Date() < deadline {
                    let roll = Int.random(in: 0..<100, using: &random)
                    let kill = Int.random(in: 0..<100, using: &random) < 15 ? Int.random(in: 5...400, using: &random) : nil
                    if roll < 35 {
                        version += 1
                        let id = office.tips[Int.random(in: 0..<office.tips.count, using: &random)]
                        let title = "\(office.county) v\(version)"
                        let (status, _, stderr, killed) = Self.run(office.runner, ["edit", id, "title=\(title)"], killAfter: kill)
                        office.edits += 1
                        if killed { office.editsKilled += 1; office.allowedTitles[id, default: []].insert(title) }
                        else if status == 0 { office.allowedTitles[id] = [title] }
                        else { office.failureMessages.append("edit: \(status) \(stderr.prefix(200))") }
                    } else if roll < 55 {
                        version += 1
                        let event = shared[Int.random(in: 0..<shared.count, using: &random)]
                        let tag = "o\(index)t\(version)"
                        let (status, _, stderr, killed) = Self.run(office.runner, ["edit", event, "tags+=\(tag)"], killAfter: kill)
                        office.edits += 1
                        if killed { office.editsKilled += 1 }
                        else if status == 0 { office.ackedTags.append((event, tag)) }
                        else { office.failureMessages.append("tag: \(status) \(stderr.prefix(200))") }
                    } else {
                        let (status, stdout, stderr, killed) = Self.run(office.runner, ["sync", "--json"], killAfter: kill)
                        office.syncs += 1
                        if killed { office.syncsKilled += 1; continue }
                        if status == 0 {
                            let report = (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
                            office.pushRetries += report["push_retries"] as? Int ?? 0
                        } else {
                            // Allowed: the remote kept refusing after 6 attempts (heavy contention); nothing is lost.
                            office.syncFailures += 1
                            office.failureMessages.append("sync: \(status) \(stderr.prefix(200))")
                        }
                    }
                }
                group.leave()
            }
            thread.start()
        }
        group.wait()

        // Converge: sync every office until a whole round changes nothing and all HEADs agree.
        var rounds = 0
        var converged = false
        while rounds < 10 && !converged {
            rounds += 1
            for office in offices {
                let r = office.runner.run(["sync", "--json"])
                if r.status != 0 { office.failureMessages.append("final sync: \(r.status) \(r.stderr.prefix(200))") }
            }
            let remoteHead = FaultSupport.head(region.remote)
            converged = offices.allSatisfy { FaultSupport.head($0.runner.cwd + "/.kbm/repo.git") == remoteHead }
                && offices.allSatisfy { $0.runner.ok("status").stdout.contains("No local changes waiting") }
        }
        XCTAssertTrue(converged, "not converged after \(rounds) rounds")

        // Every office holds the same records.
        func snapshot(_ office: Office) -> [String: String] {
            var out: [String: String] = [:]
            for record in office.runner.listJSON() {
                guard let id = record["id"] as? String else { continue }
                let full = office.runner.json(id)
                out[id] = "\(full["title"] ?? "")|\((full["tags"] as? [String] ?? []).joined(separator: ","))"
            }
            return out
        }
        let reference = snapshot(offices[0])
        XCTAssertEqual(reference.count, 2 + 3 * Self.offices)
        for office in offices.dropFirst() { XCTAssertEqual(snapshot(office), reference, "\(office.county) differs") }

        // Every acknowledged change is there.
        var lost: [String] = []
        var acknowledged = 0
        for office in offices {
            for (id, allowed) in office.allowedTitles {
                acknowledged += 1
                let title = reference[id]?.split(separator: "|", maxSplits: 1).first.map(String.init) ?? "(missing)"
                if !allowed.contains(title) { lost.append("\(office.county) \(id): title \(title), allowed \(allowed.sorted())") }
            }
            for (event, tag) in office.ackedTags {
                acknowledged += 1
                let tags = reference[event]?.split(separator: "|", maxSplits: 1).dropFirst().first.map { $0.split(separator: ",").map(String.init) } ?? []
                if !tags.contains(tag) { lost.append("\(office.county): tag \(tag) on \(event)") }
            }
        }
        XCTAssertEqual(lost, [], "acknowledged changes lost")
        for office in offices {
            let doctor = office.runner.run(["doctor"])
            XCTAssertEqual(doctor.status, 0, "\(office.county): \(doctor.stdout)")
        }

        let syncs = offices.map(\.syncs).reduce(0, +), syncsKilled = offices.map(\.syncsKilled).reduce(0, +)
        let edits = offices.map(\.edits).reduce(0, +), editsKilled = offices.map(\.editsKilled).reduce(0, +)
        let retries = offices.map(\.pushRetries).reduce(0, +), failures = offices.map(\.syncFailures).reduce(0, +)
        let ackedTags = offices.map(\.ackedTags.count).reduce(0, +)
        let summary = "soak: \(Self.offices) offices, \(Int(seconds)) s: \(syncs) syncs (\(syncsKilled) killed, \(failures) gave up), \(edits) edits (\(editsKilled) killed, \(ackedTags) shared tags acknowledged), \(retries) push races retried, \(rounds) final rounds, \(lost.count) changes lost"
        print(summary)
        for message in offices.flatMap(\.failureMessages).prefix(10) { print("  \(message)") }
        if let path = ProcessInfo.processInfo.environment["KBM_SOAK_REPORT"] {
            let json: [String: Any] = ["offices": Self.offices, "seconds": seconds, "syncs": syncs, "syncs_killed": syncsKilled,
                                       "sync_failures": failures, "edits": edits, "edits_killed": editsKilled, "push_retries": retries,
                                       "final_rounds": rounds, "acknowledged_checked": acknowledged, "lost": lost.count]
            try? JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
        }
        XCTAssertGreaterThan(syncs - syncsKilled, Self.offices, "the soak did almost nothing")
    }
}

import Foundation
import KBMTestSupport
import XCTest

/// `kbm clone` and `kbm sync` against the hostile regions that scripts/hostile-repos.sh builds
/// (docs/fault-model.md): every case ends with a clear message, no crash, nothing written outside
/// the workspace, a bounded peak memory (measured with /usr/bin/time), and the valid records of
/// the same region imported and synced. QuarantineTests covers the single hostile entries pushed
/// on top of a live region in detail; this suite covers what it lacks (case clashes, 100 MB blobs,
/// 10,000-level YAML, billion laughs, duplicate ids, a rewritten history, a foreign repository).
final class HostileRepositoryTests: RegionTestCase {
    static let validStakeholder = "01JD3Q5V8X2M4N6P8R0T2W4Y6A"
    static let validEvent = "01JD3Q5V8X2M4N6P8R0T2W4Y6B"
    static let otherID = "01JD3Q5V8X2M4N6P8R0T2W4Y6C"
    /// Peak resident memory allowed to one kbm process, in KiB (the 100 MB blob must never be read whole).
    static let memoryLimitKiB = 300 * 1024

    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: String?

    /// The hostile repositories, built once per test run.
    static func repositories() -> String {
        lock.withLock {
            if let built { return built }
            let out = KBMRunner.makeTempDir("kbm-hostile")
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("scripts/hostile-repos.sh").path
            let r = KBMRunner.exec("/bin/bash", [script, out + "/remotes"], cwd: out)
            XCTAssertEqual(r.status, 0, "hostile-repos.sh failed: \(r.stderr)")
            built = out
            return out
        }
    }

    struct Measured {
        var result: KBMRunner.Result
        var peakKiB: Int
    }

    /// Runs kbm under /usr/bin/time and returns its peak RSS.
    func measured(_ args: [String], cwd: String) -> Measured {
        let rssFile = cwd + "/.rss-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: rssFile) }
        let r = KBMRunner.exec("/usr/bin/time", ["-f", "%M", "-o", rssFile, KBMRunner.binary] + args, cwd: cwd)
        let text = (try? String(contentsOfFile: rssFile, encoding: .utf8)) ?? ""
        let peak = text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last ?? -1
        return Measured(result: r, peakKiB: peak)
    }

    /// Every name under `dir`, for "nothing written outside the workspace".
    func listing(_ dir: String) -> Set<String> {
        Set(FileManager.default.subpaths(atPath: dir) ?? [])
    }

    func pwnedMarkers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("PWNED") }
    }

    /// A copy of the named hostile remote (tests push to it), in a fresh folder.
    func freshRemote(_ name: String) -> (root: String, remote: String) {
        let root = tempDir("kbm-hostile-case")
        KBMRunner.sh("cp -a '\(Self.repositories())/remotes/\(name).git' '\(root)/region.git'")
        return (root, root + "/region.git")
    }

    func assertNoCrash(_ r: KBMRunner.Result, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue([0, 1, 2, 3].contains(r.status), "\(label): kbm ended with status \(r.status) (a crash?): \(r.stderr)", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("Segmentation"), "\(label): \(r.stderr)", file: file, line: line)
    }

    /// Clones `name` as stadt-kempten, checks the common promises, then adds a record and syncs
    /// twice. Returns the workspace, the `sync --json` report and the clone's output.
    @discardableResult
    func cloneAndSync(_ name: String, quarantineHints: [String: String], file: StaticString = #filePath, line: UInt = #line)
        -> (KBMRunner, [String: Any], [String: String]) {
        let (root, remote) = freshRemote(name)
        let before = listing(root).filter { !$0.hasPrefix("region.git") }
        let markersBefore = pwnedMarkers()
        let ws = root + "/stadt-kempten"
        let clone = measured(["clone", remote, ws, "--county", "stadt-kempten", "--user", "B <b@kempten.de>"], cwd: root)
        assertNoCrash(clone.result, "\(name): clone", file: file, line: line)
        XCTAssertEqual(clone.result.status, 0, "\(name): clone failed: \(clone.result.stderr)", file: file, line: line)
        XCTAssertGreaterThan(clone.peakKiB, 0, "\(name): no memory figure from /usr/bin/time", file: file, line: line)
        XCTAssertLessThan(clone.peakKiB, Self.memoryLimitKiB, "\(name): clone peak RSS \(clone.peakKiB) KiB", file: file, line: line)
        let w = KBMRunner(cwd: ws)
        // The valid records arrived.
        XCTAssertEqual(w.json(Self.validStakeholder)["name"] as? String, "Gültige Person", "\(name)", file: file, line: line)
        XCTAssertEqual(w.json(Self.validEvent)["title"] as? String, "Gültiger Fachtag", "\(name)", file: file, line: line)
        // Local work syncs on top of the hostile tree.
        let tip = w.ok("add", "tip", "title=Trotz \(name)").lastLine
        let sync = measured(["sync", "--json"], cwd: ws)
        assertNoCrash(sync.result, "\(name): sync", file: file, line: line)
        XCTAssertEqual(sync.result.status, 0, "\(name): sync failed: \(sync.result.stderr)", file: file, line: line)
        XCTAssertLessThan(sync.peakKiB, Self.memoryLimitKiB, "\(name): sync peak RSS \(sync.peakKiB) KiB", file: file, line: line)
        let report = (try? JSONSerialization.jsonObject(with: Data(sync.result.stdout.utf8))) as? [String: Any] ?? [:]
        XCTAssertEqual(report["pushed"] as? Bool, true, "\(name): \(sync.result.stdout)", file: file, line: line)
        let remoteFiles = KBMRunner.sh("git --git-dir='\(remote)' ls-tree -r --name-only main").stdout
        XCTAssertTrue(remoteFiles.contains(tip), "\(name): the new record was not pushed", file: file, line: line)
        // Each hostile path is in quarantine with a reason saying why (path fragment → reason fragment).
        let quarantined = report["quarantined"] as? [[String: Any]] ?? []
        var reasons: [String: String] = [:]
        for (fragment, hint) in quarantineHints {
            let hit = quarantined.first { ($0["path"] as? String ?? "").contains(fragment) }
            XCTAssertNotNil(hit, "\(name): nothing quarantined at a path with \(fragment.debugDescription): \(quarantined)", file: file, line: line)
            let reason = hit?["reason"] as? String ?? ""
            XCTAssertTrue(reason.lowercased().contains(hint.lowercased()), "\(name): \(fragment): reason \(reason.debugDescription) lacks \(hint.debugDescription)", file: file, line: line)
            reasons[fragment] = reason
        }
        XCTAssertEqual(quarantined.count, quarantineHints.count, "\(name): \(quarantined.map { $0["path"] ?? "" })", file: file, line: line)
        // A second sync is quiet, and status names the files.
        let again = w.sync(file: file, line: line)
        XCTAssertEqual(again["committed"] as? Int, 0, "\(name)", file: file, line: line)
        XCTAssertEqual(w.ok("status").stdout.contains("No files in quarantine."), quarantineHints.isEmpty, "\(name)", file: file, line: line)
        XCTAssertEqual(w.run(["doctor"]).status, 0, "\(name): \(w.run(["doctor"]).stdout)", file: file, line: line)
        // Nothing written outside the workspace: only the workspace folder is new here, only .kbm in it.
        let after = listing(root).filter { !$0.hasPrefix("region.git") && !$0.hasPrefix("stadt-kempten/.kbm") }
        XCTAssertEqual(after.subtracting(before), ["stadt-kempten"], "\(name)", file: file, line: line)
        XCTAssertEqual(try? FileManager.default.contentsOfDirectory(atPath: ws), [".kbm"], "\(name)", file: file, line: line)
        print("hostile \(name): clone peak RSS \(clone.peakKiB / 1024) MiB, sync peak RSS \(sync.peakKiB / 1024) MiB, \(quarantined.count) quarantined")
        XCTAssertEqual(pwnedMarkers(), markersBefore, "\(name): something was written into /tmp", file: file, line: line)
        return (w, report, reasons)
    }

    // MARK: the cases

    func testPathTraversalSymlinksSubmodulesAndControlNames() {
        cloneAndSync("path-traversal", quarantineHints: ["PWNED-traversal": "'..'", "PWNED-up": "'..'"])
        cloneAndSync("symlinks", quarantineHints: ["stakeholder/c/": "symbolic link", "lk-dillingen": "symbolic link"])
        cloneAndSync("submodule", quarantineHints: ["evil": "submodule", ".gitmodules": "outside the record layout"])
        let (w, _, _) = cloneAndSync("control-names", quarantineHints: ["stakeholder/evil": "control characters", "docs/evil": "control characters", "evil-": "UTF-8"])
        XCTAssertFalse(w.ok("status").stdout.contains("\u{1B}"), "a raw ESC reached the terminal")
    }

    /// Folders and files whose names differ only by case never overwrite each other (kbm has no
    /// working tree) and never replace the valid record.
    func testCaseOnlyClashes() {
        let (w, _, _) = cloneAndSync("case-clash", quarantineHints: [
            "counties/LK-Augsburg/": "not a record path",
            "stakeholder/A/": "not a record path",
            "01jd3q5v8x2m4n6p8r0t2w4y6a.md": "not a record path",
            "readme.md": "outside the record layout",
        ])
        XCTAssertEqual(w.run(["show", Self.otherID]).status, 2)
        XCTAssertEqual(w.listJSON().filter { $0["kind"] as? String == "stakeholder" }.count, 1)
    }

    /// A 100 MiB blob at a record path: refused by its size (read from the object header), and
    /// the kbm process stays far below its size in memory.
    func testHundredMegabyteBlobIsRefusedWithoutReadingIt() {
        let (w, _, reasons) = cloneAndSync("big-blob", quarantineHints: ["stakeholder/c/": "larger than"])
        XCTAssertEqual(w.run(["show", Self.otherID]).status, 2)
        XCTAssertFalse(reasons.isEmpty)
    }

    func testInvalidUTF8DeepYAMLAndBillionLaughs() {
        cloneAndSync("invalid-utf8", quarantineHints: ["stakeholder/c/": "UTF-8"])
        cloneAndSync("deep-yaml", quarantineHints: ["event/d/": "nested too deeply", "event/e/": "nested too deeply", "event/f/": "nested too deeply"])
        cloneAndSync("billion-laughs", quarantineHints: ["tip/c/": "anchors"])
    }

    func testDuplicateIdsAndIdPathMismatch() {
        let (w, _, _) = cloneAndSync("duplicate-ids", quarantineHints: ["stadt-kempten/stakeholder": "already used"])
        XCTAssertEqual(w.json(Self.validStakeholder)["county"] as? String, "lk-augsburg")
        cloneAndSync("id-mismatch", quarantineHints: ["stakeholder/g/": "the path says"])
    }

    /// Some other project's repository: `kbm clone` refuses it with a clear message, leaves no
    /// workspace, and writes nothing into the foreign repository; `kbm remote` + `kbm sync` too.
    func testForeignRepositoryIsRefused() {
        let (root, remote) = freshRemote("not-kbm")
        let refsBefore = KBMRunner.sh("git --git-dir='\(remote)' show-ref").stdout
        let ws = root + "/stadt-kempten"
        let clone = measured(["clone", remote, ws, "--county", "stadt-kempten", "--user", "B <b@kempten.de>"], cwd: root)
        assertNoCrash(clone.result, "clone")
        XCTAssertEqual(clone.result.status, 1, clone.result.stderr)
        XCTAssertTrue(clone.result.stderr.contains("is not a kbm region"), clone.result.stderr)
        XCTAssertTrue(clone.result.stderr.contains("package.json") || clone.result.stderr.contains("Makefile"), clone.result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ws + "/.kbm"))
        // An existing workspace pointed at it: sync refuses too, keeps its records, pushes nothing.
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "tip", "title=Bleibt hier").lastLine
        a.sync()
        a.ok("remote", remote)
        let r = a.run(["sync"])
        assertNoCrash(r, "sync")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("is not a kbm region"), r.stderr)
        XCTAssertEqual(KBMRunner.sh("git --git-dir='\(remote)' show-ref").stdout, refsBefore, "kbm wrote into the foreign repository")
        XCTAssertEqual(a.json(id)["title"] as? String, "Bleibt hier")
        a.ok("remote", region.remote)
        a.sync()
    }

    /// The script's force-pushed region: the record that existed only in the dropped commit stays
    /// in the workspace, the rewrite is reported, and the record goes back to the region.
    func testRewrittenHistoryFromScript() {
        let (w, _, _) = cloneAndSync("force-push", quarantineHints: [:])
        XCTAssertEqual(w.json(Self.otherID)["title"] as? String, "Nur in der verworfenen Geschichte")
        let remote = (w.cwd as NSString).deletingLastPathComponent + "/region.git"
        // The host rewrites main to the script's other history (dropping our commits too).
        KBMRunner.sh("git --git-dir='\(remote)' update-ref refs/heads/main refs/rewritten")
        let report = w.sync()
        let rewrite = report["history_rewritten"] as? [String: Any]
        XCTAssertNotNil(rewrite, "\(report)")
        XCTAssertEqual(rewrite?["restored"] as? Bool, true)
        XCTAssertEqual(w.json(Self.otherID)["title"] as? String, "Nur in der verworfenen Geschichte")
        let files = KBMRunner.sh("git --git-dir='\(remote)' ls-tree -r --name-only main").stdout
        XCTAssertTrue(files.contains(Self.otherID), "the dropped record was not pushed back:\n\(files)")
        XCTAssertTrue(w.ok("status").stdout.contains("history was rewritten"), w.ok("status").stdout)
    }
}

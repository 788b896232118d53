import Foundation
import KBMTestSupport
import XCTest

/// Hand edits "on the git host" (the git CLI in a plain clone of the region) and hostile trees
/// built with git plumbing: valid edits are imported, everything else is quarantined, left
/// untouched in the repository, and never stops the valid records of the same push.
final class QuarantineTests: RegionTestCase {
    /// lk-augsburg shares an event and a stakeholder; stadt-kempten joins; a hand clone of the region.
    private struct Scene {
        let region: RegionFixture
        let a: KBMRunner
        let b: KBMRunner
        let hand: String
        let event: String
        let stakeholder: String
        var eventPath: String { RegionFixture.recordPath(county: "lk-augsburg", kind: "event", id: event) }
        var stakeholderPath: String { RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: stakeholder) }
    }

    private func makeScene() -> Scene {
        let region = region()
        let a = region.join("lk-augsburg")
        let event = a.ok("add", "event", "title=Fachtag Übergang", "start=2026-03-14", "co_owners=stadt-kempten", "participants=40").lastLine
        let stakeholder = a.ok("add", "stakeholder", "name=Maria Huber", "type=person").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        let hand = handClone(region)
        return Scene(region: region, a: a, b: b, hand: hand, event: event, stakeholder: stakeholder)
    }

    // MARK: helpers

    private func write(_ text: String, to path: String, in hand: String) throws {
        let full = hand + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    private func read(_ path: String, in hand: String) throws -> String {
        try String(contentsOfFile: hand + "/" + path, encoding: .utf8)
    }

    private func handPull(_ hand: String) {
        KBMRunner.sh("git fetch -q origin && git reset -q --hard origin/main", cwd: hand)
    }

    /// The blob id of `path` on the region's main.
    private func remoteBlob(_ region: RegionFixture, _ path: String) -> String {
        KBMRunner.sh("git --git-dir=\(region.remote) rev-parse main:\(path)").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func syncJSON(_ w: KBMRunner, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        w.sync(file: file, line: line)
    }

    private func quarantined(_ report: [String: Any]) -> [[String: Any]] {
        report["quarantined"] as? [[String: Any]] ?? []
    }

    private func entry(_ report: [String: Any], path: String) -> [String: Any]? {
        quarantined(report).first { $0["path"] as? String == path }
    }

    // MARK: valid hand edits

    func testValidHandEditsAreImported() throws {
        let s = makeScene()
        // A plain edit of one field.
        var text = try read(s.eventPath, in: s.hand)
        XCTAssertTrue(text.contains("title: Fachtag Übergang\n"), text)
        text = text.replacingOccurrences(of: "title: Fachtag Übergang\n", with: "title: Fachtag Übergang Schule–Beruf\n")
        try write(text, to: s.eventPath, in: s.hand)
        s.region.handPush(s.hand, "web edit")
        let r1 = syncJSON(s.b)
        XCTAssertEqual(r1["received"] as? Int, 1, "\(r1)")
        XCTAssertTrue(quarantined(r1).isEmpty, "\(r1)")
        XCTAssertEqual(s.b.json(s.event)["title"] as? String, "Fachtag Übergang Schule–Beruf")

        // Non-canonical but valid: other key order, single quotes, CRLF line ends.
        let crlf = ["---", "title: 'Fachtag ''Übergang'' neu'", "kind: event", "county: 'lk-augsburg'", "id: \(s.event)",
                    "updated: 2026-02-01T10:00:00Z", "format: 1", "participants: 95", "co_owners:", "  - 'stadt-kempten'",
                    "start: '2026-03-15'", "created: 2026-01-10T08:00:00Z", "---", ""].joined(separator: "\r\n")
        try write(crlf, to: s.eventPath, in: s.hand)
        s.region.handPush(s.hand, "web edit, other style")
        let blob = remoteBlob(s.region, s.eventPath)
        let r2 = syncJSON(s.b)
        XCTAssertTrue(quarantined(r2).isEmpty, "\(r2)")
        let json = s.b.json(s.event)
        XCTAssertEqual(json["title"] as? String, "Fachtag 'Übergang' neu")
        XCTAssertEqual(json["participants"] as? Int, 95)
        XCTAssertEqual(json["start"] as? String, "2026-03-15")
        // The owner imports it as well; nobody rewrites the hand-made file just by syncing.
        let r3 = syncJSON(s.a)
        XCTAssertTrue(quarantined(r3).isEmpty, "\(r3)")
        XCTAssertEqual(s.a.json(s.event)["participants"] as? Int, 95)
        XCTAssertEqual(remoteBlob(s.region, s.eventPath), blob)
    }

    // MARK: invalid hand edits

    func testInvalidHandEditsAreQuarantinedUntouchedAndReleasedWhenFixed() throws {
        let s = makeScene()
        // 1. A bad date in an existing event.
        var eventText = try read(s.eventPath, in: s.hand)
        eventText = eventText.replacingOccurrences(of: "start: \"2026-03-14\"", with: "start: 14.3.")
        XCTAssertTrue(eventText.contains("start: 14.3.\n"), eventText)
        let startLine = eventText.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("start:") }! + 1
        try write(eventText.replacingOccurrences(of: "title: Fachtag Übergang", with: "title: Nie importiert"), to: s.eventPath, in: s.hand)
        // 2. An unknown kind (both as a folder and inside a file at a valid path).
        let unknownFolderID = RegionFixture.newID()
        let unknownFolder = "counties/lk-augsburg/workshop/\(unknownFolderID.suffix(1).lowercased())/\(unknownFolderID).md"
        try write(RegionFixture.recordText(id: unknownFolderID, kind: "workshop", county: "lk-augsburg", ["title: X"]), to: unknownFolder, in: s.hand)
        let unknownKindID = RegionFixture.newID()
        let unknownKind = RegionFixture.recordPath(county: "lk-augsburg", kind: "tip", id: unknownKindID)
        try write(RegionFixture.recordText(id: unknownKindID, kind: "workshop", county: "lk-augsburg", ["title: X"]), to: unknownKind, in: s.hand)
        // 3. An id that disagrees with its path.
        let pathID = RegionFixture.newID(), fileID = RegionFixture.newID()
        let mismatch = RegionFixture.recordPath(county: "lk-augsburg", kind: "tip", id: pathID)
        try write(RegionFixture.recordText(id: fileID, kind: "tip", county: "lk-augsburg", ["title: Falsche ID"]), to: mismatch, in: s.hand)
        // 4. The wrong county folder.
        let wrongCountyID = RegionFixture.newID()
        let wrongCounty = RegionFixture.recordPath(county: "stadt-kempten", kind: "tip", id: wrongCountyID)
        try write(RegionFixture.recordText(id: wrongCountyID, kind: "tip", county: "lk-augsburg", ["title: Falscher Ordner"]), to: wrongCounty, in: s.hand)
        // 5. Another county's file reusing an existing id.
        let duplicate = RegionFixture.recordPath(county: "stadt-kempten", kind: "stakeholder", id: s.stakeholder)
        try write(RegionFixture.recordText(id: s.stakeholder, kind: "stakeholder", county: "stadt-kempten", ["name: Doppelgänger", "type: person"]), to: duplicate, in: s.hand)
        // Valid changes in the same push: a new record and an edit.
        let goodID = RegionFixture.newID()
        let good = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: goodID)
        try write(RegionFixture.recordText(id: goodID, kind: "stakeholder", county: "lk-augsburg", ["name: Josef Brandl", "type: person"]), to: good, in: s.hand)
        let stakeholderText = try read(s.stakeholderPath, in: s.hand)
        try write(stakeholderText.replacingOccurrences(of: "name: Maria Huber", with: "name: Maria Huber-Brandl"), to: s.stakeholderPath, in: s.hand)
        s.region.handPush(s.hand, "mixed hand edits")

        let bad = [s.eventPath, unknownFolder, unknownKind, mismatch, wrongCounty, duplicate]
        let blobs = Dictionary(uniqueKeysWithValues: bad.map { ($0, remoteBlob(s.region, $0)) })

        let report = syncJSON(s.b)
        XCTAssertEqual(Set(quarantined(report).compactMap { $0["path"] as? String }), Set(bad), "\(report)")
        let dateEntry = entry(report, path: s.eventPath)
        XCTAssertEqual(dateEntry?["line"] as? Int, startLine, "\(String(describing: dateEntry))")
        XCTAssertTrue((dateEntry?["reason"] as? String ?? "").contains("start"), "\(String(describing: dateEntry))")
        XCTAssertTrue((entry(report, path: unknownKind)?["reason"] as? String ?? "").contains("workshop"), "\(report)")
        XCTAssertTrue((entry(report, path: mismatch)?["reason"] as? String ?? "").contains(fileID), "\(report)")
        XCTAssertTrue((entry(report, path: wrongCounty)?["reason"] as? String ?? "").contains("lk-augsburg"), "\(report)")
        for q in quarantined(report) { XCTAssertFalse((q["reason"] as? String ?? "").isEmpty, "\(q)") }
        // The valid records of the same push arrived; the store keeps the last valid event.
        XCTAssertEqual(s.b.json(goodID)["name"] as? String, "Josef Brandl")
        XCTAssertEqual(s.b.json(s.stakeholder)["name"] as? String, "Maria Huber-Brandl")
        XCTAssertEqual(s.b.json(s.stakeholder)["county"] as? String, "lk-augsburg")
        XCTAssertEqual(s.b.json(s.event)["start"] as? String, "2026-03-14")
        XCTAssertEqual(s.b.json(s.event)["title"] as? String, "Fachtag Übergang")
        XCTAssertEqual(s.b.run(["show", fileID]).status, 2)
        XCTAssertEqual(s.b.run(["show", wrongCountyID]).status, 2)
        // `kbm status` names them, with the line of the parse error.
        let status = s.b.ok("status").stdout
        XCTAssertTrue(status.contains("6 files in quarantine"), status)
        XCTAssertTrue(status.contains("\(s.eventPath):\(startLine):"), status)
        for path in bad { XCTAssertTrue(status.contains(path), "\(path) missing in\n\(status)") }

        // Further syncs on both sides, with unrelated local changes, leave the files alone.
        s.a.ok("add", "tip", "title=Unabhängig")
        s.b.ok("add", "tip", "title=Auch unabhängig")
        for w in [s.a, s.b, s.a, s.b] {
            let r = syncJSON(w)
            XCTAssertEqual(Set(quarantined(r).compactMap { $0["path"] as? String }), Set(bad), "\(w.cwd): \(r)")
        }
        for path in bad { XCTAssertEqual(remoteBlob(s.region, path), blobs[path], path) }
        XCTAssertEqual(s.a.json(s.event)["start"] as? String, "2026-03-14")

        // Fixing the files releases them and imports them.
        handPull(s.hand)
        var fixed = try read(s.eventPath, in: s.hand).replacingOccurrences(of: "start: 14.3.", with: "start: 2026-04-01")
        fixed = fixed.replacingOccurrences(of: "title: Nie importiert", with: "title: Korrigiert")
        try write(fixed, to: s.eventPath, in: s.hand)
        try write(RegionFixture.recordText(id: pathID, kind: "tip", county: "lk-augsburg", ["title: Richtige ID"]), to: mismatch, in: s.hand)
        KBMRunner.sh("git rm -q \(unknownFolder) \(duplicate)", cwd: s.hand)
        s.region.handPush(s.hand, "fix hand edits")
        let after = syncJSON(s.b)
        XCTAssertEqual(Set(quarantined(after).compactMap { $0["path"] as? String }), Set([unknownKind, wrongCounty]), "\(after)")
        XCTAssertEqual(s.b.json(s.event)["start"] as? String, "2026-04-01")
        XCTAssertEqual(s.b.json(s.event)["title"] as? String, "Korrigiert")
        XCTAssertEqual(s.b.json(pathID)["title"] as? String, "Richtige ID")
        XCTAssertEqual(s.b.json(s.stakeholder)["name"] as? String, "Maria Huber-Brandl")
        let owner = syncJSON(s.a)
        XCTAssertEqual(Set(quarantined(owner).compactMap { $0["path"] as? String }), Set([unknownKind, wrongCounty]), "\(owner)")
        XCTAssertEqual(s.a.json(s.event)["start"] as? String, "2026-04-01")
        // Removing the quarantined duplicate must not delete the real record it collided with.
        XCTAssertEqual(s.a.json(s.stakeholder)["name"] as? String, "Maria Huber-Brandl")
        XCTAssertEqual(s.a.json(s.stakeholder)["county"] as? String, "lk-augsburg")
        XCTAssertTrue(s.b.ok("status").stdout.contains("2 files in quarantine"))
    }

    // MARK: hostile trees (git plumbing)

    private struct PlumbEntry {
        var mode: String
        var type: String
        var sha: String
        var path: [UInt8]
    }

    private func hashObject(_ data: Data, in hand: String) throws -> String {
        let file = (hand as NSString).deletingLastPathComponent + "/blob-\(UUID().uuidString)"
        try data.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return KBMRunner.sh("git hash-object -w '\(file)'", cwd: hand).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Builds nested trees with `git mktree -z` (which, unlike the index, accepts any name).
    private func mktree(_ entries: [PlumbEntry], in hand: String) throws -> String {
        var files: [PlumbEntry] = []
        var order: [[UInt8]] = []
        var folders: [[UInt8]: [PlumbEntry]] = [:]
        for e in entries {
            if let slash = e.path.firstIndex(of: UInt8(ascii: "/")) {
                let head = Array(e.path[..<slash])
                if folders[head] == nil { order.append(head) }
                folders[head, default: []].append(PlumbEntry(mode: e.mode, type: e.type, sha: e.sha, path: Array(e.path[(slash + 1)...])))
            } else {
                files.append(e)
            }
        }
        var input = Data()
        for f in files { input += Data("\(f.mode) \(f.type) \(f.sha)\t".utf8) + f.path + [0] }
        for name in order { input += Data("040000 tree \(try mktree(folders[name]!, in: hand))\t".utf8) + name + [0] }
        let file = (hand as NSString).deletingLastPathComponent + "/tree-\(UUID().uuidString)"
        try input.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return KBMRunner.sh("git mktree -z < '\(file)'", cwd: hand).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Pushes a commit holding the region's current files plus `extra` (without checking anything out).
    private func pushTree(adding extra: [PlumbEntry], in hand: String) throws -> String {
        KBMRunner.sh("git fetch -q origin", cwd: hand)
        let listing = KBMRunner.sh("git ls-tree -r -z --full-tree origin/main", cwd: hand).stdout
        var entries: [PlumbEntry] = []
        for item in listing.split(separator: "\0") {
            let parts = item.split(separator: "\t", maxSplits: 1)
            let head = parts[0].split(separator: " ")
            entries.append(PlumbEntry(mode: String(head[0]), type: String(head[1]), sha: String(head[2]), path: Array(parts[1].utf8)))
        }
        let replaced = Set(extra.map(\.path))
        let tree = try mktree(entries.filter { !replaced.contains($0.path) } + extra, in: hand)
        let commit = KBMRunner.sh("git commit-tree \(tree) -p origin/main -m 'hostile tree'", cwd: hand).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        KBMRunner.sh("git push -q origin \(commit):refs/heads/main", cwd: hand)
        return commit
    }

    /// Every file and folder name under `dir` (relative), following no symlinks.
    private func listing(_ dir: String) -> Set<String> {
        Set((FileManager.default.subpaths(atPath: dir) ?? []).filter { !$0.contains(".kbm/") && !$0.hasPrefix("region.git/") })
    }

    /// Pushes `hostile` (a path and a blob, or a gitlink) together with a valid new record, then
    /// checks that both workspaces sync without crashing, quarantine it with a reason naming
    /// `reasonHint`, import the valid record, and keep the entry untouched through later syncs.
    private func checkHostile(path: [UInt8], mode: String = "100644", content: Data? = nil, gitlink: String? = nil,
                              reasonHint: String, quarantinedPath: ((String) -> Bool)? = nil,
                              file: StaticString = #filePath, line: UInt = #line) throws -> Scene {
        let s = makeScene()
        let goodID = RegionFixture.newID()
        let good = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: goodID)
        let goodBlob = try hashObject(Data(RegionFixture.recordText(id: goodID, kind: "stakeholder", county: "lk-augsburg", ["name: Gültige Person", "type: person"]).utf8), in: s.hand)
        var hostile: PlumbEntry
        if let gitlink {
            hostile = PlumbEntry(mode: "160000", type: "commit", sha: gitlink, path: path)
        } else {
            hostile = PlumbEntry(mode: mode, type: "blob", sha: try hashObject(content ?? Data(), in: s.hand), path: path)
        }
        let commit = try pushTree(adding: [hostile, PlumbEntry(mode: "100644", type: "blob", sha: goodBlob, path: Array(good.utf8))], in: s.hand)
        let lsLine = "\(hostile.mode) \(hostile.type) \(hostile.sha)\t"
        XCTAssertTrue(KBMRunner.sh("git --git-dir=\(s.region.remote) ls-tree -r --full-tree \(commit)").stdout.contains(lsLine), "set-up failed", file: file, line: line)

        let tempBefore = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? [])
        let regionBefore = listing(s.region.root)
        let expectsPath = quarantinedPath ?? { $0 == String(decoding: path, as: UTF8.self) }

        for w in [s.b, s.a] {
            let r = w.run(["sync", "--json"])
            XCTAssertEqual(r.status, 0, "\(w.cwd): sync failed: \(r.stderr)", file: file, line: line)
            let report = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
            let hits = quarantined(report).filter { expectsPath($0["path"] as? String ?? "") }
            XCTAssertEqual(hits.count, 1, "\(w.cwd): \(r.stdout)", file: file, line: line)
            XCTAssertTrue((hits.first?["reason"] as? String ?? "").lowercased().contains(reasonHint.lowercased()), "\(hits)", file: file, line: line)
            XCTAssertEqual(w.json(goodID)["name"] as? String, "Gültige Person", "\(w.cwd): the valid record of the same push", file: file, line: line)
            XCTAssertEqual(w.json(s.stakeholder)["name"] as? String, "Maria Huber", file: file, line: line)
            XCTAssertTrue(w.ok("status").stdout.contains("1 file in quarantine"), w.ok("status").stdout, file: file, line: line)
        }
        // Later syncs with local changes on top of the hostile tree still work and keep the entry.
        s.b.ok("add", "tip", "title=Nach dem Angriff")
        XCTAssertEqual(s.b.run(["sync"]).status, 0, file: file, line: line)
        s.a.ok("add", "tip", "title=Auch danach")
        XCTAssertEqual(s.a.run(["sync"]).status, 0, file: file, line: line)
        XCTAssertEqual(s.b.run(["sync"]).status, 0, file: file, line: line)
        let remoteTree = KBMRunner.sh("git --git-dir=\(s.region.remote) ls-tree -r --full-tree main").stdout
        XCTAssertTrue(remoteTree.contains(lsLine), "the hostile entry was changed or dropped:\n\(remoteTree)", file: file, line: line)
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(s.region.remote) ls-tree -r --name-only main | grep -c '^counties/.*/tip/'").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "2", file: file, line: line)
        // Nothing written outside the workspaces.
        XCTAssertEqual(listing(s.region.root), regionBefore, file: file, line: line)
        for w in [s.a, s.b] {
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: w.cwd), [".kbm"], file: file, line: line)
        }
        let tempAfter = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? [])
        let newInTemp = tempAfter.subtracting(tempBefore).filter { $0.contains("PWNED") }
        XCTAssertTrue(newInTemp.isEmpty, "\(newInTemp)", file: file, line: line)
        return s
    }

    func testSymlinkInsideCountiesIsQuarantined() throws {
        let id = RegionFixture.newID()
        let marker = "PWNED-\(UUID().uuidString.prefix(8))"
        let target = NSTemporaryDirectory() + marker
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id)
        let s = try checkHostile(path: Array(path.utf8), mode: "120000", content: Data(target.utf8), reasonHint: "symbolic link")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        XCTAssertEqual(s.b.run(["show", id]).status, 2)
        // A symlink standing in for a folder, pointing outside.
        _ = try checkHostile(path: Array("counties/lk-dillingen".utf8), mode: "120000", content: Data("../../../../../../tmp/\(marker)-dir".utf8), reasonHint: "symbolic link")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/\(marker)-dir"))
    }

    /// An existing record's file turned into a symlink (a type change): quarantined, and the
    /// store keeps the last valid version instead of deleting the record.
    func testExistingRecordTurnedIntoSymlinkKeepsLastValidVersion() throws {
        let s = makeScene()
        let link = try hashObject(Data("/etc/passwd".utf8), in: s.hand)
        _ = try pushTree(adding: [PlumbEntry(mode: "120000", type: "blob", sha: link, path: Array(s.stakeholderPath.utf8))], in: s.hand)
        for w in [s.b, s.a] {
            let r = w.run(["sync", "--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let report = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
            XCTAssertTrue((entry(report, path: s.stakeholderPath)?["reason"] as? String ?? "").contains("symbolic link"), r.stdout)
            XCTAssertEqual(w.json(s.stakeholder)["name"] as? String, "Maria Huber", w.cwd)
        }
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(s.region.remote) ls-tree main \(s.stakeholderPath)").stdout.prefix(6), "120000")
    }

    func testSubmoduleEntryIsQuarantined() throws {
        _ = try checkHostile(path: Array("counties/lk-augsburg/stakeholder/vendor".utf8),
                             gitlink: "0123456789abcdef0123456789abcdef01234567", reasonHint: "submodule")
    }

    func testFileAtTheRootIsQuarantined() throws {
        _ = try checkHostile(path: Array("evil.md".utf8), content: Data("# evil\n".utf8), reasonHint: "outside the record layout")
    }

    func testDotDotPathIsQuarantined() throws {
        let id = RegionFixture.newID()
        let path = "counties/x/../lk-augsburg/stakeholder/\(id.suffix(1).lowercased())/\(id).md"
        _ = try checkHostile(path: Array(path.utf8),
                             content: Data(RegionFixture.recordText(id: id, kind: "stakeholder", county: "lk-augsburg", ["name: Über Umwege", "type: person"]).utf8),
                             reasonHint: "'..'")
    }

    func testDotGitFolderIsQuarantined() throws {
        _ = try checkHostile(path: Array("counties/lk-augsburg/.git/hooks/post-checkout".utf8), mode: "100755",
                             content: Data("#!/bin/sh\ntouch /tmp/PWNED-hook\n".utf8), reasonHint: ".git")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/PWNED-hook"))
    }

    func testBackslashInNameIsQuarantined() throws {
        let id = RegionFixture.newID()
        _ = try checkHostile(path: Array("counties/lk-augsburg/stakeholder\\..\\..\\\(id).md".utf8),
                             content: Data(RegionFixture.recordText(id: id, kind: "stakeholder", county: "lk-augsburg", ["name: Backslash", "type: person"]).utf8),
                             reasonHint: "backslash")
    }

    func testControlCharacterInNameIsQuarantined() throws {
        let s = try checkHostile(path: Array("counties/lk-augsburg/stakeholder/evil\u{1B}[2J\u{1}\n.md".utf8), content: Data("x\n".utf8),
                                 reasonHint: "control character", quarantinedPath: { $0.contains("evil") })
        // The name is shown escaped: an ESC sequence in a file name must not reach the user's terminal.
        for output in [s.b.ok("status").stdout, s.b.ok("sync").stdout, s.b.ok("status", "--json").stdout] {
            XCTAssertTrue(output.contains("evil"), output)
            XCTAssertFalse(output.contains("\u{1B}"), "raw ESC in output: \(output.debugDescription)")
        }
    }

    /// C1 controls (NEL) and bidi overrides are control characters too, even where kbm ignores files (docs/).
    func testUnicodeControlCharactersInNameAreQuarantined() throws {
        _ = try checkHostile(path: Array("docs/evil\u{85}\u{202E}dm.md".utf8), content: Data("x\n".utf8),
                             reasonHint: "control character", quarantinedPath: { $0.contains("evil") })
    }

    func testInvalidUTF8InNameIsQuarantined() throws {
        _ = try checkHostile(path: Array("counties/lk-augsburg/evil-".utf8) + [0xFF, 0xFE] + Array(".md".utf8), content: Data("x\n".utf8),
                             reasonHint: "UTF-8", quarantinedPath: { $0.contains("evil-") })
    }

    func testInvalidUTF8ContentIsQuarantinedWithLine() throws {
        let id = RegionFixture.newID()
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id)
        var data = Data(RegionFixture.recordText(id: id, kind: "stakeholder", county: "lk-augsburg", ["name: Kaputt", "type: person"]).utf8)
        data = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "name: Kaputt", with: "name: Kap@tt").utf8)
        let at = data.firstIndex(of: UInt8(ascii: "@"))!
        data[at] = 0xFF
        let s = try checkHostile(path: Array(path.utf8), content: data, reasonHint: "UTF-8")
        let report = s.b.sync()
        let hit = quarantined(report).first { $0["path"] as? String == path }
        XCTAssertEqual(hit?["line"] as? Int, 8, "\(String(describing: hit))")
        XCTAssertEqual(s.b.run(["show", id]).status, 2)
    }

    func testBlobOverOneMiBIsQuarantined() throws {
        let id = RegionFixture.newID()
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id)
        let big = RegionFixture.recordText(id: id, kind: "stakeholder", county: "lk-augsburg", ["name: Riesig", "type: person"])
            + String(repeating: "Lorem ipsum dolor sit amet. ", count: 40_000)
        XCTAssertGreaterThan(big.utf8.count, 1 << 20)
        let s = try checkHostile(path: Array(path.utf8), content: Data(big.utf8), reasonHint: "larger than")
        XCTAssertEqual(s.b.run(["show", id]).status, 2)
    }
}

import Foundation
import KBMTestSupport
import XCTest

/// A sync killed (SIGKILL) at each named step: the next sync converges, no local change is lost,
/// no change is committed twice, and the store and the repository agree.
final class CrashSafetyTests: XCTestCase {
    static let steps = ["commit-object", "commit-ref", "commit-store", "fetch", "merge-object", "merge-ref", "import", "push"]

    func testKillAtEveryStepConverges() throws {
        for step in Self.steps {
            try killAndRecover(at: step)
        }
    }

    func killAndRecover(at step: String) throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let shared = a.ok("add", "event", "title=Fachtag Übergang", "co_owners=stadt-kempten", "goals=Netzwerk stärken").lastLine
        a.sync()
        let b = region.join("stadt-kempten")
        b.ok("edit", shared, "participants=120")
        let theirs = b.ok("add", "stakeholder", "name=Kathrin Vogl", "organisation=Agentur für Arbeit Kempten-Memmingen").lastLine
        b.sync()

        // Augsburg works offline, then syncs and is killed at `step`.
        a.ok("edit", shared, "goals+=Betriebe gewinnen")
        let ours = a.ok("add", "stakeholder", "name=Jürgen Maier", "email=j.maier@example.org").lastLine
        let killed = KBMRunner(cwd: a.cwd, environment: ["KBM_FAULT": step]).run(["sync"])
        XCTAssertEqual(killed.status, 9, "step \(step): the fault hook should kill the process: \(killed.stderr)")

        // The next sync converges.
        let again = a.run(["sync", "--json"])
        XCTAssertEqual(again.status, 0, "step \(step): \(again.stderr)")
        b.sync()
        a.sync()

        for w in [a, b] {
            let event = w.json(shared)
            XCTAssertEqual(event["goals"] as? [String], ["Netzwerk stärken", "Betriebe gewinnen"], "step \(step)")
            XCTAssertEqual(event["participants"] as? Int, 120, "step \(step)")
            XCTAssertEqual(w.json(ours)["name"] as? String, "Jürgen Maier", "step \(step)")
            XCTAssertEqual(w.json(theirs)["name"] as? String, "Kathrin Vogl", "step \(step)")
            let status = w.ok("status").stdout
            XCTAssertTrue(status.contains("No local changes waiting"), "step \(step): \(status)")
            XCTAssertTrue(status.contains("Nothing waits to be pushed"), "step \(step): \(status)")
        }
        // Local fields never left the laptop, and survived.
        XCTAssertEqual(a.json(ours)["email"] as? String, "j.maier@example.org", "step \(step)")
        // No change committed twice: exactly one commit adds our new record.
        let adds = KBMRunner.sh("git --git-dir=\(region.remote) log --format=%B main | grep -c '\(ours)' || true").stdout
        XCTAssertEqual(adds.trimmingCharacters(in: .whitespacesAndNewlines), "1", "step \(step): one commit names our new record")
        // …and no commit repeats its parent's tree (an empty re-commit of changes already committed).
        let empty = KBMRunner.sh("""
            git --git-dir=\(region.remote) rev-list --no-merges main | while read c; do \
              p=$(git --git-dir=\(region.remote) rev-parse -q --verify "$c^" 2>/dev/null) || continue; \
              [ "$(git --git-dir=\(region.remote) rev-parse "$c^{tree}")" = "$(git --git-dir=\(region.remote) rev-parse "$p^{tree}")" ] && echo "$c"; \
            done; true
            """).stdout
        XCTAssertEqual(empty, "", "step \(step): commits that change nothing")
        // Every workspace has the remote's HEAD, and the store agrees with the repository.
        let head = KBMRunner.sh("git --git-dir=\(region.remote) rev-parse main").stdout
        for w in [a, b] {
            XCTAssertEqual(KBMRunner.sh("git --git-dir=\(w.cwd)/.kbm/repo.git rev-parse main").stdout, head, "step \(step)")
            try assertStoreMatchesRepository(w, step: step)
        }
    }

    /// Every record file at HEAD is what the store would write (shared fields), and vice versa.
    func assertStoreMatchesRepository(_ w: KBMRunner, step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let git = "git --git-dir=\(w.cwd)/.kbm/repo.git"
        let paths = KBMRunner.sh("\(git) ls-tree -r --name-only main").stdout.split(separator: "\n").filter { $0.hasPrefix("counties/") }
        let ids = w.listJSON().compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(paths.map { String($0.split(separator: "/").last?.dropLast(3) ?? "") }), Set(ids), "step \(step)", file: file, line: line)
        for path in paths {
            let id = String(path.split(separator: "/").last?.dropLast(3) ?? "")
            let inRepo = KBMRunner.sh("\(git) show main:\(path)").stdout
            var stored = w.ok("show", id, "--file").stdout
            // The store also holds local fields, which the repository never does.
            stored = stored.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("email: ") }.joined(separator: "\n")
            XCTAssertEqual(inRepo, stored, "step \(step): \(path)", file: file, line: line)
        }
    }
}

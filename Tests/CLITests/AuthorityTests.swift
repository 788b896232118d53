import Foundation
import KBMTestSupport
import XCTest

/// Signed commits and the office registry (issue 7), end to end through the built binary and a
/// real bare repository: three counties and the agency, hand commits made with the git CLI.
final class AuthorityTests: XCTestCase {
    typealias Region = SignedRegion

    /// The agency creates the registry with every coordinator's key; everyone syncs it.
    func makeRegion() -> Region { SignedRegion.make() }

    func rejectedCommits(_ report: [String: Any]) -> [String] {
        ((report["rejected"] as? [[String: Any]]) ?? []).compactMap { $0["commit"] as? String }
    }

    func testKbmCommitsVerifyWithGitAndSshKeygen() throws {
        let region = makeRegion()
        let joint = region.a.ok("add", "event", "title=Fachtag", "co_owners=stadt-kempten").lastLine
        region.a.sync()
        region.b.sync()
        // Concurrent edits make b's next sync a merge commit.
        region.a.ok("edit", joint, "participants=80")
        region.b.ok("edit", joint, "location=Kempten")
        region.a.sync()
        region.b.sync()
        let allowed = region.fixture.root + "/allowed_signers"
        let lines = region.keys.map { county, key in "\(county == "transferagentur" ? "tom@transferagentur.de" : "bildung@\(county).de") \(key)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: allowed, atomically: true, encoding: .utf8)
        let git = "git --git-dir=\(region.fixture.remote) -c gpg.format=ssh -c gpg.ssh.allowedSignersFile=\(allowed)"
        let commits = KBMRunner.sh("git --git-dir=\(region.fixture.remote) rev-list main").stdout.split(separator: "\n")
        let merges = KBMRunner.sh("git --git-dir=\(region.fixture.remote) rev-list --merges main").stdout.split(separator: "\n")
        XCTAssertFalse(merges.isEmpty, "expected a merge commit")
        // Every commit since the registry exists is signed and verifies; so does every merge.
        let first = KBMRunner.sh("git --git-dir=\(region.fixture.remote) rev-list --max-parents=0 main").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for commit in commits where commit != first {
            let r = KBMRunner.exec("/bin/bash", ["-c", "\(git) verify-commit \(commit)"], cwd: "/")
            XCTAssertEqual(r.status, 0, "git verify-commit \(commit): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("Good \"git\" signature"), r.stderr)
        }
        let log = KBMRunner.sh("\(git) log --show-signature -1 \(merges[0])").stdout
        XCTAssertTrue(log.contains("Good \"git\" signature for bildung@stadt-kempten.de"), log)
        XCTAssertEqual(region.agency.run(["verify"]).status, 0)
    }

    func testGitCliCommitSignedWithSshKeygenVerifiesInKbm() throws {
        let fixture = RegionFixture()
        let agency = fixture.join("transferagentur")
        let a = fixture.join("lk-augsburg")
        // Augsburg uses a key made by ssh-keygen, for kbm and for the git CLI alike.
        let keyFile = fixture.root + "/id_augsburg"
        KBMRunner.sh("ssh-keygen -q -t ed25519 -N '' -C augsburg -f \(keyFile)")
        a.ok("keygen", "--key", keyFile)
        agency.ok("keygen")
        agency.ok("registry", "add-office", "transferagentur", "--name", "Transferagentur")
        agency.ok("registry", "add-coordinator", "transferagentur", "Tom <tom@ta.de>", "--key", agency.ok("whoami").lastLine)
        agency.ok("registry", "add-office", "lk-augsburg", "--name", "Bildungsbüro Augsburg")
        agency.ok("registry", "add-coordinator", "lk-augsburg", "Anna <bildung@lk-augsburg.de>", "--key", a.ok("whoami").lastLine)
        agency.sync()
        let id = a.ok("add", "stakeholder", "name=Josef Brandl").lastLine
        a.sync()
        let hand = fixture.handClone()
        let path = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: id)
        KBMRunner.sh("cd \(hand) && sed -i 's/^name: .*/name: Josef Brandl-Huber/' \(path) && git add -A && git -c gpg.format=ssh -c user.signingkey=\(keyFile) commit -q -S -m 'lk-augsburg: hand edit' && git push -q origin HEAD:main")
        let report = agency.sync()
        XCTAssertEqual(rejectedCommits(report), [])
        XCTAssertEqual(agency.json(id)["name"] as? String, "Josef Brandl-Huber")
        let verify = agency.run(["verify", "--json"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("\"ok\" : true") || verify.stdout.contains("\"ok\": true"), verify.stdout)
    }

    func testChangesWithoutAuthorityAreQuarantinedEverywhereAndValidOnesArrive() throws {
        let region = makeRegion()
        let (a, b, c, agency) = (region.a, region.b, region.c, region.agency)
        let ownA = a.ok("add", "stakeholder", "name=Jürgen Maier").lastLine
        let joint = a.ok("add", "event", "title=Fachtag Übergang", "co_owners=stadt-kempten").lastLine
        a.sync()
        let ownB = b.ok("add", "stakeholder", "name=Kathrin Vogl").lastLine
        b.sync()
        a.sync(); c.sync(); agency.sync()

        // County A, with its own valid key, changes county B's record through the git CLI,
        // and in the same push makes a valid change of its own record.
        let hand = region.fixture.handClone()
        let aKey = a.cwd + "/.kbm/id_ed25519"
        let pathB = RegionFixture.recordPath(county: "stadt-kempten", kind: "stakeholder", id: ownB)
        let pathA = RegionFixture.recordPath(county: "lk-augsburg", kind: "stakeholder", id: ownA)
        let signed = "git -c gpg.format=ssh -c user.signingkey=\(aKey) commit -q -S"
        KBMRunner.sh("cd \(hand) && sed -i 's/^name: .*/name: Gefälscht/' \(pathB) && git add -A && \(signed) -m 'lk-augsburg: edit a record of stadt-kempten'")
        let crossCounty = KBMRunner.sh("cd \(hand) && git rev-parse HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        KBMRunner.sh("cd \(hand) && sed -i 's/^name: .*/name: Jürgen Maier-Wolf/' \(pathA) && git add -A && \(signed) -m 'lk-augsburg: own edit'")
        // An unsigned commit.
        KBMRunner.sh("cd \(hand) && sed -i 's/^name: .*/name: Unsigniert/' \(pathA) && git add -A && git commit -q -m 'lk-augsburg: unsigned'")
        let unsigned = KBMRunner.sh("cd \(hand) && git rev-parse HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // A commit signed by a key the registry does not list.
        let strangerKey = region.fixture.root + "/stranger"
        KBMRunner.sh("ssh-keygen -q -t ed25519 -N '' -f \(strangerKey)")
        KBMRunner.sh("cd \(hand) && sed -i 's/^name: .*/name: Fremdschluessel/' \(pathA) && git add -A && git -c gpg.format=ssh -c user.signingkey=\(strangerKey) commit -q -S -m 'lk-augsburg: stranger'")
        let stranger = KBMRunner.sh("cd \(hand) && git rev-parse HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // A registry change signed by a county, not the agency: A registers the stranger's key.
        let strangerLine = try String(contentsOfFile: strangerKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        KBMRunner.sh("cd \(hand) && sed -i \"s|^    key: .*|    key: \(strangerLine)|\" region/offices/lk-augsburg.md && git add -A && \(signed) -m 'lk-augsburg: my key'")
        let registryChange = KBMRunner.sh("cd \(hand) && git rev-parse HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        KBMRunner.sh("cd \(hand) && git push -q origin HEAD:main")
        // Meanwhile, the co-owner of the joint event edits it, and C makes a valid change.
        b.ok("edit", joint, "participants=120")
        let ownC = c.ok("add", "tip", "title=Netzwerk pflegen").lastLine
        c.sync()

        let bad = Set([crossCounty, unsigned, stranger, registryChange])
        for (name, w) in [("B", b), ("agency", agency), ("C", c), ("A", a)] {
            let report = w.sync()
            XCTAssertEqual(Set(rejectedCommits(report)), bad, "\(name): \(report)")
            // B's record keeps its last valid version; A's record the last valid change (signed by A).
            XCTAssertEqual(w.json(ownB)["name"] as? String, "Kathrin Vogl", name)
            XCTAssertEqual(w.json(ownA)["name"] as? String, "Jürgen Maier-Wolf", name)
            XCTAssertEqual(w.json(ownC)["title"] as? String, "Netzwerk pflegen", name)
            let status = w.ok("status").stdout
            XCTAssertTrue(status.contains("refused") && status.contains(String(crossCounty.prefix(10))), "\(name): \(status)")
        }
        let entry = (b.sync()["rejected"] as? [[String: Any]])?.first { $0["commit"] as? String == crossCounty }
        XCTAssertEqual(entry?["author"] as? String, "Web Editor <web@example.org>")
        XCTAssertEqual(entry?["county"] as? String, "stadt-kempten")
        XCTAssertEqual((entry?["files"] as? [[String: Any]])?.first?["path"] as? String, pathB)
        // The co-owner's edit arrived everywhere.
        for w in [a, b, c, agency] { w.sync() }
        for w in [a, c, agency] { XCTAssertEqual(w.json(joint)["participants"] as? Int, 120) }
        // The region healed: the remote's tree holds the valid versions, the refused commits stay in history.
        let remoteFile = KBMRunner.sh("git --git-dir=\(region.fixture.remote) show main:\(pathB)").stdout
        XCTAssertTrue(remoteFile.contains("name: Kathrin Vogl"), remoteFile)
        XCTAssertFalse(KBMRunner.sh("git --git-dir=\(region.fixture.remote) show main:region/offices/lk-augsburg.md").stdout.contains(strangerLine))
        XCTAssertEqual(KBMRunner.sh("git --git-dir=\(region.fixture.remote) merge-base --is-ancestor \(crossCounty) main; echo $?").stdout, "0\n")
        // `kbm verify` reports exactly the refused commits.
        let verify = b.run(["verify", "--json"])
        XCTAssertEqual(verify.status, 1)
        let json = (try? JSONSerialization.jsonObject(with: Data(verify.stdout.utf8))) as? [String: Any] ?? [:]
        XCTAssertEqual(Set(((json["failures"] as? [[String: Any]]) ?? []).compactMap { $0["commit"] as? String }), bad, verify.stdout)
    }

    func testRemovedCoordinatorsKeySignsNothingNew() throws {
        let region = makeRegion()
        let id = region.a.ok("add", "stakeholder", "name=Vorher").lastLine
        region.a.sync()
        region.agency.ok("registry", "remove-coordinator", "lk-augsburg", "bildung@lk-augsburg.de")
        region.agency.sync()
        // A receives the registry without its key, then commits on top of it: refused.
        region.a.sync()
        region.a.ok("edit", id, "name=Nachher")
        region.a.sync()
        let report = region.b.sync()
        XCTAssertEqual(rejectedCommits(report).count, 1, "\(report)")
        XCTAssertEqual(region.b.json(id)["name"] as? String, "Vorher")
        XCTAssertTrue(region.b.ok("status").stdout.contains("refused"))
    }

    func testOpenModeAndRegistryCommandsNeedTheAgency() throws {
        let fixture = RegionFixture()
        let a = fixture.join("lk-augsburg")
        XCTAssertTrue(a.ok("status").stdout.contains("Open mode"))
        a.ok("keygen")
        XCTAssertEqual(a.run(["registry", "add-office", "lk-augsburg", "--name", "X"]).status, 2)
        XCTAssertEqual(a.run(["keygen"]).status, 2)
        let mode = try FileManager.default.attributesOfItem(atPath: a.cwd + "/.kbm/id_ed25519")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertTrue(try String(contentsOfFile: a.cwd + "/.kbm/id_ed25519", encoding: .utf8).hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----"))
        // ssh-keygen reads kbm's key.
        let derived = KBMRunner.sh("ssh-keygen -y -f \(a.cwd)/.kbm/id_ed25519").stdout
        XCTAssertTrue(a.ok("whoami").stdout.hasPrefix(derived.split(separator: " ").prefix(2).joined(separator: " ")))
    }
}

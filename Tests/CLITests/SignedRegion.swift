import Foundation
import KBMTestSupport
import XCTest

/// A region with an office registry: the agency and three counties, each with a signing key,
/// every workspace synced once. Hand commits signed with a county's key use `signedCommit`.
struct SignedRegion {
    var fixture: RegionFixture
    var agency: KBMRunner
    var a: KBMRunner  // lk-augsburg
    var b: KBMRunner  // stadt-kempten
    var c: KBMRunner  // lk-ostallgaeu
    var keys: [String: String]  // county → public key line

    /// `before` runs after the workspaces exist and before the agency creates the registry (so
    /// the region's first commits are from open mode).
    static func make(before: ((KBMRunner, KBMRunner, KBMRunner) -> Void)? = nil) -> SignedRegion {
        let fixture = RegionFixture()
        let agency = fixture.join("transferagentur", user: "Tom Agentur <tom@transferagentur.de>")
        let a = fixture.join("lk-augsburg"), b = fixture.join("stadt-kempten"), c = fixture.join("lk-ostallgaeu")
        before?(a, b, c)
        var keys: [String: String] = [:]
        for (county, w) in [("transferagentur", agency), ("lk-augsburg", a), ("stadt-kempten", b), ("lk-ostallgaeu", c)] {
            w.ok("keygen")
            keys[county] = w.ok("whoami").lastLine
        }
        agency.ok("registry", "add-office", "transferagentur", "--name", "Transferagentur Bayern")
        agency.ok("registry", "add-coordinator", "transferagentur", "Tom Agentur <tom@transferagentur.de>", "--key", keys["transferagentur"] ?? "")
        for county in ["lk-augsburg", "stadt-kempten", "lk-ostallgaeu"] {
            agency.ok("registry", "add-office", county, "--name", "Bildungsbüro \(county)")
            agency.ok("registry", "add-coordinator", county, "Koordination \(county) <bildung@\(county).de>", "--key", keys[county] ?? "")
        }
        agency.sync()
        for w in [a, b, c] {
            let report = w.sync()
            XCTAssertEqual((report["rejected"] as? [Any])?.count, 0, "\(report)")
        }
        return SignedRegion(fixture: fixture, agency: agency, a: a, b: b, c: c, keys: keys)
    }

    var offices: [(name: String, runner: KBMRunner)] { [("agency", agency), ("A", a), ("B", b), ("C", c)] }

    /// The private key file of a county's workspace (for signing hand commits with the git CLI).
    func keyFile(_ w: KBMRunner) -> String { w.cwd + "/.kbm/id_ed25519" }

    /// `git … commit -S` with the key of `w`'s workspace.
    func signed(_ w: KBMRunner) -> String { "git -c gpg.format=ssh -c user.signingkey=\(keyFile(w))" }

    /// The ids of the commits a sync report lists as refused.
    static func rejectedCommits(_ report: [String: Any]) -> [String] {
        ((report["rejected"] as? [[String: Any]]) ?? []).compactMap { $0["commit"] as? String }
    }

    /// The content of `path` at the tip of the bare repository ("" if absent), read with the git CLI.
    func remoteFile(_ path: String) -> String {
        KBMRunner.exec("/bin/bash", ["-c", "git --git-dir=\(fixture.remote) show main:\(path) 2>/dev/null"], cwd: "/").stdout
    }

    /// The git CLI's output of a command run in a hand clone, trimmed.
    @discardableResult
    static func git(_ dir: String, _ command: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        KBMRunner.sh("cd \(dir) && \(command)", file: file, line: line).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

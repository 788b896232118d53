import Foundation
import KBMTestSupport
import XCTest

/// Random histories against the authority invariants (docs/authority.md): three counties and the
/// agency edit their own records through kbm and sync at random moments, while an attacker with
/// push access (and, at times, a county's valid key) pushes unsigned and wrongly signed edits,
/// merges that revert to old ancestors or drop the registry, side commits on the first commit,
/// orphan and rewriting force-pushes, and registry changes. After every sync the office shows no
/// attacker content; at the end every office shows each record at its owner's last edit, the
/// registry is intact, and all offices agree.
///
/// CI: two seeds × 12 steps. `KBM_AUTH_SEED=<n>` (with `KBM_AUTH_STEPS=<k>`) replays one seed;
/// `KBM_AUTH_LONG=1` runs eight seeds × 40 steps.
final class AuthorityHistoryPropertyTests: XCTestCase {
    func testRandomHistoriesKeepTheAuthorityInvariants() throws {
        let env = ProcessInfo.processInfo.environment
        var seeds: [UInt64] = [11, 29]
        var steps = 12
        if env["KBM_AUTH_LONG"] == "1" { seeds = Array(1...8); steps = 40 }
        if let text = env["KBM_AUTH_SEED"], let seed = UInt64(text) { seeds = [seed] }
        if let text = env["KBM_AUTH_STEPS"], let n = Int(text) { steps = n }
        for seed in seeds {
            var history = AttackHistory(seed: seed)
            history.run(steps: steps)
            for failure in history.failures {
                XCTFail("[seed \(seed); replay with KBM_AUTH_SEED=\(seed) KBM_AUTH_STEPS=\(steps)] \(failure)")
            }
        }
    }
}

/// One random history: the model of what each owner last wrote, and the attacks made.
struct AttackHistory {
    struct Owned {
        var id: String
        var county: String
        var path: String
        /// The owner's last edit (every office must end up showing it).
        var latest: String
    }

    static let evilMarker = "BÖSE"
    var rng: SplitMix64
    let region: SignedRegion
    let hand: String
    var records: [Owned] = []
    /// Each record's file as first synced, to plant copies.
    var templates: [String: String] = [:]
    var planted: [String] = []
    var counter = 0
    var failures: [String] = []
    var log: [String] = []
    let strangerKey: String
    /// The key of lk-donau-ries, a county in the registry that owns no record of the model.
    let memberKey: String

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
        region = SignedRegion.make()
        strangerKey = region.fixture.root + "/stranger"
        KBMRunner.sh("ssh-keygen -q -t ed25519 -N '' -f \(strangerKey)")
        // A member of the region with a valid key whose county owns no record here: what it
        // signs is never its own to change (a key of an owning county could legitimately adopt
        // content it signs, which is no attack).
        memberKey = region.fixture.root + "/member"
        KBMRunner.sh("ssh-keygen -q -t ed25519 -N '' -C member -f \(memberKey)")
        let memberLine = ((try? String(contentsOfFile: memberKey + ".pub", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        region.agency.ok("registry", "add-office", "lk-donau-ries", "--name", "Bildungsbüro Donau-Ries")
        region.agency.ok("registry", "add-coordinator", "lk-donau-ries", "Koordination Donau-Ries <bildung@lk-donau-ries.de>", "--key", memberLine)
        region.agency.sync()
        hand = region.fixture.handClone()
        for (county, w) in counties {
            for n in 0..<2 {
                let name = "\(county) gültig \(n)"
                let id = w.ok("add", "stakeholder", "name=\(name)").lastLine
                records.append(Owned(id: id, county: county, path: RegionFixture.recordPath(county: county, kind: "stakeholder", id: id), latest: name))
            }
            w.sync()
        }
        for (_, w) in region.offices { w.sync() }
        resetHand()
        for record in records {
            templates[record.id] = (try? String(contentsOfFile: hand + "/" + record.path, encoding: .utf8)) ?? ""
        }
    }

    var counties: [(String, KBMRunner)] { [("lk-augsburg", region.a), ("stadt-kempten", region.b), ("lk-ostallgaeu", region.c)] }

    mutating func fail(_ message: String) {
        if failures.isEmpty { failures.append("history so far: " + log.joined(separator: " | ")) }
        failures.append(message)
    }

    mutating func unique() -> Int { counter += 1; return counter }

    // MARK: the run

    mutating func run(steps: Int) {
        for _ in 0..<steps {
            switch rng.below(10) {
            case 0, 1: legitEdit()
            case 2, 3: syncOne()
            default: attack()
            }
            if failures.count > 5 { return }
        }
        // Everyone settles; then every office shows each record at its owner's last edit.
        settle()
        checkFinal(stage: "after the attacks")
        // The owners edit once more; nothing held, reverted or lost stands in the way.
        for index in records.indices {
            let name = "\(records[index].county) endgültig \(unique())"
            owner(records[index]).ok("edit", records[index].id, "name=\(name)")
            records[index].latest = name
        }
        settle()
        checkFinal(stage: "after the final edits")
    }

    func owner(_ record: Owned) -> KBMRunner {
        counties.first { $0.0 == record.county }?.1 ?? region.agency
    }

    mutating func legitEdit() {
        let index = rng.below(records.count)
        let name = "\(records[index].county) gültig \(unique())"
        owner(records[index]).ok("edit", records[index].id, "name=\(name)")
        records[index].latest = name
        log.append("edit \(records[index].id.suffix(4)) by owner")
        if rng.percent(60) { sync(owner(records[index]), "owner after edit") }
    }

    mutating func syncOne() {
        let (name, w) = region.offices[rng.below(region.offices.count)]
        sync(w, name)
    }

    /// Syncs `w` and checks that it shows no attacker content and no planted record.
    mutating func sync(_ w: KBMRunner, _ name: String) {
        log.append("sync \(name)")
        let r = w.run(["sync", "--json"])
        if r.status != 0 { fail("\(name): sync failed: \(r.stderr)"); return }
        let list = (try? JSONSerialization.jsonObject(with: Data(w.ok("list", "--json").stdout.utf8))) as? [[String: Any]] ?? []
        for record in list {
            let text = "\(record)"
            if text.contains(Self.evilMarker) { fail("\(name) shows attacker content: \(text)") }
            if let id = record["id"] as? String, planted.contains(id) { fail("\(name) imported the planted record \(id)") }
        }
        if w.ok("status").stdout.contains("Open mode") { fail("\(name) fell back to open mode") }
    }

    mutating func settle() {
        for _ in 0..<3 { for (name, w) in region.offices { sync(w, name) } }
    }

    mutating func checkFinal(stage: String) {
        var views: [String: [String: String]] = [:]
        for (name, w) in region.offices {
            var view: [String: String] = [:]
            for record in records {
                let r = w.run(["show", record.id, "--json"])
                let json = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
                let shown = json?["name"] as? String ?? "(missing: \(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))"
                view[record.id] = shown
                if shown != record.latest {
                    fail("\(stage): \(name) shows \(record.id) as \"\(shown)\", its owner last wrote \"\(record.latest)\"")
                    if ProcessInfo.processInfo.environment["KBM_AUTH_DEBUG"] != nil {
                        let graph = KBMRunner.exec("/bin/bash", ["-c", "cd \(w.cwd)/.kbm/repo.git && for c in $(git rev-list --topo-order --all); do echo \"$(git log -1 --format='%h p=%p %G? %s' $c) :: $(git show $c:\(record.path) 2>/dev/null | grep '^name:')\"; done"], cwd: "/").stdout
                        let holds = KBMRunner.exec("/bin/bash", ["-c", "sqlite3 \(w.cwd)/.kbm/store.sqlite \"SELECT substr(commit_id,1,7), valid_blob FROM held_files WHERE path = '\(record.path)'\" | while IFS='|' read c b; do echo \"$c held at $(git --git-dir=\(w.cwd)/.kbm/repo.git cat-file -p $b 2>/dev/null | grep '^name:')\"; done"], cwd: "/").stdout
                        fail("\(name)'s history of \(record.path):\n\(graph)\nheld here:\n\(holds)\nstatus:\n\(w.ok("status").stdout)")
                    }
                }
            }
            views[name] = view
        }
        if Set(views.values.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";") }).count != 1 {
            fail("\(stage): the offices disagree: \(views)")
        }
        for record in records {
            let file = region.remoteFile(record.path)
            if !file.contains("name: \(record.latest)") { fail("\(stage): the region's tip holds \(record.path) as \(file.isEmpty ? "absent" : file)") }
        }
        for id in planted {
            if KBMRunner.exec("/bin/bash", ["-c", "git --git-dir=\(region.fixture.remote) ls-tree -r --name-only main | grep -q \(id)"], cwd: "/").status == 0 {
                fail("\(stage): the region's tip holds the planted record \(id)")
            }
        }
        for (county, key) in region.keys {
            let office = region.remoteFile("region/offices/\(county).md")
            if !office.contains(key.split(separator: " ").prefix(2).joined(separator: " ")) { fail("\(stage): the registry lost the key of \(county): \(office)") }
        }
    }

    // MARK: the attacks

    /// A fresh work tree at the region's tip.
    func git(_ command: String) -> KBMRunner.Result {
        KBMRunner.exec("/bin/bash", ["-c", "cd \(hand) && \(command)"], cwd: "/")
    }

    func out(_ command: String) -> String { git(command).stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    func resetHand() {
        _ = git("git fetch -q -f origin main:refs/remotes/origin/main && git checkout -q -f -B work origin/main && git clean -qfdx")
    }

    /// Writes attacker content into `record`'s file (planting it if the tip lacks it).
    mutating func writeEvil(_ record: Owned) {
        let evil = "\(Self.evilMarker) \(unique())"
        let path = hand + "/" + record.path
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? templates[record.id] ?? ""
        let changed = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("name: ") ? "name: \(evil)" : String($0) }.joined(separator: "\n")
        try? changed.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Plants a new record in `county`'s folder, copied from a template with a new id.
    mutating func plant(in county: String) {
        guard let template = records.first(where: { $0.county == county }) else { return }
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let id = String(template.id.prefix(20)) + String((0..<6).map { _ in alphabet[rng.below(alphabet.count)] })
        planted.append(id)
        let path = hand + "/" + RegionFixture.recordPath(county: county, kind: "stakeholder", id: id)
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = (templates[template.id] ?? "").replacingOccurrences(of: template.id, with: id)
            .replacingOccurrences(of: template.latest, with: "\(Self.evilMarker) gepflanzt")
        try? text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("name: ") ? "name: \(Self.evilMarker) gepflanzt" : String($0) }.joined(separator: "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `git commit` unsigned, or signed by the key of a county that does not own `county`'s
    /// records (a county key only for commits that change one file of another county; the member
    /// key that owns nothing for whole trees).
    mutating func commitCommand(notBy county: String?, wholeTree: Bool = false) -> String {
        if rng.percent(40) { return "git commit -q" }
        if wholeTree || rng.percent(50) { return "\(memberSigned) commit -q -S" }
        let (_, w) = rng.pick(counties.filter { $0.0 != county })
        return "\(region.signed(w)) commit -q -S"
    }

    var memberSigned: String { "git -c gpg.format=ssh -c user.signingkey=\(memberKey)" }

    mutating func attack() {
        resetHand()
        let tip = out("git rev-parse HEAD")
        let root = out("git rev-list --max-parents=0 HEAD | tail -1")
        let ancestors = out("git rev-list HEAD").split(separator: "\n").map(String.init).filter { $0 != tip }
        let record = rng.pick(records)
        switch rng.below(9) {
        case 0:
            log.append("unsigned edit of \(record.id.suffix(4))")
            writeEvil(record)
            _ = git("git add -A && git commit -q -m '\(record.county): edit' && git push -q origin HEAD:main")
        case 1:
            let command = commitCommand(notBy: record.county)
            log.append("foreign edit of \(record.id.suffix(4)) (\(command.contains("-S") ? "signed by another county" : "unsigned"))")
            writeEvil(record)
            _ = git("git add -A && \(command) -m '\(record.county): edit' && git push -q origin HEAD:main")
        case 2:
            guard let ancestor = ancestors.isEmpty ? nil : rng.pick(ancestors) else { return }
            log.append("unsigned merge reverting to \(ancestor.prefix(7))")
            let tree = out("git rev-parse \(ancestor)^{tree}")
            _ = git("git push -q origin $(git commit-tree \(tree) -p \(tip) -p \(ancestor) -m merge):main")
        case 3:
            log.append("unsigned merge with the root dropping region/")
            _ = git("git rm -r -q region")
            let tree = out("git write-tree")
            _ = git("git push -q origin $(git commit-tree \(tree) -p \(tip) -p \(root) -m merge):main")
        case 4:
            let command = commitCommand(notBy: record.county, wholeTree: true)
            log.append("orphan force-push editing \(record.id.suffix(4)) and planting (\(command.contains("-S") ? "signed" : "unsigned"))")
            _ = git("git checkout -q --orphan orphan-\(unique())")
            writeEvil(record)
            plant(in: record.county)
            _ = git("git add -A && \(command) -m 'new start' && git push -q -f origin HEAD:main")
        case 5:
            let (county, w) = rng.pick(counties)
            guard FileManager.default.fileExists(atPath: hand + "/region/offices/\(county).md") else { return }
            log.append("\(county) registers a stranger's key, which then edits \(record.id.suffix(4))")
            let line = ((try? String(contentsOfFile: strangerKey + ".pub", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            _ = git("sed -i \"s|^    key: .*|    key: \(line)|\" region/offices/\(county).md && git add -A && \(region.signed(w)) commit -q -S -m '\(county): my key'")
            writeEvil(record)
            _ = git("git add -A && git -c gpg.format=ssh -c user.signingkey=\(strangerKey) commit -q -S -m 'stranger' && git push -q origin HEAD:main")
        case 6:
            guard let ancestor = ancestors.isEmpty ? nil : rng.pick(ancestors) else { return }
            log.append("force-push rewriting history from \(ancestor.prefix(7)) with an edit of \(record.id.suffix(4))")
            _ = git("git checkout -q -f -B rewrite \(ancestor)")
            writeEvil(record)
            _ = git("git add -A && git commit -q -m 'rewrite' && git push -q -f origin HEAD:main")
        case 7:
            log.append("side commit on the root with \(record.id.suffix(4)), taken over by an unsigned merge")
            _ = git("git checkout -q -f \(root)")
            writeEvil(record)
            _ = git("git add -A && git commit -q -m side")
            let side = out("git rev-parse HEAD")
            _ = git("git checkout -q -f \(tip) && git checkout -q \(side) -- \(record.path)")
            let tree = out("git write-tree")
            _ = git("git push -q origin $(git commit-tree \(tree) -p \(tip) -p \(side) -m merge):main")
        default:
            guard let ancestor = ancestors.isEmpty ? nil : rng.pick(ancestors) else { return }
            log.append("lk-donau-ries signs a merge taking \(record.id.suffix(4)) back to \(ancestor.prefix(7))")
            let restore = out("git cat-file -e \(ancestor):\(record.path) 2>/dev/null && echo yes") == "yes"
                ? "git checkout -q \(ancestor) -- \(record.path)" : "git rm -q \(record.path)"
            _ = git(restore)
            let tree = out("git write-tree")
            _ = git("git push -q origin $(\(memberSigned) commit-tree -S \(tree) -p \(tip) -p \(ancestor) -m 'lk-donau-ries: merge'):main")
        }
    }
}

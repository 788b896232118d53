// kbm-bench: runs the release `kbm` binary as whole processes against the git CLI on the same
// synthetic region, in the same run. See docs/performance.md.
//
//   kbm-bench [--quick] [--records N] [--sizes 10000,30000,100000] [--runs 5] [--warmup 1]
//             [--out bench-out] [--work DIR] [--kbm PATH] [--keep] [--verbose]
//             [--only publish,join,incremental,merge,local,spreadsheet] [--sheet-rows 10000]
//
// Exit code 0: every scenario worked functionally (pushed, records present, trees equal).
// Exit code 1: a scenario failed functionally (the message says which). Times are never asserted.
import Foundation
import KBMRecords
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var quick = false
    var records = 100_000
    var sizes: [Int] = []
    var runs = 5
    var warmup = 1
    var out = "bench-out"
    var work: String?
    var kbm: String?
    var keep = false
    var only: Set<String> = ["publish", "join", "incremental", "merge", "local", "spreadsheet"]
    /// Rows of the stakeholder spreadsheet scenario (7).
    var sheetRows = 10_000
    var mergeRecords = 1000
    var slowRuns: Int?

    init(_ args: [String]) throws {
        var it = args.makeIterator()
        var explicitSizes = false, explicitRecords = false, explicitRuns = false, explicitWarmup = false, explicitSheetRows = false
        func value(_ name: String) throws -> String {
            guard let v = it.next() else { throw BenchError("\(name) needs a value") }
            return v
        }
        while let arg = it.next() {
            switch arg {
            case "--quick": quick = true
            case "--records": records = Int(try value(arg)) ?? records; explicitRecords = true
            case "--sizes": sizes = try value(arg).split(separator: ",").compactMap { Int($0) }; explicitSizes = true
            case "--runs": runs = Int(try value(arg)) ?? runs; explicitRuns = true
            case "--slow-runs": slowRuns = Int(try value(arg))
            case "--warmup": warmup = Int(try value(arg)) ?? warmup; explicitWarmup = true
            case "--out": out = try value(arg)
            case "--work": work = try value(arg)
            case "--kbm": kbm = try value(arg)
            case "--keep": keep = true
            case "--verbose": Runner.verbose = true
            case "--only": only = Set(try value(arg).split(separator: ",").map(String.init))
            case "--merge-records": mergeRecords = Int(try value(arg)) ?? mergeRecords
            case "--sheet-rows": sheetRows = Int(try value(arg)) ?? sheetRows; explicitSheetRows = true
            case "-h", "--help":
                print("usage: kbm-bench [--quick] [--records N] [--sizes a,b,c] [--runs 5] [--slow-runs R] [--warmup 1] [--out bench-out] [--work DIR] [--kbm PATH] [--keep] [--verbose] [--only publish,join,incremental,merge,local,spreadsheet] [--merge-records 1000] [--sheet-rows 10000]")
                exit(0)
            default: throw BenchError("unknown argument \(arg) (see --help)")
            }
        }
        if quick {
            if !explicitRecords { records = 3000 }
            if !explicitRuns { runs = 1 }
            if !explicitWarmup { warmup = 0 }
            if !explicitSizes { sizes = [1000, records] }
            if !explicitSheetRows { sheetRows = 1000 }
        }
        if !explicitSizes && !quick { sizes = [10_000, 30_000, records] }
        sizes = Array(Set(sizes + [records])).sorted()
        records = sizes.max() ?? records
    }
}

/// Everything the benchmark found; failures are functional (a wrong result), never a slow time.
final class Bench {
    let options: Options
    let kbm: String
    let work: String
    var rows: [ResultRow] = []
    var failures: [String] = []
    var notes: [String] = []
    var setupTimes: [String: Double] = [:]
    let user = "Bench Kördinatorin <bench@bildungsregion.example>"

    init(options: Options) throws {
        self.options = options
        if let path = options.kbm {
            kbm = path
        } else {
            let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            kbm = me.deletingLastPathComponent().appendingPathComponent("kbm").path
        }
        guard FileManager.default.isExecutableFile(atPath: kbm) else { throw BenchError("no kbm binary at \(kbm); build it (swift build -c release) or pass --kbm") }
        if let w = options.work {
            work = w
        } else if FileManager.default.fileExists(atPath: "/dev/shm") {
            work = "/dev/shm/kbm-bench-\(getpid())"
        } else {
            work = NSTemporaryDirectory() + "kbm-bench-\(getpid())"
        }
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    func log(_ text: String) { FileHandle.standardError.write(Data("[kbm-bench] \(text)\n".utf8)) }

    func fail(_ text: String) {
        failures.append(text)
        log("FAILED: \(text)")
    }

    func check(_ condition: Bool, _ text: @autoclosure () -> String) {
        if !condition { fail(text()) }
    }

    func git(_ args: [String]) throws -> ProcessResult {
        try Runner.run(["git", "-c", "gc.auto=0", "-c", "core.hooksPath=/dev/null", "-c", "init.defaultBranch=main"] + args)
    }

    func kbmRun(_ args: [String], stdoutPath: String? = nil) throws -> ProcessResult {
        try Runner.run([kbm] + args, stdoutPath: stdoutPath)
    }

    func rm(_ paths: String...) { for p in paths { try? FileManager.default.removeItem(atPath: p) } }

    func copy(_ from: String, _ to: String) throws { try Runner.run(["cp", "-a", from, to]) }

    func treeOf(gitDir: String, rev: String = "refs/heads/main") throws -> String {
        try git(["--git-dir=\(gitDir)", "rev-parse", "\(rev)^{tree}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    func recordCount(_ workspace: String) throws -> Int {
        let counts = json(try kbmRun(["-C", workspace, "count", "--json"]).stdout)
        return counts.values.reduce(0) { $0 + ((($1 as? [String: Any])?["records"] as? Int) ?? 0) }
    }

    /// Warm-up runs (not counted), then `runs` measured ones.
    func repeatRuns(_ runs: Int, warmup: Int, _ body: (_ measured: Bool) throws -> Void) rethrows {
        for _ in 0..<warmup { try body(false) }
        for _ in 0..<runs { try body(true) }
    }

    // MARK: the region

    struct Region {
        var size: Int
        var dir: String
        var files: String
        var records: [Record]
        var bytes: Int
        var publishedBare: String
        var publishedWorkspace: String
        var cloneA: String { "\(dir)/wsA-base" }
    }

    func makeRegion(size: Int) throws -> Region {
        let dir = "\(work)/n\(size)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var generator = RegionGenerator(count: size)
        let start = Runner.now()
        let records = generator.generate()
        let bytes = try RegionGenerator.write(records, to: "\(dir)/region")
        setupTimes["generate_\(size)"] = round6(Runner.now() - start)
        log("generated \(size) records (\(bytes / 1024) KiB) in \(Format.seconds(Runner.now() - start))")
        return Region(size: size, dir: dir, files: "\(dir)/region", records: records, bytes: bytes,
                      publishedBare: "\(dir)/origin.git", publishedWorkspace: "\(dir)/ws-pub")
    }

    // MARK: 1. first publish

    func firstPublish(_ region: Region, measured: Bool) throws {
        let runs = measured ? slowRuns(region) : 0
        let warmup = measured ? slowWarmup : 0
        var kbmSeries = Series(), gitSeries = Series()
        var expectedTree: String?
        let ws = region.publishedWorkspace, bare = region.publishedBare
        let gitDir = "\(region.dir)/g-index.git", gitBare = "\(region.dir)/g-origin.git"
        func gitOnce() throws -> Step {
            rm(gitDir, gitBare)
            _ = try git(["init", "-q", "--bare", gitBare])
            _ = try git(["init", "-q", "--bare", gitDir])
            var step = Step()
            let g = ["--git-dir=\(gitDir)", "--work-tree=\(region.files)"]
            step.add("add", try git(g + ["add", "-A"]))
            step.add("commit", try git(g + ["commit", "-q", "-m", "Region: first publish"]))
            step.add("push", try git(g + ["push", "-q", gitBare, "main:main"]))
            let tree = try treeOf(gitDir: gitBare)
            if expectedTree == nil { expectedTree = tree }
            return step
        }
        func kbmOnce() throws -> Step {
            rm(ws, bare)
            _ = try git(["init", "-q", "--bare", bare])
            var step = Step()
            step.add("init", try kbmRun(["init", "--county", "transferagentur", "--user", user, ws]))
            step.add("import", try kbmRun(["-C", ws, "import", region.files]))
            step.add("remote", try kbmRun(["-C", ws, "remote", bare]))
            let sync = try kbmRun(["-C", ws, "sync", "--json"])
            step.add("sync", sync)
            let report = json(sync.stdout)
            check(report["pushed"] as? Bool == true, "first publish (\(region.size)): kbm sync did not push")
            check(report["committed"] as? Int == region.size, "first publish (\(region.size)): kbm committed \(report["committed"] ?? "?") of \(region.size) records")
            if expectedTree == nil { _ = try gitOnce() }
            let tree = try treeOf(gitDir: bare)
            check(tree == expectedTree, "first publish (\(region.size)): the tree kbm pushed (\(tree)) differs from git's tree of the same files (\(expectedTree ?? "?"))")
            return step
        }
        if !measured {
            let start = Runner.now()
            _ = try kbmOnce()
            setupTimes["publish_\(region.size)"] = round6(Runner.now() - start)
            return
        }
        try repeatRuns(runs, warmup: warmup) { counted in
            let g = try gitOnce()
            let k = try kbmOnce()
            if counted { gitSeries.add(g); kbmSeries.add(k) }
        }
        rm(gitDir, gitBare)
        rows.append(ResultRow(scenario: "1-first-publish", label: "1. first publish (init+import+remote+sync)", records: region.size,
                              kbm: kbmSeries, baseline: gitSeries, baselineLabel: "git add -A, commit, push"))
        for part in ["import", "sync"] {
            rows.append(ResultRow(scenario: "1-first-publish-\(part)", label: "1. … of which kbm \(part)", records: region.size, kbm: kbmSeries.part(part)))
        }
    }

    func slowRuns(_ region: Region) -> Int { options.slowRuns ?? options.runs }
    /// Slow scenarios (publish, join, duplicates) skip the warm-up when they run fewer times (--slow-runs).
    var slowWarmup: Int { (options.slowRuns ?? options.runs) < options.runs ? 0 : options.warmup }

    // MARK: 2. join

    func join(_ region: Region) throws {
        var kbmSeries = Series(), gitSeries = Series()
        let dir = "\(region.dir)/join", gdir = "\(region.dir)/gjoin"
        try repeatRuns(slowRuns(region), warmup: slowWarmup) { counted in
            rm(dir, gdir)
            var g = Step()
            g.add("clone", try git(["clone", "-q", "--no-local", region.publishedBare, gdir]))
            rm(gdir)
            var k = Step()
            k.add("clone", try kbmRun(["clone", region.publishedBare, dir, "--county", "lk-augsburg", "--user", user]))
            let count = try recordCount(dir)
            check(count == region.size, "join (\(region.size)): the cloned store holds \(count) of \(region.size) records")
            if counted { gitSeries.add(g); kbmSeries.add(k) }
            rm(dir)
        }
        rows.append(ResultRow(scenario: "2-join", label: "2. join (kbm clone, store filled)", records: region.size,
                              kbm: kbmSeries, baseline: gitSeries, baselineLabel: "git clone --no-local"))
    }

    // MARK: 3./5. two offices changed records meanwhile

    struct TwoSides {
        var run: String
        var snap: String
        var edited: [String]   // paths (relative) of A's edit files
        var editsA: String
        var expectedTree: String?
    }

    /// Builds the starting state once: the remote holds B's sync, A's workspace holds its edits
    /// uncommitted, and a git clone (A's git baseline) sits at the state before B pushed.
    func prepareTwoSides(_ region: Region, name: String, editsA: [Record], editsB: [Record], withGit: Bool) throws -> TwoSides {
        let base = "\(region.dir)/\(name)"
        let run = "\(base)/run", snap = "\(base)/snap"
        rm(base)
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: snap, withIntermediateDirectories: true)
        let dirA = "\(base)/editsA", dirB = "\(base)/editsB"
        _ = try RegionGenerator.write(editsA, to: dirA)
        _ = try RegionGenerator.write(editsB, to: dirB)
        let start = Runner.now()
        try copy(region.publishedBare, "\(run)/remote.git")
        // A: an office's workspace (kbm clone, made once per size), pointed at this run's remote.
        if !FileManager.default.fileExists(atPath: region.cloneA) {
            _ = try kbmRun(["clone", region.publishedBare, region.cloneA, "--county", "lk-augsburg", "--user", "Anna Bäuerle <anna@lra-a.example>"])
        }
        try copy(region.cloneA, "\(run)/wsA")
        _ = try kbmRun(["-C", "\(run)/wsA", "remote", "\(run)/remote.git"])
        let imported = try kbmRun(["-C", "\(run)/wsA", "import", dirA]).stdout
        check(imported.contains("\(editsA.count) changed"), "\(name) (\(region.size)): kbm import of A's edits said: \(imported)")
        if withGit { _ = try git(["clone", "-q", "--no-local", "\(run)/remote.git", "\(run)/gitA"]) }
        // B: another office (here the agency's workspace that published the region) syncs its edits first.
        try copy(region.publishedWorkspace, "\(run)/wsB")
        _ = try kbmRun(["-C", "\(run)/wsB", "remote", "\(run)/remote.git"])
        _ = try kbmRun(["-C", "\(run)/wsB", "import", dirB])
        let sync = json(try kbmRun(["-C", "\(run)/wsB", "sync", "--json"]).stdout)
        check(sync["pushed"] as? Bool == true && sync["committed"] as? Int == editsB.count, "\(name) (\(region.size)): office B's sync did not push its \(editsB.count) edits: \(sync)")
        rm("\(run)/wsB")
        for item in ["remote.git", "wsA"] + (withGit ? ["gitA"] : []) { try copy("\(run)/\(item)", "\(snap)/\(item)") }
        setupTimes["\(name)_setup_\(region.size)"] = round6(Runner.now() - start)
        return TwoSides(run: run, snap: snap, edited: editsA.map { RecordLayout.path(of: $0) }, editsA: dirA)
    }

    func restore(_ sides: TwoSides, _ items: [String]) throws {
        for item in items {
            rm("\(sides.run)/\(item)")
            try copy("\(sides.snap)/\(item)", "\(sides.run)/\(item)")
        }
    }

    /// One timed `kbm sync` from the prepared state; returns the step and the sync report.
    func kbmSyncOnce(_ sides: TwoSides) throws -> (Step, [String: Any], String) {
        try restore(sides, ["remote.git", "wsA"])
        var step = Step()
        let sync = try kbmRun(["-C", "\(sides.run)/wsA", "sync", "--json"])
        step.add("sync", sync)
        let local = try treeOf(gitDir: "\(sides.run)/wsA/.kbm/repo.git")
        let remote = try treeOf(gitDir: "\(sides.run)/remote.git")
        check(local == remote, "sync: the remote's tree (\(remote)) is not the workspace's (\(local)): not pushed")
        return (step, json(sync.stdout), local)
    }

    func incremental(_ region: Region, edits: Int) throws -> (ResultRow, ResultRow?) {
        let a = Array(region.records.filter { $0.county.rawValue == "lk-augsburg" }.prefix(edits))
            .map { Edits.apply($0, field: Edits.field(of: $0.kind, secondary: false), side: "A", round: 1) }
        let b = Array(region.records.filter { $0.county.rawValue == "stadt-augsburg" }.prefix(edits))
            .map { Edits.apply($0, field: Edits.field(of: $0.kind, secondary: false), side: "B", round: 1) }
        var sides = try prepareTwoSides(region, name: "incremental", editsA: a, editsB: b, withGit: true)
        var kbmSeries = Series(), gitSeries = Series()
        var received = 0
        let runs = options.runs
        try repeatRuns(runs, warmup: options.warmup) { counted in
            // git CLI: write the same files into a clone at the same state, add, commit, fetch, merge, push.
            try restore(sides, ["remote.git", "gitA"])
            let clone = "\(sides.run)/gitA"
            _ = try git(["-C", clone, "update-index", "-q", "--refresh"])   // cp -a changed ctimes and inodes; not timed
            var g = Step()
            try g.addInProcess("write") {
                for path in sides.edited {
                    let target = "\(clone)/\(path)"
                    _ = unlink(target)
                    try FileManager.default.copyItem(atPath: "\(sides.editsA)/\(path)", toPath: target)
                }
            }
            g.add("add", try git(["-C", clone, "add", "-A"]))
            g.add("commit", try git(["-C", clone, "commit", "-q", "-m", "lk-augsburg: \(edits) records changed"]))
            g.add("fetch", try git(["-C", clone, "fetch", "-q", "origin"]))
            g.add("merge", try git(["-C", clone, "merge", "-q", "--no-edit", "origin/main"]))
            g.add("push", try git(["-C", clone, "push", "-q", "origin", "HEAD:main"]))
            let gitTree = try treeOf(gitDir: "\(clone)/.git", rev: "HEAD")
            if sides.expectedTree == nil { sides.expectedTree = gitTree }
            // kbm
            let (k, report, tree) = try kbmSyncOnce(sides)
            check(report["pushed"] as? Bool == true, "incremental (\(region.size)): kbm sync did not push")
            check(report["committed"] as? Int == edits, "incremental (\(region.size)): kbm committed \(report["committed"] ?? "?") of \(edits) edits")
            received = report["received"] as? Int ?? -1
            check(received == edits, "incremental (\(region.size)): kbm received \(received) of the other office's \(edits) edits")
            check(tree == sides.expectedTree, "incremental (\(region.size)): kbm's merged tree \(tree) differs from the git CLI's \(sides.expectedTree ?? "?")")
            if counted { gitSeries.add(g); kbmSeries.add(k) }
        }
        // The other office's edits are in A's store.
        if let first = region.records.first(where: { $0.county.rawValue == "stadt-augsburg" }) {
            let shown = try kbmRun(["-C", "\(sides.run)/wsA", "show", first.id.rawValue, "--json"]).stdout
            check(shown.contains("Geändert von B"), "incremental (\(region.size)): office B's edit of \(first.id) is not in A's store")
        }
        let row = ResultRow(scenario: "3-incremental-sync", label: "3. incremental sync (\(edits) local + \(edits) remote edits)", records: region.size,
                            kbm: kbmSeries, baseline: gitSeries, baselineLabel: "write, git add, commit, fetch, merge, push",
                            target: "≤ 0.5× git at 100k", extra: ["tree_equal_to_git": sides.expectedTree != nil, "received": received])
        if !options.keep { rm("\(region.dir)/incremental") }
        return (row, nil)
    }

    func concurrentMerge(_ region: Region) throws {
        let pool = region.records.filter { $0.county.rawValue == "lk-augsburg" }
        let count = min(options.mergeRecords, pool.count)
        let chosen = Array(pool.prefix(count))
        var a: [Record] = [], b: [Record] = []
        for (index, record) in chosen.enumerated() {
            let primary = Edits.field(of: record.kind, secondary: false)
            a.append(Edits.apply(record, field: primary, side: "A", round: 2))
            // Half in different fields (merge cleanly), half in the same field (a conflict each).
            let fieldB = index % 2 == 0 ? Edits.field(of: record.kind, secondary: true) : primary
            b.append(Edits.apply(record, field: fieldB, side: "B", round: 2))
        }
        let sides = try prepareTwoSides(region, name: "merge", editsA: a, editsB: b, withGit: false)
        var kbmSeries = Series()
        var conflicts = 0
        try repeatRuns(options.runs, warmup: options.warmup) { counted in
            let (k, report, _) = try kbmSyncOnce(sides)
            check(report["pushed"] as? Bool == true, "concurrent merge (\(region.size)): kbm sync did not push")
            conflicts = report["conflicts"] as? Int ?? -1
            check(conflicts >= count / 2, "concurrent merge (\(region.size)): \(conflicts) conflicts reported, expected at least \(count / 2) (same-field edits)")
            if counted { kbmSeries.add(k) }
        }
        rows.append(ResultRow(scenario: "5-concurrent-merge", label: "5. concurrent merge (\(count) records edited on both sides, \(count / 2) in the same field)",
                              records: region.size, kbm: kbmSeries, baseline: nil, baselineLabel: nil,
                              extra: ["records_edited_both_sides": count, "conflicts": conflicts]))
        if !options.keep { rm("\(region.dir)/merge") }
    }

    // MARK: 6. local use

    func localUse(_ region: Region) throws {
        let ws = region.publishedWorkspace
        var add = Series(), show = Series(), list = Series(), dups = Series(), search = Series(), report = Series()
        let target = region.records[region.records.count / 2]
        // `kbm search` with the words of one record's title (issue 15).
        let titleWords = target.title().split(separator: " ").map(String.init).filter { $0.count >= 3 }
        let searchWords = titleWords.isEmpty ? [target.title()] : Array(titleWords.prefix(2))
        let listOut = "\(region.dir)/list.json"
        try repeatRuns(options.runs, warmup: max(1, options.warmup)) { counted in
            var a = Step(), s = Step(), l = Step(), f = Step(), r = Step()
            let added = try kbmRun(["-C", ws, "add", "stakeholder", "name=Jürgen Bäuerle-Öztürk", "type=person", "sector=economy",
                                    "organisation=Brauerei Öttinger & Söhne", "tags=übergänge,wirtschaft"])
            a.add("add", added)
            check(RecordID(added.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? "") != nil,
                  "kbm add printed no id: \(added.stdout)")
            let shown = try kbmRun(["-C", ws, "show", target.id.rawValue])
            s.add("show", shown)
            check(shown.stdout.contains(target.title()), "kbm show \(target.id) does not show its title")
            l.add("list", try kbmRun(["-C", ws, "list", "--json"], stdoutPath: counted ? "/dev/null" : listOut))
            if !counted {
                let parsed = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: listOut)))) as? [Any]
                check((parsed?.count ?? 0) >= region.size, "kbm list --json listed \(parsed?.count ?? 0) of \(region.size) records")
                rm(listOut)
            }
            let found = try kbmRun(["-C", ws, "search"] + searchWords + ["--json"])
            f.add("search", found)
            check(found.stdout.contains(target.id.rawValue) || found.stdout.contains("\"id\""), "kbm search \(searchWords.joined(separator: " ")) found nothing: \(found.stdout.prefix(200))")
            // The balance sheet of a year over every county (issue 17): reads all records once.
            let reportOut = "\(region.dir)/bilanz.html"
            r.add("report", try kbmRun(["-C", ws, "report", "bilanz", "--year", "2025", "-o", reportOut]))
            check((try? String(contentsOfFile: reportOut, encoding: .utf8))?.contains("data-figure=\"events-held\"") ?? false, "kbm report bilanz wrote no report")
            if counted { add.add(a); show.add(s); list.add(l); search.add(f); report.add(r) }
        }
        rows.append(ResultRow(scenario: "6-add", label: "6. kbm add (whole process)", records: region.size, kbm: add, target: "< 50 ms"))
        rows.append(ResultRow(scenario: "6-show", label: "6. kbm show <id>", records: region.size, kbm: show))
        rows.append(ResultRow(scenario: "6-list-json", label: "6. kbm list --json (all records)", records: region.size, kbm: list, target: "< 0.3 s"))
        rows.append(ResultRow(scenario: "6-search", label: "6. kbm search <two words of a title> --json", records: region.size, kbm: search, target: "< 100 ms"))
        rows.append(ResultRow(scenario: "6-report-bilanz", label: "6. kbm report bilanz --year 2025 (HTML)", records: region.size, kbm: report, target: "< 2 s"))

        // Duplicates over a region of stakeholders only.
        let dir = "\(work)/dups"
        rm(dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var generator = RegionGenerator(count: region.size, seed: 17, stakeholdersOnly: true)
        let records = generator.generate()
        _ = try RegionGenerator.write(records, to: "\(dir)/region")
        let start = Runner.now()
        _ = try kbmRun(["init", "--county", "transferagentur", "--user", user, "\(dir)/ws"])
        _ = try kbmRun(["-C", "\(dir)/ws", "import", "\(dir)/region"])
        setupTimes["duplicates_import_\(region.size)"] = round6(Runner.now() - start)
        rm("\(dir)/region")
        var pairs = 0
        try repeatRuns(slowRuns(region), warmup: slowWarmup) { counted in
            var d = Step()
            let out = "\(dir)/pairs.json"
            d.add("duplicates", try kbmRun(["-C", "\(dir)/ws", "duplicates", "--kind", "stakeholder", "--json"], stdoutPath: out))
            pairs = ((try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))) as? [Any])?.count ?? -1
            check(pairs > 0, "kbm duplicates found no pairs among \(region.size) stakeholders with 2 % near-duplicates")
            if counted { dups.add(d) }
        }
        rows.append(ResultRow(scenario: "6-duplicates", label: "6. kbm duplicates --kind stakeholder --json (stakeholders only)", records: region.size,
                              kbm: dups, extra: ["pairs": pairs]))
        if !options.keep { rm(dir) }
    }

    // MARK: spreadsheets

    /// 7. A stakeholder list from Excel: kbm exports `rows` stakeholders to XLSX (from the agency's
    /// workspace, so every county may be written), a fresh workspace imports the file without its
    /// ID column (every row new, duplicates checked against the file itself), then imports it again
    /// (every row equal to a record: nothing written). Issue 16's target: the first import < 5 s.
    func spreadsheets(count: Int) throws {
        let dir = "\(work)/sheets"
        rm(dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var generator = RegionGenerator(count: count, seed: 23, stakeholdersOnly: true)
        let records = generator.generate()
        _ = try RegionGenerator.write(records, to: "\(dir)/region")
        _ = try kbmRun(["init", "--county", "transferagentur", "--user", user, "\(dir)/source"])
        _ = try kbmRun(["-C", "\(dir)/source", "import", "\(dir)/region"])
        rm("\(dir)/region")
        let file = "\(dir)/akteure.xlsx"
        var export = Series(), first = Series(), again = Series()
        try repeatRuns(slowRunsFor(), warmup: 0) { counted in
            var e = Step(), f = Step(), a = Step()
            rm(file, "\(dir)/ws")
            e.add("export", try kbmRun(["-C", "\(dir)/source", "export", file, "--kind", "stakeholder"]))
            _ = try kbmRun(["init", "--county", "transferagentur", "--user", user, "\(dir)/ws"])
            let imported = try kbmRun(["-C", "\(dir)/ws", "import", file, "--ignore-column", "ID", "--json"])
            f.add("import", imported)
            let report = json(imported.stdout)
            let added = (report["added"] as? [Any])?.count ?? -1, skipped = (report["duplicates"] as? [Any])?.count ?? -1
            check(added > count / 2 && added + skipped == count, "kbm import of \(count) rows: \(added) added + \(skipped) skipped as duplicates")
            let second = try kbmRun(["-C", "\(dir)/ws", "import", file, "--ignore-column", "ID", "--json"])
            a.add("import", second)
            let report2 = json(second.stdout)
            check((report2["added"] as? [Any])?.count == 0 && (report2["changed"] as? [Any])?.count == 0,
                  "the same file imported twice changed something: \(second.stdout.prefix(300))")
            if counted { export.add(e); first.add(f); again.add(a) }
        }
        rows.append(ResultRow(scenario: "7-export-xlsx", label: "7. kbm export akteure.xlsx (stakeholders)", records: count, kbm: export))
        rows.append(ResultRow(scenario: "7-import-xlsx", label: "7. kbm import akteure.xlsx into an empty workspace (all rows new)", records: count, kbm: first, target: "< 5 s at 10,000"))
        rows.append(ResultRow(scenario: "7-import-xlsx-again", label: "7. kbm import of the same file again (nothing changes)", records: count, kbm: again))
        if !options.keep { rm(dir) }
    }

    func slowRunsFor() -> Int { max(1, min(options.slowRuns ?? options.runs, 3)) }

    // MARK: the whole run

    func run() throws -> Int32 {
        let main = options.records
        var incrementalRows: [Int: ResultRow] = [:]
        log("work folder \(work); kbm \(kbm); sizes \(options.sizes); runs \(options.runs), warm-up \(options.warmup)")
        for size in options.sizes {
            let isMain = size == main
            var region = try makeRegion(size: size)
            if isMain && options.only.contains("publish") {
                log("1. first publish at \(size)")
                try firstPublish(region, measured: true)
            } else {
                try firstPublish(region, measured: false)
            }
            rm(region.files)
            if isMain && options.only.contains("join") { log("2. join at \(size)"); try join(region) }
            if options.only.contains("incremental") {
                log("3. incremental sync at \(size)")
                incrementalRows[size] = try incremental(region, edits: options.quick ? 20 : 100).0
            }
            if isMain && options.only.contains("merge") { log("5. concurrent merge at \(size)"); try concurrentMerge(region) }
            if isMain && options.only.contains("local") { log("6. local use at \(size)"); try localUse(region) }
            region.records = []
            if !options.keep { rm(region.dir) }
            try writeResults(scaling: [:], final: false)
        }
        if options.only.contains("spreadsheet") {
            log("7. spreadsheet export and import of \(options.sheetRows) stakeholders")
            try spreadsheets(count: options.sheetRows)
        }
        // 3. and 4.: incremental sync at each size, and how it scales.
        var scaling: [String: Any] = [:]
        let sizes = incrementalRows.keys.sorted()
        for size in sizes {
            guard let row = incrementalRows[size] else { continue }
            var row4 = row
            row4.scenario = "4-scaling"
            row4.label = "4. incremental sync at \(size)"
            if size == main { rows.insert(row, at: min(rows.count, rows.firstIndex { $0.scenario.hasPrefix("5") || $0.scenario.hasPrefix("6") } ?? rows.count)) }
            rows.append(row4)
        }
        if let small = sizes.first, let large = sizes.last, small != large, let s = incrementalRows[small], let l = incrementalRows[large] {
            scaling = [
                "small": small, "large": large,
                "kbm_time_ratio": round6(l.kbm.median / max(s.kbm.median, 1e-9)),
                "kbm_peak_rss_ratio": round6(l.kbm.maxRSSMiB / max(s.kbm.maxRSSMiB, 1e-9)),
                "git_time_ratio": round6((l.baseline?.median ?? 0) / max(s.baseline?.median ?? 0, 1e-9)),
                "git_peak_rss_ratio": round6((l.baseline?.maxRSSMiB ?? 0) / max(s.baseline?.maxRSSMiB ?? 0, 1e-9)),
                "target": "kbm time and peak RSS at the large size within 1.5× of the small size",
            ]
        }
        try writeResults(scaling: scaling)
        if !options.keep { rm(work) }
        if failures.isEmpty {
            log("all scenarios worked functionally")
            return 0
        }
        log("\(failures.count) functional failure(s):\n  " + failures.joined(separator: "\n  "))
        return 1
    }

    func machine() -> [String: Any] {
        func out(_ argv: [String]) -> String {
            ((try? Runner.run(argv, check: false))?.stdout ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let fsType = out(["stat", "-f", "-c", "%T", work])
        var info: [String: Any] = [
            "uname": out(["uname", "-srvm"]),
            "nproc": ProcessInfo.processInfo.activeProcessorCount,
            "memory_gib": round6(Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824),
            "cpu": out(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]),
            "git_version": out(["git", "--version"]),
            "disk_medium": "\(work) (\(fsType)\(fsType == "tmpfs" ? ": RAM, not the machine's disk" : ""))",
            "kbm_binary": kbm,
        ]
        info["commit"] = out(["git", "rev-parse", "HEAD"])
        info["worktree_dirty_files"] = out(["git", "status", "--porcelain"]).split(separator: "\n").count
        return info
    }

    /// Writes results.json and results.md; `final: false` after each scenario (a run cut short
    /// keeps what it measured), `final: true` at the end, which also prints the table.
    func writeResults(scaling: [String: Any], final: Bool = true) throws {
        let date = ISO8601DateFormatter().string(from: Date())
        let machine = machine()
        var table = Format.table(rows)
        if !scaling.isEmpty {
            table += String(format: "\n\nScaling of incremental sync, %d → %d records: kbm time ×%.2f, kbm peak RSS ×%.2f; git time ×%.2f, git peak RSS ×%.2f (target for kbm: ≤ 1.5×).",
                            scaling["small"] as? Int ?? 0, scaling["large"] as? Int ?? 0,
                            scaling["kbm_time_ratio"] as? Double ?? 0, scaling["kbm_peak_rss_ratio"] as? Double ?? 0,
                            scaling["git_time_ratio"] as? Double ?? 0, scaling["git_peak_rss_ratio"] as? Double ?? 0)
        }
        if final {
        print("\nkbm-bench \(options.quick ? "(quick) " : "")\(date) — \(machine["uname"] ?? ""), \(machine["nproc"] ?? "") cores, \(String(format: "%.1f", machine["memory_gib"] as? Double ?? 0)) GiB, commit \(machine["commit"] ?? ""), medium \(machine["disk_medium"] ?? "")")
        print("runs: \(options.runs) measured after \(options.warmup) warm-up (slow setups: \(options.slowRuns ?? options.runs)); times are wall clock of whole processes; peak RSS is the largest child's ru_maxrss\n")
        print(table)
        if !failures.isEmpty { print("\nFUNCTIONAL FAILURES:\n- " + failures.joined(separator: "\n- ")) }
        }
        let result: [String: Any] = [
            "date": date,
            "machine": machine,
            "mode": options.quick ? "quick" : "full",
            "complete": final,
            "runs": options.runs, "warmup": options.warmup, "slow_runs": options.slowRuns ?? options.runs,
            "sizes": options.sizes,
            "results": rows.map(\.json),
            "scaling": scaling,
            "setup_seconds": setupTimes,
            "failures": failures,
            "notes": [
                "Times are wall-clock seconds of whole processes (posix_spawn to wait4); peak RSS is ru_maxrss of each child, the largest of a step's processes.",
                "git runs with gc.auto=0 (no background repacking during the measurement) and no hooks.",
                "Incremental sync: each run starts from cp -a copies of the same snapshot (remote + workspace, or remote + git clone). The git clone's index is refreshed (untimed) after the copy.",
                "kbm's merged tree is checked to be identical to the git CLI's merged tree of the same files.",
            ],
        ]
        try FileManager.default.createDirectory(atPath: options.out, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: "\(options.out)/results.json"))
        try Data((table + "\n").utf8).write(to: URL(fileURLWithPath: "\(options.out)/results.md"))
        if final { log("wrote \(options.out)/results.json and \(options.out)/results.md") }
    }
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let bench = try Bench(options: options)
    exit(try bench.run())
} catch {
    FileHandle.standardError.write(Data("kbm-bench: \(error)\n".utf8))
    exit(1)
}

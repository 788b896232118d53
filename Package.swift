// swift-tools-version:6.0
import PackageDescription

// Layers, from the bottom up (each may import only the ones above it in this list):
//   KBMRecords  pure: record model, schema, canonical file format
//   KBMMerge    pure: field-by-field three-way merge
//   KBMReconcile pure: duplicates (names as offices type them) and link groups
//   KBMReports  pure: report models computed from records, SVG charts, HTML and Markdown rendering
//   KBMAuthority pure: SSH keys and signatures (SSHSIG), the office registry, who may change what
//   CXlsxWriter system library: libxlsxwriter's C API (writing .xlsx)
//   KBMSpreadsheet  rows in, rows out: CSV read and write, XLSX read (ZIPFoundation + XMLParser,
//               streaming) and write (through CXlsxWriter); knows nothing of records
//   CLibgit2    system library: libgit2's C API
//   KBMGit      the only Swift code that touches libgit2
//   KBMStore    the SQLite store (GRDB)
//   KBMSync     the sync pipeline: commit, fetch, verify, merge, import, push, in steps that
//               return values; its world (clock, sleep, fault hook, progress, network limit) is
//               injected as a SyncEnvironment, its result is a typed SyncOutcome
//   KBMCore     the workspace: write sessions and the use cases (add, edit, import, sync, …), each
//               one call that the CLI (and later the web app) makes; the mapping of spreadsheet
//               rows to records
//   kbm         the thin executable: parses arguments, reads its environment (CLIEnvironment),
//               calls KBMCore, prints
//   kbm-bench, KBMFuzz/kbm-fuzz  the benchmark and the fuzzers (docs/performance.md, fault-model.md)
// For test targets only, never linked into kbm:
//   KBMTestSupport (Tests/KBMTestSupport) the shared test helpers: git servers on 127.0.0.1 (git
//               daemon, smart HTTP, silent), free ports, temp folders, the seeded generator
//               (KBMFuzz's SplitMix64, re-exported), KBMRunner (runs the built kbm, fails loudly)
//   one test target per layer (KBM…Tests, in process), CLITests (the built binary end to end)
let package = Package(
    name: "kbm",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kbm", targets: ["kbm"]),
        .executable(name: "kbm-bench", targets: ["kbm-bench"]),
        // Fuzzing (make fuzz): the record parser and the merge; see docs/fault-model.md.
        .executable(name: "kbm-fuzz", targets: ["kbm-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .target(name: "KBMRecords", dependencies: ["Yams"]),
        .target(name: "KBMMerge", dependencies: ["KBMRecords"]),
        .target(name: "KBMReconcile", dependencies: ["KBMRecords"]),
        .target(name: "KBMReports", dependencies: ["KBMRecords"]),
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .target(name: "KBMGit", dependencies: ["CLibgit2"]),
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .target(name: "KBMSpreadsheet", dependencies: [
            "CXlsxWriter",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "KBMStore", dependencies: [
            "KBMRecords",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "KBMAuthority", dependencies: [
            "KBMRecords",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "KBMSync", dependencies: ["KBMRecords", "KBMMerge", "KBMGit", "KBMStore", "KBMAuthority"]),
        .target(name: "KBMCore", dependencies: ["KBMRecords", "KBMMerge", "KBMReconcile", "KBMGit", "KBMStore", "KBMAuthority", "KBMSync", "KBMSpreadsheet", "KBMReports"]),
        .executableTarget(name: "kbm", dependencies: [
            "KBMCore", "KBMRecords", "KBMSync",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The benchmark (make bench): runs the release kbm binary and the git CLI; see docs/performance.md.
        .executableTarget(name: "kbm-bench", dependencies: ["KBMRecords"]),
        // Fuzz properties of the parser and the merge, and the harness (mutation driver or libFuzzer).
        .target(name: "KBMFuzz", dependencies: ["KBMRecords", "KBMMerge"]),
        .executableTarget(name: "kbm-fuzz", dependencies: ["KBMFuzz"]),
        // Shared by the test targets; imports XCTest, so no product or executable may depend on it.
        .target(name: "KBMTestSupport", dependencies: ["KBMFuzz"], path: "Tests/KBMTestSupport"),
        .testTarget(name: "KBMFuzzTests", dependencies: ["KBMFuzz", "KBMRecords", "KBMMerge"]),
        .testTarget(name: "KBMRecordsTests", dependencies: ["KBMRecords", "Yams", "KBMTestSupport"]),
        .testTarget(name: "KBMMergeTests", dependencies: ["KBMMerge", "KBMTestSupport"]),
        // Resources: labelled pairs of stakeholder names (docs/duplicates-evaluation.md).
        .testTarget(name: "KBMReconcileTests", dependencies: ["KBMReconcile", "KBMRecords", "KBMTestSupport"],
                    resources: [.copy("Resources")]),
        .testTarget(name: "KBMStoreTests", dependencies: ["KBMStore", "KBMTestSupport"]),
        .testTarget(name: "KBMGitTests", dependencies: ["KBMGit", "KBMTestSupport"]),
        .testTarget(name: "KBMSyncTests", dependencies: ["KBMSync", "KBMGit", "KBMStore", "KBMRecords", "KBMTestSupport"]),
        .testTarget(name: "KBMCoreTests", dependencies: ["KBMCore", "KBMRecords", "KBMSpreadsheet", "KBMTestSupport"]),
        .testTarget(name: "KBMAuthorityTests", dependencies: ["KBMAuthority", "KBMRecords", "KBMTestSupport"]),
        .testTarget(name: "KBMSpreadsheetTests", dependencies: ["KBMSpreadsheet", "KBMTestSupport"]),
        .testTarget(name: "KBMReportsTests", dependencies: ["KBMReports", "KBMRecords"]),
        .testTarget(name: "CLITests", dependencies: ["KBMRecords", "KBMTestSupport"]),
    ]
)

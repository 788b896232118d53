// The fuzz harness (make fuzz, docs/fault-model.md). Two builds of one file:
// - with libFuzzer (`-sanitize=fuzzer -parse-as-library -D KBM_LIBFUZZER`): libFuzzer calls
//   LLVMFuzzerTestOneInput; KBM_FUZZ_TARGET=parser|merge picks the property;
// - without: a seeded mutation fuzzer, `kbm-fuzz <parser|merge> [--seconds N] [--seed S] [--out DIR] [--sample-repo DIR]`,
//   or `kbm-fuzz <parser|merge> --replay FILE…`.
import Foundation
import KBMFuzz

#if KBM_LIBFUZZER
private let selectedTarget = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["KBM_FUZZ_TARGET"] ?? "parser") ?? .parser

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let failure = selectedTarget.check(bytes) {
        // libFuzzer saves the input as crash-<sha1> when the process aborts.
        fatalError("kbm-fuzz \(selectedTarget.rawValue): \(failure)")
    }
    return 0
}

// SwiftPM links an executable with `main` aliased to `<module>_main`; with -parse-as-library there is
// none, so provide it and hand over to libFuzzer's driver (LLVMFuzzerRunDriver, LLVM ≥ 12).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("kbm_fuzz_main")
public func kbmFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
@main
struct FuzzMain {
    static func main() {
        var args = Array(CommandLine.arguments.dropFirst())
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: kbm-fuzz parser|merge [--seconds N] [--seed S] [--out DIR] [--sample-repo DIR] | --replay FILE…\n".utf8))
            exit(2)
        }
        args.removeFirst()
        func option(_ flag: String) -> String? {
            guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
            return args[i + 1]
        }
        if let i = args.firstIndex(of: "--replay") {
            var failed = false
            for file in args[(i + 1)...] {
                let bytes = Array(FileManager.default.contents(atPath: file) ?? Data())
                let outcome = target.check(bytes)
                print("\(file): \(outcome ?? "ok")")
                failed = failed || outcome != nil
            }
            exit(failed ? 1 : 0)
        }
        let run = FuzzRun(target: target, seed: option("--seed").flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970),
                          seconds: option("--seconds").flatMap(Double.init) ?? 60, sampleRepo: option("--sample-repo") ?? "sample-repo",
                          outputDirectory: option("--out") ?? "fuzz-out")
        let result = run.run()
        print("kbm-fuzz \(target.rawValue): seed \(run.seed), \(result.inputs) inputs in \(String(format: "%.1f", result.seconds)) s, \(result.failures.count) failures")
        for (n, failure) in result.failures.enumerated() {
            print("--- failure \(n + 1) (\(run.outputDirectory ?? "")/failure-\(target.rawValue)-\(n + 1)): \(failure.message.prefix(2000))")
        }
        exit(result.failures.isEmpty ? 0 : 1)
    }
}
#endif

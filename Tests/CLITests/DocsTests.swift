import Foundation
import KBMTestSupport
import XCTest

/// Every `kbm …` command shown in the README and docs exists, with the options it shows,
/// so the documentation cannot go stale. (The demo runs the story end to end.)
final class DocsTests: XCTestCase {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `kbm` command lines in code blocks and inline code of a Markdown file.
    func commands(in file: URL) throws -> [String] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var out: [String] = []
        var inBlock = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inBlock.toggle(); continue }
            if inBlock {
                let trimmed = line.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "$ ", with: "")
                if trimmed.hasPrefix("kbm ") { out.append(trimmed) }
            } else {
                for span in line.split(separator: "`").enumerated() where span.offset % 2 == 1 && span.element.hasPrefix("kbm ") {
                    out.append(String(span.element))
                }
            }
        }
        return out
    }

    func testEveryDocumentedCommandAndOptionExists() throws {
        let docs = [Self.root.appendingPathComponent("README.md")] +
            (try FileManager.default.contentsOfDirectory(at: Self.root.appendingPathComponent("docs"), includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "md" })
        let runner = KBMRunner(cwd: NSTemporaryDirectory())
        var checked = 0
        var helpCache: [String: String] = [:]
        for file in docs {
            for command in try commands(in: file) {
                let words = command.split(separator: " ").map(String.init)
                guard words.count >= 2 else { continue }
                var sub = words[1]
                if sub.hasPrefix("-") { continue }
                var nested: [String] = []
                if sub == "registry", words.count >= 3 { nested = [words[2]] }
                sub = sub.trimmingCharacters(in: CharacterSet(charactersIn: "`|\\"))
                let key = ([sub] + nested).joined(separator: " ")
                let help = helpCache[key] ?? runner.run([sub] + nested + ["--help"]).stdout
                helpCache[key] = help
                XCTAssertTrue(help.contains("USAGE: kbm \(key)"), "\(file.lastPathComponent): `\(command)` — no such command")
                for option in words.dropFirst(2) where option.hasPrefix("--") {
                    let name = String(option.split(separator: "=").first ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "`|\\]["))
                    for alternative in name.replacingOccurrences(of: "\\", with: "").split(separator: "|") where alternative.hasPrefix("--") {
                        XCTAssertTrue(help.contains(String(alternative)), "\(file.lastPathComponent): `\(command)` — kbm \(key) has no option \(alternative)")
                    }
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 20, "the docs show kbm commands")
    }
}

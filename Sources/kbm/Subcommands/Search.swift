import ArgumentParser
import Foundation
import KBMCore
import KBMRecords

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find records by the words they hold: kbm search <words…>",
        discussion: """
            Searches every text field of every record here, your local (personal) fields included. \
            Every word must occur, as a word or a part of one ("übergang" finds "Übergangsmanagement"), \
            in any case, with umlauts or their ASCII spelling ("schueler" finds "Schüler"). Best matches \
            first; the passage shown marks each hit between « and » (in --json too).
            """)

    @Argument(help: "The words to look for.")
    var words: [String] = []

    @Option(help: "Only records of this kind (code or German label).")
    var kind: String?

    @Option(help: "Only records of this county.")
    var county: String?

    @Option(help: "At most this many records (default 20).")
    var limit: Int = 20

    @Flag(help: "Print the results as a JSON array: id, kind, county, title, snippet, score (higher is better).")
    var json = false

    func run() throws {
        let workspace = try openWorkspace()
        let results = try workspace.search(words, kind: kind, county: try countyOption(county), limit: limit)
        if json {
            printJSON(.array(results.map { r in
                .object([("id", .string(r.id.rawValue)), ("kind", .string(r.kind)), ("county", .string(r.county.rawValue)),
                         ("title", .string(r.title)), ("snippet", .string(r.snippet)), ("score", .decimal(r.score))])
            }))
            return
        }
        guard !results.isEmpty else {
            print("No records match \(TerminalText.safe(words.joined(separator: " "))).")
            return
        }
        for r in results {
            print("\(r.id)  \(r.kind)  \(r.county)  \(TerminalText.safe(r.title))")
            if !r.snippet.isEmpty { print("    \(TerminalText.safe(r.snippet))") }
        }
        print("\(results.count) record\(results.count == 1 ? "" : "s")\(results.count == limit ? " (the best \(limit); --limit shows more)" : "")")
    }
}

import Foundation
import KBMRecords
import KBMReports

/// The file formats `kbm report` writes, chosen by the output file's extension.
public enum ReportFormat: String, Sendable {
    case html, markdown, pdf

    /// The format of `path` by its extension (.html/.htm, .md, .pdf). Throws an invalid-input
    /// error naming `-o` for any other.
    public init(path: String) throws {
        switch (path as NSString).pathExtension.lowercased() {
        case "html", "htm": self = .html
        case "md", "markdown": self = .markdown
        case "pdf": self = .pdf
        default: throw KBMError.invalid("-o \(path): the extension decides the format; use .html, .md or .pdf.")
        }
    }
}

/// What `kbm report` asks for, as typed.
public struct ReportRequest: Sendable {
    public var name: String
    public var year: String?
    public var from: String?
    public var to: String?
    public var county: County?
    public var output: String
    /// Today (ISO); nil for the real date.
    public var today: String?

    public init(name: String, year: String? = nil, from: String? = nil, to: String? = nil, county: County? = nil, output: String, today: String? = nil) {
        self.name = name
        self.year = year
        self.from = from
        self.to = to
        self.county = county
        self.output = output
        self.today = today
    }
}

/// What `kbm report` wrote.
public struct ReportWritten: Sendable {
    public var path: String
    public var format: ReportFormat
    public var title: String
}

extension Workspace {
    /// The report `request.name` of this workspace's records, as a document (see KBMReports).
    ///
    /// Throws an invalid-input error naming the argument for a report that does not exist (listing
    /// those that do), a year or a date that is not one, `--year` with `--from`/`--to`, or a county
    /// this region does not know.
    public func reportDocument(_ request: ReportRequest) throws -> ReportDocument {
        guard let kind = ReportKind(rawValue: request.name.lowercased()) else {
            let list = ReportKind.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: ", ")
            throw KBMError.invalid("Unknown report '\(request.name)'. Reports: \(list).")
        }
        try checkCountyFilter(request.county)
        let today = request.today ?? Self.isoToday()
        let period = try Self.period(request, kind: kind, today: today)
        // Reports only read: no write session.
        let records = try kind.kinds.flatMap { try list(kind: $0, county: nil, where: []) }
        return Reports.document(kind, ReportInput(records: records, period: period, county: request.county, today: today, schema: schema))
    }

    /// Makes the report and writes it to `request.output` in the format its extension names.
    ///
    /// Throws an invalid-input error naming `-o` when its folder does not exist or its extension is
    /// not .html/.md/.pdf, or naming the Debian package `chromium` for a PDF without it.
    public func writeReport(_ request: ReportRequest) throws -> ReportWritten {
        let format = try ReportFormat(path: request.output)
        let folder = (request.output as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) && isDir.boolValue) {
            throw KBMError.invalid("-o \(request.output): the folder \(folder) does not exist; create it first or write elsewhere.")
        }
        let chromium = format == .pdf ? try Self.chromiumPath() : nil
        let document = try reportDocument(request)
        let url = URL(fileURLWithPath: request.output)
        do {
            switch format {
            case .html: try Data(HTMLRenderer.render(document).utf8).write(to: url, options: .atomic)
            case .markdown: try Data(MarkdownRenderer.render(document).utf8).write(to: url, options: .atomic)
            case .pdf: try Self.printPDF(html: HTMLRenderer.render(document), to: url, chromium: chromium ?? "chromium")
            }
        } catch let error as KBMError {
            throw error
        } catch {
            throw KBMError.failure("Could not write \(request.output): \((error as NSError).localizedDescription)")
        }
        return ReportWritten(path: request.output, format: format, title: document.title)
    }

    static func isoToday() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    /// The period asked for: `--year`, or `--from`/`--to`; without them, the current year for
    /// `bilanz` and everything for the other reports.
    static func period(_ request: ReportRequest, kind: ReportKind, today: String) throws -> ReportPeriod {
        if let text = request.year {
            guard request.from == nil && request.to == nil else { throw KBMError.invalid("--year: give either --year or --from/--to, not both.") }
            guard let year = Int(text.trimmingCharacters(in: .whitespaces)), (1900...2999).contains(year) else {
                throw KBMError.invalid("--year: expected a year like 2025, got \"\(text)\".")
            }
            return .year(year)
        }
        func day(_ text: String?, _ option: String) throws -> String? {
            guard let text else { return nil }
            switch DateInput.parse(text) {
            case .success(let iso): return iso
            case .failure(let error): throw KBMError.invalid("\(option): \(error.message)")
            }
        }
        let from = try day(request.from, "--from"), to = try day(request.to, "--to")
        if let from, let to, to < from { throw KBMError.invalid("--to: \(to) is before --from \(from).") }
        if from == nil && to == nil {
            return kind == .bilanz ? .year(Int(today.prefix(4)) ?? 2026) : .all
        }
        return ReportPeriod(from: from, to: to)
    }

    /// The headless Chromium that prints PDFs, or an error naming the Debian package.
    static func chromiumPath() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        throw KBMError.invalid("-o: a .pdf needs headless Chromium, which is not installed: install the Debian package chromium (apt-get install chromium), or write .html and print it from a browser.")
    }

    static func printPDF(html: String, to url: URL, chromium: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kbm-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        try Data(html.utf8).write(to: page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir.path)/profile", "--no-pdf-header-footer",
                             "--print-to-pdf=\(url.path)", page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: url.path) else {
            let tail = String(decoding: stderr, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " ")
            throw KBMError.failure("chromium could not print \(url.path) (exit \(process.terminationStatus)): \(tail)")
        }
    }
}

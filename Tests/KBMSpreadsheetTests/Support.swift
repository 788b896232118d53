import Foundation
import KBMSpreadsheet
import KBMTestSupport
import XCTest

/// Python (openpyxl, csv) and LibreOffice as independent writers and readers of spreadsheets.
enum Independent {
    /// Runs a Python script with arguments; fails the test when it fails.
    @discardableResult
    static func python(_ script: String, _ args: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = KBMRunner.exec("/usr/bin/env", ["python3", "-c", script] + args, cwd: "/")
        XCTAssertEqual(r.status, 0, "python failed: \(r.stderr)", file: file, line: line)
        return r.stdout
    }

    /// The path of `soffice`, or nil (tests that need it skip, saying why).
    static var soffice: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(dir)/soffice"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Converts files with LibreOffice headless into `format` (e.g. "xlsx") in `outDir`.
    static func libreOfficeConvert(_ files: [String], to format: String, outDir: String, inFilter: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let soffice else { throw XCTSkip("LibreOffice (soffice) is not installed: run scripts/setup-tests.sh (Debian libreoffice-calc-nogui)") }
        let profile = KBMRunner.makeTempDir("kbm-lo-profile")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let r = KBMRunner.exec(soffice, ["-env:UserInstallation=file://\(profile)", "--headless", "--norestore"] + (inFilter.map { ["--infilter=\($0)"] } ?? []) + ["--convert-to", format, "--outdir", outDir] + files, cwd: outDir)
        XCTAssertEqual(r.status, 0, "soffice failed: \(r.stderr)", file: file, line: line)
    }

    /// Every row of the first (or named) sheet of a workbook.
    static func rows(_ path: String, sheet: String? = nil) throws -> [SpreadsheetRow] {
        var out: [SpreadsheetRow] = []
        try XLSXReader(path: path).rows(sheet: sheet) { out.append($0) }
        return out
    }
}

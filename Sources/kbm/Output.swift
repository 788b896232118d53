import Foundation
import KBMRecords

// Everything kbm prints for people goes through this `print`: it shadows the standard library's
// within the kbm target, so every command (and every one added later) shows record content from
// other offices with control characters as visible escapes (`TerminalText`), never raw.
// JSON output passes through unchanged (JSONValue escapes those characters itself); a record's
// file (`kbm show --file`) is written with `printFile`.

/// Prints text for people, with terminal control characters shown as `\u{1B}` (line feeds and tabs kept).
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(TerminalText.safeLines(text), terminator: terminator)
}

/// Writes a message to standard error, made safe the same way.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(TerminalText.safeLines(message).utf8))
}

/// Prints a record file as it is (its bytes matter when piped into a file), except to a
/// terminal, where control characters in it are shown escaped like all human output.
func printFile(_ text: String) {
    if isatty(STDOUT_FILENO) != 0 {
        Swift.print(TerminalText.safeLines(text), terminator: "")
    } else {
        Swift.print(text, terminator: "")
    }
}

/// A warning on standard error: the command went ahead, but something deserves a look.
func printWarning(_ message: String?) {
    guard let message else { return }
    printError("kbm: warning: \(message)\n")
}

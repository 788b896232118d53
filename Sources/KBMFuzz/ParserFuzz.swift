import KBMRecords

/// The record parser's fuzz property: any bytes either give a clear `RecordParseError`, or a
/// record that round-trips canonically (`parse(write(parse(x))) == parse(x)`, and the canonical
/// text is a fixed point). A crash, a hang or another error type is a bug.
public enum ParserFuzz {
    /// nil when the property holds, else what went wrong.
    public static func check(_ data: [UInt8]) -> String? {
        let record: Record
        do {
            record = try RecordParser.parse(data: data, path: "fuzz.md")
        } catch let error as RecordParseError {
            if error.message.isEmpty { return "a RecordParseError without a message" }
            return nil
        } catch {
            return "an error that is not a RecordParseError: \(type(of: error)): \(error)"
        }
        let text = RecordWriter.write(record)
        let again: Record
        do {
            again = try RecordParser.parse(text, path: "canonical.md")
        } catch {
            return "the canonical text of an accepted file does not parse: \(error)\n--- canonical:\n\(text)"
        }
        if again != record {
            return "parse(write(parse(x))) != parse(x)\n--- canonical:\n\(text)\n--- first: \(record)\n--- again: \(again)"
        }
        let twice = RecordWriter.write(again)
        if twice != text { return "the canonical text is not a fixed point\n--- first:\n\(text)\n--- second:\n\(twice)" }
        return nil
    }
}

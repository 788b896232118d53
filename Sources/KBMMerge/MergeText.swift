import KBMRecords

enum MergeText {
    /// Long text: line-based diff3. Edits of different lines combine; overlapping different edits
    /// conflict, and the conflicting lines show the preferred side's version.
    static func merge(base: String, ours: String, theirs: String, preferOurs: Bool) -> (text: String, conflicted: Bool) {
        // Both made the same change (or none).
        if ours == theirs { return (ours, false) }
        // Only theirs changed.
        if ours == base { return (theirs, false) }
        // Only ours changed.
        if theirs == base { return (ours, false) }
        let result = Diff3.merge(base: lines(base), ours: lines(ours), theirs: lines(theirs), policy: .lines, preferOurs: preferOurs)
        return (result.merged.joined(separator: "\n"), result.conflicted)
    }

    /// Lines without their "\n"; a final newline gives a last, empty line, so it survives the merge.
    static func lines(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

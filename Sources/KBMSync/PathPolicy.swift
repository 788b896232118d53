import Foundation
import KBMGit
import KBMRecords

/// Decides which files of the repository kbm imports, and why it refuses the others.
/// Refused files stay in the repository untouched and are listed in quarantine.
package enum PathPolicy {
    /// Files the region may keep beside the records, never imported.
    package static let allowedOther: Set<String> = ["README.md", ".gitattributes", ".gitignore"]
    package static let otherFolders = ["region/", "docs/"]

    package enum Verdict: Equatable {
        /// A record file to parse and import.
        case record(county: County, kind: String, id: RecordID)
        /// A file kbm leaves alone (README, region registry).
        case ignored
        /// Not imported; the reason is for the user.
        case refused(String)
    }

    package static func judge(_ entry: TreeEntry, schema: Schema) -> Verdict {
        let bytes = entry.pathBytes
        guard let path = String(validating: bytes, as: UTF8.self) else {
            return .refused("the file name is not valid UTF-8")
        }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) || path.unicodeScalars.contains(where: isHiddenControl) {
            return .refused("the file name holds control characters")
        }
        if path.hasPrefix("/") || path.contains("\\") { return .refused("the path is absolute or holds a backslash") }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) { return .refused("the path holds '..', '.' or an empty part") }
        if parts.contains(where: { $0.lowercased() == ".git" }) { return .refused("the path holds a .git folder") }
        switch entry.mode {
        case .symlink: return .refused("symbolic links are not followed")
        case .submodule: return .refused("submodules are not allowed")
        case .regular, .executable: break
        default: return .refused("unexpected file mode \(String(entry.mode.rawValue, radix: 8))")
        }
        if allowedOther.contains(path) || otherFolders.contains(where: { path.hasPrefix($0) }) { return .ignored }
        guard path.hasPrefix(RecordLayout.root + "/") else {
            return .refused("outside the record layout (records live in \(RecordLayout.root)/<county>/<kind>/<shard>/<id>.md)")
        }
        guard let claimed = RecordLayout.parse(path: path, schema: schema) else {
            return .refused("not a record path: expected \(RecordLayout.root)/<county>/<kind>/<shard>/<id>.md with a known kind and the id's last character as shard")
        }
        return .record(county: claimed.county, kind: claimed.kind, id: claimed.id)
    }

    /// Control characters beyond ASCII: C1 controls (U+0080–U+009F, e.g. NEL), line and paragraph
    /// separators, and the bidirectional formatting characters that make a name display as another.
    package static func isHiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: break
        }
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}

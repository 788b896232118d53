import Foundation
import KBMAuthority
import KBMRecords

/// The coordinator's signing key: `.kbm/id_ed25519` (OpenSSH format, unencrypted, mode 0600)
/// and `.kbm/id_ed25519.pub`. Every commit kbm makes is signed with it when it exists.
extension Workspace {
    public var keyPath: String { dotPath + "/id_ed25519" }

    /// The workspace's key, nil if it has none. Throws if the file is readable by others or damaged.
    func signingKey() throws -> SSHPrivateKey? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: keyPath) else { return nil }
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw KBMError.failure("\(keyPath) is readable by others (mode \(String(mode, radix: 8))); run `chmod 600 \(keyPath)`.")
        }
        do {
            return try SSHPrivateKey(openSSH: String(contentsOfFile: keyPath, encoding: .utf8))
        } catch let error as AuthorityError {
            throw KBMError.failure("Cannot use the signing key \(keyPath): \(error). Make a new one with `kbm keygen --force`.")
        }
    }

    /// Signs a commit's text the way `git -c gpg.format=ssh commit -S` does (SSHSIG, namespace
    /// "git", SHA-512); nil when the workspace has no key (commits stay unsigned).
    func commitSigner() throws -> ((String) throws -> String)? {
        guard let key = try signingKey() else { return nil }
        return { payload in try SSHSignature.sign(Array(payload.utf8), key: key).armored }
    }

    /// Creates the workspace's key, or copies the OpenSSH ed25519 key at `source`
    /// (made by `ssh-keygen -t ed25519 -N ''`). Returns the public key line.
    /// Throws if a key exists (unless `force`) or `source` is not a usable key.
    public func keygen(importing source: String?, force: Bool) throws -> String {
        let session = try beginWriting()
        defer { session.end() }
        if FileManager.default.fileExists(atPath: keyPath) && !force {
            throw KBMError.invalid("This workspace already has a signing key (\(keyPath)). `kbm whoami` prints it; `kbm keygen --force` replaces it (the agency must then register the new key).")
        }
        var key: SSHPrivateKey
        if let source {
            guard let text = try? String(contentsOfFile: source, encoding: .utf8) else {
                throw KBMError.invalid("kbm keygen --key: cannot read \(source).")
            }
            do { key = try SSHPrivateKey(openSSH: text) } catch {
                throw KBMError.invalid("kbm keygen --key \(source): \(error)")
            }
            if key.comment.isEmpty { key.comment = author.email }
        } else {
            key = SSHPrivateKey.generate(comment: author.email)
        }
        try? FileManager.default.removeItem(atPath: keyPath)
        guard FileManager.default.createFile(atPath: keyPath, contents: Data(key.openSSH.utf8), attributes: [.posixPermissions: 0o600]),
              FileManager.default.createFile(atPath: keyPath + ".pub", contents: Data((key.publicLine + "\n").utf8), attributes: [.posixPermissions: 0o644]) else {
            throw KBMError.failure("Cannot write \(keyPath).")
        }
        return key.publicLine
    }

    /// The public key line to send to the agency (`ssh-ed25519 AAAA… email`).
    public func publicKeyLine() throws -> String {
        guard let key = try signingKey() else {
            throw KBMError.invalid("This workspace has no signing key yet. Create one with `kbm keygen` (or `kbm keygen --key ~/.ssh/id_ed25519`).")
        }
        return key.publicLine
    }
}

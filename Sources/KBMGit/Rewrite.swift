import CLibgit2
import Foundation

/// History rewriting support for erasure (`kbm purge`): a push that replaces the remote branch
/// only if it still is what we rewrote (a lease), and dropping every object no reference reaches.
extension Repository {
    /// Pushes `localRef` to `refs/heads/<branch>` of `remote`, replacing whatever history it has,
    /// but only if the remote branch currently points to `expecting` (a lease: the check and the
    /// update use one connection, and the remote receives `expecting` as the old value).
    ///
    /// Returns `.rejected` when the remote branch moved on or the server refused; throws
    /// `GitError` for unknown remotes, network and authentication failures.
    public func pushReplacing(remote: String, localRef: String, branch: String = "main", expecting: ObjectID,
                              credentials: Credentials? = nil) throws -> PushOutcome {
        var (handle, context, options) = try prepareToPush(remote, credentials: credentials)
        let target = "refs/heads/\(branch)"
        let outcome: PushOutcome? = try withExtendedLifetime(context) {
            options.callbacks.payload = Unmanaged.passUnretained(context).toOpaque()
            var callbacks = options.callbacks
            var proxy = options.proxy_opts
            return try handle.use { remote in
                try check(git_remote_connect(remote, GIT_DIRECTION_PUSH, &callbacks, &proxy, nil), "connecting to \(context.url)")
                defer { git_remote_disconnect(remote) }
                let current = try advertisedHead(remote, target)
                guard current == expecting else {
                    return .rejected(reason: "\(target) of \(context.url) is now \(current?.short ?? "missing"), not \(expecting.short): someone pushed meanwhile")
                }
                let code = withStrarray(["+\(localRef):\(target)"]) { refspecs in git_remote_upload(remote, refspecs, &options) }
                try check(code, "pushing \(localRef) to \(context.url)")
                return nil
            }
        }
        if let outcome { return outcome }
        if let rejection = context.rejections.first { return .rejected(reason: rejection) }
        return .pushed
    }

    /// Rewrites the object database so that it holds exactly the objects reachable from the
    /// references (one new pack), and deletes every other pack and loose object: afterwards no
    /// dropped commit, tree or blob can be read, fetched or pushed from this repository.
    ///
    /// The caller must hold the repository exclusively (no concurrent writer), and must use a
    /// fresh `Repository` afterwards (this one may still see the deleted packs). Returns the
    /// number of objects kept.
    @discardableResult
    public func dropUnreachableObjects() throws -> Int {
        let walk = try Handle.make("starting a history walk", free: git_revwalk_free) { git_revwalk_new($0, pointer) }
        var tips = 0
        for name in try referenceNames(prefix: "refs/") {
            guard let target = try reference(name) else { continue }
            var oid = target.oid
            _ = try walk.use { try check(git_revwalk_push($0, &oid), "walking history from \(name)") }
            tips += 1
        }
        let objectsDir = path + "objects"
        let packDir = objectsDir + "/pack"
        var keptName: String?
        var kept = 0
        if tips > 0 {
            let builder = try Handle.make("starting a pack", free: git_packbuilder_free) { git_packbuilder_new($0, pointer) }
            try builder.use { builder in
                _ = try walk.use { try check(git_packbuilder_insert_walk(builder, $0), "collecting the reachable objects") }
                kept = Int(git_packbuilder_object_count(builder))
                try check(git_packbuilder_write(builder, packDir, 0, nil, nil), "writing a pack of the reachable objects")
                keptName = git_packbuilder_name(builder).map { String(cString: $0) }
            }
            guard keptName != nil else {
                throw GitError(operation: "writing a pack of the reachable objects", code: GIT_ERROR.rawValue, message: "libgit2 gave the new pack no name")
            }
        }
        let files = FileManager.default
        do {
            for name in (try? files.contentsOfDirectory(atPath: packDir)) ?? [] {
                if let keptName, name.hasPrefix("pack-\(keptName).") { continue }
                let removable = [".pack", ".idx", ".rev", ".bitmap", ".mtimes", ".keep"].contains { name.hasSuffix($0) } || name == "multi-pack-index"
                if removable { try files.removeItem(atPath: packDir + "/" + name) }
            }
            for name in try files.contentsOfDirectory(atPath: objectsDir) where name.count == 2 && name.allSatisfy(\.isHexDigit) {
                try files.removeItem(atPath: objectsDir + "/" + name)
            }
        } catch {
            throw GitError(operation: "removing dropped objects from \(objectsDir)", code: GIT_ERROR.rawValue, message: "\(error.localizedDescription)")
        }
        return kept
    }
}

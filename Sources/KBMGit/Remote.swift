import CLibgit2

/// A username and password (or token) for an HTTP(S) remote. Never included in error messages.
public struct Credentials: Sendable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// How a push ended, when it did not fail outright.
public enum PushOutcome: Hashable, Sendable {
    /// The remote branch now points to the pushed commit.
    case pushed
    /// The remote refused: not a fast-forward (the remote moved on) or a server-side hook said
    /// no. Fetch, merge and try again.
    case rejected(reason: String)
}

extension Repository {
    /// Creates remote `name` with `url`, or changes its URL if it exists.
    public func setRemote(name: String, url: String) throws {
        if try remoteURL(name: name) == nil {
            _ = try Handle.make("adding remote \(name)", free: git_remote_free) {
                git_remote_create($0, pointer, name, url)
            }
        } else {
            try check(git_remote_set_url(pointer, name, url), "changing the URL of remote \(name)")
        }
    }

    /// The URL of remote `name`, nil if there is no such remote.
    public func remoteURL(name: String) throws -> String? {
        guard let remote = try lookupRemote(name) else { return nil }
        return remote.use { git_remote_url($0).map { String(cString: $0) } }
    }

    /// Fetches `refs/heads/<branch>` of remote `remote` into `refs/remotes/<remote>/<branch>` and
    /// returns the fetched commit, or nil if the remote has no such branch (an empty remote); the
    /// tracking reference is then deleted. Throws `GitError` for unknown remotes, network and
    /// authentication failures (`isAuthentication`).
    public func fetch(remote: String, branch: String = "main", credentials: Credentials? = nil) throws -> ObjectID? {
        guard let handle = try lookupRemote(remote) else {
            throw GitError(operation: "fetching from \(remote)", code: GIT_ENOTFOUND.rawValue, message: "no remote named '\(remote)'")
        }
        let context = TransferContext(credentials: credentials, url: handle.use(remoteDisplayURL))
        let source = "refs/heads/\(branch)"
        let tracking = "refs/remotes/\(remote)/\(branch)"
        var options = git_fetch_options()
        try check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "preparing to fetch")
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        options.callbacks.credentials = acquireCredential
        // Connect and read the advertisement first: `git_remote_fetch` cannot say whether the
        // branch exists (and the local transport forgets its advertisement after fetching).
        let tip: ObjectID? = try withExtendedLifetime(context) {
            options.callbacks.payload = Unmanaged.passUnretained(context).toOpaque()
            var callbacks = options.callbacks
            var proxy = options.proxy_opts
            return try handle.use { remote in
                try check(git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, &proxy, nil),
                          "connecting to \(context.url)")
                defer { git_remote_disconnect(remote) }
                guard let tip = try advertisedHead(remote, source) else { return nil }
                _ = try withStrarray(["+\(source):\(tracking)"]) { refspecs in
                    try check(git_remote_download(remote, refspecs, &options), "fetching from \(context.url)")
                }
                try check(git_remote_update_tips(remote, &callbacks, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, "kbm: fetch"),
                          "updating \(tracking)")
                return tip
            }
        }
        if tip == nil { try deleteReference(tracking) }
        return tip
    }

    /// Pushes local reference `localRef` (e.g. `refs/heads/main`; libgit2 accepts only reference
    /// names here, not commit ids) to `refs/heads/<branch>` of remote `remote`.
    ///
    /// Returns `.rejected` when the remote moved on (not a fast-forward) or refused the update
    /// (e.g. a pre-receive hook); throws `GitError` for unknown remotes, network and
    /// authentication failures.
    public func push(remote: String, localRef: String, branch: String = "main",
                     credentials: Credentials? = nil) throws -> PushOutcome {
        var (handle, context, options) = try prepareToPush(remote, credentials: credentials)
        let code = withExtendedLifetime(context) {
            options.callbacks.payload = Unmanaged.passUnretained(context).toOpaque()
            return withStrarray(["\(localRef):refs/heads/\(branch)"]) { refspecs in
                handle.use { git_remote_push($0, refspecs, &options) }
            }
        }
        if code == GIT_ENONFASTFORWARD.rawValue {
            return .rejected(reason: GitError(operation: "pushing", code: code).message)
        }
        try check(code, "pushing \(localRef) to \(context.url)")
        // Over git:// and http(s) a refusal by the server only shows up in the per-reference status.
        if let rejection = context.rejections.first {
            return .rejected(reason: rejection)
        }
        return .pushed
    }

    // MARK: - Internals

    /// The remote `name`, a transfer context and push options with kbm's callbacks (credentials,
    /// per-reference status); throws if there is no such remote.
    func prepareToPush(_ name: String, credentials: Credentials?) throws -> (Handle, TransferContext, git_push_options) {
        guard let handle = try lookupRemote(name) else {
            throw GitError(operation: "pushing to \(name)", code: GIT_ENOTFOUND.rawValue, message: "no remote named '\(name)'")
        }
        let context = TransferContext(credentials: credentials, url: handle.use(remoteDisplayURL))
        var options = git_push_options()
        try check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "preparing to push")
        options.callbacks.credentials = acquireCredential
        options.callbacks.push_update_reference = recordPushStatus
        return (handle, context, options)
    }

    func lookupRemote(_ name: String) throws -> Handle? {
        var out: OpaquePointer?
        let code = git_remote_lookup(&out, pointer, name)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(code, "looking up remote \(name)")
        return out.map { Handle($0, free: git_remote_free) }
    }

    /// The id a connected remote advertises for reference `name`, nil if it has none.
    func advertisedHead(_ remote: OpaquePointer, _ name: String) throws -> ObjectID? {
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try check(git_remote_ls(&heads, &count, remote), "listing the remote's references")
        guard let heads else { return nil }
        for index in 0..<count {
            guard let head = heads[index], let headName = head.pointee.name else { continue }
            if String(cString: headName) == name { return ObjectID(head.pointee.oid) }
        }
        return nil
    }
}

func remoteDisplayURL(_ remote: OpaquePointer) -> String {
    CredentialRedaction.redact(git_remote_url(remote).map { String(cString: $0) } ?? "(no URL)")
}

/// State shared with libgit2's callbacks during one fetch or push, passed as `payload`.
final class TransferContext {
    static let maxAuthenticationAttempts = 3

    let credentials: Credentials?
    /// The remote URL without user info, for messages.
    let url: String
    var authenticationAttempts = 0
    var rejections: [String] = []

    init(credentials: Credentials?, url: String) {
        self.credentials = credentials
        self.url = url
    }
}

/// `git_credential_acquire_cb`: libgit2 calls it again after every refused attempt, so cap it.
let acquireCredential: git_credential_acquire_cb = { out, _, _, allowedTypes, payload in
    guard let out, let payload else { return GIT_ERROR.rawValue }
    let context = Unmanaged<TransferContext>.fromOpaque(payload).takeUnretainedValue()
    guard let credentials = context.credentials else {
        setCallbackError( "authentication required for \(context.url)")
        return GIT_EAUTH.rawValue
    }
    guard allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else {
        setCallbackError( "\(context.url) asks for an authentication method kbm does not support (only username/password)")
        return GIT_EAUTH.rawValue
    }
    guard context.authenticationAttempts < TransferContext.maxAuthenticationAttempts else {
        setCallbackError( "authentication failed for \(context.url)")
        return GIT_EAUTH.rawValue
    }
    context.authenticationAttempts += 1
    return git_credential_userpass_plaintext_new(out, credentials.username, credentials.password)
}

/// `git_push_update_reference_cb`: a non-NULL status is the server's reason for refusing `refname`.
let recordPushStatus: git_push_update_reference_cb = { refname, status, payload in
    guard let payload, let status else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(payload).takeUnretainedValue()
    let name = refname.map { String(cString: $0) } ?? "(unknown reference)"
    context.rejections.append("\(name): \(String(cString: status))")
    return 0
}

/// Sets the message libgit2 reports for a failure a callback returns (else it shows a stale one).
private func setCallbackError(_ message: String) {
    git_error_set_str(Int32(GIT_ERROR_NET.rawValue), message)
}

import GRDB

/// A file changed by a commit the authorship rules refused (table `rejected_changes`).
public struct RejectedChange: Equatable, Sendable {
    public var commit: String
    public var path: String
    public var author: String
    public var signer: String
    public var county: String
    public var reason: String
    public var badBlob: String?
    public var validBlob: String?
    public var detected: String

    public init(commit: String, path: String, author: String, signer: String, county: String, reason: String,
                badBlob: String?, validBlob: String?, detected: String) {
        self.commit = commit
        self.path = path
        self.author = author
        self.signer = signer
        self.county = county
        self.reason = reason
        self.badBlob = badBlob
        self.validBlob = validBlob
        self.detected = detected
    }
}

extension StoreTransaction {
    /// Every refused change, oldest detection first.
    public func rejectedChanges() throws -> [RejectedChange] {
        try Row.fetchAll(db, sql: "SELECT * FROM rejected_changes ORDER BY detected, commit_id, path").map {
            RejectedChange(commit: $0["commit_id"], path: $0["path"], author: $0["author"], signer: $0["signer"], county: $0["county"],
                           reason: $0["reason"], badBlob: $0["bad_blob"], validBlob: $0["valid_blob"], detected: $0["detected"])
        }
    }

    /// Records a refused change; a second detection of the same commit and path keeps the first date.
    public func recordRejection(_ change: RejectedChange) throws {
        try db.execute(sql: """
            INSERT INTO rejected_changes(commit_id, path, author, signer, county, reason, bad_blob, valid_blob, detected)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(commit_id, path) DO UPDATE SET reason = excluded.reason, signer = excluded.signer, valid_blob = excluded.valid_blob
            """, arguments: [change.commit, change.path, change.author, change.signer, change.county, change.reason,
                             change.badBlob, change.validBlob, change.detected])
    }
}

extension StoreTransaction {
    /// The files `commit` holds at an older valid version (table `held_files`): path → valid blob
    /// (nil: no file). Empty for a commit that holds nothing or was never verified here.
    public func heldFiles(commit: String) throws -> [String: String?] {
        var held: [String: String?] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT path, valid_blob FROM held_files WHERE commit_id = ?", arguments: [commit]) {
            let valid: String? = row["valid_blob"]
            held[row["path"]] = valid
        }
        return held
    }

    /// Records the files a verified commit holds.
    public func recordHeldFiles(commit: String, _ held: [String: String?]) throws {
        for (path, valid) in held {
            try db.execute(sql: "INSERT OR REPLACE INTO held_files(commit_id, path, valid_blob) VALUES (?, ?, ?)",
                           arguments: [commit, path, valid])
        }
    }
}

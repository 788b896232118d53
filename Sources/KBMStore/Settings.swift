/// Keys of the store's settings table.
public enum Settings {
    public static let county = "county"
    public static let authorName = "author_name"
    public static let authorEmail = "author_email"
    public static let created = "created"
    public static let remote = "remote"
    /// The commit whose records the store holds (the store's view of the repository).
    public static let storeCommit = "store_commit"
    public static let lastSync = "last_sync"
    public static let lastFetch = "last_fetch"
    public static let syncStep = "sync_step"
    /// The last rewrite of the remote's history a sync detected (`HistoryRewrite.stored`).
    public static let historyRewritten = "history_rewritten"
    /// The privacy rules the store's shared copies follow (`Workspace.applyPrivacyRulesIfChanged`).
    public static let privacyRules = "privacy_rules"
}

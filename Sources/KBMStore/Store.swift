import Foundation
import GRDB
import KBMRecords


/// A failure of the local store, with what kbm was doing.
public struct StoreError: Error, CustomStringConvertible {
    public var operation: String
    public var message: String
    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }
    public var description: String { "\(operation): \(message)" }
}

/// The workspace's SQLite database (WAL mode), migrated from schema/migrations.
/// Every command's writes go through one `write` call: one transaction.
public final class Store: @unchecked Sendable {
    let queue: DatabaseQueue
    public let path: String
    public let schema: Schema

    /// Opens (and creates or migrates) the store at `path`.
    /// Throws `StoreError` when the file is not a kbm store or cannot be opened.
    public init(path: String, schema: Schema = .current) throws {
        self.path = path
        self.schema = schema
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Deleted records (kbm forget, kbm purge) are overwritten in the file, not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.writeWithoutTransaction { db in
                _ = try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            var migrator = DatabaseMigrator()
            for migration in SchemaData.migrations {
                migrator.registerMigration(migration.name) { db in
                    try db.execute(sql: migration.sql)
                }
            }
            try migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw StoreError("opening the store \(path)", error.message ?? "\(error)")
        }
    }

    /// Runs `body` in one write transaction; nothing is written if it throws.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try queue.write { db in try body(StoreTransaction(db: db, schema: schema)) }
        } catch let error as DatabaseError {
            throw StoreError("writing to the store", error.message ?? "\(error)")
        }
    }

    /// Runs `body` with a consistent read-only view.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try queue.read { db in try body(StoreTransaction(db: db, schema: schema)) }
        } catch let error as DatabaseError {
            throw StoreError("reading the store", error.message ?? "\(error)")
        }
    }

    /// SQLite's own integrity check: "ok" or the problems found.
    public func integrityCheck() throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }
}

import Foundation
import GRDB
import KBMRecords


/// A failure of the local store, with what kbm was doing.
public struct StoreError: Error, CustomStringConvertible {
    public var operation: String
    public var message: String
    /// A row that cannot be decoded: the record's id (as stored) and the column.
    public var undecodable: UndecodableRow?
    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }

    /// A record row the store refuses to read (see `UndecodableRow`).
    public init(undecodable row: UndecodableRow) {
        self.init("reading record \(row.id) from the store", row.description)
        undecodable = row
    }

    public var description: String { "\(operation): \(message)" }
}

/// A row of the `records` table (or of a table holding a record's values) that cannot be
/// decoded: the store never turns it into empty fields or skips it, it refuses it.
public struct UndecodableRow: Equatable, Sendable, CustomStringConvertible {
    /// The record's id as stored (it may itself be what is broken).
    public var id: String
    /// The column (or table.column) that cannot be read.
    public var column: String
    /// What is wrong with it.
    public var problem: String
    public init(id: String, column: String, problem: String) {
        self.id = id
        self.column = column
        self.problem = problem
    }
    public var description: String { "column '\(column)' of record \(id) cannot be decoded: \(problem)" }
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
            // The search index is filled in Swift (the text is folded first): once after the
            // migration that adds it, and again when what is indexed changes.
            let schema = schema
            try queue.write { db in
                let tx = StoreTransaction(db: db, schema: schema)
                if try !tx.searchIndexIsCurrent() { try tx.rebuildSearchIndex() }
            }
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

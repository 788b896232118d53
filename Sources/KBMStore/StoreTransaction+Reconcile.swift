import GRDB
import KBMRecords

extension StoreTransaction {
    /// The ids of every record in the store (for reconciliation: which records still exist).
    public func recordIDs() throws -> Set<RecordID> {
        Set(try String.fetchAll(db, sql: "SELECT id FROM records").compactMap(RecordID.init))
    }

    /// Whether this id was used here once and its record is gone (deleted or merged away).
    public func isRetired(_ id: RecordID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM retired_ids WHERE id = ?) AND NOT EXISTS(SELECT 1 FROM records WHERE id = ?)", arguments: [id.rawValue, id.rawValue]) ?? false
    }
}

import GRDB
import KBMRecords

extension StoreTransaction {
    /// The county and kind of every record, without decoding the records (for `kbm rebuild`:
    /// a file reusing another county's id must not replace that record).
    public func recordOwners() throws -> [RecordID: (county: County, kind: String)] {
        var out: [RecordID: (county: County, kind: String)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, county, kind FROM records") {
            guard let id = RecordID(row["id"] as String), let county = County(row["county"] as String) else { continue }
            out[id] = (county, row["kind"])
        }
        return out
    }
}

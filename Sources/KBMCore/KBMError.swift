import Foundation
import KBMRecords
import KBMStore

extension KBMError {
    /// Wraps any error from a lower layer with the exit code it deserves.
    public static func from(_ error: Error) -> KBMError {
        switch error {
        case let e as KBMError: return e
        case let e as RecordParseError: return .invalid(e.description)
        case let e as StoreError:
            if let row = e.undecodable { return .failure(row.message()) }
            return .failure(e.description)
        default: return .failure(describe(error))
        }
    }
}

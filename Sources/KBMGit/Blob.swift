import CLibgit2
import Foundation

extension Repository {
    /// Stores `data` as a blob and returns its id (writing nothing if it already exists).
    public func writeBlob(_ data: Data) throws -> ObjectID {
        var oid = git_oid()
        let code = data.withUnsafeBytes { buffer in
            // libgit2 wants a non-NULL buffer even for zero bytes.
            withUnsafeBytes(of: UInt8(0)) { empty in
                git_blob_create_from_buffer(&oid, pointer, buffer.baseAddress ?? empty.baseAddress, buffer.count)
            }
        }
        try check(code, "writing a blob of \(data.count) bytes")
        return ObjectID(oid)
    }

    /// Stores `bytes` as a blob and returns its id.
    public func writeBlob(_ bytes: [UInt8]) throws -> ObjectID {
        try writeBlob(Data(bytes))
    }

    /// The content of blob `id`. Throws `GitError` (`isNotFound`) if it is missing or not a blob.
    public func readBlob(_ id: ObjectID) throws -> Data {
        var oid = id.oid
        let blob = try Handle.make("looking up blob \(id)", free: git_blob_free) {
            git_blob_lookup($0, pointer, &oid)
        }
        return blob.use { blob in
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let content = git_blob_rawcontent(blob) else { return Data() }
            return Data(bytes: content, count: size)
        }
    }

    /// The size in bytes of blob `id`, read from the object header without loading the content.
    /// Throws `GitError` (`isNotFound`) if it is missing or not a blob.
    public func blobSize(_ id: ObjectID) throws -> Int {
        let odb = try objectDatabase()
        var oid = id.oid
        var size = 0
        var type = GIT_OBJECT_INVALID
        try check(git_odb_read_header(&size, &type, odb.pointer, &oid), "reading the header of blob \(id)")
        guard type == GIT_OBJECT_BLOB else {
            throw GitError(operation: "reading the header of blob \(id)", code: GIT_ENOTFOUND.rawValue,
                           message: "object \(id) is not a blob")
        }
        return size
    }

    /// Whether any object (blob, tree, commit, tag) with this id is stored.
    public func containsObject(_ id: ObjectID) throws -> Bool {
        let odb = try objectDatabase()
        var oid = id.oid
        return git_odb_exists(odb.pointer, &oid) == 1
    }
}

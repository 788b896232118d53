import CLibgit2
import KBMGit
import XCTest

/// A failure's category comes from libgit2's code and error class, which the sync's typed outcome
/// is built from; the message text plays no part.
final class GitErrorCategoryTests: XCTestCase {
    private func category(code: git_error_code, klass: git_error_t, message: String = "whatever the text says") -> GitError.Category {
        GitError(operation: "test", code: code.rawValue, message: message, errorClass: Int32(klass.rawValue)).category
    }

    func testCategoriesFollowCodeAndClass() {
        XCTAssertEqual(category(code: GIT_EAUTH, klass: GIT_ERROR_NET), .authentication)
        XCTAssertEqual(category(code: GIT_ECERTIFICATE, klass: GIT_ERROR_NET), .certificate)
        XCTAssertEqual(category(code: GIT_ERROR, klass: GIT_ERROR_SSL), .certificate)
        XCTAssertEqual(category(code: GIT_ERROR, klass: GIT_ERROR_NET, message: "No space left on device"), .network)
        XCTAssertEqual(category(code: GIT_ERROR, klass: GIT_ERROR_SSH), .network)
        XCTAssertEqual(category(code: GIT_ERROR, klass: GIT_ERROR_OS, message: "connection timed out"), .local)
        XCTAssertEqual(category(code: GIT_ERROR, klass: GIT_ERROR_HTTP), .other)
    }

    func testARealConnectionRefusalIsNetwork() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kbm-cat-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let repo = try Repository.initBare(at: dir)
        // Port 1 on loopback: nothing listens there.
        try repo.setRemote(name: "origin", url: "git://127.0.0.1:1/none.git")
        XCTAssertThrowsError(try repo.fetch(remote: "origin")) { error in
            XCTAssertEqual((error as? GitError)?.category, .network, "\(error)")
        }
    }
}

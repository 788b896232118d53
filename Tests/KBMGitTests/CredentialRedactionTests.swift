import KBMGit
import XCTest

/// The one redactor every message and stored URL goes through (GitError, `kbm remote`, status).
final class CredentialRedactionTests: XCTestCase {
    func testPasswordsGoUserNamesStay() {
        XCTAssertEqual(CredentialRedaction.redact("https://kreis:geheim@git.example/region.git"), "https://kreis@git.example/region.git")
        XCTAssertEqual(CredentialRedaction.redact("https://anna@git.example/region.git"), "https://anna@git.example/region.git")
        XCTAssertEqual(CredentialRedaction.redact("git://127.0.0.1:9418/region.git"), "git://127.0.0.1:9418/region.git")
        XCTAssertEqual(CredentialRedaction.redact("/srv/git/region.git"), "/srv/git/region.git")
    }

    func testTokensInTheUserSlotGoWhole() {
        let token = "glpat-AbCdEf0123456789xyzW"
        XCTAssertEqual(CredentialRedaction.redact("https://\(token)@gitlab.example/region.git"), "https://gitlab.example/region.git")
        XCTAssertEqual(CredentialRedaction.redact("https://oauth2:\(token)@gitlab.example/r.git"), "https://oauth2@gitlab.example/r.git")
    }

    func testEveryURLInAMessage() {
        let message = "failed to connect to https://kreis:pw1@a.example/x and 'http://u:pw2@b.example:8080/y'\nthen https://c.example"
        let redacted = CredentialRedaction.redact(message)
        XCTAssertFalse(redacted.contains("pw1") || redacted.contains("pw2"), redacted)
        XCTAssertTrue(redacted.contains("https://kreis@a.example/x"), redacted)
        XCTAssertTrue(redacted.contains("'http://u@b.example:8080/y'"), redacted)
        XCTAssertEqual(GitError(operation: "x", code: -1, message: message).message, redacted)
    }
}

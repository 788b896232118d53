import Foundation
import KBMTestSupport
import XCTest

/// The runner's JSON helpers (`json`, `listJSON`, `sync`) fail the test when kbm fails, so an
/// assertion such as "this field is absent" cannot pass because `kbm show` itself failed.
final class KBMRunnerTests: XCTestCase {
    func testJSONOfAFailedCommandIsAFailureNotAnEmptyObject() throws {
        let region = RegionFixture()
        let a = region.join("lk-augsburg")
        let id = a.ok("add", "stakeholder", "name=Maria Huber", "email=maria@example.org").lastLine
        guard case .success(let shown) = a.decode(["show", id, "--json"], as: [String: Any].self) else {
            return XCTFail("kbm show of an existing record must decode")
        }
        XCTAssertEqual(shown["email"] as? String, "maria@example.org")

        let missing = "01JD3Q5V8X2M4N6P8R0T2W4Y6Z"
        guard case .failure(let problem) = a.decode(["show", missing, "--json"], as: [String: Any].self) else {
            return XCTFail("kbm show of a missing record must not decode to an object")
        }
        XCTAssertTrue(problem.message.contains("failed with status 2") && problem.message.contains(missing), problem.message)

        a.ok("remote", "/nonexistent/region.git")
        guard case .failure(let offline) = a.decode(["sync", "--json"], as: [String: Any].self) else {
            return XCTFail("a failed sync must not decode to a report")
        }
        XCTAssertTrue(offline.message.contains("failed with status 3"), offline.message)

        guard case .failure(let notJSON) = a.decode(["status"], as: [String: Any].self) else {
            return XCTFail("output that is not JSON must not decode")
        }
        XCTAssertTrue(notJSON.message.contains("printed no JSON"), notJSON.message)
    }
}

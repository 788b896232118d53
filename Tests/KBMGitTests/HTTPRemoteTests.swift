import Foundation
import KBMGit
import XCTest

/// Smart HTTP with basic auth: `git http-backend` behind a small Python server on 127.0.0.1.
final class HTTPRemoteTests: GitTestCase {
    private var server: LocalServer?
    private let good = Credentials(username: "kbm", password: "correct-horse")

    override func tearDownWithError() throws {
        server?.stop()
        try super.tearDownWithError()
    }

    private func startServer() throws -> String {
        let script = directory + "/http_backend_server.py"
        try httpBackendServerScript.write(toFile: script, atomically: true, encoding: .utf8)
        let root = directory
        let server = try LocalServer(executable: "/usr/bin/env") { port in
            ["python3", script, String(port), root, "kbm", "correct-horse"]
        }
        self.server = server
        return "http://127.0.0.1:\(server.port)/remote.git"
    }

    func testSyncOverHTTPWithBasicAuth() throws {
        let url = try startServer()
        try exerciseSync(url: url, credentials: good)
    }

    func testMissingOrWrongCredentialsFailCleanly() throws {
        let url = try startServer()
        _ = try makeBare("remote")
        let local = try makeBare("local")
        try local.setRemote(name: "origin", url: url)

        XCTAssertThrowsError(try local.fetch(remote: "origin", branch: "main", credentials: nil)) { error in
            let gitError = error as? GitError
            XCTAssertEqual(gitError?.isAuthentication, true, "\(error)")
            XCTAssertEqual(gitError?.message, "authentication required for \(url)")
        }
        let wrong = Credentials(username: "kbm", password: "wrong-password")
        let started = Date()
        XCTAssertThrowsError(try local.fetch(remote: "origin", branch: "main", credentials: wrong)) { error in
            let gitError = error as? GitError
            XCTAssertEqual(gitError?.isAuthentication, true, "\(error)")
            XCTAssertEqual(gitError?.message, "authentication failed for \(url)")
            XCTAssertFalse("\(error)".contains("wrong-password"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the credential callback must give up")

        let id = try commit(local, ["a.md": "a"])
        try local.setReference("refs/heads/main", to: id, message: "commit")
        XCTAssertThrowsError(try local.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: wrong)) {
            XCTAssertEqual(($0 as? GitError)?.isAuthentication, true, "\($0)")
        }
        XCTAssertEqual(try local.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: good), .pushed)
    }

    func testServerSideRejectionOverHTTP() throws {
        let url = try startServer()
        let remote = try makeBare("remote")
        let hook = gitDir(remote) + "/hooks/pre-receive"
        try "#!/bin/sh\nexit 1\n".write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        let local = try makeBare("local")
        try local.setRemote(name: "origin", url: url)
        let id = try commit(local, ["a.md": "a"])
        try local.setReference("refs/heads/main", to: id, message: "commit")
        XCTAssertEqual(try local.push(remote: "origin", localRef: "refs/heads/main", branch: "main", credentials: good),
                       .rejected(reason: "refs/heads/main: pre-receive hook declined"))
    }
}

/// Usage: python3 <script> <port> <project-root> <user> <password>. Kept inline so the test
/// target holds Swift files only.
private let httpBackendServerScript = #"""
"""Smart-HTTP git server for KBMGit tests: basic auth in front of `git http-backend` (CGI).

Usage: http_backend_server.py <port> <project-root> <user> <password>
"""
import base64
import http.server
import subprocess
import sys

PORT, ROOT, USER, PASSWORD = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
EXPECTED = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def handle_any(self):
        body = self.read_body() if self.command == "POST" else b""
        if self.headers.get("Authorization") != EXPECTED:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kbm-test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        env = {
            "GIT_PROJECT_ROOT": ROOT, "GIT_HTTP_EXPORT_ALL": "1", "PATH_INFO": path,
            "QUERY_STRING": query, "REQUEST_METHOD": self.command, "REMOTE_USER": USER,
            "REMOTE_ADDR": "127.0.0.1", "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)), "PATH": "/usr/bin:/bin",
        }
        result = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
        header_blob, _, payload = result.stdout.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in header_blob.decode().split("\r\n"):
            if not line:
                continue
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            else:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = handle_any
    do_POST = handle_any


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
"""#

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server process on a free port of 127.0.0.1, stopped with `stop()` (call it in tearDown).
/// The git servers the tests use: `gitDaemon`, `smartHTTP` (git http-backend behind basic auth),
/// and `silent` (accepts connections, never answers).
public final class LocalServer {
    public let port: Int
    private let process: Process
    public var pid: Int32 { process.processIdentifier }

    /// Starts `executable` with `arguments(port)` and waits until the port accepts connections.
    public init(executable: String, arguments: (Int) -> [String], directory: String? = nil,
                environment: [String: String] = [:]) throws {
        port = try freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments(port)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !isAccepting(port: port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw TestSupportError(message: "\(executable) did not start listening on port \(port)")
            }
            usleep(50_000)
        }
    }

    /// Terminates the server and waits for it.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Stops the server without waiting on Foundation's `waitUntilExit` (which could hang once
    /// the child had died under load): SIGTERM (git forwards it to git-daemon), then SIGKILL.
    public func forceStop() {
        kill(pid, SIGTERM)
        usleep(100_000)
        kill(pid, SIGKILL)
    }

    /// A Python script run with `python3 -c` and the port as its first argument.
    public static func python(_ script: String, _ arguments: [String] = []) throws -> LocalServer {
        try LocalServer(executable: "/usr/bin/env") { port in ["python3", "-c", script, String(port)] + arguments }
    }

    /// `git daemon` serving every repository under `basePath`, push enabled:
    /// `git://127.0.0.1:<port>/<path below basePath>`.
    public static func gitDaemon(basePath: String) throws -> LocalServer {
        try LocalServer(executable: "/usr/bin/git") { port in
            ["daemon", "--reuseaddr", "--base-path=\(basePath)", "--export-all", "--enable=receive-pack",
             "--listen=127.0.0.1", "--port=\(port)", basePath]
        }
    }

    /// Smart HTTP: `git http-backend` serving every repository under `root`, behind basic auth
    /// with `user` and `password`: `http://127.0.0.1:<port>/<path below root>`.
    public static func smartHTTP(root: String, user: String, password: String) throws -> LocalServer {
        try python(httpBackendServerScript, [root, user, password])
    }

    /// A server that accepts connections and never says anything (for timeouts).
    public static func silent() throws -> LocalServer {
        try python("""
        import socket, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16); held = []
        while True: held.append(s.accept())
        """)
    }
}

/// Arguments: <port> <project-root> <user> <password>. Kept inline so the test targets hold Swift
/// files only.
let httpBackendServerScript = #"""
"""Smart-HTTP git server for kbm tests: basic auth in front of `git http-backend` (CGI)."""
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

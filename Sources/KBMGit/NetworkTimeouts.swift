import CLibgit2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Time limits for every connection libgit2 opens (git://, http, https, ssh).
///
/// libgit2 1.5 has no timeout option (GIT_OPT_SET_SERVER_TIMEOUT arrived in 1.7) and blocks
/// forever on a silent server, so kbm registers its own plain socket stream (libgit2's
/// `git_stream_register`): connecting gives up after `connect`, and each read or write after
/// `readWrite`. A timed-out operation throws `GitError` with a "timed out" message.
public enum NetworkTimeouts {
    /// Sets the limits for connections opened from now on (defaults: 10 s and 30 s).
    public static func set(connect: Duration, readWrite: Duration) {
        timeoutSettings.update(connect: milliseconds(connect), readWrite: milliseconds(readWrite))
        _ = kbm_git_set_server_connect_timeout(Int32(clamping: milliseconds(connect)))
        _ = kbm_git_set_server_timeout(Int32(clamping: milliseconds(readWrite)))
    }

    /// The current limits.
    public static var current: (connect: Duration, readWrite: Duration) {
        let (connect, readWrite) = timeoutSettings.read()
        return (.milliseconds(connect), .milliseconds(readWrite))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(clamping: seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// Shared by the setter and libgit2's stream callbacks, which may run on any thread.
private final class TimeoutSettings: @unchecked Sendable {
    // @unchecked: every access to the two values goes through `lock`.
    private let lock = NSLock()
    private var connect = 10_000
    private var readWrite = 30_000

    func update(connect: Int, readWrite: Int) {
        lock.withLock { (self.connect, self.readWrite) = (connect, readWrite) }
    }

    func read() -> (Int, Int) {
        lock.withLock { (connect, readWrite) }
    }
}

private let timeoutSettings = TimeoutSettings()

/// Makes libgit2 open plain sockets through `TimeoutSocket`; called once from the set-up.
func registerTimeoutSocketStream() -> Int32 {
    var registration = git_stream_registration()
    registration.version = Int32(GIT_STREAM_VERSION)
    registration.`init` = { out, host, port in
        guard let out, let host, let port else { return GIT_ERROR.rawValue }
        out.pointee = TimeoutSocket.create(host: String(cString: host), port: String(cString: port))
        return 0
    }
    return git_stream_register(GIT_STREAM_STANDARD, &registration)
}

/// A `git_stream` followed in the same allocation by the socket's state, so the C callbacks
/// (which get only the `git_stream *`) can find it.
private struct TimeoutSocket {
    var fd: Int32 = -1
    let host: String
    let port: String
    let connectTimeout: Int
    let readWriteTimeout: Int

    private static let stateOffset: Int = {
        let alignment = MemoryLayout<TimeoutSocket>.alignment
        return (MemoryLayout<git_stream>.stride + alignment - 1) / alignment * alignment
    }()

    private static func state(_ stream: UnsafeMutablePointer<git_stream>) -> UnsafeMutablePointer<TimeoutSocket> {
        (UnsafeMutableRawPointer(stream) + stateOffset).assumingMemoryBound(to: TimeoutSocket.self)
    }

    static func create(host: String, port: String) -> UnsafeMutablePointer<git_stream> {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: stateOffset + MemoryLayout<TimeoutSocket>.stride,
            alignment: max(MemoryLayout<git_stream>.alignment, MemoryLayout<TimeoutSocket>.alignment))
        let (connect, readWrite) = timeoutSettings.read()
        (raw + stateOffset).bindMemory(to: TimeoutSocket.self, capacity: 1)
            .initialize(to: TimeoutSocket(host: host, port: port, connectTimeout: connect, readWriteTimeout: readWrite))
        let stream = raw.bindMemory(to: git_stream.self, capacity: 1)
        stream.initialize(to: git_stream())
        stream.pointee.version = Int32(GIT_STREAM_VERSION)
        stream.pointee.connect = { stream in
            guard let stream else { return GIT_ERROR.rawValue }
            return TimeoutSocket.state(stream).pointee.connect()
        }
        stream.pointee.read = { stream, buffer, length in
            guard let stream, let buffer else { return -1 }
            return TimeoutSocket.state(stream).pointee.read(into: buffer, length: length)
        }
        stream.pointee.write = { stream, data, length, _ in
            guard let stream, let data else { return -1 }
            return TimeoutSocket.state(stream).pointee.write(data, length: length)
        }
        stream.pointee.close = { stream in
            guard let stream else { return 0 }
            TimeoutSocket.state(stream).pointee.close()
            return 0
        }
        stream.pointee.free = { stream in
            guard let stream else { return }
            let state = TimeoutSocket.state(stream)
            state.pointee.close()
            state.deinitialize(count: 1)
            stream.deinitialize(count: 1)
            UnsafeMutableRawPointer(stream).deallocate()
        }
        return stream
    }

    private var endpoint: String { "\(host):\(port)" }

    mutating func connect() -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var addresses: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, port, &hints, &addresses)
        guard resolved == 0, let addresses else {
            return fail("failed to resolve address for \(host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(addresses) }
        var problem = "no address"
        var next: UnsafeMutablePointer<addrinfo>? = addresses
        while let address = next {
            next = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard fd >= 0 else { problem = String(cString: strerror(errno)); continue }
            if let failure = Self.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen, timeout: connectTimeout) {
                problem = failure
                Glibc.close(fd)
                continue
            }
            var limit = timeval(tv_sec: readWriteTimeout / 1000, tv_usec: (readWriteTimeout % 1000) * 1000)
            let size = socklen_t(MemoryLayout<timeval>.size)
            guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, size) == 0,
                  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, size) == 0 else {
                problem = String(cString: strerror(errno))
                Glibc.close(fd)
                continue
            }
            self.fd = fd
            return 0
        }
        return fail("failed to connect to \(endpoint): \(problem)")
    }

    /// Connects without blocking longer than `timeout` ms; nil on success, else the reason.
    private static func connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
                                timeout: Int) -> String? {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { return String(cString: strerror(errno)) }
        if Glibc.connect(fd, address, length) != 0 {
            guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var ready: Int32
            repeat { ready = poll(&poller, 1, Int32(clamping: timeout)) } while ready < 0 && errno == EINTR
            if ready == 0 { return "timed out after \(timeout / 1000) s" }
            if ready < 0 { return String(cString: strerror(errno)) }
            var socketError: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &size) == 0 else { return String(cString: strerror(errno)) }
            if socketError != 0 { return String(cString: strerror(socketError)) }
        }
        guard fcntl(fd, F_SETFL, flags) == 0 else { return String(cString: strerror(errno)) }
        return nil
    }

    func read(into buffer: UnsafeMutableRawPointer, length: Int) -> Int {
        var count: Int
        repeat { count = recv(fd, buffer, length, 0) } while count < 0 && errno == EINTR
        if count < 0 { return Int(ioFailure("reading from")) }
        return count
    }

    func write(_ data: UnsafePointer<CChar>, length: Int) -> Int {
        var count: Int
        // MSG_NOSIGNAL: a closed connection must be an error, not a SIGPIPE that kills kbm.
        repeat { count = send(fd, data, length, Int32(MSG_NOSIGNAL)) } while count < 0 && errno == EINTR
        if count < 0 { return Int(ioFailure("writing to")) }
        return count
    }

    mutating func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }

    private func ioFailure(_ action: String) -> Int32 {
        if errno == EAGAIN || errno == EWOULDBLOCK {
            return fail("timed out after \(readWriteTimeout / 1000) s \(action) \(endpoint)")
        }
        return fail("error \(action) \(endpoint): \(String(cString: strerror(errno)))")
    }

    private func fail(_ message: String) -> Int32 {
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), message)
        return GIT_ERROR.rawValue
    }
}

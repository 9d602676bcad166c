import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a loop directory, held while a loop runs in it, so two loops never append to the
/// same files. The operating system releases it when the process ends, however it ends.
final class LoopDirectoryLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock, or throws at once if another loop holds it.
    init(directory: URL) throws(AmplificationLoopError) {
        let path = directory.appendingPathComponent("loop.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw AmplificationLoopError(
                code: .storageFailed, message: "cannot open the directory's lock file (errno \(errno))", path: path)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            _ = close(descriptor)
            throw AmplificationLoopError(
                code: .storageFailed,
                message: code == EWOULDBLOCK
                    ? "another loop is running in this directory" : "cannot lock the directory (errno \(code))",
                path: path)
        }
        self.descriptor = descriptor
    }

    deinit {
        _ = close(descriptor)
    }
}

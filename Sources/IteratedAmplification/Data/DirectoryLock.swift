import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a directory, held while one process works in it (a loop, a person's session), so two
/// processes never append to the same files. The operating system releases it when the process ends, however it
/// ends.
final class DirectoryLock: Sendable {
    /// Why the lock was not taken.
    enum Failure: Error {
        /// Another process holds it.
        case held(path: String)
        /// The lock file could not be opened or locked.
        case failed(path: String, message: String)
    }

    private let descriptor: Int32

    /// Takes the lock, or throws at once if another process holds it.
    ///
    /// - Parameter file: The lock file in the directory; created when missing.
    init(file: URL) throws(Failure) {
        let path = file.path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .failed(path: path, message: "cannot open the lock file (errno \(errno))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            _ = close(descriptor)
            if code == EWOULDBLOCK { throw .held(path: path) }
            throw .failed(path: path, message: "cannot lock the directory (errno \(code))")
        }
        self.descriptor = descriptor
    }

    deinit {
        // Unlock before closing: a child process forked by another thread between our open and its exec holds a
        // copy of the descriptor, and a lock that only closing released would last until that child execs.
        _ = flock(descriptor, LOCK_UN)
        _ = close(descriptor)
    }
}

import CSQLite
import Glibc

/// Why a store operation failed. Completions get exactly one of these; the SMTP layer maps
/// `.diskFull` to "452 4.3.1 Insufficient system storage" and the rest to a 451 (RFC 5321 §4.2.2).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The disk (or `maxPageCount`) is full (SQLITE_FULL, or an I/O error with ENOSPC/EDQUOT).
    case diskFull
    /// Any other write or read failure, with SQLite's message.
    case io(String)
    /// The store is closed (or closing); the job was not run.
    case closed
    /// A list cursor that this store did not produce.
    case badCursor
    /// A list limit outside 1...500.
    case badLimit
    /// The message (or attachment) does not exist.
    case notFound
    /// The database file was written by a newer Mailgate (its schema version is unknown here).
    case newerSchema(found: Int, supported: Int)

    public var description: String {
        switch self {
        case .diskFull: "disk full"
        case .io(let message): "store I/O error: \(message)"
        case .closed: "store closed"
        case .badCursor: "malformed cursor"
        case .badLimit: "limit must be between 1 and 500"
        case .notFound: "not found"
        case .newerSchema(let found, let supported):
            "database schema version \(found) is newer than this build supports (\(supported)); upgrade Mailgate"
        }
    }

    /// The metric label of this error kind.
    public var kind: String {
        switch self {
        case .diskFull: "disk_full"
        case .io: "io"
        case .closed: "closed"
        case .badCursor: "bad_cursor"
        case .badLimit: "bad_limit"
        case .notFound: "not_found"
        case .newerSchema: "newer_schema"
        }
    }

    /// Maps any error thrown inside a job or by SQLite to a store error.
    public init(_ error: any Error) {
        switch error {
        case let error as StoreError: self = error
        case let error as DatabaseError: self.init(error)
        default: self = .io(String(describing: error))
        }
    }

    public init(_ error: DatabaseError) {
        if error.isDiskFull {
            self = .diskFull
        } else if error.primaryCode == SQLITE_IOERR
                    && (error.systemErrno == ENOSPC || error.systemErrno == EDQUOT) {
            self = .diskFull
        } else {
            self = .io(error.description)
        }
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}

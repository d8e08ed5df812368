import CSQLite
import Foundation

/// One SQLite 3 connection (owned; closed on deinit) with prepared statements and exact error messages.
/// The ledger's only way to SQLite; not shared between threads.
///
/// ## Another process on the same file
///
/// SQLite lets one connection write at a time. A statement that finds the file locked waits up to `wait`
/// (SQLite's busy timeout); a write ``transaction(_:)`` that still finds it locked — or is refused at once,
/// as SQLite does when a connection's snapshot is older than another's commit (`SQLITE_BUSY_SNAPSHOT`: the
/// busy handler is not called) — is rolled back and run again, from `BEGIN IMMEDIATE`, until `wait` has
/// passed. Then, or when a statement outside a transaction stays locked, it throws
/// ``LedgerError/Code/locked`` naming the file and what to do.
final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String
    /// How long a write waits for another connection's write to finish, in seconds.
    let wait: TimeInterval

    /// Opens (and creates, if `create`) the database file at `path`; `readOnly` opens it for reading only.
    /// `wait`: how long (seconds) to wait for another process that holds the file locked.
    init(path: String, create: Bool, readOnly: Bool = false, wait: TimeInterval = 10) throws {
        var db: OpaquePointer?
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let detail = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw LedgerError(.open, "cannot open the ledger \(path): \(detail)")
        }
        handle = db
        self.path = path
        self.wait = wait.isNaN ? 0 : max(wait, 0)  // NaN would trap in the conversion below
        sqlite3_busy_timeout(db, Int32(min(self.wait * 1000, Double(Int32.max)).rounded(.up)))
    }

    deinit { sqlite3_close_v2(handle) }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// The error for SQLite result `rc` with `message`: ``LedgerError/Code/locked`` when another connection
    /// holds the file (`SQLITE_BUSY`, `SQLITE_LOCKED` and their extended codes), otherwise
    /// ``LedgerError/Code/sqlite``.
    func error(_ rc: Int32, _ message: String) -> LedgerError {
        let primary = rc & 0xff
        if primary == SQLITE_BUSY || primary == SQLITE_LOCKED { return LedgerError.locked(path, waited: wait) }
        return LedgerError(.sqlite, "the ledger \(path): \(message)")
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(message)
            throw error(rc, text)
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, lastMessage) }
        return Statement(stmt, database: self)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT` (rolled back if it throws). When another connection
    /// holds the file, waits for it; the transaction is rolled back and `body` run again from the start
    /// (it must do nothing outside the database that cannot be repeated) until ``wait`` has passed, then
    /// ``LedgerError/Code/locked`` is thrown.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try retrying {
            // A statement left on a row keeps a read transaction (an old snapshot) open; BEGIN IMMEDIATE on
            // an old snapshot fails at once with SQLITE_BUSY_SNAPSHOT. Outside a transaction, none is needed.
            if sqlite3_get_autocommit(handle) != 0 { resetStatements() }
            try execute("BEGIN IMMEDIATE")
            do {
                let result = try body()
                try execute("COMMIT")
                return result
            } catch {
                if sqlite3_get_autocommit(handle) == 0 { try? execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs `body` (a statement or transaction that can be repeated) again, after a short pause that grows,
    /// while it throws ``LedgerError/Code/locked``, until ``wait`` has passed.
    func retrying<T>(_ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(wait)
        var pause: TimeInterval = 0.005
        while true {
            do {
                return try body()
            } catch let e as LedgerError where e.code == .locked {
                guard Date().addingTimeInterval(pause) < deadline else { throw e }
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.25)
            }
        }
    }

    /// Resets every statement of this connection that is still on a row, ending its read.
    private func resetStatements() {
        var stmt = sqlite3_next_stmt(handle, nil)
        while let s = stmt {
            if sqlite3_stmt_busy(s) != 0 { sqlite3_reset(s) }
            stmt = sqlite3_next_stmt(handle, s)
        }
    }
}

/// A prepared statement: bind, step, read columns, reset.
final class Statement {
    let handle: OpaquePointer
    unowned let database: SQLiteDatabase

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `values` to `?1…?n` (String, Int, nil) after resetting the statement.
    @discardableResult
    func bind(_ values: [(any Sendable)?]) -> Statement {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            switch v {
            case let s as String: sqlite3_bind_text(handle, index, s, -1, Statement.transient)
            case let n as Int: sqlite3_bind_int64(handle, index, sqlite3_int64(n))
            default: sqlite3_bind_null(handle, index)
            }
        }
        return self
    }

    /// Steps once: true if a row is available, false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = database.lastMessage
            sqlite3_reset(handle)
            throw database.error(rc, message)
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws {
        while try step() {}
        sqlite3_reset(handle)
    }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
}

import CSQLite
import Foundation

/// One SQLite 3 connection (owned; closed on deinit) with prepared statements and exact error messages.
/// The ledger's only way to SQLite; not shared between threads.
final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String

    /// Opens (and creates, if `create`) the database file at `path`; `readOnly` opens it for reading only.
    init(path: String, create: Bool, readOnly: Bool = false) throws {
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
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit { sqlite3_close_v2(handle) }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw LedgerError(.sqlite, "the ledger \(path): \(message)")
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw LedgerError(.sqlite, "the ledger \(path): \(lastMessage)")
        }
        return Statement(stmt, database: self)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT` (rolled back if it throws).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
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
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = database.lastMessage
            sqlite3_reset(handle)
            throw LedgerError(.sqlite, "the ledger \(database.path): \(message)")
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

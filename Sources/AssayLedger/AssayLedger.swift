// AssayLedger — The ledger: issued records in SQLite (WAL) with status and a tamper-evident hash chain.

// Tests for AssayLedger.

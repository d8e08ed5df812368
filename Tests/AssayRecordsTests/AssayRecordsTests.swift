// Tests for AssayRecords.

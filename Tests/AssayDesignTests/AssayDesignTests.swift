// Tests for AssayDesign.

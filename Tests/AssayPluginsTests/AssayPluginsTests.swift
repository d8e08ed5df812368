// Tests for AssayPlugins.

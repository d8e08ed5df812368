// Tests for AssayRecognition.

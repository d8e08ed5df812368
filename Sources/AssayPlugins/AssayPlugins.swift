// AssayPlugins — External scorer plugins: manifests found in plugins/, the persistent worker host and protocol v1 (plugins/PROTOCOL.md).

/// A SHA-256 digest as 64 lowercase hex digits (what result sheets and records print).
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    public var description: String { hex }
}

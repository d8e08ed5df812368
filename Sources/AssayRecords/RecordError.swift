/// Why a record could not be built, signed, read or verified.
///
/// One error type for the records step (keys, did:key, JWS, JSON), with a growable ``Code`` and a message
/// that says what failed and what to do.
public struct RecordError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A key file could not be read, parsed or written.
        public static let key = Code("key")
        /// The requested signature algorithm is not `EdDSA` or `RS256`.
        public static let unsupportedAlgorithm = Code("unsupported-algorithm")
        /// A `did:key` identifier is malformed or names a key type Assay does not verify.
        public static let didKey = Code("did-key")
        /// A JWS compact serialisation is malformed (parts, base64url, header).
        public static let malformedJWS = Code("malformed-jws")
        /// The signature does not verify against the issuer's key.
        public static let badSignature = Code("bad-signature")
        /// Text that should be JSON is not.
        public static let malformedJSON = Code("malformed-json")
        /// The decision cannot become a record (not granted, unknown course or certificate).
        public static let notIssuable = Code("not-issuable")
        /// OpenSSL reported a failure it should not have.
        public static let crypto = Code("crypto")
    }

    public let code: Code
    /// What failed and what to do, in a registrar's words.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

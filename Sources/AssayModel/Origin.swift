/// Where a rubric element and each of its attributes stand in the source file.
///
/// Diagnostics about an attribute (a dangling reference, a weight) point at the attribute itself; others
/// point at the element's start tag.
public struct Origin: Sendable, Hashable {
    /// The `<` of the element's start tag.
    public var element: SourceLocation
    /// Start of each attribute's name, by attribute name.
    public var attributes: [String: SourceLocation]

    public init(element: SourceLocation, attributes: [String: SourceLocation] = [:]) {
        self.element = element
        self.attributes = attributes
    }

    /// The attribute's location, or the element's when the attribute is absent.
    public func at(_ attribute: String) -> SourceLocation {
        attributes[attribute] ?? element
    }

    /// For values built in code rather than read from a file.
    public static func synthetic(_ file: String = "<none>") -> Origin {
        Origin(element: SourceLocation(file: file, line: 0))
    }
}

import AssayModel
import CLibXML2

/// A read-only view of one element of an ``XMLDocument``, for building model values.
struct Element {
    let node: xmlNodePtr
    unowned let document: XMLDocument

    var name: String { node.pointee.name.map { String(cString: $0) } ?? "" }

    /// True when the element's local name is `localName` (compared as C strings, no allocation).
    func isNamed(_ localName: StaticString) -> Bool {
        assay_nameEquals(node.pointee.name, UnsafeRawPointer(localName.utf8Start).assumingMemoryBound(to: CChar.self)) != 0
    }

    /// The attribute's value as written (entities resolved), or nil when absent.
    func attribute(_ name: String) -> String? {
        guard let value = xmlGetNoNsProp(node, name) else { return nil }
        defer { assay_xmlFree(value) }
        return String(cString: value)
    }

    /// Child elements in document order.
    var children: [Element] {
        var out: [Element] = []
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { out.append(Element(node: c, document: document)) }
            child = c.pointee.next
        }
        return out
    }

    func children(named name: StaticString) -> [Element] { children.filter { $0.isNamed(name) } }
    func child(named name: StaticString) -> Element? { children.first { $0.isNamed(name) } }

    /// Concatenated text content.
    var text: String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { assay_xmlFree(content) }
        return String(cString: content)
    }

    var origin: Origin { document.origin(of: node) }
}

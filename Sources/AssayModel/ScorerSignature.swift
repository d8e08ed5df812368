import Foundation

/// What a scorer takes: whether it reads evidence (leaf) or combines children (inner), and its typed
/// parameters. The loader checks every node of a rubric against the signature of the scorer it names, so a
/// wrong parameter is a validation error with a line number, never a surprise at scoring time.
public struct ScorerSignature: Sendable, Hashable {
    /// Where in a tree the scorer may stand.
    public enum Placement: String, Sendable, Hashable {
        /// Reads evidence; must have no child nodes.
        case leaf
        /// Combines child nodes; needs at least one.
        case inner
        /// Either: with children it combines them, without it reads evidence.
        case either
    }

    public var id: String
    /// One line for `--help` and the docs.
    public var summary: String
    public var placement: Placement
    public var parameters: [ParameterSpec]
    /// Groups of parameters of which at most one may be given.
    public var exclusive: [[String]]

    public init(
        id: String, summary: String, placement: Placement, parameters: [ParameterSpec] = [],
        exclusive: [[String]] = []
    ) {
        self.id = id
        self.summary = summary
        self.placement = placement
        self.parameters = parameters
        self.exclusive = exclusive
    }

    public func parameter(_ name: String) -> ParameterSpec? { parameters.first { $0.name == name } }
}

/// One parameter a scorer takes.
public struct ParameterSpec: Sendable, Hashable {
    public var name: String
    public var type: ParameterType
    public var required: Bool
    public var summary: String

    public init(_ name: String, _ type: ParameterType, required: Bool = false, _ summary: String) {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
    }
}

/// The type of a scorer parameter, as written in `<param value="…"/>`.
public enum ParameterType: Sendable, Hashable {
    /// A plain decimal: `12.5`.
    case decimal
    /// A whole number at least `min`: `3`.
    case integer(min: Int)
    /// Decimals separated by commas or spaces: `20, 25, 40, 50`.
    case decimalList
    /// `key:points` pairs separated by commas: `A:5, B:4, C:2` or `0:0, 60:3, 80:5`.
    case table
    /// `panel-size:count` pairs of whole numbers: `5:1, 7:2`.
    case panelTable
    /// `true` or `false`.
    case boolean
    /// One of the listed words.
    case choice([String])
    /// The id of another node of the same scoring tree.
    case node
    /// Free text.
    case text

    /// How the type reads in docs and diagnostics.
    public var description: String {
        switch self {
        case .decimal: return "a decimal number"
        case .integer(let min): return min <= 0 ? "a whole number" : "a whole number of at least \(min)"
        case .decimalList: return "a list of decimal numbers separated by commas"
        case .table: return "a table of key:points pairs separated by commas (e.g. A:5, B:4)"
        case .panelTable: return "a table of panel-size:count pairs separated by commas (e.g. 5:1, 7:2)"
        case .boolean: return "true or false"
        case .choice(let words): return "one of " + words.joined(separator: ", ")
        case .node: return "the id of a node in the same scoring tree"
        case .text: return "text"
        }
    }

    /// Checks a written value; returns `nil` when it is well-formed, else what is wrong with it.
    public func problem(with value: String) -> String? {
        let v = value.trimmingCharacters(in: .whitespaces)
        switch self {
        case .decimal:
            return Decimal(plainText: v) == nil ? "'\(value)' is not \(description)" : nil
        case .integer(let min):
            guard let n = Int(v) else { return "'\(value)' is not \(description)" }
            return n < min ? "'\(value)' is less than \(min)" : nil
        case .decimalList:
            let items = Self.listItems(v)
            if items.isEmpty { return "the list is empty" }
            if let bad = items.first(where: { Decimal(plainText: $0) == nil }) { return "'\(bad)' is not a decimal number" }
            return nil
        case .table, .panelTable:
            let items = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if items.isEmpty || items.contains(where: \.isEmpty) { return "'\(value)' is not \(description)" }
            var keys = Set<String>()
            for item in items {
                let parts = item.split(separator: ":", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard parts.count == 2, !parts[0].isEmpty else { return "'\(item)' is not a key:value pair" }
                if case .panelTable = self {
                    guard let k = Int(parts[0]), k > 0, let c = Int(parts[1]), c >= 0 else {
                        return "'\(item)' is not a pair of whole numbers"
                    }
                } else if Decimal(plainText: parts[1]) == nil {
                    return "'\(parts[1])' in '\(item)' is not a decimal number"
                }
                if !keys.insert(parts[0]).inserted { return "the key '\(parts[0])' appears twice" }
            }
            return nil
        case .boolean:
            return v == "true" || v == "false" ? nil : "'\(value)' is not true or false"
        case .choice(let words):
            return words.contains(v) ? nil : "'\(value)' is not \(description)"
        case .node:
            return v.isEmpty ? "the node id is empty" : nil
        case .text:
            return nil
        }
    }

    /// Splits a list written with commas and/or spaces.
    public static func listItems(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }
}

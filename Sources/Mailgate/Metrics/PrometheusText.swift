/// Renders metrics in the Prometheus text exposition format 0.0.4: `# HELP`, `# TYPE`, then one
/// sample per line, label values escaped (backslash, quote, newline).
public struct PrometheusText {
    public private(set) var text = ""

    public init() {}

    public mutating func header(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.format(value) + "\n"
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Int) {
        sample(name, labels, Double(value))
    }

    public mutating func counter(_ name: String, _ help: String, _ value: Int) {
        header(name, "counter", help)
        sample(name, [], value)
    }

    public mutating func gauge(_ name: String, _ help: String, _ value: Double) {
        header(name, "gauge", help)
        sample(name, [], value)
    }

    public mutating func labeled(_ name: String, _ type: String, _ help: String, label: String, _ values: [(String, Int)]) {
        header(name, type, help)
        for (l, v) in values { sample(name, [(label, l)], v) }
    }

    public mutating func histogram(_ name: String, _ help: String, buckets: [(Double, Int)], sum: Double, count: Int) {
        header(name, "histogram", help)
        for (bound, n) in buckets { sample(name + "_bucket", [("le", Self.format(bound))], n) }
        sample(name + "_bucket", [("le", "+Inf")], count)
        sample(name + "_sum", [], sum)
        sample(name + "_count", [], count)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}

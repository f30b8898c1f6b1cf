import MailgateCore

extension JSONValue {
    /// Parses a request body that must be a JSON object.
    static func object(_ body: [UInt8]) throws(WebhookError) -> [String: JSONValue] {
        guard let value = JSONValue.parse(body) else { throw .malformed("the body is not valid JSON") }
        guard case .object(let fields) = value else { throw .malformed("the body must be a JSON object") }
        return fields
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

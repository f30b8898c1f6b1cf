import Glibc

/// A failed system call: the errno it reported and the name of the call (swift-nio style).
public struct IOError: Error, Sendable, Equatable, CustomStringConvertible {
    public let errnoCode: Int32
    public let function: String

    public init(errnoCode: Int32, function: StaticString) {
        self.errnoCode = errnoCode
        self.function = function.description
    }

    public var description: String {
        "\(function) failed: \(String(cString: strerror(errnoCode))) (errno \(errnoCode))"
    }
}

/// An address string that is not `host:port` with a literal IPv4/IPv6 host.
public struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public var description: String { "not a host:port address: \(text)" }
}

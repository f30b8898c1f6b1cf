/// One configuration setting: its environment variable, its command-line flag, its default and
/// what it means. `Settings.all` is the single table that the parser, `mailgate serve --help`,
/// `mailgate settings` and docs/OPERATIONS.md (checked by a test) are all derived from.
public struct Setting: Sendable {
    /// The environment variable, e.g. `MAILGATE_SMTP_ADDR`.
    public let env: String
    /// The default value as text ("" = unset).
    public let defaultValue: String
    /// One line on what it does.
    public let help: String

    /// The command-line flag derived from the variable: `MAILGATE_SMTP_ADDR` -> `--smtp-addr`.
    public var flag: String {
        "--" + env.dropFirst("MAILGATE_".count).lowercased().replacingOccurrences("_", "-")
    }

    public init(_ env: String, _ defaultValue: String, _ help: String) {
        self.env = env
        self.defaultValue = defaultValue
        self.help = help
    }
}

extension String {
    func replacingOccurrences(_ a: Character, _ b: Character) -> String {
        String(map { $0 == a ? b : $0 })
    }
}

/// A bad setting: exits the process non-zero with one line naming it.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let setting: String
    public let value: String
    public let reason: String
    public init(setting: String, value: String, reason: String) {
        self.setting = setting
        self.value = value
        self.reason = reason
    }
    public var description: String { "invalid \(setting)=\"\(value)\": \(reason)" }
}

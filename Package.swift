// swift-tools-version:6.1
import PackageDescription

// Swift 6 language mode (complete concurrency checking) for every target.
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Mailgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mailgate", targets: ["mailgate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C shims: each is imported by exactly one Swift module.
        .target(name: "CLinux"),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // Pure code, no I/O.
        .target(name: "MailgateCore", dependencies: ["CCrypto"], swiftSettings: swiftSettings),
        .target(name: "MailgateSMTP", dependencies: ["MailgateCore"], swiftSettings: swiftSettings),
        .target(name: "MailgateMIME", dependencies: ["MailgateCore"], swiftSettings: swiftSettings),
        .target(name: "MailgateHTTP", dependencies: ["MailgateCore"], swiftSettings: swiftSettings),

        // The OS and storage layers.
        .target(name: "MailgateIO", dependencies: ["CLinux", "MailgateCore"], swiftSettings: swiftSettings),
        .target(name: "MailgateStore", dependencies: ["CSQLite", "MailgateCore", "MailgateMIME", "MailgateIO"], swiftSettings: swiftSettings),
        .target(name: "MailgateWebhooks", dependencies: ["CCurl", "MailgateCore", "MailgateIO", "MailgateStore"],
                swiftSettings: swiftSettings),

        // Composition and the executable.
        .target(name: "Mailgate",
                dependencies: ["MailgateCore", "MailgateSMTP", "MailgateMIME", "MailgateHTTP",
                               "MailgateIO", "MailgateStore", "MailgateWebhooks"],
                swiftSettings: swiftSettings),
        .executableTarget(name: "mailgate",
                          dependencies: ["Mailgate",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: swiftSettings),

        .testTarget(name: "MailgateCoreTests", dependencies: ["MailgateCore"], swiftSettings: swiftSettings),
        .testTarget(name: "MailgateSMTPTests", dependencies: ["MailgateSMTP"], swiftSettings: swiftSettings),
        .testTarget(name: "MailgateMIMETests", dependencies: ["MailgateMIME"], swiftSettings: swiftSettings),
        .testTarget(name: "MailgateHTTPTests", dependencies: ["MailgateHTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "MailgateIOTests", dependencies: ["MailgateIO"], swiftSettings: swiftSettings),
        .testTarget(name: "MailgateStoreTests", dependencies: ["MailgateStore"], swiftSettings: swiftSettings),
        .testTarget(name: "MailgateWebhooksTests", dependencies: ["MailgateWebhooks"], swiftSettings: swiftSettings),
        .testTarget(name: "EndToEndTests", dependencies: ["Mailgate"], exclude: ["Clients"],
                    swiftSettings: swiftSettings),
    ]
)

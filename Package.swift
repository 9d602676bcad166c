// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "IteratedAmplification",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "IteratedAmplification", targets: ["IteratedAmplification"]),
        .executable(name: "amplify", targets: ["amplify"]),
    ],
    targets: [
        .target(name: "IteratedAmplification"),
        .executableTarget(name: "amplify", dependencies: ["IteratedAmplification"]),
        .testTarget(name: "IteratedAmplificationTests", dependencies: ["IteratedAmplification"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("NonisolatedNonsendingByDefault"))
    target.swiftSettings = settings
}

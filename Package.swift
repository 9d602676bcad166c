// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "IteratedAmplification",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "IteratedAmplification", targets: ["IteratedAmplification"]),
        .library(name: "AmplificationTasks", targets: ["AmplificationTasks"]),
        .library(name: "AmplificationLearners", targets: ["AmplificationLearners"]),
        .library(name: "AmplificationLanguageModels", targets: ["AmplificationLanguageModels"]),
        .executable(name: "amplify", targets: ["amplify"]),
        .executable(name: "ida-bench", targets: ["ida-bench"]),
        .executable(name: "hch-bench", targets: ["hch-bench"]),
        .executable(name: "learn-bench", targets: ["learn-bench"]),
    ],
    targets: [
        // Libraries
        .target(name: "IteratedAmplification"),
        .target(name: "AmplificationTasks", dependencies: ["IteratedAmplification"]),
        .target(name: "AmplificationLearners", dependencies: ["IteratedAmplification"]),
        .target(name: "AmplificationLanguageModels", dependencies: ["IteratedAmplification"]),

        // What the benchmarks share, and the executables' command-line conventions (not products).
        .target(name: "BenchmarkSupport", path: "Benchmarks/BenchmarkSupport"),
        .target(name: "CommandLineSupport"),

        // Executables
        .executableTarget(
            name: "amplify",
            dependencies: [
                "IteratedAmplification", "AmplificationTasks", "AmplificationLearners", "AmplificationLanguageModels",
                "CommandLineSupport",
            ]
        ),
        .executableTarget(
            name: "ida-bench",
            dependencies: [
                "IteratedAmplification", "AmplificationTasks", "AmplificationLearners", "BenchmarkSupport",
                "CommandLineSupport",
            ],
            path: "Benchmarks/ida-bench"
        ),
        .executableTarget(
            name: "hch-bench",
            dependencies: ["IteratedAmplification", "BenchmarkSupport", "CommandLineSupport"],
            path: "Benchmarks/hch-bench"
        ),
        .executableTarget(
            name: "learn-bench",
            dependencies: ["IteratedAmplification", "AmplificationLearners", "BenchmarkSupport", "CommandLineSupport"],
            path: "Benchmarks/learn-bench"
        ),

        // Tests, and what they share: running the built executables.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "IteratedAmplificationTests", dependencies: ["IteratedAmplification", "CommandLineSupport", "TestSupport"]
        ),
        .testTarget(name: "AmplificationTasksTests", dependencies: ["AmplificationTasks", "IteratedAmplification"]),
        .testTarget(
            name: "AmplificationLearnersTests",
            dependencies: ["AmplificationLearners", "AmplificationTasks", "IteratedAmplification"]
        ),
        .testTarget(
            name: "AmplificationLanguageModelsTests",
            dependencies: ["AmplificationLanguageModels", "IteratedAmplification", "TestSupport"]
        ),
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

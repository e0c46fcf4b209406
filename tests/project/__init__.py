"""The project itself: layering, the quality gate, the install, the README's walkthrough, the CLI, operability,
benchmarks."""

"""Developer tooling, not shipped with the assistant: the local stack launcher and benchmarks."""

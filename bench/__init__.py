"""Benchmarks: a seeded generator of realistic desktop usage and the store benchmark."""

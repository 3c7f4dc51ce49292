"""Benchmarks: run by hand (``python -m benchmarks.stream_decode``), never as timed tests."""

"""Shared test helpers: WIT fixtures with annotations, and the wasm-tools oracle."""

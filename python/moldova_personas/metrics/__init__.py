"""Metrics stage: text quality (with its numba kernels), safety findings and PII detection."""

"""Validation of any Table Schema package: structure, types, constraints, keys, cells and rules."""

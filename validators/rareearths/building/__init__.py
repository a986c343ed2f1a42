"""Build a typed DuckDB database, Parquet and a zip from any valid package; query it read-only."""

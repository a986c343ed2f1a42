// What the Query page needs from npm, bundled by esbuild (with apache-arrow) into
// docs/vendor/duckdb/duckdb.mjs at build time, so the page imports one local file and no CDN.
// DuckDB-WASM's own Parquet reader is an extension it would download at run time; the Parquet
// files are decoded to Arrow by parquet-wasm instead, and DuckDB-WASM reads the Arrow.
export { AsyncDuckDB, ConsoleLogger, LogLevel } from "@duckdb/duckdb-wasm";
export { default as initParquet, readParquet } from "parquet-wasm/esm";

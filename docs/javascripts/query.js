/* The Query page: DuckDB-WASM in the browser over the release's Parquet files.
 *
 * Everything is loaded from this site: the engine (docs/vendor/duckdb/, bundled from npm at build
 * time), the Parquet files (generated/downloads/parquet/) and setup.json, which `rareearths docs`
 * writes: one table per Parquet file, then the views and macros of the database, made by the same
 * SQL that `rareearths build` runs (derived.sql), so queries that work on the .duckdb file work here.
 * The Parquet files are fetched whole (any static web server will do: no range requests) and
 * decoded to Arrow by parquet-wasm, because DuckDB-WASM's own Parquet reader is an extension it
 * would download from outside the site. */
"use strict";

const MAX_SHOWN = 1000;

function byId(id) {
  return document.getElementById(id);
}

function pad(n, width) {
  return String(n).padStart(width || 2, "0");
}

function isoDate(value) {
  const d = value instanceof Date ? value : new Date(Number(value));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function decimalText(value, scale) {
  let digits = String(value);
  const negative = digits.startsWith("-");
  if (negative) digits = digits.slice(1);
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return (negative ? "-" : "") + digits;
}

function jsonText(value) {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
}

/* Arrow type ids (apache-arrow's Type enum): 7 Decimal, 8 Date, 10 Timestamp. */
function formatValue(value, type) {
  if (value === null || value === undefined) return "";
  switch (type.typeId) {
    case 7:
      return decimalText(value, type.scale);
    case 8:
      return isoDate(value);
    case 10: {
      const d = value instanceof Date ? value : new Date(Number(value));
      return d.toISOString().replace(".000Z", "Z");
    }
    default:
      break;
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(+value.toPrecision(12));
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return value;
  if (value && typeof value.toArray === "function") return jsonText(Array.from(value.toArray(), (v) => (v && v.toJSON ? v.toJSON() : v)));
  if (value && typeof value.toJSON === "function") return jsonText(value.toJSON());
  return String(value);
}

/* DuckDB-WASM repeats the "LINE n: ..." pointer of a parser error; show each paragraph once. */
function errorText(err) {
  const seen = new Set();
  return String(err && err.message ? err.message : err)
    .split(/\n\s*\n/)
    .filter((part) => !seen.has(part.trim()) && seen.add(part.trim()))
    .join("\n\n");
}

function csvCell(text) {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(columns, rows) {
  const lines = [columns.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return lines.join("\n") + "\n";
}

/* Columns and rows of an Arrow table as text, formatted once for the table and the CSV alike. */
function tableText(result) {
  const fields = result.schema.fields;
  const columns = fields.map((f) => f.name);
  const vectors = fields.map((_f, i) => result.getChildAt(i));
  const rows = [];
  for (let r = 0; r < result.numRows; r++) {
    rows.push(vectors.map((vec, i) => formatValue(vec.get(r), fields[i].type)));
  }
  return { columns, rows };
}

function renderTable(table, columns, rows) {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const name of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows.slice(0, MAX_SHOWN)) {
    const tr = body.insertRow();
    for (const text of row) tr.insertCell().textContent = text;
  }
}

class QueryPage {
  constructor(root) {
    this.root = root;
    this.sql = byId("re-query-sql");
    this.run = byId("re-query-run");
    this.examples = byId("re-query-example");
    this.status = byId("re-query-status");
    this.error = byId("re-query-error");
    this.table = byId("re-query-result");
    this.download = byId("re-query-csv");
    this.setup = null;
    this.conn = null;
    this.csvUrl = null;
  }

  url(relative) {
    return new URL(relative, document.location.href).href;
  }

  say(text) {
    this.status.textContent = text;
  }

  fail(text) {
    this.error.textContent = text;
    this.error.hidden = false;
  }

  async start() {
    this.run.disabled = true;
    this.say("Loading DuckDB-WASM and the Parquet files…");
    try {
      this.setup = await (await fetch(this.url(this.root.dataset.setup))).json();
    } catch (err) {
      this.fail(`Could not read the page's setup (${this.root.dataset.setup}): ${err.message}`);
      return;
    }
    this.examples.addEventListener("change", () => this.pick(this.examples.value));
    this.sql.addEventListener("input", () => this.edited());
    let duckdb;
    try {
      duckdb = await import(this.url(this.root.dataset.engine + "duckdb.mjs"));
    } catch (err) {
      this.fail(
        "The query engine is not part of this build of the site (docs/vendor/duckdb/ is missing). " +
          "Build the site with `make`, which installs DuckDB-WASM from package-lock.json with npm."
      );
      this.say("");
      return;
    }
    try {
      const started = performance.now();
      const worker = new Worker(this.url(this.root.dataset.engine + "duckdb-browser-eh.worker.js"));
      const db = new duckdb.AsyncDuckDB(new duckdb.ConsoleLogger(duckdb.LogLevel.WARNING), worker);
      await db.instantiate(this.url(this.root.dataset.engine + "duckdb-eh.wasm"));
      this.conn = await db.connect();
      const skipped = await this.load(duckdb);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      byId("re-query-engine").textContent =
        `DuckDB ${await this.version()} in your browser · ${this.setup.tables.length} tables and ` +
        `${this.setup.statements.length - skipped.length} views, macros and comments loaded in ${seconds} s`;
      if (skipped.length) {
        const box = byId("re-query-skipped");
        box.textContent = `Not available in the browser: ${skipped.join("; ")}`;
        box.hidden = false;
      }
    } catch (err) {
      this.fail(`DuckDB-WASM could not start: ${err.message}`);
      this.say("");
      return;
    }
    this.run.disabled = false;
    this.run.addEventListener("click", () => this.execute());
    this.sql.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.execute();
      }
    });
    this.root.dataset.ready = "true";
    await this.execute();
  }

  async version() {
    const result = await this.conn.query("SELECT version() AS v");
    return String(result.getChildAt(0).get(0));
  }

  /* Tables from Parquet, then the database's views and macros; returns what could not be made. */
  async load(duckdb) {
    for (const statement of this.setup.settings) await this.conn.query(statement);
    await duckdb.initParquet({ module_or_path: this.url(this.root.dataset.engine + "parquet_wasm_bg.wasm") });
    const files = await Promise.all(
      this.setup.tables.map(async (t) => {
        const response = await fetch(this.url(this.root.dataset.parquet + t.file));
        if (!response.ok) throw new Error(`${t.file}: HTTP ${response.status}`);
        return new Uint8Array(await response.arrayBuffer());
      })
    );
    for (const [i, t] of this.setup.tables.entries()) {
      const arrow = duckdb.readParquet(files[i]).intoIPCStream();
      await this.conn.insertArrowFromIPCStream(arrow, { name: t.name, create: true });
    }
    const skipped = [];
    for (const s of this.setup.statements) {
      try {
        await this.conn.query(s.sql);
      } catch (err) {
        skipped.push(`${s.name} (${err.message.split("\n")[0]})`);
      }
    }
    return skipped;
  }

  /* Once the text is no longer an example's, the list says so. */
  edited() {
    const example = this.setup.examples.find((e) => e.file === this.examples.value);
    if (example && example.sql !== this.sql.value) {
      this.examples.value = "";
      byId("re-query-description").textContent = "Your own query.";
    }
  }

  pick(file) {
    const example = this.setup.examples.find((e) => e.file === file);
    if (!example) return;
    this.sql.value = example.sql;
    byId("re-query-description").textContent = example.description;
  }

  async execute() {
    if (!this.conn) return;
    const sql = this.sql.value.trim();
    this.error.hidden = true;
    delete this.root.dataset.rows;
    if (!sql) {
      this.fail("Type a query first.");
      return;
    }
    this.run.disabled = true;
    this.say("Running…");
    const started = performance.now();
    try {
      const result = await this.conn.query(sql);
      const { columns, rows } = tableText(result);
      renderTable(this.table, columns, rows);
      this.offerCsv(columns, rows);
      const ms = Math.round(performance.now() - started);
      const shown = rows.length > MAX_SHOWN ? `, the first ${MAX_SHOWN} shown` : "";
      this.say(`${rows.length} row${rows.length === 1 ? "" : "s"}${shown} · ${ms} ms`);
      this.root.dataset.rows = String(rows.length);
    } catch (err) {
      this.table.replaceChildren();
      this.download.hidden = true;
      this.fail(errorText(err));
      this.say("The query failed.");
      this.root.dataset.rows = "error";
    } finally {
      this.run.disabled = false;
    }
  }

  offerCsv(columns, rows) {
    if (this.csvUrl) URL.revokeObjectURL(this.csvUrl);
    this.csvUrl = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: "text/csv;charset=utf-8" }));
    this.download.href = this.csvUrl;
    this.download.hidden = false;
  }
}

function init() {
  const root = byId("re-query");
  if (root && !root.dataset.started) {
    root.dataset.started = "true";
    new QueryPage(root).start();
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();

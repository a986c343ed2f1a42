"""The directions the performance issue asked to measure, what was measured and what was kept.

Measured on this 2-core machine while other work ran on it, so each comparison was made side by
side in one process (alternating, best of several), and is given as a ratio as well as in seconds.
Per-1M-row costs are CPU seconds on one DuckDB thread (`SET threads = 1`), over a table of the
benchmark's text: the cost of one expression, all else equal.
"""

from __future__ import annotations

DIRECTIONS: list[dict[str, str]] = [
    {
        "direction": "A typed fast path: DuckDB's CSV reader types the columns, store_rejects catches what it "
        "cannot type, the text path only for those rows",
        "measured": "The typed reader accepts what Table Schema forbids, without a reject: '1.5' as the integer 2, "
        "'1e3', '0x10', '1_000' and ' 12' as integers; '2021-2-3', ' 021-01-01' and '2021/02/03' as dates; 't', "
        "'yes' and 'y' as booleans. And store_rejects makes the reader single-threaded: a text scan of the 10M "
        "file took 2.82 s wall for 2.85 s CPU with it, 1.31 s for 2.54 s without (2.2x slower).",
        "kept": "No: every cell is read as text and checked by cheap predicates. Rejects are stored only when "
        "the fast, strict, parallel read fails (invalid UTF-8, an unterminated quote), in a second, careful read.",
    },
    {
        "direction": "Checks in the scan, failing rows located only when a check fails",
        "measured": "An aggregate pass needs a second scan of the file to locate failing rows (the dirty target, "
        "1.5x, cannot absorb a second read). A CREATE TABLE in the same pass writes the rows as they fail: a "
        "sparse problem column, null for good rows, beside the typed key columns. Clean 1M: 1.49 s CPU for the "
        "scan against 0.58 s for the typed floor and 0.51 s for reading text alone (one thread).",
        "kept": "Yes, as one pass writing a narrow table: no second copy of a clean file is materialised, and "
        "keys are then answered by an aggregate (a bitmap for integer keys). Since 27 Nov the table holds the "
        "cells of the rows that fail a quick test, and their conditions are evaluated after (next direction).",
    },
    {
        "direction": "One quick test per cell for every row; every condition only for the rows that fail it",
        "measured": "The scan had evaluated every condition for every row as a boolean column (missing flags, "
        "validity, typed values, then 24 conditions for the benchmark's 11 fields): by operator, 12.4 s of CPU "
        "for the 10M clean file, of which reading 4.96 s, casts 1.78 s, missing flags and validity 2.85 s, "
        "typed values 0.29 s, conditions 2.18 s. One AND of a test per cell (present or missing as allowed, "
        "of its type by a cheaper test that may suspect a good cell, such as '+7', within its constraints) "
        "takes 3.8-5.4 s of CPU in its place. Side by side, whole process, best of 4 alternating rounds: "
        "7.73 s before, 6.53 s after, the typed floor 3.42 s (2.26x to 1.91x).",
        "kept": "Yes. The suspect rows' cells are written to the table, and a second query over them alone "
        "evaluates the conditions as before; tests/test_fine_rows.py holds the findings and typed values equal "
        "to sending every row to the full test, on edge cells and random ones.",
    },
    {
        "direction": "Cheap predicates instead of regular expressions (cost per 1M rows, one thread)",
        "measured": "integer: round trip 0.026 s over the cast vs 0.047 s regex; datetime separators: LIKE 0.044 s "
        "vs five substrings 0.143 s; number blanks: contains/ends_with 0.049 s vs regex 0.072 s; control "
        "characters in three columns: one regex over the joined text 0.168 s vs one per cell 0.229 s (to_json "
        "length 0.083-0.123 s, translate 1.4 s); NFC guard: strlen vs length 0.006 s vs regex 0.074 s; formula "
        "prefix: string comparisons 0.021 s vs ascii() 0.074 s vs left() 0.125 s; but inside the quick test of "
        "the 10M scan (27 Nov, side by side, three rounds) the first character's code, ord(), beat the "
        "comparisons: 3.36-3.70 s against 3.84-3.99 s of CPU for the whole test.",
        "kept": "The cheapest of each. Conditions are evaluated once to decide whether a row fails, and again "
        "only for failing rows, without a boolean column each.",
    },
    {
        "direction": "Where the clean 10M scan's time goes (measured once, 26 Nov 2026, best of two runs each)",
        "measured": "The loader's query on the 10M clean file, every check evaluated but nothing written: 6.89 s; "
        "writing the narrow table as well: 8.24 s (+1.35 s). Each check removed in turn from the 6.89 s: the "
        "control-character search over the free text -0.72 s, the declared pattern of `code` -0.62 s, the NFC "
        "guard -0.27 s. Reading the file as text alone: 2.82 s. The empty-line search (0.78 s on one core, a "
        "regular expression over the mapped file; bytes.find for its two patterns took 1.86 s) runs beside the "
        "scan on the same two cores.",
        "kept": "Nothing removed: every one of these is a check Table Schema or the issue requires. Made cheaper "
        "or made conditional instead (the next four directions).",
    },
    {
        "direction": "Control characters and line breaks searched in the cells only when the file's bytes say so",
        "measured": "DuckDB's profile of the scan (CPU seconds over both threads): reading 4.9, casts 1.8, "
        "validity 3.3, conditions 2.3; the regular expression over each row's joined text cost about 2 s of wall "
        "time of 8.2. Counting the file's line feeds and control characters with numpy over the mapped file "
        "(three vector comparisons per byte, 0.8-0.9 s of CPU for 900 MB, beside the scan; since 27 Nov two, into "
        "one reused 1 MB buffer that stays in cache, with DEL found by memchr: 0.5 s) tells when no cell can hold "
        "one: a file with no control character but tab, no bare carriage return, and as many lines as DuckDB's "
        "records. Clean 10M, whole process: 11.7 s to 7.2-7.6 s with the cheaper number test below (same "
        "machine, alternating with the floor at 3.0-3.6 s).",
        "kept": "Yes. Any other file is searched for empty lines (only then: lines equal to records means none) and, "
        "when a record may span lines or a cell may hold a control character, scanned again with the search: its "
        "findings are those of a scan that searched from the start (tests/test_line_count.py).",
    },
    {
        "direction": "A number's strictness test (DuckDB's cast accepts blanks around it and '_' between digits)",
        "measured": "Over 10M cells: three contains and four ends_with +0.6 s over the text read; one regular "
        "expression +0.5 s; the first and last characters compared with ' ' and one contains('_') +0.1 s.",
        "kept": "The last: right(t, 1) > ' ' and t >= '!' cover every blank at either end.",
    },
    {
        "direction": "IN lists (enums, categories) without a join",
        "measured": "DuckDB's optimizer turns an IN list of five values or more into a join with a table of the "
        "values (0.3 s of CPU for a five-value enum over 10M rows). A join lets a parallel scan write rows out of "
        "the file's order: a CREATE TABLE over the 10M file with a 25-value list wrote 9.9M rows out of order. "
        "The loader's scans had kept their order only because the planner chose the list as the join's build "
        "side. Without the rewrite: 5 values compared one by one +0.18 s over 10M cells; 200 values +1.7 s one by "
        "one, +0.5 s as one RE2 alternation.",
        "kept": "Yes: the IN-clause rewrite is off for every validating connection, and text enums of more than 16 "
        "values are one alternation. A test holds the scan's plan free of joins (tests/test_scan_order.py).",
    },
    {
        "direction": "Reports of many findings (the 1%-bad 10M file: 100,000 findings)",
        "measured": "After the scan, Python took about 4 s: sorting the findings twice (0.6 s), json.dumps per "
        "finding with a new encoder each (0.7 s), to_dict reading fields one by one (0.4 s), Finding() clipping "
        "through object.__setattr__ (0.36 s). The 1%-bad run was 1.58x the clean one, over the 1.5x target.",
        "kept": "Sorted once (limited() hands its sorted list on), one encoder, the instance's fields copied, "
        "clipping through __dict__: 11.7 s to 10.0-10.2 s for the 1%-bad file.",
    },
    {
        "direction": "Reports of many findings, again (27 Nov, second stop): the time after the last scan",
        "measured": "From the end of the 1%-bad 10M file's scan to the JSON written, in process, three alternating "
        "rounds: 3.18, 2.65, 3.21 s before, 2.36, 2.08, 2.23 s after. Of it: json.dumps of a dict per finding "
        "1.0 s, orjson of the instances 0.07 s (to_json 0.2 s in all); sorting a set's scrambled order 0.30 s, "
        "repeats dropped in the order found and the nearly sorted list sorted 0.13 s; counting errors in Python "
        "0.12 s, operator.countOf 0.04 s; the key checks (0.8 s of SQL) waited for after the enrichment "
        "(0.8 s of Python), now beside it; row keys matched by a semi-join, 0.24 s against 0.34 s with IN.",
        "kept": "All of it: orjson (pinned) encodes the findings, the keys run on a cursor of their own in a "
        "thread and enrich their own findings, which a test holds equal to one enrichment of every finding.",
    },
    {
        "direction": "Fewer overflow columns in the first read",
        "measured": "DuckDB pads every row with a null in each column read past the header: eight columns to count "
        "extra cells. The scan of the 10M clean file, four alternating rounds: 7.14, 7.43, 7.00, 6.26 s wall "
        "(12.3-14.7 s CPU) with eight, 7.01, 6.70, 6.93, 5.61 s (10.9-13.5 s CPU) with one.",
        "kept": "Yes: the first, strict read takes one; a row with more extra cells stops it, and the file is "
        "read again in parallel with eight (the careful, single-threaded read only after that); a test follows "
        "the reads.",
    },
    {
        "direction": "Cheaper tests for the pattern, the datetime and the number cells (27 Nov, second stop)",
        "measured": "Per 3M cells on one thread, over the test alone: the pattern [A-Z]{3}-[0-9]{4} by RE2 0.26 s, "
        "by GLOB 0.28 s; the datetime's separators by LIKE 0.14-0.20 s, by one character at its place 0.11 s "
        "(but several are needed); a number's last character by reverse() 0.11 s, rtrim() 0.20 s, right() "
        "0.16-0.32 s, a round trip through the cast 0.51 s.",
        "kept": "No: none is cheaper for the same strictness.",
    },
    {
        "direction": "Smaller costs around the clean scan (27 Nov, second stop)",
        "measured": "Enum and boolean lists by list_contains instead of IN: 0.113 s against 0.089 s, 0.117 s "
        "against 0.109 s per 3M cells. The first read without its overflow column or without null padding: "
        "4.17-4.24 s of CPU for the 10M text read against 4.14 s (best of four). The line count with one "
        "comparison per byte (below 32) and memchr for carriage returns, tabs and DEL: 0.25-0.30 s of CPU "
        "against 0.30-0.36 s. The foreign-key anti-join over 10M string keys: 0.19 s, of which hashing the "
        "strings alone is 0.13 s (ANTI JOIN, a count, a semi-join: 0.18-0.19 s each). The process's exit, "
        "DuckDB freeing its tables: 0.07-0.10 s. The version lookup at start-up (importlib.metadata): 0.05 s.",
        "kept": "Only the last: the version is looked up when asked for. The rest saves too little to measure on "
        "this machine, or costs other files (the one-comparison count needs a second pass over any file with "
        "tabs or carriage returns; skipping the exit's clean-up would leave DuckDB's spill folder behind).",
    },
    {
        "direction": "Instructions counted instead of seconds (27 Nov, third stop)",
        "measured": "On this shared machine a query's time varies by a third from run to run, even on one core. "
        "valgrind's callgrind counts the instructions of the scan of the benchmark file's first 100,000 rows "
        "(one thread) exactly, with a profile by function: 9,450 a row. Reading the CSV as text 2,850 (its "
        "UTF-8 checks 670); the quick test and the casts 4,730; writing the table 400 (the suspects' column "
        "127, the foreign key's text 280). By expression, a row: the datetime's cast 740 and its LIKE 451; "
        "the pattern [A-Z]{3}-[0-9]{4} 559; the date's cast 370 and its round trip 272; the integer's cast 221 "
        "and round trip 201; each number's cast 234 and reverse() 137; the boolean list 136; a five-value "
        "enum 92. The whole quick test inside a CASE, so that DuckDB evaluates its AND row set by row set: "
        "385 more (when every row passes, lazy evaluation only adds its bookkeeping).",
        "kept": "As the measure of every change to an expression since: what costs fewer instructions is "
        "cheaper; seconds then only confirm it.",
    },
    {
        "direction": "Cheaper primitives for the same tests (instructions a row, 27 Nov, third stop)",
        "measured": "Against the LIKE of a datetime's five separators (451): strpos 215 each, substr 340 per "
        "place, a GLOB with one character class 643. Against a date's cast and round trip (642): strptime "
        "660. Against a number's reverse() (137, its last character): ends_with 41 but six are needed (the "
        "blanks the cast skips), rtrim 413, right 343, a slice 576, the cast of the text with 'e0' appended "
        "(which refuses a trailing blank) 190 more than the cast. A foreign key as a cast to an ENUM of the "
        "referenced keys inside the scan: 0.20 s per 3M rows on one thread, against 0.11 s for the anti-join "
        "after it. DuckDB's allocator kept its memory (allocator_flush_threshold 4 GB, a 1 GB block "
        "allocator): more page faults, 175,000-200,000 against 135,000, and no faster.",
        "kept": "None of these: each is dearer or no cheaper for the same strictness.",
    },
    {
        "direction": "Datetimes: as strict as frictionless, and a strptime where the value is not needed",
        "measured": "frictionless reads a default datetime with dateutil's isoparse; DuckDB's cast reads more: "
        "a year before 0001 or with a sign (as BC), one-digit seconds, a blank or a tab before the hour or "
        "after the seconds, '.Z', an offset with seconds. The LIKE let them through. A GLOB with a digit at "
        "the two places where the cast takes something else (and the year at least '0001'), and a pattern "
        "for other lengths, refuse them: 232 instructions a row more than the LIKE. Where the scan needs no "
        "typed value of the column (not kept, no constraint), a strict strptime of '%Y-%m-%dT%H:%M:%SZ' at 20 "
        "characters ending in 'Z' decides alone (at most four digits for the year and no blank inside: "
        "every field has its two digits), without the cast: the benchmark scan 9,450 to 9,320 instructions "
        "a row, with the stricter test.",
        "kept": "Yes; tests/test_iso_clock_cells.py holds the verdicts recorded from frictionless, with the "
        "column kept, not kept, and every row sent to the full test.",
    },
    {
        "direction": "Start-up: the descriptor check's child first, rich only for text (27 Nov, third stop)",
        "measured": "The child that imports frictionless (0.4 s of CPU) started when the descriptor was read, "
        "as the scan began, and took a core from it. Started first thing in the command, it imports while "
        "this process imports and plans, with a core to spare: the shipped package 0.81 s against 0.89 s "
        "(median of 10 alternating rounds), 1M clean rows 1.21 s against 1.38 s (8 rounds). rich is imported "
        "only to print text (0.03 s). The line count's windows of 512 KB rather than 1 MB stay in cache "
        "between its two comparisons: 0.27 s of CPU for the 10M file against 0.31 s.",
        "kept": "All three.",
    },
    {
        "direction": "Keys checked before the failing rows are read (27 Nov, third stop)",
        "measured": "With 100,000 findings, the key checks (0.7-0.9 s of SQL: 68 repeated keys located among "
        "10M, foreign keys) started once every table had been read, and the report waited 0.78 s for them "
        "after reading the failing rows (0.77 s) and enriching the findings (0.52 s). Started as soon as the "
        "table is written, they run beside the rows: 8.90-10.55 s against 9.83-11.16 s for the 1%-bad 10M "
        "file, four alternating rounds; the clean file and the shipped package unchanged (within the noise).",
        "kept": "Yes, where reading the rows cannot change what the keys find: no comment rows (left out of "
        "keys), no empty line (which moves row numbers), one table (a wide file's groups are joined after). "
        "Blank rows are left out too, but their key cells are all null, which keys leave out anyway. The "
        "findings are enriched after the rows, once the view exists; a test holds the report equal to keys "
        "checked after every table.",
    },
    {
        "direction": "What is left of the clean scan; foreign keys by their distinct values (27 Nov, fourth stop)",
        "measured": "The scan of the benchmark file keeping only its key columns costs 8,494 instructions a "
        "row: reading the twelve columns as text 3,930 (the typed floor's whole query, reading and "
        "aggregating, 3,842), the quick test 4,300, the table 260. Each test taken out in turn: the "
        "datetime's strptime 1,124, the pattern 567, the date's round trip 276, each number's blank test 246, "
        "the integer's round trip 206, the boolean list 167, the formula-character test of three columns "
        "159. Not cheaper: the whole row concatenated and checked by one regular expression built from the "
        "schema (the concatenation alone 1,084, the expression 2,121 more: 9,344 in all); ends_with for a "
        "number's trailing blank (39 fewer); an IN list holding '' instead of OR = ''; no isnan beside "
        "isfinite (20 fewer); the read without nullstr, strict_mode or the overflow column (3,930 each); an "
        "in-memory database with compression (5.45-6.12 s against 5.36-5.95 s). Around the scan, the "
        "process's CPU: start-up 0.2 s, the descriptor check's child 0.42 s, the line count 0.27 s, keys "
        "0.6 s. The foreign key (10M rows into 10,000) looked up every row: 0.19-0.25 s. Its distinct values "
        "first, and the rows holding a missing one in the same query (a semi-join whose missing side is "
        "empty reads no row): 0.11-0.16 s clean, 0.18 s against 0.22 s with 10,000 rows missing.",
        "kept": "The foreign key by its distinct values, where the table has at least four rows per "
        "referenced row (with fewer, its distinct values are nearly as many as its rows); a test holds the "
        "findings equal to every row's lookup. The scan unchanged: each remaining test costs what DuckDB's "
        "cheapest primitive for it costs.",
    },
    {
        "direction": "Resources in parallel",
        "measured": "Loading the shipped package's dependency waves two resources at a time (a cursor each): "
        "1.58, 1.28, 1.31 s against 1.30, 1.32, 1.26 s one at a time (25 Nov). Measured again after the scans "
        "were shortened (27 Nov), in process and warm: 0.44, 0.44, 0.39 s two at a time against 0.73 (cold), "
        "0.49, 0.52 s one at a time; the scans alone 0.17 s against 0.23-0.35 s. From the command line the "
        "difference is within the noise (1.01-1.12 s either way), as the frictionless descriptor check beside it "
        "holds the interpreter lock for 0.3 s. A large file already uses both cores.",
        "kept": "Yes, for files under 4 MB in a wave of two or more.",
    },
    {
        "direction": "The command line's own start-up",
        "measured": "typer 0.29 imports pydantic to coerce every argument (0.13 s, before any command runs); "
        "typer 0.28 does not. `rareearths validate --help`: 0.32 s with 0.29, 0.19 s with 0.28.",
        "kept": "Yes: typer is pinned below 0.29 (pydantic is still installed, for frictionless, and imported "
        "beside the data by the descriptor check).",
    },
    {
        "direction": "The shipped package under 1 s: fewer DuckDB optimizer passes for small files' scans",
        "measured": "Turning off the expression rewriter and statistics propagation for the scans of files under "
        "1 MB (their planning outweighs reading a few hundred rows): validation in-process 0.88, 0.64, 0.58 s "
        "against 0.83, 0.70, 0.61 s without, alternating runs; within the run-to-run noise of this machine.",
        "kept": "No.",
    },
    {
        "direction": "Lazy imports (ibis, pandera, rich only when needed)",
        "measured": "pandera.ibis alone imports in 0.92 s; ibis's to_sql imports every SQL dialect it knows "
        "(0.42 s); frictionless's descriptor check 0.3 s. Row rules are now turned into SQL by calling them with a "
        "table whose columns build SQL text (0.03 s for all of the package's rules, against 0.35 s); pandera is "
        "no longer imported to validate (to_pandera stays as a product of the schemas); the descriptor check runs "
        "in a thread beside the data.",
        "kept": "Yes. The package's rules module imported ibis for its type annotations (0.22 s); it now "
        "imports it only for type checking.",
    },
    {
        "direction": "Blank-row counting without a Python pass over the file",
        "measured": "One regular-expression search for a line break followed by another over the memory-mapped "
        "file runs in C: 0.65 s for the 860 MB file on one core (bytes.find 0.9 s, a character class 5-17 s). "
        "Counting line feeds with numpy over the mapped file: 0.17 s; a file whose lines are as many as its "
        "records has no empty line.",
        "kept": "Yes, both: the count runs beside DuckDB's scan (with the search for lines too long for the "
        "parallel reader, which skips them); the regular-expression search runs only when the lines outnumber "
        "the records.",
    },
    {
        "direction": "Very wide files",
        "measured": "DuckDB's planning time grows faster than the query: 9,074 columns took 186 s in one query "
        "(its common-subexpression pass alone was quadratic), 17 s in groups of 50 columns over a table of the "
        "text read once (frictionless: 24 s).",
        "kept": "Yes: more than 200 columns are checked in groups of 50.",
    },
]

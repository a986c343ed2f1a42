"""Frictionless row numbers for DuckDB's records, and the empty lines DuckDB skips.

DuckDB's CSV reader drops empty lines without a trace, while Frictionless reports each as a
`blank-row` and counts it: every later row number depends on them. They are found without
reading the file line by line in Python: one regular-expression search for a line break
followed by another runs over the memory-mapped file in C (no match: nothing more to do, which
is the usual case), and only when one is found are the lines before it counted. A blank line
inside a quoted cell is not a row; the loader then reports which records span several lines
(`settle`), and the candidates inside them are dropped.

Row numbers: the first record after the header is `first_row`; each later record adds one, and
so does each empty line before it. The parts of a multipart resource are numbered as one file,
each part's header left out (as Frictionless numbers them).
"""

from __future__ import annotations

import bisect
import gzip
import mmap
import re
from dataclasses import dataclass, field
from pathlib import Path

EMPTY_LINE = re.compile(rb"\n(?=\r?\n)")
CHUNK = 1 << 23


@dataclass
class Skipped:
    """An empty line: a row Frictionless numbers (and reports) but DuckDB does not return."""

    before: int  # records before it


@dataclass
class LineIndex:
    first_row: int
    skipped: list[Skipped] = field(default_factory=list)
    candidates: list[list[int]] = field(default_factory=list)  # per file: empty lines, by line after the data start

    def __post_init__(self) -> None:
        self._before = [s.before for s in self.skipped]

    def settle(self, records: list[int], spans: dict[int, int]) -> None:
        """Place the candidate empty lines among the records.

        `records[i]` is the number of records read from file i (in order); `spans` maps a record's
        ordinal to the number of line breaks inside its cells (only records that have any).
        """
        skipped: list[Skipped] = []
        start = 0
        extra = sorted(spans.items())
        for i, lines in enumerate(self.candidates):
            count = records[i] if i < len(records) else 0
            mine = [(k - start, n) for k, n in extra if start <= k < start + count]
            skipped += [Skipped(start + r) for r in _records_before(lines, mine)]
            start += count
        self.skipped = sorted(skipped, key=lambda s: s.before)
        self._before = [s.before for s in self.skipped]

    @property
    def has_candidates(self) -> bool:
        return any(self.candidates)

    def row(self, ordinal: int) -> int:
        """The row number of the record at `ordinal` (0-based, in file order)."""
        return self.first_row + ordinal + bisect.bisect_right(self._before, ordinal)

    def ordinal(self, row: int) -> int | None:
        """The record at row number `row`, or None when that row is an empty line."""
        blanks = self.blank_rows()
        if row in blanks:
            return None
        return row - self.first_row - bisect.bisect_left(blanks, row)

    def blank_rows(self) -> list[int]:
        """Row numbers of the empty lines."""
        return [self.first_row + s.before + i for i, s in enumerate(self.skipped)]

    def row_sql(self, ordinal: str, table: str | None) -> str:
        """SQL for the row number of `ordinal`; `table` holds the skipped rows' `before` (when any)."""
        if not self.skipped or table is None:
            return f"({ordinal} + {self.first_row})"
        return f"({ordinal} + {self.first_row} + (SELECT count(*) FROM {table} s WHERE s.before <= {ordinal}))"


def _records_before(lines: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """For each empty line (by line number after the data start), the records before it; lines that
    fall inside a record spanning several lines are dropped. `spans` is (ordinal, line breaks)."""
    out: list[int] = []
    line = k = 0  # the next record `k` starts at `line`
    j = 0
    for target in lines:
        inside = False
        while True:
            nxt = spans[j][0] if j < len(spans) else None
            simple = (nxt - k) if nxt is not None else None  # one-line records before the next spanning one
            if simple is None or line + simple > target:
                k += target - line
                line = target
                break
            line += simple
            k = nxt
            span = 1 + spans[j][1]
            if line + span > target:
                inside = True
                break
            line += span
            k += 1
            j += 1
        if not inside:
            out.append(k)
            line = target + 1
    return out


@dataclass
class FileScan:
    """What one pass over a file's bytes finds: its empty lines, and whether a line may be longer
    than DuckDB's parallel reader takes (`LONG_LINE`), which it would skip without a word."""

    empty: list[int]
    long_line: bool = False


LONG_LINE = 1 << 22  # a window of this many bytes without a line break: a line at least this long


def _has_long_line(buf: mmap.mmap | bytes, start: int, end: int) -> bool:
    """A line longer than 2 * LONG_LINE holds a whole window without a line break. One memchr per
    window, which finds a break within the first hundred bytes of an ordinary file."""
    return any(buf.find(b"\n", w, min(w + LONG_LINE, end)) < 0 for w in range(start, end, LONG_LINE))


def empty_lines(path: Path, header_end: int, compression: str = "") -> FileScan:
    """Line numbers (0 is the first line after the header) of the empty lines of a file.

    `header_end` is the position of the line break that ends the header, or -1 when the data
    starts at the first byte.
    """
    if compression == "gzip":
        return _empty_lines_stream(path, header_end)
    with open(path, "rb") as fh:
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return FileScan([])
        with mm:
            out = [0] if header_end < 0 and mm[:1] in (b"\n", b"\r") else []
            count, pos = 0, header_end + 1
            size = len(mm)
            long_line = _has_long_line(mm, max(header_end, 0), size) if size > 2 * LONG_LINE else False
            # In windows, so that the interpreter lock is let go between them and the search can
            # run beside DuckDB's scan (a single search over the file would hold it throughout).
            for start in range(max(header_end, 0), size, CHUNK):
                end = min(start + CHUNK, size)
                for m in EMPTY_LINE.finditer(mm, start, min(end + 2, size)):
                    if m.start() >= end:
                        break
                    count += mm[pos : m.start() + 1].count(b"\n")
                    pos = m.start() + 1
                    out.append(count)
            return FileScan(out, long_line)


def _empty_lines_stream(path: Path, header_end: int) -> FileScan:
    """`empty_lines` for a gzip file, decompressed in chunks (a match may straddle two of them)."""
    out: list[int] = []
    count = offset = 0  # offset: the file position of data[0]
    carry = b""
    long_line = False
    with gzip.open(path, "rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            data = carry + chunk
            if header_end < 0 and offset == 0 and data[:1] in (b"\n", b"\r"):
                out.append(0)
            end = len(data) - 2 if chunk else len(data)  # a match needs two bytes after it
            long_line = long_line or (len(data) > 2 * LONG_LINE and _has_long_line(data, 0, len(data)))
            pos = max(header_end + 1 - offset, 0)
            for m in EMPTY_LINE.finditer(data, max(header_end - offset, 0)):
                if m.start() >= end:
                    break
                count += data[pos : m.start() + 1].count(b"\n")
                pos = m.start() + 1
                out.append(count)
            upto = max(end, pos)
            count += data[pos:upto].count(b"\n")
            carry, offset = data[upto:], offset + upto
            if not chunk:
                return FileScan(out, long_line)

"""Frictionless row numbers for DuckDB's records, and the empty lines DuckDB skips.

DuckDB's CSV reader drops empty lines without a trace, while Frictionless reports each as a
`blank-row` and counts it: every later row number depends on them. They are found without
reading the file line by line in Python. Beside DuckDB's scan, `tally` counts the file's line
breaks and control characters with numpy; when the lines are as many as DuckDB's records (the
usual case) there is no empty line. Otherwise `empty_lines` runs one regular-expression search for
a line break followed by another over the memory-mapped file, in C, and counts the lines before
each match. A blank line inside a quoted cell is not a row; the loader then reports which records
span several lines (`settle`), and the candidates inside them are dropped.

Row numbers: the first record after the header is `first_row`; each later record adds one, and
so does each empty line before it. The parts of a multipart resource are numbered as one file,
each part's header left out (as Frictionless numbers them).
"""

from __future__ import annotations

import bisect
import gzip
import mmap
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

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
    """What one pass over a file's bytes finds: whether a line may be longer than DuckDB's parallel
    reader takes (`LONG_LINE`), which it would skip without a word; how many lines follow the
    header; whether the data is `plain` (no control character but tab, no carriage return but
    before a line feed); and its empty lines, once searched for (None before).

    A plain file whose lines are as many as DuckDB's records has no empty line, no record spanning
    lines and no control character in any cell (`settled`): nothing is left to search for. Otherwise
    its empty lines are searched, and a plain file with as many records as its lines less its empty
    ones still has no record spanning lines (`single_line`)."""

    empty: list[int] | None = None
    long_line: bool = False
    lines: int = -1  # -1: not counted
    plain: bool = False

    def settled(self, records: int) -> bool:
        return self.plain and self.lines == records

    def single_line(self, records: int) -> bool:
        return self.plain and self.lines - len(self.empty or []) == records


LONG_LINE = 1 << 22  # a window of this many bytes without a line break: a line at least this long


def _has_long_line(buf: mmap.mmap | bytes, start: int, end: int) -> bool:
    """A line longer than 2 * LONG_LINE holds a whole window without a line break. One memchr per
    window, which finds a break within the first hundred bytes of an ordinary file."""
    return any(buf.find(b"\n", w, min(w + LONG_LINE, end)) < 0 for w in range(start, end, LONG_LINE))


class _Tally:
    """Line breaks and plainness, counted over windows of a file with numpy's vector comparisons:
    two per byte into one reused buffer (a window fits the processor's cache), without copying the
    mapped file, and with the interpreter lock let go. DEL, the one control character above the
    others, is searched for by the caller with `find` (a memchr)."""

    def __init__(self) -> None:
        self.breaks = 0
        self.plain = True
        self.last = b""  # the last byte seen
        self._mask: np.ndarray | None = None

    def add(self, window: np.ndarray, has_del: bool) -> None:
        """Count `window` (the bytes after the previous one's); `has_del`: it holds a DEL (127)."""
        import numpy as np

        if not len(window):
            return
        if self._mask is None or len(self._mask) < len(window):
            self._mask = np.empty(len(window), dtype=bool)
        mask = self._mask[: len(window)]
        breaks = int(np.count_nonzero(np.equal(window, 10, out=mask)))
        self.breaks += breaks
        if self.plain and self.last == b"\r" and window[0] != 10:
            self.plain = False  # the previous window ended with a carriage return, not a line ending
        if self.plain:
            low = int(np.count_nonzero(np.less(window, 32, out=mask)))
            if low != breaks:  # tabs, carriage returns or other control characters: tell them apart
                tabs = int(np.count_nonzero(window == 9))
                crs = int(np.count_nonzero(window == 13))
                pairs = int(np.count_nonzero((window[:-1] == 13) & (window[1:] == 10)))
                ends_cr = int(window[-1] == 13)  # its line feed, if any, opens the next window
                self.plain = low == breaks + tabs + crs and crs == pairs + ends_cr
            self.plain = self.plain and not has_del
        self.last = bytes(window[-1:])

    def lines(self, total: int) -> int:
        """Lines in `total` bytes counted: breaks, and a last line without one."""
        if self.last == b"\r":
            self.plain = False  # a carriage return ends the file
        return self.breaks + (1 if total and self.last != b"\n" else 0)


# Bytes counted at a time: few enough windows for Python's share to be small, and the window and
# its mask stay in cache between the two comparisons (900 MB: 0.27 s of CPU, 0.31 s with 1 MB).
WINDOW = 1 << 19
_CONTROL = bytes([*range(9), 11, 12, *range(14, 32), 127])  # control characters but tab, LF and CR
SMALL = CHUNK  # files up to this size are counted with bytes methods (numpy takes 0.1 s to import)


def _tally_bytes(data: bytes) -> tuple[int, bool]:
    """Line breaks and plainness of a small file's data."""
    plain = len(data.translate(None, _CONTROL)) == len(data) and data.count(b"\r") == data.count(b"\r\n")
    return data.count(b"\n"), plain


def tally(path: Path, header_end: int, compression: str = "") -> FileScan:
    """Count the lines of a file after its header and tell whether it is plain (see `FileScan`).
    A gzip file, which is read in one pass only, also has its empty lines searched."""
    if compression == "gzip":
        return _empty_lines_stream(path, header_end)
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size <= SMALL:
            data = fh.read()[header_end + 1 :]
            breaks, plain = _tally_bytes(data)
            return FileScan(None, False, breaks + (1 if data and not data.endswith(b"\n") else 0), plain)
        import numpy as np

        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            long_line = _has_long_line(mm, max(header_end, 0), size) if size > 2 * LONG_LINE else False
            data = np.frombuffer(mm, dtype=np.uint8)
            counts = _Tally()
            for start in range(header_end + 1, size, WINDOW):
                end = min(start + WINDOW, size)
                counts.add(data[start:end], mm.find(b"\x7f", start, end) >= 0)
            del data  # (the map cannot close while numpy holds a view of it)
            lines = counts.lines(size - header_end - 1)
            return FileScan(None, long_line, lines, counts.plain)


def empty_lines(path: Path, header_end: int, compression: str = "") -> list[int]:
    """Line numbers (0 is the first line after the header) of the empty lines of a file.

    `header_end` is the position of the line break that ends the header, or -1 when the data
    starts at the first byte.
    """
    if compression == "gzip":
        return _empty_lines_stream(path, header_end).empty or []
    with open(path, "rb") as fh:
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return []
        with mm:
            out = [0] if header_end < 0 and mm[:1] in (b"\n", b"\r") else []
            count, pos = 0, header_end + 1
            size = len(mm)
            for start in range(max(header_end, 0), size, CHUNK):
                end = min(start + CHUNK, size)
                for m in EMPTY_LINE.finditer(mm, start, min(end + 2, size)):
                    if m.start() >= end:
                        break
                    count += mm[pos : m.start() + 1].count(b"\n")
                    pos = m.start() + 1
                    out.append(count)
            return out


def _empty_lines_stream(path: Path, header_end: int) -> FileScan:
    """`empty_lines` and `tally` for a gzip file, decompressed once, in chunks (a match may straddle two)."""
    import numpy as np

    out: list[int] = []
    count = offset = 0  # offset: the file position of data[0]
    carry = b""
    long_line = False
    tally = _Tally()
    total = 0
    with gzip.open(path, "rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            data = carry + chunk
            if header_end < 0 and offset == 0 and data[:1] in (b"\n", b"\r"):
                out.append(0)
            end = len(data) - 2 if chunk else len(data)  # a match needs two bytes after it
            long_line = long_line or (len(data) > 2 * LONG_LINE and _has_long_line(data, 0, len(data)))
            pos = max(header_end + 1 - offset, 0)
            first = max(len(carry), pos)
            counted = np.frombuffer(data, dtype=np.uint8)[first:]
            tally.add(counted, data.find(b"\x7f", first) >= 0)
            total += len(counted)
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
                return FileScan(out, long_line, tally.lines(total), tally.plain)

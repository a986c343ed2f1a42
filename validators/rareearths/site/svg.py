"""Deterministic SVG output from matplotlib: same data, same bytes, so regenerating never churns."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

STYLE = {
    "svg.hashsalt": "rareearths-docs",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
}


@contextmanager
def style() -> Iterator[None]:
    """The house style, with a fixed hash salt so SVG element ids are stable."""
    with plt.rc_context(STYLE):
        yield


KINDS = {"Rectangle": "patch", "Line2D": "line2d"}  # matplotlib's id prefixes for these artists


class Tooltips:
    """Text for the SVG `<title>` of each mark, so a reader pointing at a bar or a dot reads what it is.

    Each mark gets an id in matplotlib's own style (`patch_tip3` for a bar, `line2d_tip4` for a dot;
    numbered in drawing order, so the output stays deterministic); `to_svg` puts a `<title>` first
    inside the group matplotlib writes for it."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def add(self, marks: Artist | Iterable[Artist], text: str) -> None:
        artists = [marks] if isinstance(marks, Artist) else list(marks)
        for artist in artists:
            kind = KINDS.get(type(artist).__name__, type(artist).__name__)
            gid = f"{kind}_tip{len(self.texts)}"
            artist.set_gid(gid)
            self.texts[gid] = text

    def apply(self, svg: bytes) -> bytes:
        def title(m: re.Match[bytes]) -> bytes:
            text = self.texts.get(m.group(1).decode())
            if text is None:
                return m.group(0)
            return m.group(0) + b"\n   <title>" + html.escape(text, quote=False).encode("utf-8") + b"</title>"

        return re.sub(rb'<g id="([A-Za-z0-9]+_tip\d+)">', title, svg)


def to_svg(fig: Figure, tooltips: Tooltips | None = None) -> bytes:
    """Render and close the figure; no creation date in the metadata; a `<title>` on every tipped mark."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return tooltips.apply(buf.getvalue()) if tooltips else buf.getvalue()


def data_csv(columns: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """The data behind a chart, as the CSV offered beside it: empty for null, booleans as JSON
    writes them."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in row])
    return buf.getvalue().encode("utf-8")

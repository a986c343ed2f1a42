"""Deterministic SVG output from matplotlib: same data, same bytes, so regenerating never churns."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
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


def to_svg(fig: Figure) -> bytes:
    """Render and close the figure; no creation date in the metadata."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()

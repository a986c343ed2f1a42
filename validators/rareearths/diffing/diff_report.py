"""Render a package diff as Markdown (for changelogs and pull requests), plain text or JSON."""

from __future__ import annotations

import json

from rareearths.diffing.package_diff import PackageDiff

MAX_ROWS = 50


def _key(key: list[str]) -> str:
    return ", ".join(str(k) for k in key)


def to_markdown(d: PackageDiff) -> str:
    verdict = "ok" if d.version_ok else f"**too small: this change needs a {d.required_bump} bump**"
    out = [
        f"## Data diff: `{d.old}` → `{d.new}`",
        "",
        f"Version {d.old_version} → {d.new_version} ({d.actual_bump} bump); change needs: "
        f"**{d.required_bump}**; {verdict}.",
        "",
        "| resource | status | rows added | rows removed | rows changed | schema |",
        "|---|---|---|---|---|---|",
    ]
    for r in d.resources:
        schema = []
        schema += [f"+{f}" for f in r.fields_added] + [f"-{f}" for f in r.fields_removed]
        schema += [f"{t['field']}: {t['old']}→{t['new']}" for t in r.fields_retyped]
        if r.primary_key_changed:
            schema.append("primary key changed")
        out.append(f"| `{r.name}` | {r.status} | {len(r.rows_added)} | {len(r.rows_removed)} | "
                   f"{len(r.rows_changed)} | {', '.join(schema)} |")  # fmt: skip
    for r in d.resources:
        if not (r.rows_added or r.rows_removed or r.rows_changed):
            continue
        out += ["", f"### `{r.name}`", ""]
        out += [f"- added: `{_key(k)}`" for k in r.rows_added[:MAX_ROWS]]
        out += [f"- removed: `{_key(k)}`" for k in r.rows_removed[:MAX_ROWS]]
        for c in r.rows_changed[:MAX_ROWS]:
            parts = "; ".join(f"`{f}`: {v['old']!r} → {v['new']!r}" for f, v in c["changes"].items())
            out.append(f"- changed `{_key(c['key'])}`: {parts}")
        hidden = sum(max(0, len(x) - MAX_ROWS) for x in (r.rows_added, r.rows_removed, r.rows_changed))
        if hidden:
            out.append(f"- … and {hidden} more (use `--format json`)")
    return "\n".join(out) + "\n"


def to_text(d: PackageDiff) -> str:
    return to_markdown(d).replace("`", "").replace("**", "")


def to_json(d: PackageDiff) -> str:
    return json.dumps(d.to_dict(), ensure_ascii=False, indent=2)

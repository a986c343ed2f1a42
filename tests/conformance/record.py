"""Record frictionless's answers for every case once (`make golden`), so tests never call it.

Run again after changing the corpus or upgrading frictionless; the diff of golden.json shows what
the reference tool now says differently.
"""

from __future__ import annotations

import json
import sys

from tests.conformance.harness import GOLDEN, cases, frictionless_answer


def main() -> int:
    answers = {}
    for case in cases():
        answers[case] = frictionless_answer(case)
        print(case, "valid" if answers[case].get("valid") else "invalid", file=sys.stderr)
    GOLDEN.write_text(json.dumps(answers, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(answers)} cases in {GOLDEN}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

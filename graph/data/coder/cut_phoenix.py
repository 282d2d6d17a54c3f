"""Cut the Phoenix actor dictionaries to what the coder needs (run by hand; documented in
SOURCE.md): every entry of Phoenix.International.actors.txt, and from
Phoenix.Countries.actors.txt the country entries (a name with its code on the same line,
``RUSSIAN_FEDERATION_  [RUS]``) and the persons and bodies whose roles are still open
(``[RUSGOV >20040309]``) or ended after 1 January 2000. The MIT notices are kept.

    python graph/data/coder/cut_phoenix.py /work/shared/data/cameo_dictionaries graph/data/coder
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_CODE = re.compile(r"\[([A-Z~]{3,}[A-Z0-9]*)\s*([^\]]*)\]")


def _blocks(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    header: list[str] = []
    blocks: list[list[str]] = []
    for line in lines:
        if not blocks and line.startswith("#"):
            header.append(line)
            continue
        if line.strip() == "" or line.startswith("#"):
            continue
        if line[0] not in "+\t " or not blocks:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return header, blocks


def _recent(block: list[str]) -> bool:
    first = block[0]
    if _CODE.search(first.split("#", 1)[0]):
        return True  # a country (or body) with its code on the name line
    for line in block[1:]:
        if not line.startswith(("\t", " ")):
            continue
        m = _CODE.search(line.split("#", 1)[0])
        if m is None:
            continue
        dates = m.group(2).strip()
        if dates == "" or dates.startswith(">"):
            return True
        end = dates.rsplit("-", 1)[-1]
        if end.isdigit() and len(end) == 8 and end >= "20000101":
            return True
    return False


def cut(source: Path, target: Path) -> None:
    lines = (source / "Phoenix.Countries.actors.txt").read_text(encoding="utf-8").splitlines()
    header, blocks = _blocks(lines)
    kept = [b for b in blocks if _recent(b)]
    note = [
        "#",
        "# CUT for diplograph: only country entries and persons/bodies with a role open or ending",
        "# after 2000-01-01 (graph/data/coder/cut_phoenix.py); see SOURCE.md.",
    ]
    out = header + note + [line for b in kept for line in b]
    (target / "Phoenix.Countries.recent.actors.txt").write_text(
        "\n".join(out) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    cut(Path(sys.argv[1]), Path(sys.argv[2]))

"""The coder's dictionaries, read the way TABARI/PETRARCH read them.

- **Verbs** (:func:`verb_dictionary`): the CAMEO verb-pattern dictionary
  (``graph/data/coder/CAMEO.verbpatterns.150430.txt``, PETRARCH2, MIT). A block
  ``--- REJECT [120] ---`` lists verbs (``DISMISS [110]`` with its own code, ``SEEK {SEEKS
  SOUGHT}`` with irregular forms) and patterns ``- * PLAN [127]``: words after ``*`` (the verb)
  and before it, ``+`` the target, ``$`` the source, ``&SET`` any word of a synonym set.
  Regular forms (``-S``, ``-ED``, ``-ING``) are generated; ``[---]`` means "no event".
- **Actors** (:func:`phoenix_actors`): the Phoenix actor dictionaries (MIT: countries with their
  office holders, international actors, non-state armed groups): ``SERGEY_LAVROV_`` with
  ``+LAVROV`` aliases and date-bounded codes ``[RUSGOV >20040309]``; a trailing ``_`` means the
  word exactly, otherwise a plural ``S`` may follow. With no article date the coder takes the
  code of the latest role.
- The graph's own actors (labels and aliases of states, officials with their posts,
  organisations) are read by :mod:`diplograph.graph.extract.actors`.

>>> verbs = verb_dictionary()
>>> verbs.forms["REJECTED"][0].code
'120'
>>> phoenix_actors()[("LAVROV",)].code
'RUSGOV'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from diplograph.graph.extract.words import SKIP

DATA = Path(__file__).resolve().parent.parent / "data" / "coder"
VERB_FILE = DATA / "CAMEO.verbpatterns.150430.txt"
ACTOR_FILES = (
    DATA / "Phoenix.Countries.actors.txt",
    DATA / "Phoenix.International.actors.txt",
    DATA / "Phoenix.MilNonState.actors.txt",
)
#: Words and phrases of diplomatic reporting the 2015 verb dictionary lacks (ours, documented).
EXTRA_VERB_FILE = DATA / "diplograph.verbpatterns.txt"
DICTIONARY_FILES = (VERB_FILE, EXTRA_VERB_FILE, *ACTOR_FILES)


@dataclass(frozen=True)
class Pattern:
    before: tuple[str, ...]  # words before the verb, in order (closest last)
    after: tuple[str, ...]  # words after the verb, in order
    code: str  # CAMEO code, or "---" (no event)

    @property
    def weight(self) -> int:
        return sum(1 for w in (*self.before, *self.after) if w not in "+$%^")


@dataclass(frozen=True)
class Verb:
    block: str  # the block's name: REJECT, EXPLAIN_VERBAL
    lemma: str  # the verb as listed: REJECT, CALL_FOR
    code: str  # the verb's own code or the block's
    rest: tuple[str, ...] = ()  # further words of a multi-word verb (CALLED_FOR → FOR)


@dataclass
class VerbDictionary:
    forms: dict[str, list[Verb]] = field(default_factory=dict)  # inflected first word → verbs
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)  # block → patterns
    synsets: dict[str, frozenset[str]] = field(default_factory=dict)  # &NAME → words


def inflections(word: str) -> set[str]:
    """Regular English forms of a verb as the dictionary writes it (upper case)."""
    w = word
    out = {w}
    if w.endswith("E"):
        out |= {w + "S", w + "D", w[:-1] + "ING"}
    elif w.endswith("Y") and len(w) > 2 and w[-2] not in "AEIOU":
        out |= {w[:-1] + "IES", w[:-1] + "IED", w + "ING"}
    elif w.endswith(("S", "SH", "CH", "X", "Z")):
        out |= {w + "ES", w + "ED", w + "ING"}
    else:
        out |= {w + "S", w + "ED", w + "ING"}
        if re.search(r"[^AEIOU][AEIOU][BDGLMNPRT]$", w) and len(w) <= 4:
            out |= {w + w[-1] + "ED", w + w[-1] + "ING"}  # STOP → STOPPED, OMIT → OMITTED
    return out


_BLOCK = re.compile(r"^---\s*(\S+)\s*\[([^\]]*)\]")
_CODE = re.compile(r"\[([0-9]{2,4}|---)(?::[^\]]*)?\]")


def _code_of(text: str) -> str | None:
    m = _CODE.search(text)
    return m.group(1) if m else None


def _read_verbs(path: Path, into: VerbDictionary, *, first: bool = False) -> None:
    block = ""
    block_code = "---"
    synset: str | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("&"):
            synset = line.strip().rstrip("_")
            into.synsets[synset] = frozenset()
            continue
        if line.startswith("+") and synset is not None and not block:
            word = line[1:].strip().rstrip("_").replace("_", " ")
            into.synsets[synset] = into.synsets[synset] | {word}
            continue
        m = _BLOCK.match(line)
        if m:
            synset = None
            block = m.group(1)
            code = m.group(2).split(":")[0].strip()
            block_code = code if re.fullmatch(r"[0-9]{2,4}", code) else "---"
            continue
        if not block:
            continue
        if line.startswith("-"):
            code = _code_of(line)
            body = _CODE.sub("", line[1:]).strip()
            words = body.split()
            if code is None or "*" not in words:
                continue
            i = words.index("*")
            into.patterns.setdefault(block, []).append(
                Pattern(tuple(words[:i]), tuple(words[i + 1 :]), code)
            )
            continue
        text = line.strip().lstrip("+")
        irregular = re.search(r"\{([^}]*)\}", text)
        code = _code_of(text) or block_code
        lemma = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", text).strip().rstrip("_")
        if not lemma or " " in lemma:
            continue
        head, *rest = lemma.split("_")
        forms = inflections(head)
        if irregular:
            forms |= {f.strip().rstrip("_") for f in irregular.group(1).split() if f.strip()}
        verb = Verb(block, lemma, code, tuple(rest))
        for form in forms:
            known = into.forms.setdefault(form, [])
            if first:
                known.insert(0, verb)
            else:
                known.append(verb)


@cache
def verb_dictionary() -> VerbDictionary:
    """The CAMEO verb patterns plus diplograph's additions (read once)."""
    out = VerbDictionary()
    _read_verbs(VERB_FILE, out)
    if EXTRA_VERB_FILE.exists():
        _read_verbs(EXTRA_VERB_FILE, out, first=True)
    return out


# -- matching patterns ----------------------------------------------------------------------
#: Words a pattern may skip between two of its words (TABARI allows short gaps).
MAX_GAP = 3


def _word_matches(word: str, token: str, synsets: dict[str, frozenset[str]]) -> bool:
    if word.startswith("&"):
        members = synsets.get(word.rstrip("_"), frozenset())
        return any(token == m.split()[0] or token.startswith(m.split()[0]) for m in members if m)
    if word.endswith("_"):
        return token == word.rstrip("_")
    return token == word or (len(word) >= 4 and token.startswith(word))


def match_seq(words: list[str], toks: list[str], synsets: dict[str, frozenset[str]]) -> bool:
    """Words matched in order within ``toks``, gaps allowed; ``A_B`` needs A and B adjacent."""
    i = 0
    for word in words:
        if word in SKIP or "*" in word:
            continue
        parts = [p for p in word.split("_") if p] if not word.startswith("&") else [word]
        limit = min(len(toks), i + MAX_GAP + 1)
        while i < limit:
            if all(
                i + k < len(toks) and _word_matches(p, toks[i + k], synsets)
                for k, p in enumerate(parts)
            ):
                i += len(parts)
                break
            i += 1
        else:
            return False
    return True


# -- actors --------------------------------------------------------------------------------
@dataclass(frozen=True)
class PhoenixActor:
    name: str  # the entry's main name, words joined by spaces
    code: str  # the code of the latest role: RUSGOV, IGOWSTNAT, RUS
    exact: bool  # the phrase ended in "_": no plural

    @property
    def country(self) -> str:
        """The first three letters: a country code (``RUS``) or ``IGO``/``NGO``..."""
        return self.code[:3]


_ACTOR_CODE = re.compile(r"\[([A-Z]{3}[A-Z0-9]*)(?:\s+([^\]]*))?\]")


def _day(text: str) -> str:
    """A Phoenix date (``040309`` or ``20040309``) as ``YYYYMMDD``; two-digit years 50-99 are
    19xx."""
    text = text.strip()
    if len(text) == 6:
        return ("19" if text[:2] >= "50" else "20") + text
    return text


def _span(dates: str) -> tuple[str, str]:
    """The first and last day of a role: ``>20040309``, ``<910824``, ``19940922-20040712``,
    or no dates (always)."""
    dates = dates.strip()
    if not dates:
        return "00000000", "99999999"
    if dates.startswith(">"):
        return _day(dates[1:]), "99999999"
    if dates.startswith("<"):
        return "00000000", _day(dates[1:])
    start, _, end = dates.partition("-")
    return _day(start), _day(end) if end else "99999999"


#: Codes of a standing with no country: a former office holder is an elite (``[IGOUNO
#: 970101-061231] [ELI]``: Kofi Annan after his term).
NO_COUNTRY = frozenset({"ELI"})


def _role(codes: list[tuple[str, str]], on: str | None = None) -> str | None:
    """The code of the role held on the day ``on`` (``YYYYMMDD``), else of the latest role
    (the one ending last, then begun last) that names a country or organisation: with no day
    known, a person named in the news is taken in the office that made them known, not as the
    elite of no country they became after it."""
    spans = [(code, *_span(dates)) for code, dates in codes]
    if on is not None:
        held = [s for s in spans if s[1] <= on <= s[2]]
        if held:  # the role begun last: a dated office before an undated standing
            return max(held, key=lambda s: s[1])[0]
    best = max(spans, key=lambda s: (s[0] not in NO_COUNTRY, s[2], s[1]), default=None)
    return best[0] if best else None


def _entries(path: Path) -> Iterator[tuple[list[str], list[tuple[str, str]]]]:
    names: list[str] = []
    codes: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        found = [(c, (d or "").strip()) for c, d in _ACTOR_CODE.findall(line)]
        phrase = _ACTOR_CODE.sub("", line).strip()
        if raw[:1] in "\t " and not phrase:
            codes += found
            continue
        if phrase.startswith("+"):
            names.append(phrase[1:].strip())
            codes += found
            continue
        if names:
            yield names, codes
        names, codes = [phrase], found
    if names:
        yield names, codes


def phrase_tokens(name: str) -> tuple[str, ...]:
    """A dictionary phrase as tokens (``U.N._SECRETARY_GENERAL`` → ``U.N.``, ``SECRETARY``...)."""
    return tuple(w for w in re.split(r"[_\s]+", name.upper().strip("_ ")) if w)


@cache
def phoenix_actors(on: str | None = None) -> dict[tuple[str, ...], PhoenixActor]:
    """Every phrase of the bundled Phoenix actor dictionaries → the actor it names, with the
    code of its role on the day ``on`` (``YYYY-MM-DD``; by default, of its latest role).

    >>> phoenix_actors("1995-01-01")[("VLADIMIR", "PUTIN")].code  # an elite, not yet in office
    'RUSELI'
    >>> phoenix_actors()[("VLADIMIR", "PUTIN")].code
    'RUSGOV'
    """
    day = on.replace("-", "") if on else None
    out: dict[tuple[str, ...], PhoenixActor] = {}
    for path in ACTOR_FILES:
        for names, codes in _entries(path):
            code = _role(codes, day)
            if code is None:
                continue
            main = " ".join(phrase_tokens(names[0]))
            for name in names:
                key = phrase_tokens(name)
                if key and key not in out:
                    out[key] = PhoenixActor(main, code, name.rstrip().endswith("_"))
    return out


__all__ = [
    "DICTIONARY_FILES",
    "Pattern",
    "PhoenixActor",
    "Verb",
    "VerbDictionary",
    "inflections",
    "match_seq",
    "phoenix_actors",
    "phrase_tokens",
    "verb_dictionary",
]

"""Rules of the CAMEO manual that read more than one verb: what a verb means under a modal, a
negation or a condition, and statements whose words, not their verb, make them criticism.

- *X said Y must/should V* is a **demand** of X addressed to Y (CAMEO 10: "demand" includes
  insisting that others act), coded by what is demanded (cooperation 101, aid 103, to yield 105,
  to meet 108; else 100).
- *X will/would V*, *is ready/prepared/willing to V* with a cooperative V (CAMEO roots 04-08) is
  an **intent** (03: 031 material cooperation ... 036 to meet), and with a coercive or violent V
  (14-20), said or under a condition (*unless*, *if*), a **threat** (13: 131 non-force, 137
  repression, 138 military force).
- *will not / refuses to V* with a cooperative V is a **rejection** (12).
- A plain statement (01) or a call (04) with words of blame (*provocation*, *aggression*,
  *lies*) is **criticism** (111), with *accuse/accusation* an **accusation** (112).

Each returns the new code and the rule's name, which the draft records as the claim's ``rule``.

>>> modal(["RUSSIA", "WILL", "NOT", "ACCEPT"], 3)
'not'
>>> reading("080", "will", said=True, condition=None)
('035', 'intent: will + yield')
"""

from __future__ import annotations

from diplograph.graph.extract.words import BLAME_WORDS

#: Words of doubt: a statement with them is a pessimistic comment (CAMEO 012).
GLOOM_WORDS = frozenset(
    {"LACK", "UNLIKELY", "DOUBT", "DOUBTS", "SKEPTICAL", "SCEPTICAL", "PESSIMISTIC", "DEADLOCK"}
)
#: A wish for (SEEK_WORDS) a settlement (SETTLE_WORDS): an intent to settle a dispute (037).
SEEK_WORDS = frozenset({"SEEK", "SEEKS", "SEEKING", "DESIRE", "WANTS", "WISH", "WILLING", "READY"})
SETTLE_WORDS = frozenset({"SETTLEMENT", "RESOLUTION", "PEACE", "CEASEFIRE", "TRUCE"})

_MUST = ("MUST", "SHOULD", "OUGHT")
_WILL = ("WILL", "WOULD", "SHALL", "'LL")
_READY = ("WILLING", "READY", "PREPARED", "INTENDS", "INTEND", "PLANS", "PLAN", "COMMITTED")
_NOT = ("NOT", "NEVER", "N'T", "WON'T", "REFUSES", "REFUSED", "REFUSE", "DECLINED", "DECLINES")

#: root of a demanded, intended or rejected action → CAMEO code (demand 10x, intent 03x,
#: reject 12x, threaten 13x)
_DEMAND = {"06": "101", "05": "102", "07": "103", "08": "105", "04": "108"}
_INTENT = {"06": "031", "05": "032", "07": "033", "08": "035", "04": "036"}
_REJECT = {"06": "121", "07": "122", "08": "124", "04": "125", "05": "120", "03": "120"}
_THREAT = {
    "14": "130",
    "15": "138",
    "16": "131",
    "17": "137",
    "18": "138",
    "19": "138",
    "20": "138",
}
_WHAT = {"04": "meet", "05": "cooperate", "06": "cooperate", "07": "aid", "08": "yield"}


def modal(texts: list[str], i: int) -> str | None:
    """The modality of the verb at ``i``: ``must`` (obligation), ``not`` (negated), ``will``
    (future, intent), or ``None``; read from the three words before it."""
    before = texts[max(0, i - 3) : i]
    if any(w in _NOT for w in before) and not any(w in ("HESITATE", "FAIL") for w in before):
        return "not"  # but "will never hesitate to", "did not fail to" affirm
    if any(w in _MUST for w in before) or (
        len(before) >= 2 and before[-1] == "TO" and before[-2] in ("HAS", "HAVE", "NEED", "NEEDS")
    ):
        return "must"
    if any(w in _WILL for w in before) or (
        len(before) >= 2 and before[-1] == "TO" and before[-2] in _READY
    ):
        return "will"
    return None


def reading(
    code: str, mode: str | None, *, said: bool, condition: str | None
) -> tuple[str, str] | None:
    """The code a verb coded ``code`` takes under ``mode`` (:func:`modal`), when reported as
    said (after a speech verb) and/or under a condition; ``None`` when it keeps its own."""
    root = code[:2]
    if mode == "must" and said:
        return _DEMAND.get(root, "100"), "demand: must + verb"
    if mode == "not" and root in _REJECT:
        return _REJECT[root], f"rejection: not + {_WHAT.get(root, 'act')}"
    if condition == "unless" and root not in ("01", "02", "03"):
        return _THREAT.get(root, "130"), "threat: unless"
    if mode == "will" and root in _INTENT:
        return _INTENT[root], f"intent: will + {_WHAT[root]}"
    violent = root in ("15", "18", "19", "20")  # announcing force is threatening it
    if root in _THREAT and (condition or (mode == "will" and said and violent)):
        return _THREAT[root], "threat: will/unless + force"
    return None


def blame(code: str, texts: list[str]) -> tuple[str, str] | None:
    """What the words of a statement (01) or call (04) make it: an accusation (112), criticism
    (words of blame, 111), a pessimistic comment (012), or an intent to settle (037: seeking a
    settlement, a resolution, peace)."""
    if code[:2] != "01" and code != "041":  # a statement, or "called it a ..."
        return None
    if any(w.startswith("ACCUS") for w in texts):
        return "112", "accusation: accuse"
    if any(w in BLAME_WORDS for w in texts):
        return "111", "criticism: words of blame"
    if any(w in GLOOM_WORDS for w in texts):
        return "012", "pessimism: words of doubt"
    if any(w in SEEK_WORDS for w in texts) and any(w in SETTLE_WORDS for w in texts):
        return "037", "intent: seek a settlement"
    return None


def condition(texts: list[str], i: int) -> str | None:
    """The condition the verb at ``i`` is under: ``unless`` (an ultimatum: what the other side
    must do to avoid it), ``if``, or ``None``."""
    if "UNLESS" in texts[i + 1 :] or "UNLESS" in texts[:i]:
        return "unless"
    return "if" if "IF" in texts[i + 1 :] else None


__all__ = ["blame", "condition", "modal", "reading"]

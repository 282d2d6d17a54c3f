"""The coder's small word lists (:mod:`.coder`): speech verb blocks, determiners, pronouns,
auxiliaries. Data only.
"""

from __future__ import annotations

#: Verb blocks whose verbs report speech: their subject is the speaker of what follows.
SPEECH_BLOCKS = frozenset(
    {
        "EXPLAIN_VERBAL",
        "OBSERVE",
        "EMPHASIZE",
        "ALLEGE",
        "PREDICT",
        "ESTIMATE",
        "REPEAT",
        "QUOTE",
        "INSIST",
    }
)
PASSIVE = frozenset({"WAS", "WERE", "IS", "ARE", "BE", "BEEN", "BEING"})
SKIP = frozenset("+$%^")
#: Words before a noun: a "verb" right after one is a noun ("the need", "a warning").
DETERMINERS = frozenset(
    {
        "THE",
        "A",
        "AN",
        "'S",
        "ANY",
        "SUCH",
        "THIS",
        "THESE",
        "THOSE",
        "ITS",
        "THEIR",
        "HIS",
        "HER",
        "OUR",
        "NO",
        "OF",
        "FOR",
        "ALL",
        "SOME",
    }
)
PRONOUNS = frozenset({"HE", "SHE", "IT", "THEY"})
#: Words before a finite verb (auxiliaries, modals)
AUX = frozenset(
    {
        "HAS",
        "HAVE",
        "HAD",
        "WILL",
        "WOULD",
        "WAS",
        "WERE",
        "IS",
        "ARE",
        "MUST",
        "SHOULD",
        "CAN",
        "COULD",
        "MAY",
        "MIGHT",
        "DID",
        "DOES",
        "DO",
        "SHALL",
    }
)

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
#: Words of a person's title (*Foreign Minister*, *Kremlin spokesman*, *Ambassador*): a
#: capitalised name right after them is a person.
TITLE_WORDS = frozenset(
    {
        "MINISTER",
        "SECRETARY",
        "SECRETARY-GENERAL",
        "SPOKESMAN",
        "SPOKESWOMAN",
        "SPOKESPERSON",
        "PRESIDENT",
        "VICE-PRESIDENT",
        "PREMIER",
        "CHANCELLOR",
        "AMBASSADOR",
        "ENVOY",
        "GENERAL",
        "ADMIRAL",
        "KING",
        "QUEEN",
        "PRINCE",
        "EMIR",
        "SHEIKH",
        "SENATOR",
        "GOVERNOR",
        "MAYOR",
        "DIRECTOR",
        "CHAIRMAN",
        "CHAIRWOMAN",
        "COMMISSIONER",
        "ADVISER",
        "ADVISOR",
        "DEPUTY",
        "ASSISTANT",
        "PRINCIPAL",
        "SPEAKER",
        "CHIEF",
        "LEADER",
        "REPRESENTATIVE",
        "NEGOTIATOR",
        "COMMANDER",
        "SPOKESPEOPLE",
        "FOREIGN",
        "DEFENSE",
        "DEFENCE",
        "PRIME",
        "VICE",
        "INTERIOR",
        "FINANCE",
        "SENIOR",
        "MR",
        "MRS",
        "MS",
        "DR",
    }
)
#: Words that make a statement criticism (CAMEO 111) rather than a neutral comment.
BLAME_WORDS = frozenset(
    {
        "PROVOCATION",
        "PROVOCATIONS",
        "PROVOCATIVE",
        "AGGRESSION",
        "AGGRESSIVE",
        "UNACCEPTABLE",
        "IRRESPONSIBLE",
        "RECKLESS",
        "ILLEGAL",
        "ILLEGITIMATE",
        "UNPROVOKED",
        "LIES",
        "PROPAGANDA",
        "HYPOCRISY",
        "HYPOCRITICAL",
        "SHAMEFUL",
        "OUTRAGEOUS",
        "CONTEMPT",
        "AFFRONT",
        "VIOLATION",
        "VIOLATIONS",
        "DISREGARD",
        "SAVAGE",
        "BLATANT",
        "BLATANTLY",
        "EGREGIOUS",
        "HOSTILE",
        "DESTABILIZING",
        "DESTABILISING",
        "INTERFERENCE",
        "BLACKMAIL",
    }
)
#: Month names: before a number they are a date, never a verb (*March 3*, *May 2024*).
MONTHS = frozenset({"MARCH", "MAY", "JUNE", "AUGUST"})
#: Words that may follow a trailing attribution ("..., the ministry said on Monday").
TIME_WORDS = frozenset(
    {
        "ON",
        "TODAY",
        "YESTERDAY",
        "TONIGHT",
        "LATE",
        "EARLY",
        "LAST",
        "THIS",
        "WEEK",
        "NIGHT",
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
        "HERE",
        "THERE",
        "IN",
        "A",
        "STATEMENT",
    }
)
#: Prepositions: a "verb" right after one is a noun (*in talks*, *for aid*), unless in -ING.
PREPOSITIONS = frozenset(
    {
        "IN",
        "ON",
        "AT",
        "WITH",
        "FROM",
        "INTO",
        "ABOUT",
        "AGAINST",
        "OVER",
        "UNDER",
        "BETWEEN",
        "AMONG",
        "DURING",
        "THROUGH",
        "WITHOUT",
        "DESPITE",
        "TOWARD",
        "TOWARDS",
        "LIKE",
        "UPON",
    }
)
#: Words that start a clause whose subject is nobody in particular: it does not continue the
#: previous clause's speaker (*One might ask ...*, *Some say ...*, *This crisis is ...*).
NOT_SUBJECTS = frozenset({"ONE", "SOME", "MANY", "THIS", "THESE", "THAT", "THOSE", "WE", "YOU"})
#: Prepositions of place: a city after them is where something happens, not who acts.
LOCATIVE = frozenset({"IN", "AT", "NEAR", "OUTSIDE", "INSIDE", "ACROSS", "AROUND", "OF"})
#: Words that open an adverbial subordinate clause: the event of the clause before them is the
#: main one (*X expelled Y after Z alleged ...*).
SUBORDINATORS = frozenset(
    {"AFTER", "BEFORE", "WHILE", "WHEN", "BECAUSE", "SINCE", "UNTIL", "ALTHOUGH", "THOUGH"}
)
#: The common forms of reporting verbs, to find a trailing attribution (*..., officials said*).
SPEECH_WORDS = frozenset(
    {"SAID", "SAYS", "SAY", "REPORTED", "REPORTS", "ANNOUNCED", "STATED", "ADDED", "TOLD"}
)
#: Words that place a people in a state (*ethnic Greeks in Albania*, *near Albania's border*).
PLACED = frozenset({"IN", "NEAR", "INSIDE", "ACROSS", "THROUGHOUT"})

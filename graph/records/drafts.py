"""A draft claim-record file under review: read it, change its claims, write it back.

:class:`DraftFile` is what ``diplograph review`` and the server's ``/extract`` page work on: the
file's data (plain YAML), the comment header the coder wrote (kept, so that the coder's version
still names who drafted the claims), the claims still ``pending``, the sentence each was coded
from (its ``span``, when the coder gave one) and the edits a reviewer makes: accept, reject, set
the speaker, targets, event type or date. :func:`entity_suggestions` offers, for a name typed by
the reviewer, the file's own entities and the store's (by name, from the store's search index,
:func:`diplograph.graph.search.search`, as the site's search box and the query editor find
them). :meth:`DraftFile.text` is the reviewed file, whose checks are those of any record file
(:func:`diplograph.graph.records.load_records`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from diplograph import iri
from diplograph.errors import ClaimError, Problem
from diplograph.graph.records.review import ACCEPTED, PENDING, REJECTED, review_of

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph

#: The claim fields a reviewer edits, and what each holds.
EDITABLE: dict[str, str] = {
    "speaker": "who made the claim (an entity of the file, or an IRI path such as state/russia)",
    "targets": "whom it is directed at (entities, separated by commas)",
    "event_type": 'the CAMEO code ("111")',
    "date": "when it was said: YYYY-MM-DD, YYYY-MM, YYYY, or unknown",
}
#: The kinds of the store's entities offered as speakers and targets.
ACTOR_KINDS = frozenset({"state", "person", "organization", "group", "alliance", "publisher"})


@dataclass
class DraftFile:
    """One claim-record file being reviewed: its comment header and its data."""

    header: str
    data: dict[str, Any]
    location: str = "draft"

    @classmethod
    def parse(cls, text: str, location: str = "draft") -> DraftFile:
        """Read a record file's text; a file that is not a mapping with claims is refused."""
        from diplograph.graph.load.screen import screen_records_text

        screen_records_text(text, location)  # YAML aliases expand without bound: refused
        head: list[str] = []
        for line in text.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                break
            head.append(line)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ClaimError([Problem(location, f"is not valid YAML: {str(exc)[:300]}.")]) from None
        if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
            raise ClaimError(
                [Problem(location, "is not a claim-record file: it has no list of 'claims'.")]
            )
        return cls("\n".join(h for h in head if h.strip()), data, location)

    @classmethod
    def read(cls, path: Path) -> DraftFile:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ClaimError([Problem(str(path), f"cannot be read: {exc}.")]) from None
        return cls.parse(text, str(path))

    # -- reading ---------------------------------------------------------------------------
    @property
    def claims(self) -> list[dict[str, Any]]:
        return [c for c in self.data["claims"] if isinstance(c, dict)]

    @property
    def entities(self) -> dict[str, Any]:
        found = self.data.get("entities")
        return found if isinstance(found, dict) else {}

    @property
    def article_text(self) -> str:
        article = self.data.get("article")
        text = article.get("text") if isinstance(article, dict) else None
        return text if isinstance(text, str) else ""

    def pending(self) -> list[dict[str, Any]]:
        """The claims nobody has reviewed yet, in file order."""
        return [c for c in self.claims if review_of(c) == PENDING]

    def counts(self) -> dict[str, int]:
        """How many claims are pending, accepted and rejected."""
        out = {PENDING: 0, ACCEPTED: 0, REJECTED: 0}
        for c in self.claims:
            out[review_of(c)] += 1
        return out

    def claim(self, cid: str) -> dict[str, Any]:
        for c in self.claims:
            if c.get("id") == cid:
                return c
        raise ClaimError([Problem(self.location, f"has no claim {cid!r}.")])

    def context(self, claim: dict[str, Any], width: int = 200) -> tuple[str, str, str] | None:
        """The text before the claim's span (up to ``width`` characters), the span, and the text
        after it; ``None`` when the claim has no usable span."""
        span, text = claim.get("span"), self.article_text
        if not (
            isinstance(span, list) and len(span) == 2 and all(isinstance(n, int) for n in span)
        ):
            return None
        start, end = span
        if not 0 <= start < end <= len(text):
            return None
        return text[max(0, start - width) : start], text[start:end], text[end : end + width]

    def name_of(self, ref: object) -> str:
        """A reference as a reviewer reads it: ``norway (Norway)``."""
        ent = self.entities.get(ref) if isinstance(ref, str) else None
        label = ent.get("label") if isinstance(ent, dict) else None
        return f"{ref} ({label})" if label else str(ref)

    # -- changing --------------------------------------------------------------------------
    def set_review(self, cid: str, state: str) -> None:
        if state not in (PENDING, ACCEPTED, REJECTED):
            raise ClaimError([Problem(self.location, f"{state!r} is not a review state.")])
        self.claim(cid)["review"] = state

    def set_field(self, cid: str, name: str, value: str) -> None:
        """Set one editable field from what a reviewer typed (targets: a comma-separated list;
        an empty value removes an optional field)."""
        if name not in EDITABLE:
            raise ClaimError(
                [
                    Problem(
                        self.location,
                        f"{name!r} is not editable here; fields: {', '.join(EDITABLE)}",
                    )
                ]
            )
        claim, value = self.claim(cid), value.strip()
        if name == "targets":
            items = [v.strip() for v in value.split(",") if v.strip()]
            if items:
                claim["targets"] = list(dict.fromkeys(items))
            else:
                claim.pop("targets", None)
        elif name == "date" and value in ("", "unknown"):
            claim.pop("date", None)
        elif value:
            claim[name] = value
        else:
            raise ClaimError([Problem(self.location, f"claim {cid}: {name!r} cannot be empty.")])

    def mark_drafted(self) -> None:
        """Mark every claim without a review state ``pending``: for a draft fresh from a coder
        that does not write the state itself (its claims are, in fact, not reviewed)."""
        for claim in self.claims:
            claim.setdefault("review", PENDING)

    def apply(self, edits: Sequence[Mapping[str, Any]]) -> None:
        """Apply a reviewer's edits: per claim (``id``) any editable field and ``review``."""
        for edit in edits:
            cid = str(edit.get("id"))
            for name in EDITABLE:
                if name in edit:
                    value = edit[name]
                    if isinstance(value, list):
                        value = ", ".join(str(v) for v in value)
                    self.set_field(cid, name, "" if value is None else str(value))
            if "review" in edit:
                self.set_review(cid, str(edit["review"]))

    def text(self) -> str:
        """The file as YAML, after its comment header."""
        from diplograph.graph.extract.output import records_yaml  # the drafts' own YAML style

        body = records_yaml(self.data)
        return f"{self.header}\n{body}" if self.header else body


def entity_suggestions(
    draft: DraftFile | None,
    typed: str,
    graph: DiploGraph | None = None,
    *,
    limit: int = 8,
    key: object | None = None,
) -> list[tuple[str, str]]:
    """References for a name a reviewer typed: ``(reference, label)``, the file's entities first
    (by id or label), then the store's actors named like it (IRI paths, ``state/norway``), best
    first, from the search index of ``graph`` (kept per ``key``, default the graph: see
    :func:`diplograph.graph.search.index_for`)."""
    words = typed.strip().casefold()
    out: dict[str, str] = {}
    entities = draft.entities if draft is not None else {}
    for ref, ent in entities.items():
        label = str(ent.get("label", "")) if isinstance(ent, dict) else ""
        if words and (words in ref.casefold() or words in label.casefold()):
            out.setdefault(ref, label or ref)
    declared = {e.get("iri") for e in entities.values() if isinstance(e, dict)}
    if graph is not None and words:
        from diplograph.graph.search import search

        kinds = sorted(ACTOR_KINDS)
        for hit in search(graph, typed, limit=limit + len(declared), kinds=kinds, key=key):
            path = hit.iri[len(iri.ID) :]  # the index holds only entities under the data base
            if path not in declared:
                out.setdefault(path, hit.label)
    return list(out.items())[:limit]


__all__ = ["ACTOR_KINDS", "EDITABLE", "DraftFile", "entity_suggestions"]

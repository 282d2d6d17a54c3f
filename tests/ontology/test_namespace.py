"""The generated DefinedNamespace is in sync with diplo.ttl and fails on typos."""

from __future__ import annotations

import pytest

from diplograph.ontology import gen_namespace
from diplograph.ontology.load import ontology_graph
from diplograph.ontology.namespace import DG, PREFIXES, SCHEMA, SEM


def test_namespace_module_is_in_sync_with_the_turtle() -> None:
    expected = gen_namespace.render()
    actual = gen_namespace.TARGET.read_text(encoding="utf-8")
    assert actual == expected, "run: python -m diplograph.ontology.gen_namespace"
    assert gen_namespace.main(["--check"]) == 0


def test_terms_resolve_and_typos_raise() -> None:
    assert str(DG.Claim) == "https://w3id.org/diplograph/ontology#Claim"
    assert str(DG.speaker) == "https://w3id.org/diplograph/ontology#speaker"
    with pytest.raises(AttributeError, match="Clam"):
        _ = DG.Clam


def test_every_term_of_the_ontology_is_in_the_namespace() -> None:
    terms = gen_namespace.dg_terms(ontology_graph())
    names = [local for group in terms.values() for local, _ in group]
    assert "Claim" in names and "eventType" in names and "holds" in names
    for local in names:
        assert str(getattr(DG, local)).endswith("#" + local)


def test_other_namespaces_from_one_place() -> None:
    assert str(SCHEMA.Claim) == "https://schema.org/Claim"
    assert str(SEM.Event) == "http://semanticweb.cs.vu.nl/2009/11/sem/Event"
    assert PREFIXES["dg"] == "https://w3id.org/diplograph/ontology#"
    assert PREFIXES["schema"] == "https://schema.org/"

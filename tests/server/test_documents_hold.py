"""A data document states only what the store holds: every triple of ``/data/<path>.nt``,
labels of the IRIs it mentions included (with their language tags), is a triple of the store."""

from __future__ import annotations

import pyoxigraph as ox
from flask.testing import FlaskClient

from tests.server.conftest import SAMPLE

ID = "https://w3id.org/diplograph/id/"


def test_every_document_triple_is_in_the_store(client: FlaskClient) -> None:
    local = ox.Store()
    local.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    held = {(q.subject, q.predicate, q.object) for q in local}
    resources = sorted(
        {q.subject.value for q in local if isinstance(q.subject, ox.NamedNode)} - {""}
    )
    resources = [r for r in resources if r.startswith(ID)]
    assert len(resources) >= 4
    labelled = 0
    for iri in resources:
        r = client.get("/data/" + iri[len(ID) :] + ".nt")
        assert r.status_code == 200, iri
        for t in ox.parse(r.data, format=ox.RdfFormat.N_TRIPLES):
            if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
                continue
            assert (t.subject, t.predicate, t.object) in held, (iri, t)
            if t.subject.value != iri and t.predicate.value.endswith("#label"):
                assert isinstance(t.object, ox.Literal) and t.object.language, (iri, t)
                labelled += 1
    assert labelled > 0  # mentioned IRIs' labels are there, with their language tags

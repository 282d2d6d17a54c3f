"""Fixtures of the store tests: the same behavioural suite runs on every backend.

Backends: in-memory Oxigraph, on-disk Oxigraph, a real ``oxigraph serve`` (``oxigraph_server``
in tests/conftest.py) and, where the Debian package ``virtuoso-opensource-7-bin`` is installed,
a real Virtuoso (``virtuoso-t``) started here on free loopback ports.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from diplograph.graph.store import DiploGraph, open_graph
from diplograph.iri import BASE

BACKENDS = ("memory", "disk", "remote", "virtuoso")

_VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="session")
def virtuoso_server(
    tmp_path_factory: pytest.TempPathFactory,
    free_port: Callable[[], int],
    wait_until_ready: Callable[..., None],
    stop_process: Callable[..., None],
) -> Iterator[str]:
    """A real Virtuoso 7 (``virtuoso-t``) with a fresh database; yields its SPARQL endpoint URL
    (``http://127.0.0.1:PORT/sparql``, updates granted to the SPARQL user). Stopped by PID."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not binary or not isql:
        pytest.skip("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource-7-bin)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = open(folder / "stdout.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        wait_until_ready(proc, f"{url}?query=ASK%7B%7D", "virtuoso-t", 120, Path(log.name))
        subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
            check=True,
            capture_output=True,
        )
        yield url
    finally:
        stop_process(proc, 30)
        log.close()


@pytest.fixture
def virtuoso_graph(virtuoso_server: str) -> Iterator[DiploGraph]:
    """diplograph's graphs on the shared Virtuoso, emptied before the test. Virtuoso keeps its
    own system graphs, so the store URL scopes diplograph to its graph IRIs (``graphs=``) and
    builds the union from them (``union=list``)."""
    g = open_graph(f"sparql+{virtuoso_server}?union=list&graphs={BASE}")
    for name in g.named_graphs():
        g.update(f"DROP SILENT GRAPH <{name}>")
    yield g
    g.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DiploGraph]:
    """An empty graph on each backend."""
    if request.param == "remote":
        yield request.getfixturevalue("remote_graph")
        return
    if request.param == "virtuoso":
        yield request.getfixturevalue("virtuoso_graph")
        return
    url = "memory:" if request.param == "memory" else f"oxigraph:{tmp_path / 'store'}"
    g = open_graph(url)
    yield g
    g.close()

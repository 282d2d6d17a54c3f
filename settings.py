"""Every setting of the diplograph server, declared once.

Each :class:`Setting` has a name, a default, a type, a help text and a secret flag. The same table
feeds the ``diplograph serve`` options and their ``--help``, the environment variables
``DIPLOGRAPH_<NAME>``, the ``/-/settings.json`` page (secrets masked) and ``docs/settings.md``
(a test fails if a setting is missing there).

Resolution order, later wins: the default, the environment variable, an explicit value (a
command-line option or the mapping given to :func:`diplograph.server.app.create_app`). The
command line resolves them once; what :func:`resolve` returns is :class:`Resolved`, and resolving
that again returns it unchanged (the environment is not read a second time).

>>> resolve({"query_timeout": "2.5"}, environ={})["query_timeout"]
2.5
>>> resolve({}, environ={"DIPLOGRAPH_CORS": "off"})["cors"]
False
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from diplograph.errors import SettingError

#: What a setting holds; ``list`` is a comma-separated list of strings.
SettingType = type[str] | type[int] | type[float] | type[bool] | type[list]


@dataclass(frozen=True)
class Setting:
    """One setting. ``default`` None means "unset" (for optional strings such as a token)."""

    name: str
    default: Any
    type: SettingType
    help: str
    secret: bool = False
    serve_only: bool = False  # only meaningful to ``diplograph serve`` (host, port, threads)

    @property
    def env(self) -> str:
        return "DIPLOGRAPH_" + self.name.upper()

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    def parse(self, value: Any, *, where: str) -> Any:
        """``value`` (a string from the environment or the command line, or a Python value)
        converted to this setting's type; raises :class:`SettingError` saying where."""
        if value is None:
            return None
        try:
            if self.type is bool:
                if isinstance(value, bool):
                    return value
                text = str(value).strip().lower()
                if text in ("1", "true", "yes", "on"):
                    return True
                if text in ("0", "false", "no", "off", ""):
                    return False
                raise ValueError(value)
            if self.type is list:
                if isinstance(value, list | tuple):
                    return [str(v) for v in value if str(v).strip()]
                return [p.strip() for p in str(value).split(",") if p.strip()]
            if self.type is int and isinstance(value, float):
                raise ValueError(value)
            return self.type(value)
        except (TypeError, ValueError):
            raise SettingError(
                f"Setting {self.name} ({where}) must be a {self.type.__name__}, got {value!r}."
            ) from None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "host",
        "127.0.0.1",
        str,
        "Interface to listen on. 127.0.0.1 keeps the server "
        "private to this machine; 0.0.0.0 exposes it.",
        serve_only=True,
    ),
    Setting("port", 5000, int, "TCP port to listen on.", serve_only=True),
    Setting("threads", 16, int, "Request threads of the WSGI server (waitress).", serve_only=True),
    Setting(
        "reserved_threads",
        4,
        int,
        "Request threads kept free for /-/health.json and the other /-/ pages and static files "
        "(at most half of threads): "
        "at most threads minus this many other requests run at once; one more is answered at "
        "once with 503 and Retry-After, so health checks are answered under any load.",
        serve_only=True,
    ),
    Setting(
        "export_slots",
        2,
        int,
        "Most network exports (/export/...) drawn at once, the heaviest pages (a whole view "
        "queried and serialised per request); one more is answered at once with 503 and "
        "Retry-After, so clients asking for exports never take every request thread.",
        serve_only=True,
    ),
    Setting(
        "connection_limit",
        1000,
        int,
        "Most open client connections (waitress connection_limit). Idle and slow connections "
        "cost a socket each, not a thread; put a reverse proxy in front of a public server "
        "(SECURITY.md).",
        serve_only=True,
    ),
    Setting(
        "store",
        "oxigraph:data/store",
        str,
        "Store URL: oxigraph:PATH, memory: or sparql+http(s)://HOST/PATH. Every command takes "
        "--store, before or after its name.",
    ),
    Setting(
        "store_token",
        None,
        str,
        "Bearer token sent to a remote SPARQL store (sparql+http(s)://) that asks for one; "
        "a USER:PASSWORD@ in the store URL is sent as HTTP Basic instead.",
        secret=True,
    ),
    Setting(
        "workers",
        2,
        int,
        "Query worker processes. They are forked from one process that holds the store in "
        "memory (the zygote), so they share its copy; each is killed and replaced when a query "
        "overruns the timeout. 0 runs queries in the request thread, without a timeout (tests, "
        "remote stores).",
    ),
    Setting(
        "worker_memory",
        None,
        int,
        "Megabytes of address space each query worker may use, the store's in-memory copy "
        "included (shared between workers, but counted in each). A query that needs more fails "
        "with 500 and its worker is replaced, instead of the system running out of memory. "
        "Unset: sized from the store, 1024 plus 4 times the size of its N-Quads snapshot "
        "(recomputed when the snapshot is rewritten). 0 means no limit.",
    ),
    Setting(
        "query_timeout",
        30.0,
        float,
        "Seconds a query may run before it is stopped and answered with 503.",
    ),
    Setting(
        "update_timeout",
        30.0,
        float,
        "Seconds an update may run before it is stopped and answered with 503; nothing is "
        "written. Updates are evaluated in a query worker (killed when it overruns) and only "
        "their changes are written to the store; the sources of LOAD are fetched first by the "
        "server (workers have no network), all within this many seconds too.",
    ),
    Setting(
        "queue_wait",
        10.0,
        float,
        "Seconds a query waits for an idle query worker when every loaded worker is busy; then "
        "it is answered with 503 and Retry-After (not after query_timeout). While no worker has "
        "loaded the store yet (the server is starting), a query waits up to query_timeout.",
    ),
    Setting(
        "long_query",
        0.25,
        float,
        "Seconds after which a running query counts as long: the thread running it yields the "
        "CPU to everything else (SCHED_IDLE) and, if no worker is idle, the pool starts a spare "
        "worker, so that short queries are not kept waiting. 0 turns this off.",
    ),
    Setting(
        "spare_workers",
        2,
        int,
        "Most extra query workers started for long queries (one for each). Forked from the "
        "zygote, they share its copy of the store and are ready at once.",
    ),
    Setting(
        "spare_idle",
        60.0,
        float,
        "Seconds a spare worker the pool no longer needs, or an export's process, is kept idle "
        "(warm for the next burst of long queries or exports). 0 stops it as soon as it is idle.",
    ),
    Setting(
        "fast_path",
        True,
        bool,
        "Answer queries whose work is bounded before they run (constants in every pattern, "
        "few matches: see SECURITY.md) in the server process, without the round trip to a "
        "query worker. Off: every query goes to a worker.",
    ),
    Setting(
        "fast_path_budget",
        1_000,
        int,
        "The fast path's bound: most combinations of matching triples a query may examine "
        "(the product of each pattern's matches plus one), and most rows it may return, to be "
        "answered in the server process; anything larger goes to a worker.",
    ),
    Setting(
        "max_results",
        10000,
        int,
        "Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) "
        "returned; more are cut and the response says so (header X-Diplograph-Truncated, "
        'JSON key "truncated"). 0 means no cap.',
    ),
    Setting(
        "max_body",
        1_000_000,
        int,
        "Largest request body in bytes; a larger one is answered with 413.",
    ),
    Setting(
        "extract_max_bytes",
        100_000,
        int,
        "Longest article text (UTF-8 bytes) the /extract page codes; a longer one is "
        "answered with 413.",
    ),
    Setting("max_query_length", 100_000, int, "Longest query or update text in characters."),
    Setting(
        "max_nesting",
        64,
        int,
        "Deepest nesting of braces and brackets in a query. "
        "Oxigraph aborts the whole process near 2,000, so this is checked before parsing.",
    ),
    Setting(
        "update_token",
        None,
        str,
        "Bearer token that enables POST /update. Unset: the "
        "endpoint is read-only and /update answers 403.",
        secret=True,
    ),
    Setting(
        "local",
        True,
        bool,
        "Local writes: let the diplograph command on this machine write to the on-disk store "
        "this server holds. The server writes a discovery file with a token for this run into "
        "the store's folder (mode 0600, removed on shutdown), and ingest, build, drop, link, "
        "import send their writes to it. Off: those commands fail while the server runs.",
        serve_only=True,
    ),
    Setting(
        "service_allowlist",
        [],
        list,
        "IRI prefixes SERVICE may call (comma-separated). Empty: refused; workers get no network.",
    ),
    Setting(
        "graph_allowlist",
        [],
        list,
        "IRI prefixes of graphs that FROM / FROM NAMED may "
        "name although the store does not hold them (they are empty; nothing is fetched).",
    ),
    Setting(
        "load_allowlist",
        [],
        list,
        "IRI prefixes (http/https) an update may LOAD from, every redirect too. Empty: refused.",
    ),
    Setting(
        "load_max_bytes", 50_000_000, int, "Largest LOAD source in bytes (413 beyond); 0: any."
    ),
    Setting(
        "protected_graphs",
        [
            "https://w3id.org/diplograph/graph/dataset/",
            "https://w3id.org/diplograph/graph/codes/",
            "https://w3id.org/diplograph/graph/ontology",
            "https://w3id.org/diplograph/graph/shapes",
            "https://w3id.org/diplograph/graph/links",
        ],
        list,
        "IRI prefixes of named graphs that POST /update may not change (comma-separated): by "
        "default the bundled backbone (datasets, code lists, ontology, shapes, links), which "
        "`diplograph build` rebuilds. An update that may change one, or every named graph (DROP "
        "ALL, CLEAR NAMED, GRAPH ?g in a template), is refused with 403. Empty: none protected.",
    ),
    Setting(
        "cors",
        True,
        bool,
        "Send Access-Control-Allow-Origin: * on the read-only "
        "endpoints (/sparql, /queries, meta pages); never with credentials.",
    ),
    Setting(
        "cache_max_age",
        0,
        int,
        "Cache-Control max-age in seconds for query results. "
        "Every result has an ETag from the store generation, so 0 (no-cache) still lets "
        "clients revalidate cheaply with If-None-Match.",
    ),
    Setting(
        "result_cache",
        64,
        int,
        "Megabytes of complete query results kept in memory, keyed by store generation and "
        "request (exact: a write makes them stale). 0 turns the cache off.",
    ),
    Setting(
        "public_url",
        None,
        str,
        "The server's public base URL (https://example.org/) used in the service description, "
        "VoID and linked-data documents; unset: the request's own host when it is a loopback "
        "name or the host setting, else http://HOST:PORT of the settings (a foreign Host "
        "header is never reflected).",
    ),
    Setting(
        "id_base",
        "https://w3id.org/diplograph/id/",
        str,
        "The base IRI of the data (as minted in the store). IRIs under it resolve on this "
        "server at /id/<rest> (303 to /page/<rest> or /data/<rest>.ttl by Accept), so the same "
        "IRIs work on a laptop and on a deployment.",
    ),
    Setting("log_level", "info", str, "Logging level: debug, info, warning or error."),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


class Resolved(dict[str, Any]):
    """Settings already resolved: every setting's final value, by name."""


def resolve(
    explicit: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Resolved:
    """Every setting's value: default, then ``DIPLOGRAPH_<NAME>``, then ``explicit``.

    Keys of ``explicit`` that are not settings are ignored (the app keeps them as Flask config);
    explicit ``None`` values mean "not given". ``explicit`` that is already :class:`Resolved`
    is returned as it is.
    """
    if isinstance(explicit, Resolved):
        return explicit
    values = Resolved()
    for s in SETTINGS:
        values[s.name] = value(s.name, (explicit or {}).get(s.name), environ=environ)
    return values


def value(name: str, given: Any = None, *, environ: Mapping[str, str] | None = None) -> Any:
    """One setting's value: ``given`` if not None, else ``DIPLOGRAPH_<NAME>``, else the
    default (for a library call that needs one setting, such as the store URL)."""
    s = BY_NAME[name]
    env = os.environ if environ is None else environ
    result = s.default
    if s.env in env:
        result = s.parse(env[s.env], where=f"environment variable {s.env}")
    if given is not None:
        result = s.parse(given, where=f"option {s.option}")
    return list(result) if isinstance(result, list) else result


def masked(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with every secret that is set replaced by ``"********"``."""
    return {
        name: ("********" if BY_NAME[name].secret and value else value)
        for name, value in values.items()
        if name in BY_NAME
    }


def describe() -> list[dict[str, Any]]:
    """The table as plain data (for /-/settings.json and the docs)."""
    return [
        {
            "name": s.name,
            "default": None if s.secret else s.default,
            "type": s.type.__name__,
            "env": s.env,
            "option": s.option,
            "secret": s.secret,
            "help": s.help,
        }
        for s in SETTINGS
    ]

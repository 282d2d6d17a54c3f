"""The command line's writes, to the store or to the running server that holds it.

:func:`write` runs one operation of :data:`diplograph.graph.load.writes.WRITES`. When a
``diplograph serve`` on this machine holds the store (its discovery file,
:mod:`diplograph.server.discovery`), the store's lock keeps everyone else out, so the operation
is first checked here against a read-only view of the store (the same checks the writer makes;
a bad file fails with the same ``file:line`` message before anything is sent), then sent to the
server's local write route (:mod:`diplograph.server.local_writes`), which checks it again and
writes it as its single writer. Its result (or error) comes back as a direct write's would,
with the file names as they were given. With no server, the store is opened and written here,
as before. A discovery file whose server is gone is removed and the store opened directly.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import click

from diplograph import errors
from diplograph.cli.base import open_store, store_url
from diplograph.errors import DiplographError, Problem, StoreError
from diplograph.graph.load.writes import WRITES, Hooks, Result, run_write
from diplograph.graph.store import DiploGraph
from diplograph.server import discovery

#: Seconds to wait for the server to finish a write (a whole build takes minutes).
WRITE_TIMEOUT = 3600.0


def write(
    ctx: click.Context,
    name: str,
    args: dict[str, Any],
    *,
    hooks: Hooks | None = None,
    precheck: Callable[[DiploGraph], None] | None = None,
) -> Result:
    """Run the writing operation ``name`` on this run's store, or send it to the server that
    holds the store; ``precheck`` (given a read-only view of the store) runs before sending."""
    found, note = discovery.find(store_url(ctx))
    if note:
        click.echo(f"Note: {note}", err=True)
    if found is not None:
        if precheck is not None:
            with open_store(ctx, read_only=True) as view:
                precheck(view)
        click.echo(
            f"{ctx.info_name or name}: sent to the running server at {found.url} "
            f"(pid {found.pid}), which holds {store_url(ctx)}; its queries see the change at "
            "once.\n"
            f"(To write to the store directly, stop that server: kill {found.pid}. --store "
            "chooses another store.)",
            err=True,
        )
        try:
            return send(found, name, args)
        except _Unreachable as exc:
            try:  # no answer: if the store opens, the server is gone and the file was stale
                graph = open_store(ctx)
            except StoreError:
                raise StoreError(
                    f"The server at {found.url} (pid {found.pid}) holds {store_url(ctx)} but "
                    f"does not answer: {exc}. Stop it (kill {found.pid}) and try again."
                ) from None
            discovery.remove_stale(found)
            click.echo(f"Note: removed the stale {found.path}; writing directly.", err=True)
            with graph:
                return run_write(graph, name, args, hooks)
    with open_store(ctx) as graph:
        return run_write(graph, name, args, hooks)


class _Unreachable(Exception):
    """The server named by a discovery file did not answer at all."""


def send(found: discovery.Discovery, name: str, args: dict[str, Any]) -> Result:
    """Post one operation to the server's local write route; its result, or its error raised
    as the same :class:`DiplographError` a direct write raises. Paths go absolute and come
    back as they were given."""
    given: dict[str, str] = {}
    sent = dict(args)
    for key in WRITES[name].paths if name in WRITES else ():
        sent[key] = _absolute(args.get(key), given)
    req = urllib.request.Request(
        f"{found.url}/local/{name}",
        data=json.dumps({"args": sent}).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Bearer {found.token}",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=WRITE_TIMEOUT) as resp:
            body = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        raise _as_error(exc, found, given) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise _Unreachable(str(getattr(exc, "reason", exc))) from None
    result: Result = _given_names(body.get("result", {}), given)
    return result


def _absolute(value: Any, given: dict[str, str]) -> Any:
    """Paths made absolute (for the server, whose folder is not ours), remembering each."""
    if isinstance(value, str):
        full = os.path.abspath(value)
        given[full] = value
        return full
    if isinstance(value, list):
        return [_absolute(v, given) for v in value]
    if isinstance(value, dict):
        return {k: _absolute(v, given) for k, v in value.items()}
    return value


def _given_names(value: Any, given: dict[str, str]) -> Any:
    """Every absolute path sent, written back as the user gave it (longest first)."""
    if isinstance(value, str):
        for full in sorted(given, key=len, reverse=True):
            if full != given[full]:
                value = value.replace(full, given[full])
        return value
    if isinstance(value, list):
        return [_given_names(v, given) for v in value]
    if isinstance(value, dict):
        return {k: _given_names(v, given) for k, v in value.items()}
    return value


def _as_error(
    exc: urllib.error.HTTPError, found: discovery.Discovery, given: dict[str, str]
) -> DiplographError:
    """The server's JSON error as the error a direct write raises (same class, message and
    exit code)."""
    try:
        body = _given_names(json.loads(exc.read()), given)
    except ValueError:
        body = {}
    message = str(body.get("error") or f"HTTP {exc.code}")
    if exc.code in (401, 403) and body.get("kind") == "Unauthorized":
        return StoreError(
            f"The server at {found.url} (pid {found.pid}) refused the token of {found.path}: "
            f"{message}"
        )
    classes = {cls.__name__: cls for cls in errors.all_errors()}
    cls = classes.get(str(body.get("kind")), StoreError)
    if issubclass(cls, errors.ValidationError) and isinstance(body.get("problems"), list):
        problems = [Problem(**p) for p in body["problems"]]
        return cls(problems, summary=body.get("summary"))
    try:
        return cls(message)
    except TypeError:  # pragma: no cover - every error class takes a message
        return StoreError(message)


__all__ = ["WRITE_TIMEOUT", "send", "write"]

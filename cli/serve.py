"""``diplograph serve``: the SPARQL endpoint under a production WSGI server (waitress).

One option per setting of :mod:`diplograph.settings` (each also read from
``DIPLOGRAPH_<NAME>``), so ``diplograph serve --help`` lists them all with their defaults. The
store's own settings (``--store``, ``store_token``) are the ones every command has; the settings
are resolved once, with the rest of the run's (:func:`diplograph.cli.base.resolved`).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from typing import Any

import click

from diplograph import settings
from diplograph.cli.base import SHARED, cli, explicit, resolved


def _option(s: settings.Setting) -> Callable[[Any], Any]:
    default = "unset" if s.default in (None, []) else s.default
    if s.secret:
        default = "unset"
    extra = f" [env {s.env}; default: {default}]"
    if s.secret:
        extra += " Prefer the environment variable: options show in the process list."
    name = s.name
    if s.type is bool:
        flag = s.option + "/--no-" + s.option[2:]
        return click.option(flag, name, default=None, help=s.help + extra)
    if s.type is list:
        return click.option(s.option, name, default=None, metavar="IRI,...", help=s.help + extra)
    click_type: Any = {int: int, float: float, str: str}[s.type]
    metavar = {"host": "HOST", "port": "PORT"}.get(name, s.type.__name__.upper())
    return click.option(
        s.option, name, type=click_type, default=None, metavar=metavar, help=s.help + extra
    )


def _with_setting_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for s in reversed(settings.SETTINGS):
        if s.name not in SHARED:
            fn = _option(s)(fn)
    return fn


@cli.command("serve")
@_with_setting_options
@click.pass_context
def serve(ctx: click.Context, **options: Any) -> None:
    """Serve the SPARQL endpoint (and the query UI) with waitress.

    Binds 127.0.0.1:5000 by default; read-only unless an update token is set.
    """
    from diplograph.server import admission, discovery
    from diplograph.server.app import create_app
    from diplograph.server.local_writes import TOKEN_KEY

    explicit(ctx).update({k: v for k, v in options.items() if v is not None})
    values = resolved(ctx)
    logging.basicConfig(
        level=values["log_level"].upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    local = values["local"] and discovery.store_folder(values["store"]) is not None
    token = discovery.new_token() if local else None
    app = create_app(values)
    app.config[TOKEN_KEY] = token
    state = app.extensions["diplograph"]
    admission.install(
        app,
        threads=values["threads"],
        reserved=values["reserved_threads"],
        exports=values["export_slots"],
    )
    host, port = values["host"], values["port"]
    published = None
    try:
        server = _create_server(app, values, host, port)
        port = getattr(server, "effective_port", port)  # port 0: the one the system chose
        if token:  # listening now: the command line may find us
            published = discovery.publish(values["store"], discovery.local_url(host, port), token)
        shown = f"[{host}]" if ":" in host else host
        click.echo(
            f"diplograph serving {state.graph.url} at http://{shown}:{port}/sparql "
            f"({values['threads']} threads, {values['workers']} query workers, "
            f"updates {'on' if state.update_enabled else 'off'}, local writes "
            + (f"on: {published})" if published else "off)"),
            err=True,
        )

        def _terminate(signum: int, frame: object) -> None:
            raise SystemExit(0)  # run the finally below: stop the workers, drop the snapshots

        signal.signal(signal.SIGTERM, _terminate)
        server.run()
    finally:
        if published is not None and token:
            discovery.withdraw(published, token)
        state.close()


def _create_server(app: Any, values: dict[str, Any], host: str, port: int) -> Any:
    """The waitress server of :func:`serve` for ``app``, with the settings ``values``."""
    import waitress

    from diplograph.server.errors import json_http_layer_errors

    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=values["threads"],
        connection_limit=values["connection_limit"],
        max_request_body_size=values["max_body"],
        channel_timeout=max(int(values["query_timeout"]) + 30, 60),
        # keep reading while a request runs, so a client that hangs up is noticed and its
        # query stopped (environ["waitress.client_disconnected"], server/admission.py)
        channel_request_lookahead=1,
        ident="diplograph",
        clear_untrusted_proxy_headers=True,
    )
    json_http_layer_errors(server)  # its own 413/431/400 with our JSON body
    return server

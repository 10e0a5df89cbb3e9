"""Background jobs with Huey.

With no Redis configured (the embedded default and ``make run``) jobs run in-process and
immediately; with ``REDIS_URL`` set they are queued in Redis and run by
``flask --app app jobs worker``.
"""

from __future__ import annotations

import logging
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from huey import Huey
from huey.storage import RedisStorage

log = logging.getLogger(__name__)

huey = Huey("chaingauge", immediate=True)


def init_app(app: Flask) -> None:
    redis_url = app.config.get("REDIS_URL")
    immediate = app.config.get("JOBS_IMMEDIATE", not redis_url)
    if redis_url and not immediate:
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": redis_url}
    huey.immediate = bool(immediate)
    if not immediate:
        huey.storage = huey.create_storage()
    _flask_app["app"] = app
    app.cli.add_command(jobs_cli)


# The worker runs tasks outside any request; they need the app for config and the database.
_flask_app: dict[str, Flask] = {}


def app_task(**task_kwargs: Any) -> Any:
    """``huey.task`` that runs the function inside an application context."""

    def decorator(func: Any) -> Any:
        def run_in_app(*args: Any, **kwargs: Any) -> Any:
            app = _flask_app.get("app")
            if app is None:
                return func(*args, **kwargs)
            from flask import has_app_context

            if has_app_context():
                return func(*args, **kwargs)
            with app.app_context():
                return func(*args, **kwargs)

        run_in_app.__name__ = func.__name__
        run_in_app.__qualname__ = func.__qualname__
        run_in_app.__module__ = func.__module__
        return huey.task(**task_kwargs)(run_in_app)

    return decorator


jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True)
def worker(workers: int) -> None:
    """Run the Huey consumer (needs REDIS_URL)."""
    from huey.consumer import Consumer

    if huey.immediate:
        raise click.ClickException("jobs run in-process: set CHAINGAUGE_REDIS_URL to use a worker")
    Consumer(huey, workers=workers, worker_type="thread").run()

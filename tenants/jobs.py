"""Background jobs with Huey.

With no Redis configured (the embedded default and ``make run``) jobs run in-process and
immediately; with ``REDIS_URL`` set they are queued in Redis and run by
``flask --app app jobs worker``.

Long jobs (report renders, bulk runs) are started with :func:`start`, which keeps them off
the request in the embedded mode too: they run on this process's job threads (two, so that a
single report is not queued behind a long bulk run), and the request answers at once. The one
exception is an app whose sessions all share one connection (the rolled-back test
transaction): a connection cannot be used from two threads, so there the job runs inline.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey import Huey
from huey.storage import RedisStorage

log = logging.getLogger(__name__)

huey = Huey("chaingauge", immediate=True)


def init_app(app: Flask) -> None:
    redis_url = app.config["REDIS_URL"]
    immediate = app.config["JOBS_IMMEDIATE"]
    if immediate is None:  # unset: in-process unless Redis is configured
        immediate = not redis_url
    if redis_url and not immediate:
        huey.name = app.config["JOBS_QUEUE_NAME"]  # the Redis keys' suffix
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": redis_url}
    huey.immediate = bool(immediate)
    if not immediate:
        huey.storage = huey.create_storage()
    _flask_app["app"] = app
    app.cli.add_command(jobs_cli)


# The worker runs tasks outside any request; they need the app for config and the database.
_flask_app: dict[str, Flask] = {}


def _in_app_context(func: Any) -> Any:
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
    return run_in_app


def app_task(**task_kwargs: Any) -> Any:
    """``huey.task`` that runs the function inside an application context."""

    def decorator(func: Any) -> Any:
        return huey.task(**task_kwargs)(_in_app_context(func))

    return decorator


def app_periodic_task(schedule: Any, **task_kwargs: Any) -> Any:
    """``huey.periodic_task`` (scheduled by the worker; never in immediate mode) that runs
    the function inside an application context."""

    def decorator(func: Any) -> Any:
        return huey.periodic_task(schedule, **task_kwargs)(_in_app_context(func))

    return decorator


JOB_THREADS = 2
_threads: dict[str, ThreadPoolExecutor] = {}
_threads_lock = threading.Lock()


def _job_threads() -> ThreadPoolExecutor:
    with _threads_lock:
        if "pool" not in _threads:
            _threads["pool"] = ThreadPoolExecutor(JOB_THREADS, thread_name_prefix="job")
        return _threads["pool"]


def _shares_one_connection(app: Flask) -> bool:
    state = app.extensions.get("chaingauge_db")
    return state is not None and state.test_connection is not None


def _run_in_app(app: Flask, task: Any, args: tuple[Any, ...]) -> None:
    with app.app_context():
        try:
            task.call_local(*args)
        except Exception:  # a failed job must not kill the thread that runs the next one
            log.exception("background job failed", extra={"reason": task.name})


def start(task: Any, *args: Any) -> None:
    """Queue ``task(*args)`` off the current request: in Redis when configured, otherwise on
    this process's job threads (inline where the app's sessions share one connection)."""
    if not huey.immediate:
        task(*args)
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if _shares_one_connection(app):
        task.call_local(*args)
        return
    _job_threads().submit(_run_in_app, app, task, args)


def on_workers() -> bool:
    """Whether jobs run on worker processes (Redis), which may die apart from this one."""
    return not huey.immediate


def start_later(task: Any, seconds: float, *args: Any) -> None:
    """Queue ``task(*args)`` to run in ``seconds`` on whichever worker is alive then (the
    schedule lives in Redis). For watchdogs over work a worker may die in the middle of: in
    the in-process mode there is no other process to take over, so this does nothing."""
    if huey.immediate:
        return
    task.schedule(args=args, delay=max(float(seconds), 0.0))


def wait_for_background_jobs() -> None:
    """Let the jobs started so far finish (tests and shutdown): the threads start anew."""
    with _threads_lock:
        pool = _threads.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=True)


jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True)
def worker(workers: int) -> None:
    """Run the Huey consumer (needs REDIS_URL)."""
    from huey.consumer import Consumer

    if huey.immediate:
        raise click.ClickException("jobs run in-process: set CHAINGAUGE_REDIS_URL to use a worker")
    Consumer(huey, workers=workers, worker_type="thread").run()

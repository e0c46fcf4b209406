"""``serve`` (the REST API) and ``worker`` (the background jobs, without the API).

Both log through one configuration (``infrastructure.operations.logs``): each line on standard error with
its time, level and component, as text or JSON (``COMMITMENTS_LOG_FORMAT``). Standard output is for the
operator at the terminal: the first admin key (or where it was written) and that the worker runs."""

import argparse
import logging
import os
import sys
import tempfile
from typing import TYPE_CHECKING

from api.cli.common import Refused
from infrastructure import settings as configuration
from infrastructure.operations import logs, metrics

if TYPE_CHECKING:  # imported when a command runs: the command line starts without the whole service
    from api.bootstrap import Services
    from infrastructure.settings import Settings

log = logging.getLogger("commitments.worker")


def first_admin_key(services: "Services", settings: "Settings") -> None:
    """With no API key yet, make an admin key for the operator: written to ``first_admin_key_file`` (a new
    file, readable by its owner only) when that is set, else shown on the terminal; never logged."""
    path = settings.first_admin_key_file
    if not path:
        first = services.keyring.first_admin()
        if first is not None:
            print("No API key existed, so an admin key was created. It is shown only this once:")
            print(f"\n    {first[1]}\n")
            print("Send it as 'Authorization: Bearer <key>'. Make more with 'commitments keys create --role ...'.")
            sys.stdout.flush()
        return
    if services.keys.count_active():
        return  # a key exists: none is made, and the file is not looked at
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Refused(
            f"COMMITMENTS_FIRST_ADMIN_KEY_FILE: {path} exists already; no admin key was made "
            "(move the file away, or make a key with 'commitments keys create --role admin')"
        ) from None
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            first = services.keyring.first_admin()
            if first is not None:
                file.write(first[1] + "\n")
    except BaseException:
        os.unlink(path)
        raise
    if first is None:  # another process made the first key meanwhile
        os.unlink(path)
        return
    print(f"No API key existed, so an admin key was created and written to {path} (readable by its owner only).")
    print("Send it as 'Authorization: Bearer <key>'. Make more with 'commitments keys create --role ...'.")
    sys.stdout.flush()


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api import workers
    from api.app import create_app

    settings = configuration.read(database_url=args.database_url, host=args.host, port=args.port)
    logs.configure(settings.log_format, args.log_level)
    from api.bootstrap import SERVING, build

    with build(settings, rebuild_in_background=SERVING) as services:  # a read model far behind: rebuilt while serving
        first_admin_key(services, settings)
        if args.workers == 1:
            _metrics_port(settings)
            uvicorn.run(
                create_app(settings, services),
                host=settings.host,
                port=settings.port,
                log_config=logs.log_config(settings.log_format, args.log_level),
                log_level=args.log_level,
                access_log=False,  # one line per request comes from api.access
                **settings.proxy_settings(),
            )
            return 0
    # Several worker processes, each on its own socket: each builds its own services from the environment.
    os.environ["COMMITMENTS_DATABASE_URL"] = settings.database_url
    os.environ.pop("COMMITMENTS_DATABASE_URL_FILE", None)  # read once here: the workers take the URL itself
    # Each worker counts into files of this directory; a scrape of any of them adds every one up (decision 0057).
    counted_in = os.environ.get(metrics.MULTIPROCESS_DIR) or tempfile.mkdtemp(prefix="commitments-metrics-")
    metrics.prepare_multiprocess(counted_in)
    _metrics_port(settings)  # the parent serves the port, adding up every worker's files
    try:
        return workers.serve(args.workers, settings.host, settings.port, args.log_level)
    except OSError as error:  # the address is taken, or not this machine's
        raise Refused(f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error}") from None


def _metrics_port(settings: "Settings") -> None:
    """The metrics on a port of their own, without a key, when ``COMMITMENTS_METRICS_PORT`` asks for it."""
    try:
        metrics.serve_port(settings)
    except OSError as error:
        raise Refused(
            f"COMMITMENTS_METRICS_PORT: cannot listen on {settings.host}:{settings.metrics_port}: "
            f"{error.strerror or error}"
        ) from None


def worker(args: argparse.Namespace) -> int:
    import signal
    import threading

    from api.bootstrap import build
    from infrastructure.operations import ticks

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    overrides = {} if args.interval is None else {"scan_interval": args.interval, "dispatch_interval": args.interval}
    settings = configuration.read(database_url=args.database_url, **overrides)
    logs.configure(settings.log_format, "info")  # what each job did, at INFO (commitments.*)
    with build(settings) as services:
        _metrics_port(settings)  # how a worker in a container of its own is scraped
        jobs = services.background_jobs()
        scheduler = ticks.start(jobs)
        running = "worker running: " + ", ".join(f"{name} every {interval:g} s" for name, (_, interval) in jobs.items())
        log.info("%s [%d]", running, os.getpid())
        print(running, flush=True)  # for the operator, and for programs waiting for it to start
        # Woken every second: a signal the kernel hands to another thread runs its handler only when the main
        # thread wakes, and a wait without end would never see it (the worker then never stopped on SIGTERM).
        while not stop.wait(timeout=1.0):
            pass
        log.info("worker stopping: waiting for the jobs running to finish")
        scheduler.shutdown(wait=True)
    log.info("worker stopped")
    return 0

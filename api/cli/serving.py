"""``serve`` (the REST API) and ``worker`` (the background jobs, without the API)."""

import argparse
import os
import sys

from api.cli.common import Refused, _services
from infrastructure import settings as configuration


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api import workers
    from api.app import create_app

    settings = configuration.read(database_url=args.database_url, host=args.host, port=args.port)
    with _services(args) as services:
        first = services.keyring.first_admin()
        if first is not None:
            principal, key = first
            print("No API key existed, so an admin key was created. It is shown only this once:")
            print(f"\n    {key}\n")
            print("Send it as 'Authorization: Bearer <key>'. Make more with 'commitments keys create --role ...'.")
            sys.stdout.flush()
        if args.workers == 1:
            uvicorn.run(
                create_app(settings, services),
                host=settings.host,
                port=settings.port,
                log_level=args.log_level,
                **settings.proxy_settings(),
            )
            return 0
    # Several worker processes, each on its own socket: each builds its own services from the environment.
    os.environ["COMMITMENTS_DATABASE_URL"] = settings.database_url
    try:
        return workers.serve(args.workers, settings.host, settings.port, args.log_level)
    except OSError as error:  # the address is taken, or not this machine's
        raise Refused(f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error}") from None


def worker(args: argparse.Namespace) -> int:
    import signal
    import threading

    from api.bootstrap import build
    from infrastructure.operations import ticks

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    overrides = {} if args.interval is None else {"scan_interval": args.interval, "dispatch_interval": args.interval}
    with build(configuration.read(database_url=args.database_url, **overrides)) as services:
        jobs = services.background_jobs()
        scheduler = ticks.start(jobs)
        print(
            "worker running: " + ", ".join(f"{name} every {interval:g} s" for name, (_, interval) in jobs.items()),
            flush=True,
        )
        # Woken every second: a signal the kernel hands to another thread runs its handler only when the main
        # thread wakes, and a wait without end would never see it (the worker then never stopped on SIGTERM).
        while not stop.wait(timeout=1.0):
            pass
        scheduler.shutdown(wait=True)
    return 0

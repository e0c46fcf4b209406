"""Serving the API from several worker processes, each listening on its own socket.

With one listening socket shared by the workers (uvicorn's own way), every worker wakes for a new
connection and the first to run accepts every connection waiting: a burst of keep-alive clients
could all land on one worker while the other stayed idle, for as long as they stayed connected.
Here each worker binds its own socket to the address with ``SO_REUSEPORT``, and the kernel spreads
new connections over the sockets that listen. The workers start listening together, once every
one has started its application: a worker listening alone, while the other still loads, would
be given every connection made meanwhile (and keep the keep-alive ones).

This process first checks that no other socket is bound to the address (another service
started with several workers would otherwise share its clients with this one), then keeps a
socket bound to it without listening, so that another program cannot take the port while a
worker restarts; it starts a new worker when one dies, and stops
the others when one cannot start (the same configuration would fail every time).
"""

import asyncio
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from infrastructure.operations import metrics

log = logging.getLogger("commitments.workers")


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to the address, not yet listening, that other sockets of this user may
    bind too (``SO_REUSEPORT``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _check_free(host: str, port: int) -> None:
    """Raise OSError if any socket is bound to the address, even one that allows sharing it (another
    service started with several workers): its clients would be shared with this one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # connections closing (TIME_WAIT) do not count
        probe.bind((host, port))


def serve(workers: int, host: str, port: int, log_level: str) -> int:
    """Run ``workers`` processes serving the API (``api.app:create_app``, configured from the
    environment) until SIGINT or SIGTERM; returns the exit status."""
    _check_free(host, port)
    reserved = reuse_port_socket(host, port)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no connection is inherited
    stopping = threading.Event()
    failed = False
    previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in (signal.SIGINT, signal.SIGTERM)}

    ready = context.Barrier(workers)  # the first workers listen together; a replacement, as soon as it can

    def start(together: threading.Barrier | None = None) -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_work, args=(host, port, log_level, together), name="commitments-api")
        process.start()
        return process

    processes = [start(ready) for _ in range(workers)]
    log.info("Serving on http://%s:%d with %d worker processes [%d]", host, port, workers, os.getpid())
    try:
        while not stopping.wait(0.5):
            for index, process in enumerate(processes):
                if process.is_alive():
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    log.error("A worker could not start (exit status %s): stopping", process.exitcode)
                    failed = True
                    stopping.set()
                    break
                log.warning("Worker [%s] ended (exit status %s): starting another", process.pid, process.exitcode)
                if process.pid is not None:
                    metrics.mark_dead(process.pid)
                processes[index] = start()
    finally:
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)  # uvicorn finishes the requests it is serving
        deadline = time.monotonic() + 30
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
            if process.pid is not None:
                metrics.mark_dead(process.pid)
        reserved.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if failed else 0


READY_WAIT = 120.0  # seconds a worker waits for the others to start before it listens anyway


def _work(host: str, port: int, log_level: str, ready: threading.Barrier | None) -> None:
    """One worker process: the API on its own socket, until SIGTERM; with ``ready``, it listens
    once every worker sharing that barrier has built its services."""
    from api.app import create_app
    from infrastructure import settings as configuration
    from infrastructure.operations import logs

    settings = configuration.read()
    logs.configure(settings.log_format, log_level)  # a fresh interpreter: its lines as the first process's

    async def others_started() -> None:
        if ready is None:
            return
        try:
            await asyncio.to_thread(ready.wait, READY_WAIT)
        except threading.BrokenBarrierError:
            log.warning("the other workers did not start within %s s: listening anyway", READY_WAIT)

    config = uvicorn.Config(
        create_app(settings, started=others_started),
        host=host,
        port=port,
        log_config=logs.log_config(settings.log_format, log_level),
        log_level=log_level,
        access_log=False,  # one line per request comes from api.access
        **settings.proxy_settings(),
    )
    uvicorn.Server(config).run(sockets=[reuse_port_socket(host, port)])

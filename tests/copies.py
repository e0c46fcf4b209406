"""The databases the tests run on: each test gets a database of its own, a copy of a template made once
per run (every table and nothing in them, or the small world of ``tests.world`` already recorded).

Copying a template is cheaper than creating the tables, and much cheaper than recording the world
again through the API for each test (about 0.3 s of a processor a test). On PostgreSQL, creating a
database from its template and dropping it wait on the disk: a thread of their own does both while the
tests run, so a test takes a copy made while the test before it ran.
"""

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager

from infrastructure.persistence.scratch import drop_postgresql_database, new_postgresql_database, scratch_database


class Copies:
    def __init__(self) -> None:
        self.templates: dict[tuple[str, str], str] = {}  # (engine, name): the template's URL
        self.spares: dict[str, Future[str]] = {}  # a template's URL: a copy of it made ahead
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="database-copies")
        self.kept = ExitStack()

    def template(self, engine: str, name: str, fill: Callable[[str], object]) -> str:
        """The template called ``name`` on ``engine``: made at the first call, then filled by ``fill`` with
        the template's URL (which must leave nothing connected to it)."""
        if (engine, name) not in self.templates:
            url = self.kept.enter_context(scratch_database(engine, "template"))
            fill(url)
            self.templates[engine, name] = url
        return self.templates[engine, name]

    @contextmanager
    def copy(self, template: str) -> Iterator[str]:
        """A database of its own, as ``template`` holds it, gone when the block ends."""
        if not template.startswith("postgresql"):
            with scratch_database("sqlite", "test", copy_of=template) as url:
                yield url
            return
        url = (self.spares.pop(template, None) or self._made(template)).result()
        self.spares[template] = self._made(template)
        try:
            yield url
        finally:
            self.worker.submit(drop_postgresql_database, url)

    def _made(self, template: str) -> "Future[str]":
        return self.worker.submit(new_postgresql_database, "test", template)

    def close(self) -> None:
        """Drops the copies made ahead, then the templates."""
        for spare in self.spares.values():
            self.worker.submit(drop_postgresql_database, spare.result())
        self.worker.shutdown(wait=True)
        self.kept.close()

"""PDF documents made from HTML on the server, by WeasyPrint: Pango lays the text out and HarfBuzz shapes it,
so Arabic is joined and right to left, and the page counters of CSS ``@page`` number the pages.

The engine is imported when a document is first asked for, never when this module is imported nor when the
service starts: on a machine without it (the package, or the system's Pango it loads) every other page works,
and asking for a PDF raises ``PdfEngineUnavailable``, whose words say what to install (the pages answer 503).

Nothing is fetched while a document is made: the HTML given holds its style sheet and draws its charts inline,
and no base URL is given; the engine's fetcher is given no protocol, so it would refuse any address it met."""

import importlib
import logging
import threading
from types import ModuleType

from application.errors import ApplicationError

log = logging.getLogger("commitments.pdf")

ENGINE = "weasyprint"  # the module imported; the composition root may name another (a test names a missing one)
PYTHON_PACKAGE = "pip install 'commitments[pdf]'"
DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
# the commitments a PDF lists at most: drawing costs about 3 ms of CPU a row (1.6 s for 500 rows, measured),
# so a series of 200 meetings of 200 commitments would take two minutes
MOST_COMMITMENTS = 1_000


class PdfEngineUnavailable(ApplicationError):
    """The PDF engine cannot be loaded here: its Python package, or the system libraries it loads, is missing."""

    def __init__(self, cause: str) -> None:
        super().__init__(
            "PDF documents need WeasyPrint and the system's Pango: run {python}, and install Debian's {debian}",
            None,
            python=PYTHON_PACKAGE,
            debian=DEBIAN_PACKAGES,
        )
        self.cause = cause


class PdfRenderer:
    """HTML in, PDF bytes out; the engine (a module with WeasyPrint's ``HTML``) is imported on first use."""

    def __init__(self, engine: str = ENGINE, most_commitments: int = MOST_COMMITMENTS) -> None:
        self.engine = engine
        self.most_commitments = most_commitments  # a bigger report is refused before it is drawn
        self._loaded: ModuleType | None = None
        self._told = False
        self._lock = threading.Lock()

    def _module(self) -> ModuleType:
        with self._lock:
            if self._loaded is None:
                try:
                    self._loaded = importlib.import_module(self.engine)
                    logging.getLogger(f"{self.engine}.progress").setLevel(logging.WARNING)  # a line per step
                except (ImportError, OSError) as error:  # OSError: the package is there, Pango (a C library) is not
                    if not self._told:
                        self._told = True
                        log.warning("PDF documents cannot be made: %s: %s", type(error).__name__, error)
                    raise PdfEngineUnavailable(f"{type(error).__name__}: {error}") from error
            return self._loaded

    def render(self, html: str) -> bytes:
        """The PDF of a whole HTML document (its ``<style>`` included, ``@page`` rules and all)."""
        engine = self._module()
        refusing = engine.URLFetcher(allowed_protocols=())  # WeasyPrint 68 and later
        document = engine.HTML(string=html, base_url=None, url_fetcher=refusing, media_type="print")
        written: bytes = document.write_pdf()
        return written

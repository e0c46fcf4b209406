"""Every page, for records made through every door (``tests/deployment.py`` builds them on a real
``commitments serve`` process, on each engine).

Signed in as an admin, a coordinator, a coordinator limited to one party and an auditor, each page
reachable from the overview by following links (and submitting the pages' GET forms as they are
filled in) is visited, one of each kind of page for each kind of record (the door it came through,
the kind of agreement), then read again in Arabic, English and French over plain HTTP: no answer of
500 or more, no English word of the interface as text on an Arabic page, no API key id where the key
has a name. The pages a link does not lead to are added: signing in, a page not found, an unsubscribe
link from a digest, a report read into a draft, a spreadsheet's dry run.

An English word of the interface: a message id of the catalogue, an event name, an enum value, a
webhook kind or type, the scanner's actor name, a language's English name, or a run of English words
(``tests/deployment.py``, ``SystemWords``). Record texts are not: every text given to the deployment is
known, and taken out before looking (marked ``¦`` in the findings). Neither are texts marked ``dir="ltr"``
without a language (addresses, ids, URLs) nor the language switch. A text marked with another language
that is no record text (a rule, a refusal, an error's detail) is system text, said once, whole.

Then, in Debian's Chromium, each type of page once per width (1366×900, 390×844) and language, as the
admin: the page may not be wider than the window. Screenshots go to ``tests/screenshots``, and the
findings to ``tests/screenshots/every-page-<engine>-<http|browser>.txt``.

Each test collects every finding of its run and fails once, with the list."""

from __future__ import annotations

import re
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import httpx
import pytest

from tests.browser import SCREENSHOTS, chromium
from tests.deployment import (
    CFM_REPORT,
    IMPORT_HEADERS,
    IMPORT_ROWS,
    QATAR_REPORT,
    UUID_RE,
    Deployment,
    SystemWords,
    arabic_findings,
    build_deployment,
    csv_of,
    env_for,
    key_findings,
    parse,
)
from tests.receiver import Receiver
from tests.server import Server
from tests.smtp import Mailbox

pytestmark = pytest.mark.slow  # a whole deployment visited by every role in every language, in Chromium too

ENGINES = ["sqlite", "postgresql"]
ROLES = ["admin", "coordinator", "scoped", "auditor"]
LANGUAGES = ["ar", "en", "fr"]
WIDTHS = [(1366, 900), (390, 844)]
NOWHERE = "/app/commitments/00000000-0000-4000-8000-000000000000"
SWITCHES = ("/app/language/", "/app/hijri", "/app/digits")
NOT_FOLLOWED = ("/app/static/", "/app/sign-out")
DOWNLOADS = re.compile(r"(/export$|\.(json|zip|ics|csv|xlsx|xml|pdf)$|/iati$|/file$|/files/[^/]+$)")  # and files
TOKEN_SEGMENT = re.compile(r"^[a-z]{2,5}_[A-Za-z0-9_-]{8,}$")


# -- where a page is, what kind of page it is ----------------------------------------------------------


def page_type(path: str) -> str:
    """The path with its ids as placeholders: ``/app/commitments/{id}``."""
    segments = path.split("/")
    shown = []
    for index, segment in enumerate(segments):
        before = segments[index - 1] if index else ""
        if UUID_RE.match(segment) or TOKEN_SEGMENT.match(segment):
            shown.append("{id}")
        elif before == "series" and "reports" in segments:
            shown.append("{series}")
        elif before in ("unsubscribe", "act"):
            shown.append("{token}")
        else:
            shown.append(segment)
    return "/".join(shown)


def variant(deployment: Deployment, url: str) -> tuple[str, ...]:
    """One page of each kind for each kind of record: the type, the names of the query's parameters,
    and the door each record named in the path came through (for agreements: their kind too)."""
    split = urlsplit(url)
    kinds = []
    for segment in split.path.split("/"):
        if UUID_RE.match(segment) or TOKEN_SEGMENT.match(segment):
            kinds.append(deployment.tags.get(segment, "other"))
    if "/reports/series/" in split.path:
        kinds.append(split.path.rsplit("/", 1)[-1])
    names = sorted({name for name, value in parse_qsl(split.query, keep_blank_values=True) if value})
    return (page_type(split.path), ",".join(names), *kinds)


def shown(key: tuple[str, ...]) -> str:
    """A variant as the report writes it: ``/app/commitments/{id} [commitment/api/…]``."""
    return key[0] + (f"?{key[1]}" if key[1] else "") + (f" [{'; '.join(key[2:])}]" if key[2:] else "")


def expected_page_types() -> set[str]:
    """Every page the web application answers a GET with, but the switches, downloads and fragments."""
    from api.web.app import PAGES

    types = set()
    for module in PAGES:
        for route in module.router.routes:
            methods = getattr(route, "methods", None) or set()
            path = getattr(route, "path", "")
            if "GET" not in methods or path.startswith(("/language", "/hijri", "/digits", "/static")):
                continue
            if DOWNLOADS.search(path) or path.endswith("/suggest"):
                continue
            shown = re.sub(r"\{(?!series\}|token\})[a-z_]+\}", "{id}", path)
            types.add("/app" + shown)
    return types


# -- the findings ----------------------------------------------------------------------------------------


@dataclass
class Finding:
    kind: str  # 5xx, too wide, English word, key id, not reached, browser
    key: str  # what findings of a kind are grouped by
    page: str  # the page (its type, and the kind of record it shows)
    detail: str
    role: str = ""
    language: str = ""
    example: str = ""  # the text around, said once per group


@dataclass
class Fetched:
    role: str
    language: str
    url: str
    status: int
    text: str = ""
    html: bool = False
    location: str = ""
    page_language: str = ""


def _html_language(text: str) -> str:
    found = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", text[:400])
    return found.group(1) if found else ""


class Crawl:
    """The pages of one deployment, over HTTP, for every role and language."""

    def __init__(self, deployment: Deployment, system: SystemWords) -> None:
        self.d = deployment
        self.system = system
        self.base = deployment.server.url
        self.findings: list[Finding] = []
        self.fetched: dict[tuple[str, str, str], Fetched] = {}
        self.reached: dict[str, dict[tuple[str, ...], str]] = {role: {} for role in ROLES}  # role -> variant -> url
        self.switches_checked: set[tuple[str, str]] = set()
        self.downloads: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self.not_ok: list[str] = []  # 4xx answers to links, said but not failed
        self.sessions: dict[str, str] = {}
        self.csrf: dict[str, str] = {}
        self.lock = threading.Lock()
        self.clients: dict[tuple[str, str], httpx.Client] = {}

    def client(self, role: str | None, language: str) -> httpx.Client:
        with self.lock:
            if (str(role), language) not in self.clients:
                cookies = {"lang": language}
                if role is not None:
                    cookies["session"] = self.sessions[role]
                # a connection per request: no kept-alive connection the server may close as it is reused
                self.clients[(str(role), language)] = httpx.Client(
                    base_url=self.base,
                    cookies=cookies,
                    timeout=60,
                    follow_redirects=False,
                    limits=httpx.Limits(max_keepalive_connections=0),
                )
            return self.clients[(str(role), language)]

    def close(self) -> None:
        for client in self.clients.values():
            client.close()

    # -- signing in: the sign-in page, as each role
    def sign_in(self) -> None:
        from tests.deployment import WebDoor

        for role in ROLES:
            door = WebDoor(self.base, self.d.corpus)
            door.sign_in(self.d.keys[role].secret)
            self.sessions[role] = door.session
            self.csrf[role] = door.csrf

    # -- one page
    def fetch(self, role: str | None, language: str, url: str, method: str = "GET", **kwargs: Any) -> Fetched:
        started = time.monotonic()
        try:
            answer = self.client(role, language).request(method, url, **kwargs)
        except httpx.TransportError as error:  # the server closed the connection without answering
            page = Fetched(
                str(role),
                language,
                url if method == "GET" else f"{method} {url}",
                599,
                text=f"no answer: {type(error).__name__}: {error}",
            )
            with self.lock:
                self.fetched[(str(role), language, page.url)] = page
            return page
        kind = answer.headers.get("content-type", "")
        page = Fetched(
            str(role),
            language,
            url if method == "GET" else f"{method} {url}",
            answer.status_code,
            location=answer.headers.get("location", ""),
        )
        if "text/html" in kind:
            page.text, page.html = answer.text, True
            page.page_language = _html_language(answer.text)
        page_seconds = time.monotonic() - started
        with self.lock:
            self.fetched[(str(role), language, page.url)] = page
            self.d.timings["slowest page"] = max(self.d.timings.get("slowest page", 0), page_seconds)
        return page

    def public(self, language: str, path: str) -> Fetched:
        """A page of the public portal, read by anyone: it must be there (the deployment published it)."""
        page = self.fetch(None, language, path)
        if page.status != 200:
            with self.lock:
                self.findings.append(
                    Finding("not reached", path, "/public/…", f"{page.status} {path}", "(signed out)", language)
                )
        return page

    def check(self, page: Fetched, where: str) -> None:
        """What a reader of this page must not meet."""
        found: list[Finding] = []
        spot = {"role": page.role if page.role != "None" else "(signed out)", "language": page.language}
        if page.status >= 500:
            said = "no answer (the connection was closed)" if page.status == 599 else str(page.status)
            found.append(Finding("5xx", where, where, f"{said} {page.url}", **spot))
        if page.html and page.text:
            tree = parse(page.text)
            for key_id, name, around in key_findings(tree, self.d.key_names):
                found.append(
                    Finding(
                        "key id",
                        where.split(" ")[0],
                        where,
                        f"{key_id} shown, the key is named «{name}»",
                        example=f"«{around[:100]}» ({page.language})",
                        **spot,
                    )
                )
            if page.page_language == "ar":
                for word in arabic_findings(tree, self.system, self.d.corpus):
                    found.append(
                        Finding(
                            "English word",
                            f"{word.words}\t{word.source}",
                            where,
                            f"«{word.shown}» in «{word.context}»",
                            **spot,
                        )
                    )
        with self.lock:
            self.findings.extend(found)

    # -- the links and GET forms of a page
    def links(self, page: Fetched) -> list[str]:
        tree = parse(page.text)
        here = self.base + page.url
        found = []
        for href in tree.xpath("//a/@href"):
            found.append(urljoin(here, href))
        for form in tree.xpath("//form"):
            if (form.get("method") or "get").lower() != "get":
                continue
            fields: list[tuple[str, str]] = []
            missing = False
            for element in form.xpath(".//*[@name]"):
                name, tag = element.get("name"), element.tag
                value = ""
                if tag == "select":
                    chosen = [o.get("value", o.text_content()) for o in element.xpath(".//option[@selected]")]
                    options = element.xpath(".//option")
                    value = (
                        chosen[0]
                        if chosen
                        else (options[0].get("value", "") if options and element.get("multiple") is None else "")
                    )
                elif tag == "textarea":
                    value = element.text or ""
                elif tag == "input":
                    kind = (element.get("type") or "text").lower()
                    if kind in ("checkbox", "radio") and element.get("checked") is None:
                        continue
                    if kind in ("submit", "button", "file"):
                        continue
                    value = element.get("value") or ""
                else:
                    continue
                if element.get("required") is not None and not value:
                    missing = True
                fields.append((name, value))
            if missing:
                continue
            action = urljoin(here, form.get("action") or page.url)
            found.append(action.split("?")[0] + ("?" + urlencode(fields) if fields else ""))
        kept = []
        for url in found:
            split = urlsplit(url)
            if f"{split.scheme}://{split.netloc}" != self.base or not split.path.startswith("/app"):
                continue
            kept.append(split.path + (f"?{split.query}" if split.query else ""))
        return kept

    # -- following them, for one role
    def discover(self, pool: ThreadPoolExecutor) -> None:
        frontier = [(role, "/app/") for role in ROLES]
        for role in ROLES:
            self.reached[role][variant(self.d, "/app/")] = "/app/"
        while frontier:
            pages = list(pool.map(lambda item: self.fetch(item[0], "en", item[1]), frontier))
            frontier = []
            for page in pages:
                self.check(page, shown(variant(self.d, page.url)))
                if 300 <= page.status < 400 and page.location:
                    target = urlsplit(urljoin(self.base + page.url, page.location))
                    targets = [target.path + (f"?{target.query}" if target.query else "")]
                elif page.status >= 400 and page.status < 500:
                    self.not_ok.append(f"{page.status} {page.url} · {page.role} (a link led there)")
                    continue
                elif not page.html:
                    continue
                else:
                    targets = self.links(page)
                for url in targets:
                    path = urlsplit(url).path
                    if path.startswith(NOT_FOLLOWED):
                        continue
                    if path.startswith(SWITCHES):
                        kind = path.split("/")[2]
                        if (page.role, kind) not in self.switches_checked:
                            self.switches_checked.add((page.role, kind))
                            frontier_switch = self.fetch(page.role, "en", url)
                            if frontier_switch.status >= 400:
                                self.check(frontier_switch, f"switch {kind}")
                        continue
                    key = variant(self.d, url)
                    if DOWNLOADS.search(path):
                        if key not in self.downloads[page.role]:
                            self.downloads[page.role].add(key)
                            frontier.append((page.role, url))
                        continue
                    if key in self.reached[page.role]:
                        continue
                    if not path.startswith("/app/") and path != "/app":
                        continue
                    if path.startswith("/app/sign-in"):
                        continue  # a session lost would lead there: the pages below say so
                    self.reached[page.role][key] = url
                    frontier.append((page.role, url))

    # -- every page reached, in every language
    def in_every_language(self, pool: ThreadPoolExecutor) -> None:
        work = [
            (role, language, url)
            for role in ROLES
            for key, url in self.reached[role].items()
            for language in LANGUAGES
            if language != "en"
        ]
        pages = list(pool.map(lambda item: self.fetch(*item), work))
        for page in pages:
            self.check(page, shown(variant(self.d, page.url)))

    # -- the pages no link leads to
    def extras(self, pool: ThreadPoolExecutor) -> None:
        jobs: list[tuple[Any, str]] = []
        imported = self.d.ids["imported"]
        for language in LANGUAGES:
            jobs.append((lambda language=language: self.fetch(None, language, "/app/sign-in"), "/app/sign-in"))
            for path in ("/public/", *self.d.public_paths):
                jobs.append((lambda language=language, path=path: self.public(language, path), "/public/…"))
            for path in self.d.unsubscribe_paths.values():
                jobs.append(
                    (lambda language=language, path=path: self.fetch(None, language, path), "/app/unsubscribe/{token}")
                )
            for path in self.d.act_paths.values():  # opened only: opening a link to act changes nothing
                jobs.append((lambda language=language, path=path: self.fetch(None, language, path), "/app/act/{token}"))
            for role in ROLES:
                jobs.append(
                    (lambda role=role, language=language: self.fetch(role, language, NOWHERE), "(a page not found)")
                )
            for role in ("admin", "coordinator"):
                jobs.append(
                    (
                        lambda role=role, language=language: self.fetch(
                            role,
                            language,
                            "/app/drafts",
                            "POST",
                            data={"csrf": self.csrf[role], "text": QATAR_REPORT, "published_on": "2024-05-13"},
                        ),
                        "POST /app/drafts (a report read into a draft)",
                    )
                )
                jobs.append(
                    (
                        lambda role=role, language=language: self.fetch(
                            role,
                            language,
                            f"/app/agreements/{imported}/import",
                            "POST",
                            data={"csrf": self.csrf[role], "status": "agreed", "language": "en"},
                            files={
                                "file": ("مصفوفة-الأمن-الغذائي.csv", csv_of(IMPORT_HEADERS, IMPORT_ROWS), "text/csv")
                            },
                        ),
                        "POST /app/agreements/{id}/import (a dry run)",
                    )
                )
        futures = [(pool.submit(job), where) for job, where in jobs]
        for future, where in futures:
            self.check(future.result(), where)

    def run(self) -> None:
        self.sign_in()
        with ThreadPoolExecutor(4) as pool:
            self.discover(pool)
            self.in_every_language(pool)
            self.extras(pool)

    # -- what was reached
    def types_reached(self) -> set[str]:
        return {key[0] for role in ROLES for key in self.reached[role]}

    def representatives(self) -> dict[str, str]:
        """For each type of page, the admin's fullest one (the longest Arabic page), for the browser."""
        best: dict[str, tuple[int, str]] = {}
        for key, url in self.reached["admin"].items():
            if key[1] and key[0] not in ("/app/commitments",):
                continue  # a list with filters is the same page as without
            page = self.fetched.get(("admin", "ar", url))
            if page is None or page.status != 200:
                continue
            size = len(page.text)
            if key[0] not in best or size > best[key[0]][0]:
                best[key[0]] = (size, url)
        return {kind: url for kind, (_, url) in best.items()}


def tracebacks(printed: str) -> dict[str, str]:
    """The end of the traceback of each error the server logged, by the path it answered: the frames in
    the project (not in site-packages) and the exception. Each path logged as an unexpected error takes
    the next traceback printed after it (requests may interleave: this is the likeliest one)."""
    found: dict[str, str] = {}
    pending: list[str] = []
    # Each line's head (time, level, component; "|" on the lines a message continues on) taken off.
    lines = [re.sub(r"^\d{4}-\d\d-\d\dT[\d:.]+Z \w+ [\w.]+ (\| )?", "", line) for line in printed.splitlines()]
    index = 0
    while index < len(lines):
        line = lines[index]
        head = re.match(r"unexpected error on (\w+) (\S+)", line)
        if head:
            if head.group(2) not in found and head.group(2) not in pending:
                pending.append(head.group(2))
            index += 1
            continue
        if line.startswith("Traceback (most recent call last):"):
            block = [line]
            index += 1
            while index < len(lines) and (
                lines[index].startswith((" ", "\t"))
                or not lines[index].strip()
                or lines[index].startswith(("During handling", "The above exception", "Traceback"))
            ):
                block.append(lines[index])
                index += 1
            if index < len(lines):
                block.append(lines[index])  # the exception itself
                index += 1
            frames = []
            for at, text in enumerate(block):
                if text.strip().startswith("File ") and "site-packages" not in text:
                    code = block[at + 1].strip() if at + 1 < len(block) else ""
                    frames.append(f"{text.strip()}: {code}")
            if pending:
                found[pending.pop(0)] = "\n".join([*frames[-3:], block[-1].strip()])
            continue
        index += 1
    return found


def report(title: str, findings: list[Finding], tracebacks_by_path: dict[str, str] | None = None) -> str:
    """The findings, grouped by kind and by what they are about, each with the pages it was met on."""
    lines = [title]
    by_kind: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_kind[finding.kind].append(finding)
    for kind in ["door", "5xx", "too wide", "English word", "key id", "not reached", "browser", *sorted(by_kind)]:
        items = by_kind.pop(kind, [])
        if not items:
            continue
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for item in items:
            grouped[item.key].append(item)
        lines.append(f"\n== {kind}: {len(grouped)} ({len(items)} findings)")
        for key, group in sorted(grouped.items()):
            words, _, source = key.partition("\t")
            lines.append(f"- {words}" + (f"  [{source}]" if source else ""))
            details = sorted({g.detail for g in group})
            for detail in details[:3]:
                lines.append(f"    {detail}")
            if len(details) > 3:
                lines.append(f"    … and {len(details) - 3} more")
            examples = sorted({g.example for g in group if g.example})
            if examples:
                lines.append(f"    e.g. {examples[0]}")
            kinds: dict[str, set[str]] = defaultdict(set)  # page type -> the kinds of record it showed
            spots: dict[str, set[str]] = defaultdict(set)  # page type -> roles and languages
            for g in group:
                page_type, _, record = g.page.partition(" [")
                if record:
                    kinds[page_type].add(record.rstrip("]"))
                spots[page_type].add(" ".join(x for x in (g.role, g.language) if x))
            shown = []
            for page_type in sorted(spots):
                records = sorted(kinds[page_type])
                listed = "; ".join(records[:4]) + (f"; … {len(records) - 4} more" if len(records) > 4 else "")
                shown.append(
                    page_type
                    + (f" ×{len(records)} [{listed}]" if records else "")
                    + (f" ({', '.join(sorted(spots[page_type]))})" if any(spots[page_type]) else "")
                )
            lines.append("    on: " + "\n        ".join(shown))
            if kind == "5xx" and tracebacks_by_path:
                for detail in details:
                    named = re.search(r"(/app/\S*)", detail)
                    path = urlsplit(named.group(1)).path if named else ""
                    if path in tracebacks_by_path:
                        lines.append("    server said:\n      " + tracebacks_by_path[path].replace("\n", "\n      "))
                        break
    return "\n".join(lines)


# -- the deployment, on each engine -------------------------------------------------------------------


@dataclass
class Served:
    deployment: Deployment
    crawl: Crawl
    system: SystemWords
    seconds: dict[str, float] = field(default_factory=dict)


@pytest.fixture(scope="module", params=ENGINES)
def served(request: pytest.FixtureRequest, empty_schema: dict[str, str]) -> Iterator[Served]:
    from infrastructure.persistence.scratch import scratch_database

    engine = request.param
    started = time.monotonic()
    system = SystemWords()
    with (
        scratch_database(engine, "test", copy_of=empty_schema[engine]) as url,
        Mailbox() as mailbox,
        Receiver() as receiver,
        tempfile.TemporaryDirectory() as work,
    ):
        env = env_for(mailbox.port)
        server = Server(url, cwd=Path(work), env=env)
        try:
            printed = re.search(r"cmk_[A-Za-z0-9_-]+", server.printed())
            assert printed is not None, "the server printed no first key"
            first_key = printed.group(0)
            deployment = build_deployment(
                server, engine, first_key, system, receiver.url, mailbox, env, url, Path(work)
            )
            built = time.monotonic()
            crawl = Crawl(deployment, system)
            crawl.run()
            served = Served(deployment, crawl, system, {"build": built - started, "http": time.monotonic() - built})
            yield served
            crawl.close()
        finally:
            server.stop()
            SCREENSHOTS.mkdir(exist_ok=True)
            (SCREENSHOTS / f"server-{engine}.log").write_text(server.printed(), encoding="utf-8")


def _write(engine: str, part: str, text: str) -> None:
    """The findings, kept beside the screenshots: ``every-page-<engine>-<http|browser>.txt``."""
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"every-page-{engine}-{part}.txt").write_text(text + "\n", encoding="utf-8")


def test_every_page_of_every_role_in_every_language_answers_without_english_words_or_key_ids(served: Served) -> None:
    d, crawl = served.deployment, served.crawl
    findings = list(crawl.findings)
    printed = tracebacks(d.server.printed())
    for door, failure in d.failures:
        path = re.search(r"(?:POST|GET|PUT) (/\S+) answered", failure)
        said = printed.get(path.group(1), "") if path else ""
        findings.append(
            Finding(
                "door",
                door,
                "building the deployment",
                failure + (f"\n    server said:\n      {said.replace(chr(10), chr(10) + '      ')}" if said else ""),
            )
        )
    # signed out; a digest's links; a person's own steps and links: invitation, second factor, reset (tests/people)
    checked_otherwise = {
        "/app/sign-in",
        "/app/unsubscribe/{token}",
        "/app/act/{token}",
        "/app/welcome/{token}",
        "/app/sign-in/code",
        "/app/sign-in/second-factor",
        "/app/sign-in/reset",
        "/app/account/second-factor",
        "/app/sign-in/organisation",  # signing in through an organisation: tests/people/test_organisation.py
        "/app/sign-in/organisation/back",
        "/app/admin/people/{id}",  # an account's history: the crawl's deployment has no person (tests/people)
    }
    for missing in sorted(expected_page_types() - crawl.types_reached() - checked_otherwise):
        findings.append(
            Finding(
                "not reached", missing, "the links from the overview", "no link of any role's pages leads to this page"
            )
        )
    report_kinds = set()
    for role in ROLES:
        for key, url in crawl.reached[role].items():
            if key[0] == "/app/reports/agreements/{id}":
                agreement = url.rsplit("/", 1)[-1].split("?")[0]
                report_kinds.add(d.agreement_kinds.get(agreement, "?"))
                if d.tags.get(agreement, "").endswith("imported from CSV and XLSX"):
                    report_kinds.add("imported rows")
            if key[0] == "/app/reports/series/{series}":
                report_kinds.add("series")
    for kind in ("joint_statement", "mou", "recommendations", "framework", "action_matrix", "imported rows", "series"):
        if kind not in report_kinds:
            findings.append(
                Finding(
                    "not reached",
                    f"status report of {kind}",
                    "the links from the overview",
                    "no link leads to this kind of status report",
                )
            )
    seconds = {**served.seconds, **d.timings}
    summary = [
        f"every page over HTTP, on {d.engine}: {len(crawl.fetched)} answers; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()),
        "page types reached: " + ", ".join(sorted(crawl.types_reached())),
        "status report kinds reached: " + ", ".join(sorted(report_kinds)),
        *(f"note: {n}" for n in d.notes),
        *(f"said (not failed): {n}" for n in sorted(set(crawl.not_ok))),
    ]
    text = "\n".join(summary) + "\n\n" + report(f"FINDINGS over HTTP on {d.engine}", findings, printed)
    _write(d.engine, "http", text)
    assert not findings, text


# -- in the browser ------------------------------------------------------------------------------------

WIDEST = """
const vw = window.innerWidth, sw = document.documentElement.scrollWidth;
const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
let best = null, bestOut = 0, bestWidth = 0, bestDepth = 1e9;
if (sw > vw) {
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const out = rtl ? -r.left : r.right - vw;
    if (out <= 0.5) continue;
    let depth = 0; for (let p = el; p; p = p.parentElement) depth++;
    if (out > bestOut + 0.5 || (Math.abs(out - bestOut) <= 0.5 && depth < bestDepth)) {
      best = el; bestOut = out; bestWidth = Math.max(r.width, el.scrollWidth); bestDepth = depth;
    }
  }
}
function describe(el) {
  const parts = [];
  for (let p = el; p && p !== document.body && parts.length < 4; p = p.parentElement) {
    parts.unshift(p.tagName.toLowerCase() + (p.id ? '#' + p.id : '') +
                  (p.classList.length ? '.' + [...p.classList].join('.') : ''));
  }
  return parts.join(' > ');
}
return {vw: vw, sw: sw, height: document.documentElement.scrollHeight,
        widest: best ? describe(best) : null, width: Math.round(bestWidth), out: Math.round(bestOut),
        text: best ? (best.innerText || '').replace(/\\s+/g, ' ').slice(0, 80) : null};
"""


def _file_name(kind: str) -> str:
    name = kind.removeprefix("/app").strip("/").replace("{", "").replace("}", "") or "overview"
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") or "page"


@dataclass
class Visit:
    kind: str
    how: Any  # a path to open, or a function that brings the browser to the page


def _submit_draft(driver: Any, base: str) -> None:
    driver.get(base + "/app/drafts")
    driver.execute_script(
        "document.getElementById('draft-text').value = arguments[0];"
        "document.getElementById('draft-published').value = '2023-03-18';",
        CFM_REPORT,
    )
    _submitted(driver, "form[action$='/drafts'] button[type=submit]")


def _submit_import(driver: Any, base: str, agreement: str, path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base + f"/app/agreements/{agreement}/import")
    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
    _submitted(driver, "form[enctype] button[type=submit]")


def _submitted(driver: Any, button: str) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, button).click()
    WebDriverWait(driver, 30, ignored_exceptions=[WebDriverException]).until(expected_conditions.staleness_of(old))


def _sign_in(driver: Any, base: str, key: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base + "/app/sign-in")
    driver.find_element(By.ID, "key").send_keys(key)
    _submitted(driver, "#with-key button[type=submit]")


def browse(
    served: Served,
    width: int,
    height: int,
    visits: list[Visit],
    findings: list[Finding],
    seconds: dict[str, float],
    csv_path: Path,
) -> None:
    d = served.deployment
    base = d.server.url
    started = time.monotonic()
    with chromium(width, height) as driver:
        driver.set_page_load_timeout(60)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
        signed_in = False
        for language in LANGUAGES:
            for visit in visits:
                try:
                    if visit.kind == "/app/sign-in":
                        if signed_in:
                            driver.delete_all_cookies()
                            signed_in = False
                        driver.get(base + f"/app/language/{language}?next=/app/sign-in")
                    else:
                        if not signed_in:
                            driver.get(base + f"/app/language/{language}?next=/app/sign-in")
                            _sign_in(driver, base, d.keys["admin"].secret)
                            signed_in = True
                        if isinstance(visit.how, dict):  # a page in its own language, whatever the reader's
                            path = visit.how.get(language) or next(iter(visit.how.values()))
                            driver.get(base + path)
                        elif isinstance(visit.how, str):
                            driver.get(
                                base
                                + f"/app/language/{language}?next="
                                + visit.how.replace("&", "%26").replace("?", "%3F")
                            )
                        else:
                            driver.get(base + f"/app/language/{language}?next=/app/")
                            visit.how(driver, base)
                    measured = driver.execute_script(WIDEST)
                    page_language = driver.execute_script("return document.documentElement.lang")
                    spot = {"role": "admin", "language": f"{language} {width}px"}
                    if page_language != language and not isinstance(visit.how, dict):
                        findings.append(
                            Finding(
                                "browser",
                                visit.kind,
                                visit.kind,
                                f"the page came in {page_language!r}, not {language!r}: {driver.current_url}",
                                **spot,
                            )
                        )
                    if measured["sw"] > measured["vw"]:
                        findings.append(
                            Finding(
                                "too wide",
                                f"{visit.kind} at {width}px",
                                visit.kind,
                                f"{measured['sw']}px wide in a {measured['vw']}px window; widest element: "
                                f"{measured['widest']} ({measured['width']}px wide, {measured['out']}px out of the "
                                f"window) «{measured['text']}» — {driver.current_url.removeprefix(base)}",
                                **spot,
                            )
                        )
                    shot = SCREENSHOTS / f"{_file_name(visit.kind)}-{language}-{width}.png"
                    full = min(int(measured["height"]), 8000)
                    png = driver.execute_cdp_cmd(
                        "Page.captureScreenshot",
                        {
                            "format": "png",
                            "captureBeyondViewport": True,
                            "clip": {
                                "x": 0,
                                "y": 0,
                                "width": max(width, int(measured["sw"])),
                                "height": max(full, 1),
                                "scale": 1,
                            },
                        },
                    )
                    import base64

                    shot.write_bytes(base64.b64decode(png["data"]))
                except Exception as error:  # noqa: BLE001 - said with the others, the run goes on
                    findings.append(
                        Finding(
                            "browser",
                            visit.kind,
                            visit.kind,
                            f"{type(error).__name__}: {str(error).splitlines()[0][:300]}",
                            "admin",
                            f"{language} {width}px",
                        )
                    )
    seconds[f"browser {width}px"] = time.monotonic() - started


def test_every_type_of_page_fits_the_window_in_every_language_at_both_widths(served: Served) -> None:
    d, crawl = served.deployment, served.crawl
    SCREENSHOTS.mkdir(exist_ok=True)
    visits = [Visit("/app/sign-in", "/app/sign-in")]
    for kind, url in sorted(crawl.representatives().items()):
        visits.append(Visit(kind, url))
    visits.append(Visit("(a page not found)", NOWHERE))
    if d.unsubscribe_paths:
        visits.append(Visit("/app/unsubscribe/{token}", d.unsubscribe_paths))  # shown in the contact's language
    if d.act_paths:
        visits.append(Visit("/app/act/{token}", d.act_paths))
    csv_path = Path(tempfile.mkdtemp()) / "مصفوفة-الأمن-الغذائي.csv"
    csv_path.write_bytes(csv_of(IMPORT_HEADERS, IMPORT_ROWS))
    visits.append(Visit("POST /app/drafts (a report read into a draft)", _submit_draft))
    visits.append(
        Visit(
            "POST /app/agreements/{id}/import (a dry run)",
            lambda driver, base: _submit_import(driver, base, d.ids["imported"], csv_path),
        )
    )
    findings: list[Finding] = []
    seconds: dict[str, float] = {}
    threads = [
        threading.Thread(target=browse, args=(served, width, height, visits, findings, seconds, csv_path))
        for width, height in WIDTHS
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    text = (
        f"every page type in the browser, on {d.engine}: {len(visits)} types × {len(LANGUAGES)} languages × "
        f"{len(WIDTHS)} widths; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
        + "\n"
        + "types: "
        + ", ".join(v.kind for v in visits)
        + "\n\n"
        + report(f"FINDINGS in the browser on {d.engine}", findings)
    )
    _write(d.engine, "browser", text)
    assert not findings, text

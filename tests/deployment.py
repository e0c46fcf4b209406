"""One realistic deployment, built through every door of a real ``commitments serve`` process, and
what a reader must never see on its pages.

The doors: the JSON API (records, lifecycle, themes, recurrences, a series' rhythm, an escalation
ladder, contacts, subscriptions, a draft read and confirmed, an XLSX import), the web pages' forms
(signing in, API keys, the recording flow, a CSV import read then stored, a draft from a report,
a calendar feed, a subscription paused, a contact, progress reported), and a ``commitments worker``
that brings the clock's facts (overdue, due soon, review due, escalations), sends the webhooks and
the e-mail digests. Every text a person typed is remembered (``Deployment.corpus``): record texts
are not system words, whatever language they are in.

The checks of a page: every English word of the interface (the message catalogue's ids, the
domain's event names and enum values, the webhook kinds and types, the scanner's actor name) shown
as text on an Arabic page, English sentences shown there, and API key ids shown where the key has
a name (``SystemWords``, ``arabic_findings``, ``key_findings``)."""

from __future__ import annotations

import importlib
import inspect
import io
import os
import pkgutil
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from lxml import html as lxml_html

from tests.server import COMMAND, ROOT, Server, wait_for

REPORTS = Path(__file__).resolve().parent / "reports"
LOCALES = ROOT / "api" / "web" / "locales"
LADDER = "0:lead_party,30:parent_organisation,90:meeting_chairs"
SERIES = "un-oic-general-meeting"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DAY_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$|^\d{4}(-Q\d)?$")


def env_for(mailbox_port: int) -> dict[str, str]:
    """What the server and the worker run with: the deployment's escalation ladder, digests through the
    SMTP server on loopback, webhooks to the receiver on loopback; the server leaves the clock's facts,
    the webhooks and the digests to the worker, so that nothing races the building."""
    return {
        "COMMITMENTS_ESCALATION_LADDER": LADDER,
        "COMMITMENTS_SMTP_HOST": "127.0.0.1",
        "COMMITMENTS_SMTP_PORT": str(mailbox_port),
        "COMMITMENTS_SMTP_SECURITY": "none",
        "COMMITMENTS_MAIL_FROM": "متتبع الالتزامات <digests@tracker.example.org>",
        "COMMITMENTS_WEBHOOK_ALLOW_HTTP": "1",
        "COMMITMENTS_WEBHOOK_ALLOW_LOOPBACK": "1",
        "COMMITMENTS_WEBHOOK_RETRY_SCHEDULE": "0.2,0.5",
        "COMMITMENTS_SCAN_INTERVAL": "0",
        "COMMITMENTS_DISPATCH_INTERVAL": "0",
        "COMMITMENTS_DIGEST_INTERVAL": "0",
        "COMMITMENTS_AUDIT_CHECK_INTERVAL": "0",
    }


# -- the words a reader must not see on an Arabic page ------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sd]")
LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
BEFORE = r"(?<![A-Za-z0-9_.\-])"
AFTER = r"(?![A-Za-z0-9_\-])(?!\.[A-Za-z0-9])"
ENGLISH_RUN = re.compile(r"(?<![\w.\-/@])[a-z][a-z'’]+(?:[ ,;:]+[a-z][a-z'’]*){2,}(?![\w\-/@])")


@dataclass(frozen=True)
class Phrase:
    words: str  # as listed (a msgid, an event name, an enum value...)
    source: str  # where the list took it from
    pattern: re.Pattern[str]


def _po_messages(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of a catalogue, plurals as their singular and plural ids."""
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        catalogue = read_po(source)
    pairs = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, msgid in enumerate(ids):
            pairs.append((str(msgid), str(strings[min(index, len(strings) - 1)] or "") if strings else ""))
    return pairs


def _phrase_pattern(text: str) -> str | None:
    """A message id as a pattern: its literal parts, a placeholder as any short run between them;
    leading and trailing placeholders (and punctuation) dropped. None if too little is left."""
    parts = PLACEHOLDER.split(text)
    literal = list(parts)
    while literal and not re.search(r"[A-Za-z]", literal[0]):
        literal.pop(0)
    while literal and not re.search(r"[A-Za-z]", literal[-1]):
        literal.pop()
    if not literal:
        return None
    literal[0] = literal[0].lstrip(" ,;:·—-")
    literal[-1] = literal[-1].rstrip(" ,;:·—-")
    letters = sum(len(re.findall(r"[A-Za-z]", p)) for p in literal)
    if letters < 3:
        return None
    body = ".{1,120}?".join(r"\s+".join(re.escape(w) for w in p.split()) for p in literal)
    return body


def _aggregate_events() -> set[str]:
    from eventsourcing.domain import Aggregate

    import domain

    names: set[str] = set()
    for module_info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"domain.{module_info.name}")
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Aggregate) and obj is not Aggregate:
                for attribute in dir(obj):
                    found = getattr(obj, attribute, None)
                    if inspect.isclass(found) and issubclass(found, Aggregate.Event):
                        names.add(found.__name__)
    return names - {"Event", "Created"}


def _enum_values() -> set[str]:
    import domain

    values: set[str] = set()
    for module_info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"domain.{module_info.name}")
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Enum) and obj.__module__ == module.__name__:
                values |= {str(member.value) for member in obj if isinstance(member.value, str)}
    return values


class SystemWords:
    """The English words of the interface a reader of an Arabic page must not see as text."""

    def __init__(self) -> None:
        from application.notices.scanner import SCHEDULER
        from domain import webhooks

        arabic = dict(_po_messages(LOCALES / "ar" / "LC_MESSAGES" / "messages.po"))
        entries: dict[str, tuple[str, str]] = {}  # pattern -> (words, source)

        def add(words: str, source: str, pattern: str | None = None) -> None:
            pattern = pattern if pattern is not None else r"\s+".join(re.escape(w) for w in words.split())
            entries.setdefault(pattern, (words, source))

        events = _aggregate_events()
        for name in events:
            add(name, "event name")
        for value in _enum_values():
            add(value, "enum value")
        for kind in webhooks.KINDS:
            if kind != "all":
                add(kind, "webhook kind")
        for name in events | {"MarkedOverdue", "DueSoon", "ReviewDue"}:
            add(webhooks.commitment_event_type(name), "webhook type")
        for kind in webhooks.OPERATIONAL:
            add(kind, "webhook type")
        for msgid, _ in _po_messages(LOCALES / "messages.pot"):
            if arabic.get(msgid, "") == msgid or re.fullmatch(r"[A-Z0-9 .&/+-]+", msgid):
                continue  # the same in Arabic (a format, an acronym): not an English word
            pattern = _phrase_pattern(msgid)
            if pattern is not None:
                add(" ".join(msgid.split()), "message catalogue", pattern)
        add(SCHEDULER, "actor name")
        for name in ("English", "Français"):
            add(name, "language name")
        self.intended = [
            re.compile(".{0,120}?".join(re.escape(part) for part in PLACEHOLDER.split(string)))
            for msgid, string in arabic.items()
            if string and re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", string))
        ]
        self.phrases: list[Phrase] = []
        self.by_first: dict[str, list[Phrase]] = {}
        for pattern, (words, source) in entries.items():
            phrase = Phrase(words, source, re.compile(BEFORE + "(?:" + pattern + ")" + AFTER))
            self.phrases.append(phrase)
            first = LATIN_TOKEN.search(words.replace("%(", " ").replace(")s", " "))
            if first:
                self.by_first.setdefault(first.group(0), []).append(phrase)

    def __contains__(self, text: str) -> bool:
        return any(p.pattern.fullmatch(text) for p in self.by_first.get(text.split()[0] if text.split() else "", []))

    def found(self, text: str) -> list[tuple[Phrase, str, int, int]]:
        """Every phrase in the text, the longest where several overlap."""
        tokens = set(LATIN_TOKEN.findall(text))
        hits = []
        for token in tokens:
            for phrase in self.by_first.get(token, ()):
                for match in phrase.pattern.finditer(text):
                    hits.append((phrase, match.group(0), match.start(), match.end()))
        hits.sort(key=lambda h: (h[2], -(h[3] - h[2])))
        kept: list[tuple[Phrase, str, int, int]] = []
        for hit in hits:
            if any(k[2] <= hit[2] and hit[3] <= k[3] for k in kept):
                continue
            kept.append(hit)
        return kept


# -- what a reader sees on a page ---------------------------------------------------------------------

SKIPPED_TAGS = {"script", "style", "template", "noscript"}


@dataclass
class Seen:
    text: str
    note: str = ""


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def visible_chunks(tree: Any) -> Iterator[Seen]:
    """The text nodes a reader sees, in order; an element marked with a language other than Arabic
    comes whole (its note says so), as does nothing marked ``dir="ltr"`` (addresses, ids, URLs and
    acronyms) or the language switch (each language's name in its own language)."""

    def walk(element: Any) -> Iterator[Seen]:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIPPED_TAGS or not tag:
            return
        lang = (element.get("lang") or "").lower()
        if element.get("hreflang") is not None:
            return
        if lang and not lang.startswith("ar") and element is not tree:
            words = _squeeze(element.text_content())
            if words:
                yield Seen(words, f'marked lang="{lang}"')
            return
        if (element.get("dir") or "").lower() == "ltr" and not lang and element is not tree:
            return
        if element.text and element.text.strip():
            yield Seen(_squeeze(element.text))
        for child in element:
            yield from walk(child)
            if child.tail and child.tail.strip():
                yield Seen(_squeeze(child.tail))

    yield from walk(tree)


class Corpus:
    """Every text a person gave the deployment (names, titles, quotes, notes, reasons, file cells, the
    reports): a page showing one of them shows a record text, not a system word."""

    def __init__(self, system: SystemWords) -> None:
        self.system = system
        self.strings: set[str] = set()
        self._blob = ""
        self._pattern = re.compile("(?!)")

    def add(self, *values: Any) -> None:
        for value in values:
            self._collect(value)
        self._blob = ""

    def _collect(self, value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                self._collect(v)
        elif isinstance(value, (list, tuple, set)):
            for v in value:
                self._collect(v)
        elif isinstance(value, str):
            text = _squeeze(value)
            if not text or UUID_RE.match(text) or DAY_RE.match(text) or text.isdigit() or text in self.system:
                return
            if text.startswith(("cmk_", "http://127.0.0.1")):
                return
            self.strings.add(text)
            for line in value.splitlines():  # a report: its lines, as pages quote them
                if _squeeze(line):
                    self.strings.add(_squeeze(line))

    def _ready(self) -> None:
        if not self._blob:
            self._blob = "\n".join(sorted(self.strings))
            records = sorted((s for s in self.strings if len(s) >= 2), key=len, reverse=True)
            self._pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(s) for s in records) + r")(?![\w])")

    def holds(self, text: str) -> bool:
        """The text is a record text, or a part of one long enough to tell."""
        self._ready()
        return text in self.strings or (len(text) >= 8 and text in self._blob)

    def without_records(self, text: str) -> str:
        """The text with every record text it holds taken out, and every record text's beginning shortened
        with "…" (as a chart's label is)."""
        self._ready()
        for intended in self.system.intended:
            text = intended.sub(" ¦ ", text)
        return self._pattern.sub(" ¦ ", _SHORTENED.sub(self._shortened, text))

    def _shortened(self, found: re.Match[str]) -> str:
        """The words before an ellipsis, from the longest run that begins a record text ("strategic framework
        for 2…"), taken out; the others kept."""
        before = found.group(1)
        for start in (m.start() for m in re.finditer(r"(?<![\w])\w", before)):
            if len(before) - start >= 6 and ("\n" + before[start:]) in ("\n" + self._blob):
                return before[:start] + " ¦ "
        return found.group(0)


_SHORTENED = re.compile(r"([^…¦\n]{1,60})…")


@dataclass
class WordFinding:
    words: str
    source: str
    shown: str
    context: str
    note: str


def arabic_findings(tree: Any, system: SystemWords, corpus: Corpus) -> list[WordFinding]:
    """English system words, and English sentences, that a reader of this (Arabic) page sees. A
    text marked with another language that is no record text is system text: said once, whole."""
    findings: list[WordFinding] = []
    for seen in visible_chunks(tree):
        text = seen.text
        if not re.search(r"[A-Za-z]", text) or corpus.holds(text):
            continue
        if not system.found(text) and not ENGLISH_RUN.search(text):
            continue
        cleaned = corpus.without_records(text)
        hits = system.found(cleaned)
        runs = [r for r in ENGLISH_RUN.finditer(cleaned) if len(r.group(0).split()) >= 3]
        if not hits and not runs:
            continue
        if seen.note:
            words = ", ".join(dict.fromkeys(h[1] for h in hits)) or "an English sentence"
            findings.append(
                WordFinding(
                    cleaned[:110] + ("…" if len(cleaned) > 110 else ""),
                    f"system text {seen.note}",
                    words,
                    f"holds: {words}",
                    seen.note,
                )
            )
            continue
        for phrase, shown, start, end in hits:
            findings.append(
                WordFinding(phrase.words, phrase.source, shown, cleaned[max(0, start - 60) : end + 60].strip(), "")
            )
        for run in runs:
            if any(h[2] <= run.start() and run.end() <= h[3] for h in hits):
                continue
            findings.append(
                WordFinding(
                    run.group(0),
                    "English text (not in the catalogue)",
                    run.group(0),
                    cleaned[max(0, run.start() - 60) : run.end() + 60].strip(),
                    "",
                )
            )
    return findings


KEY_ID = re.compile(r"\bkey_[A-Za-z0-9_-]{4,}")
BLOCKS = {"td", "th", "li", "p", "dd", "dt", "tr", "div", "section", "figcaption", "h1", "h2", "h3"}


def key_findings(tree: Any, names: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key id, its name, the text around) for each key id a reader sees where the key has a name and
    the name is not beside it (the keys' own list shows both, which is fine)."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS:
            continue
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if not text or "key_" not in text or owner is None:
                continue
            for match in KEY_ID.finditer(text):
                key_id = match.group(0)
                name = names.get(key_id)
                if not name:
                    continue
                block = owner
                while block is not None and block.tag not in BLOCKS:
                    block = block.getparent()
                around = _squeeze((block if block is not None else owner).text_content())
                if name in around:
                    continue
                found.append((key_id, name, around[:160]))
    return found


def parse(text: str) -> Any:
    return lxml_html.fromstring(text)


# -- the doors ------------------------------------------------------------------------------------------


class Refused(AssertionError):
    pass


class ApiDoor:
    """The JSON API, with one key; every text sent is remembered."""

    def __init__(self, base_url: str, key: str, corpus: Corpus) -> None:
        self.http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
        self.corpus = corpus

    def call(
        self, method: str, path: str, body: Any = None, expect: tuple[int, ...] = (200, 201), **kwargs: Any
    ) -> Any:
        if body is not None:
            self.corpus.add(body)
        for attempt in range(5):
            answer = self.http.request(method, path, json=body, **kwargs)
            if answer.status_code in (409, 503) and attempt < 4 and answer.status_code not in expect:
                continue  # the worker changed the same record at that moment: ask again
            break
        if answer.status_code not in expect:
            raise Refused(f"{method} {path} answered {answer.status_code}: {answer.text[:800]}")
        return (
            answer.json()
            if answer.headers.get("content-type", "").startswith(("application/json", "application/problem"))
            else answer
        )

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, body if body is not None else {}, **kwargs)

    def put(self, path: str, body: Any) -> Any:
        return self.call("PUT", path, body)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params)

    def made(self, path: str, body: Any) -> str:
        return str(self.post(path, body)["id"])


class WebDoor:
    """The web pages, signed in with a key: a browser's cookies, each form with the session's CSRF token."""

    def __init__(self, base_url: str, corpus: Corpus) -> None:
        self.http = httpx.Client(base_url=base_url, follow_redirects=True, timeout=60)
        self.corpus = corpus
        self.csrf = ""

    def _keep(self, answer: httpx.Response) -> httpx.Response:
        found = re.search(r'name="csrf" value="([^"]+)"', answer.text)
        if found:
            self.csrf = found.group(1)
        return answer

    def sign_in(self, key: str, expect: int = 200) -> httpx.Response:
        form = self.http.get("/app/sign-in")
        found = re.search(r'name="token" value="([^"]+)"', form.text)
        assert found is not None, "the sign-in form has no token"
        token = found.group(1)
        answer = self._keep(self.http.post("/app/sign-in", data={"key": key, "token": token, "next": "/app/"}))
        if answer.status_code != expect:
            raise Refused(f"signing in answered {answer.status_code}")
        return answer

    @property
    def session(self) -> str:
        return str(self.http.cookies.get("session"))

    def open(self, path: str) -> httpx.Response:
        answer = self._keep(self.http.get(path))
        if answer.status_code != 200:
            raise Refused(f"GET {path} answered {answer.status_code}: {_page_words(answer.text)[:600]}")
        return answer

    def post(
        self,
        path: str,
        fields: dict[str, Any] | list[tuple[str, str]],
        expect: tuple[int, ...] = (200,),
        files: Any = None,
    ) -> httpx.Response:
        data: dict[str, list[str]] = {}
        for name, value in fields.items() if isinstance(fields, dict) else fields:
            data.setdefault(name, []).extend(value if isinstance(value, list) else [value])
        self.corpus.add({k: v for k, v in data.items() if k not in ("content", "plan", "version", "csrf")})
        data["csrf"] = [self.csrf]
        answer = self._keep(self.http.post(path, data=data, files=files))
        if answer.status_code not in expect:
            raise Refused(f"POST {path} answered {answer.status_code}: {_page_words(answer.text)[:800]}")
        return answer


def submit(
    door: WebDoor,
    page: httpx.Response,
    form_xpath: str,
    values: dict[str, Any],
    button: str = "",
    expect: tuple[int, ...] = (200,),
) -> httpx.Response:
    """A form of the page, as a person fills it in: what it holds already, with ``values`` typed over,
    sent by its button whose ``formaction`` holds ``button`` (if it has one), else to its own action."""
    tree = parse(page.text)
    forms = tree.xpath(form_xpath)
    if not forms:
        raise Refused(f"no form {form_xpath} on {page.url}")
    form = forms[0]
    action, method = form.get("action") or str(page.url), (form.get("method") or "get").lower()
    pressed: list[tuple[str, str]] = []
    if button:
        for found in form.xpath(f".//*[self::button or self::input][contains(@formaction, '{button}')]"):
            action, method = found.get("formaction"), (found.get("formmethod") or method).lower()
            if found.get("name"):
                pressed.append((found.get("name"), found.get("value") or ""))
            break
    kept = [(n, v) for n, v in form_fields(lxml_html.tostring(form, encoding="unicode"), "/") if n not in values]
    sent = kept + pressed + [(n, item) for n, v in values.items() for item in (v if isinstance(v, list) else [v])]
    if method == "get":
        door.corpus.add(values)
        return door.open(httpx.URL(action).path + "?" + urlencode(sent))
    return door.post(httpx.URL(action).raw_path.decode(), sent, expect=expect)


def _page_words(text: str) -> str:
    try:
        tree = parse(text)
        main = tree.xpath("//main")
        return _squeeze((main[0] if main else tree).text_content())
    except Exception:  # noqa: BLE001 - not a page: the text itself
        return text


def form_fields(page_text: str, xpath: str) -> list[tuple[str, str]]:
    """A form's fields as a browser would send them (checked boxes, selected options, text areas)."""
    tree = parse(page_text)
    fields: list[tuple[str, str]] = []
    for element in tree.xpath(xpath + "//*[@name]"):
        name = element.get("name")
        if name == "csrf" or element.get("disabled") is not None:
            continue
        if element.tag == "select":
            chosen = [o.get("value", o.text_content()) for o in element.xpath(".//option[@selected]")]
            if not chosen and element.get("multiple") is None:
                options = element.xpath(".//option")
                chosen = [options[0].get("value", "")] if options else []
            fields += [(name, v) for v in chosen]
        elif element.tag == "textarea":
            fields.append((name, element.text or ""))
        elif element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    fields.append((name, element.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset", "image"):
                fields.append((name, element.get("value") or ""))
    return fields


# -- the records ----------------------------------------------------------------------------------------


def texts(ar: str | None = None, en: str | None = None, fr: str | None = None, authentic: str = "ar") -> dict[str, Any]:
    given = {code: words for code, words in (("ar", ar), ("en", en), ("fr", fr)) if words}
    return {"texts": given, "authentic": authentic if authentic in given else next(iter(given))}


PARTIES = {  # acronym: names, kind, parent
    "UN": (
        texts("الأمم المتحدة", "United Nations", "Organisation des Nations Unies", "en"),
        "international_organisation",
        None,
    ),
    "OIC": (
        texts(
            "منظمة التعاون الإسلامي", "Organisation of Islamic Cooperation", "Organisation de la coopération islamique"
        ),
        "international_organisation",
        None,
    ),
    "SESRIC": (
        texts(
            "مركز الأبحاث الإحصائية والاقتصادية والاجتماعية والتدريب للدول الإسلامية",
            "Statistical, Economic and Social Research and Training Centre for Islamic Countries",
            "Centre de recherches statistiques, économiques et sociales et de formation pour les pays islamiques",
        ),
        "subsidiary_organ",
        "OIC",
    ),
    "IOFS": (
        texts(
            "المنظمة الإسلامية للأمن الغذائي",
            "Islamic Organization for Food Security",
            "Organisation islamique pour la sécurité alimentaire",
        ),
        "specialised_institution",
        "OIC",
    ),
    "UNDP": (
        texts(
            "برنامج الأمم المتحدة الإنمائي",
            "United Nations Development Programme",
            "Programme des Nations Unies pour le développement",
            "en",
        ),
        "un_entity",
        "UN",
    ),
    "ICESCO": (
        texts(
            "منظمة العالم الإسلامي للتربية والعلوم والثقافة",
            "Islamic World Educational, Scientific and Cultural Organization",
            "Organisation du monde islamique pour l'éducation, les sciences et la culture",
        ),
        "specialised_institution",
        "OIC",
    ),
}
REPORT_15 = (REPORTS / "un-oic-general-meeting-2022.ar.txt").read_text(encoding="utf-8")
WORKSHOP_REPORT = b"%PDF-1.4\n% the second workshop's report\n%%EOF\n"  # an evidence file, a comment's, a document's
QATAR_REPORT = (REPORTS / "qatar-unesco-mou-2024.ar.txt").read_text(encoding="utf-8")
CFM_REPORT = (REPORTS / "cfm-nouakchott-2023.en.txt").read_text(encoding="utf-8")
IMPORT_HEADERS = [
    "الرقم",
    "النشاط",
    "Activity (en)",
    "Activité (fr)",
    "الجهة المسؤولة",
    "الجهات الشريكة",
    "الإطار الزمني",
    "ملاحظات",
]
IMPORT_ROWS = [
    [
        "1",
        "إنشاء احتياطي إقليمي للأمن الغذائي",
        "Set up a regional food security reserve",
        "Constituer une réserve régionale de sécurité alimentaire",
        "المنظمة الإسلامية للأمن الغذائي",
        "OIC، UN",
        "2024",
        "بالتنسيق مع الدول الأعضاء",
    ],
    [
        "2",
        "برنامج مشترك للإحصاءات الزراعية",
        "Joint programme on agricultural statistics",
        "",
        "SESRIC",
        "الأمم المتحدة",
        "الربع الثالث 2025",
        "",
    ],
    [
        "3",
        "منتدى الشباب حول الزراعة المستدامة",
        "Youth forum on sustainable agriculture",
        "",
        "ICESCO",
        "WHO",
        "2025-06",
        "",
    ],
    ["4", "تقرير مرحلي عن تنفيذ المصفوفة", "Progress report on the matrix", "", "OIC", "", "soon", ""],
]


def csv_of(headers: list[str], rows: list[list[str]]) -> bytes:
    lines = [";".join(headers), *(";".join(row) for row in rows)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def corrected_xlsx() -> bytes:
    """The same matrix a month later, as a workbook with English headers: row 1's activity corrected,
    row 2's timeframe a date cell, row 3's partner and row 4's timeframe fixed, a fifth row naming an
    organisation nobody registered."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on a worksheet
    sheet.append(["Joint activities on food security — revised"])
    sheet.append([])
    sheet.append(["No", "Activity (ar)", "Activity (en)", "Lead party", "Partners", "Deadline", "Notes"])
    sheet.append(
        [
            1,
            IMPORT_ROWS[0][1],
            "Set up a regional food security reserve (phase I)",
            "IOFS",
            "OIC, UN",
            "2024",
            IMPORT_ROWS[0][7],
        ]
    )
    sheet.append([2, IMPORT_ROWS[1][1], IMPORT_ROWS[1][2], "SESRIC", "UN", datetime(2025, 9, 30), None])
    sheet.append([3, IMPORT_ROWS[2][1], IMPORT_ROWS[2][2], "ICESCO", "UNDP", "2025-06", None])
    sheet.append([4, IMPORT_ROWS[3][1], IMPORT_ROWS[3][2], "OIC", None, "Q4 2025", None])
    sheet.append(
        [5, "ورشة عمل حول الحد من الفاقد الغذائي", "Workshop on reducing food loss", "FAO", "IOFS", "2026", None]
    )
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@dataclass
class Key:
    role: str  # admin, coordinator, scoped (a coordinator limited to one party), auditor
    id: str
    name: str
    secret: str


@dataclass
class Deployment:
    server: Server
    engine: str
    corpus: Corpus
    keys: dict[str, Key] = field(default_factory=dict)
    key_names: dict[str, str] = field(default_factory=dict)  # every key's id and name, the first admin's too
    parties: dict[str, str] = field(default_factory=dict)  # acronym -> id
    ids: dict[str, str] = field(default_factory=dict)  # a name of this module -> id
    tags: dict[str, str] = field(default_factory=dict)  # id -> the door it came through, and what it is
    agreement_kinds: dict[str, str] = field(default_factory=dict)  # agreement id -> kind
    unsubscribe_paths: dict[str, str] = field(default_factory=dict)  # a digest's language -> its unsubscribe link
    act_paths: dict[str, str] = field(default_factory=dict)  # a digest's language -> a focal point's link to act
    public_paths: list[str] = field(default_factory=list)  # the published records' pages on the public portal
    worker_output: str = ""
    notes: list[str] = field(default_factory=list)  # what could not be built, and why
    failures: list[tuple[str, str]] = field(default_factory=list)  # a door's step that failed, and how
    timings: dict[str, float] = field(default_factory=dict)

    def tag(self, record_id: str, label: str) -> str:
        self.tags.setdefault(str(record_id), label)
        return str(record_id)


def build_deployment(
    server: Server,
    engine: str,
    first_key: str,
    system: SystemWords,
    receiver_url: str,
    mailbox: Any,
    worker_env: dict[str, str],
    database_url: str,
    work_dir: Path,
) -> Deployment:
    started = time.monotonic()
    corpus = Corpus(system)
    corpus.add("English", "Français", "العربية")
    d = Deployment(server, engine, corpus)
    url = server.url

    # -- keys, made on the administration page: an admin from the first key, then the others, each named
    first = WebDoor(url, corpus)
    first.sign_in(first_key)
    me = ApiDoor(url, first_key, corpus).get("/me")
    d.key_names[me["id"]] = me["name"]

    def make_key(door: WebDoor, role: str, name: str, scope: list[str] | None = None) -> str:
        page = door.post("/app/admin/keys", {"name": name, "role": role, "party_scope": scope or []})
        key: str = parse(page.text).xpath("//code[@id='new-key']")[0].text_content().strip()
        return key

    admin_secret = make_key(first, "admin", "أمانة التنسيق — مدير النظام")
    admin_web = WebDoor(url, corpus)
    admin_web.sign_in(admin_secret)
    secrets = {
        "admin": admin_secret,
        "coordinator": make_key(admin_web, "coordinator", "Coordination desk, Geneva"),
        "auditor": make_key(admin_web, "auditor", "Donor audit — مراجعة المانحين"),
    }
    api = ApiDoor(url, secrets["coordinator"], corpus)
    admin = ApiDoor(url, secrets["admin"], corpus)

    # -- parties, through the API
    for acronym, (names, kind, parent) in PARTIES.items():
        body = {"names": names, "acronym": acronym, "kind": kind}
        if parent:
            body["parent_id"] = d.parties[parent]
        d.parties[acronym] = d.tag(api.made("/parties", body), "party/api")
    p = d.parties
    d.tag(p["SESRIC"], "party/api, own ladder, contacts")
    d.tag(p["OIC"], "party/api, contact made on its page")

    secrets["scoped"] = make_key(admin_web, "coordinator", "SESRIC focal point — نقطة الاتصال", [p["SESRIC"]])
    for role, secret in secrets.items():
        shown = ApiDoor(url, secret, corpus).get("/me")
        d.keys[role] = Key(role, shown["id"], shown["name"], secret)
        d.key_names[shown["id"]] = shown["name"]
    scoped = ApiDoor(url, secrets["scoped"], corpus)

    # -- the 15th general meeting, through the API: held, with its report as a document
    a = d.ids["meeting15"] = d.tag(
        api.made(
            "/meetings",
            {
                "title": texts(
                    "الاجتماع العام الخامس عشر للتعاون بين الأمم المتحدة ومنظمة التعاون الإسلامي",
                    "15th General Meeting on Cooperation between the UN and the OIC",
                    "15e réunion générale sur la coopération entre l'ONU et l'OCI",
                ),
                "kind": "general_meeting",
                "series": SERIES,
                "session_number": 15,
                "scheduled": {"starts_on": "2022-07-18", "ends_on": "2022-07-20"},
                "venue": {
                    "name": "Palais des Nations",
                    "city": "Geneva",
                    "country": "Switzerland",
                    "time_zone": "Europe/Zurich",
                },
                "participants": [
                    {"party_id": p["UN"], "role": "co_chair", "person": "Amina J. Mohammed"},
                    {"party_id": p["OIC"], "role": "co_chair", "person": "حسين إبراهيم طه"},
                    {"party_id": p["SESRIC"], "role": "participant"},
                    {"party_id": p["IOFS"], "role": "participant"},
                    {"party_id": p["UNDP"], "role": "participant"},
                    {"party_id": p["ICESCO"], "role": "participant"},
                ],
                "documents": [
                    {
                        "language": "ar",
                        "title": "المدير العام لسيسرك يخاطب الاجتماع العام الخامس عشر",
                        "text": REPORT_15,
                        "url": "https://www.sesric.org/event-detail.php?id=2796",
                    }
                ],
            },
        ),
        "meeting/api, held, series 15",
    )
    api.post(f"/meetings/{a}/held", {"starts_on": "2022-07-18", "ends_on": "2022-07-20"})

    # -- its agreements, one of every kind, through the API
    def agreement(name: str, kind: str, body: dict[str, Any], label: str) -> str:
        made = api.made("/agreements", {"meeting_id": body.pop("meeting_id", a), "kind": kind, **body})
        d.ids[name] = d.tag(made, f"agreement/{kind}/{label}")
        d.agreement_kinds[made] = kind
        return made

    matrix = agreement(
        "matrix",
        "action_matrix",
        {
            "adopted_by": [p["UN"], p["OIC"]],
            "title": texts(
                "مصفوفة الأنشطة المشتركة بين منظمة التعاون الإسلامي والأمم المتحدة",
                "Matrix of joint OIC–UN activities",
                "Matrice des activités conjointes OCI–ONU",
            ),
            "rows": [
                {
                    "activity": texts(
                        "برنامج مشترك لبناء القدرات الإحصائية", "Joint statistical capacity-building programme"
                    ),
                    "lead_party_id": p["SESRIC"],
                    "partner_party_ids": [p["UN"]],
                    "timeframe": {"precision": "relative", "amount": 2, "unit": "years"},
                },
                {
                    "activity": texts("منتدى الأمن الغذائي في أستانا", "Food security forum in Astana"),
                    "lead_party_id": p["IOFS"],
                    "partner_party_ids": [p["OIC"], p["UN"]],
                    "timeframe": {"precision": "year", "value": "2024"},
                },
                {
                    "activity": texts(en="Exchange of statistical experts", authentic="en"),
                    "lead_party_id": p["SESRIC"],
                    "timeframe": None,
                },
            ],
        },
        "api, rows",
    )
    joint = agreement(
        "joint",
        "joint_statement",
        {
            "adopted_by": [p["UN"], p["OIC"]],
            "title": texts("البيان الختامي المشترك", "Joint final statement", "Déclaration finale conjointe"),
            "text": texts(
                "أكد الجانبان التزامهما بالعمل معا للتصدي للتحديات العالمية والإقليمية",
                "Both sides reaffirmed their commitment to work together on global and regional challenges",
            ),
        },
        "api, commitments without a row",
    )
    recommendations = agreement(
        "recommendations",
        "recommendations",
        {
            "adopted_by": [p["OIC"], p["UNDP"]],
            "title": texts(
                "توصيات الاجتماع العام الخامس عشر",
                "Recommendations of the 15th General Meeting",
                "Recommandations de la 15e réunion générale",
            ),
        },
        "api, clauses",
    )
    framework = agreement(
        "framework",
        "framework",
        {
            "adopted_by": [p["OIC"], p["ICESCO"]],
            "validity": {"starts_on": "2023-01-01", "ends_on": "2028-12-31"},
            "title": texts(
                "إطار التعاون في مجال التعليم 2023–2028",
                "Framework for cooperation in education 2023–2028",
                "Cadre de coopération dans le domaine de l'éducation 2023–2028",
            ),
        },
        "api, validity",
    )
    mou = agreement(
        "mou",
        "mou",
        {
            "adopted_by": [p["OIC"], p["UNDP"]],
            "adopted_on": "2022-07-19",
            "title": texts(
                "مذكرة تفاهم بين منظمة التعاون الإسلامي وبرنامج الأمم المتحدة الإنمائي",
                "Memorandum of understanding between the OIC and UNDP",
                "Mémorandum d'accord entre l'OCI et le PNUD",
            ),
        },
        "api",
    )

    # -- commitments through the API, in every state
    def commitment(name: str, label: str, **body: Any) -> str:
        made = api.made("/commitments", {"meeting_id": body.pop("meeting_id", a), "status": "agreed", **body})
        d.ids[name] = d.tag(made, f"commitment/{label}")
        return made

    quote = "واتفق الاجتماع على مصفوفة للأنشطة المشتركة بين منظمة التعاون الإسلامي والأمم المتحدة للسنتين القادمتين"
    row1 = commitment(
        "row1",
        "api/matrix row, in progress, themes, escalated",
        agreement_id=matrix,
        row_number=1,
        lead_party_id=p["SESRIC"],
        supporting_party_ids=[p["UN"]],
        text=texts(
            "تنفيذ البرنامج المشترك لبناء القدرات الإحصائية",
            "Run the joint statistical capacity-building programme",
            "Mettre en œuvre le programme conjoint de renforcement des capacités statistiques",
        ),
        quote={"texts": {"ar": quote}},
    )
    row2 = commitment(
        "row2",
        "api/matrix row, fulfilled",
        agreement_id=matrix,
        row_number=2,
        lead_party_id=p["IOFS"],
        supporting_party_ids=[p["OIC"], p["UN"]],
        text=texts("تنظيم منتدى الأمن الغذائي في أستانا", "Organise the food security forum in Astana"),
    )
    commitment(
        "follow_up16",
        "api/follow-up session, fulfilled by the 16th",
        kind="follow_up_session",
        lead_party_id=p["IOFS"],
        supporting_party_ids=[p["OIC"], p["UN"]],
        text=texts(
            "عقد الدورة السادسة عشرة للاجتماع العام للتعاون في 2024 في مقر المنظمة الإسلامية للأمن الغذائي في أستانا",
            "Hold the 16th session of the General Meeting in 2024 at the IOFS headquarters in Astana",
        ),
        quote={
            "texts": {
                "ar": "كما تم الاتفاق على عقد الدورة السادسة عشرة للاجتماع العام للتعاون "
                "في 2024 في مقر المنظمة الإسلامية للأمن الغذائي (IOFS)"
            }
        },
        due={"precision": "year", "value": "2024", "time_zone": "Asia/Almaty"},
        follow_up={"series": SERIES, "session_number": 16},
    )
    commitment(
        "open_ended",
        "api/joint statement, open-ended, review due",
        agreement_id=joint,
        lead_party_id=p["OIC"],
        supporting_party_ids=[p["UN"]],
        review_on="2024-06-01",
        text=texts(
            "العمل معا للتصدي للتحديات العالمية والإقليمية من خلال تبادل الخبرات",
            "Work together on global and regional challenges by exchanging expertise",
        ),
    )
    stalled = commitment(
        "stalled",
        "api/joint statement, stalled, overdue",
        agreement_id=joint,
        lead_party_id=p["UN"],
        supporting_party_ids=[p["OIC"]],
        due={"precision": "day", "value": "2023-12-31"},
        text=texts(
            "إعداد تقرير مشترك عن أهداف التنمية المستدامة في الدول الأعضاء",
            "Prepare a joint report on the SDGs in member states",
            "Préparer un rapport conjoint sur les ODD dans les États membres",
            "en",
        ),
    )
    commitment(
        "noted",
        "api/recommendation clause, noted",
        status="noted",
        kind="clause",
        agreement_id=recommendations,
        clause="التوصية 3",
        lead_party_id=p["UNDP"],
        text=texts(
            "دعم برامج تشغيل الشباب في الدول الأعضاء",
            "Support youth employment programmes in member states",
            authentic="en",
        ),
    )
    cancelled = commitment(
        "cancelled",
        "api/recommendation clause, cancelled",
        status="draft",
        kind="clause",
        agreement_id=recommendations,
        clause="Recommendation 5",
        lead_party_id=p["OIC"],
        text=texts(en="Set up a joint website on cooperation", authentic="en"),
    )
    suspended = commitment(
        "suspended",
        "api/framework, suspended",
        agreement_id=framework,
        lead_party_id=p["ICESCO"],
        supporting_party_ids=[p["OIC"]],
        due={"precision": "quarter", "value": "2025-Q2"},
        text=texts(
            "إطلاق منصة رقمية للتعليم عن بعد",
            "Launch a digital distance-learning platform",
            "Lancer une plateforme numérique d'enseignement à distance",
        ),
    )
    mou_one = commitment(
        "mou_one",
        "api/mou, themes, weight, due revised",
        agreement_id=mou,
        lead_party_id=p["UNDP"],
        supporting_party_ids=[p["OIC"]],
        weight=3,
        due={"precision": "month", "value": "2027-06"},
        text=texts(
            "إعداد تقرير إقليمي عن التمكين الاقتصادي للمرأة",
            "Prepare a regional report on women's economic empowerment",
            "Préparer un rapport régional sur l'autonomisation économique des femmes",
            "en",
        ),
    )
    commitment(
        "due_soon",
        "api/due soon",
        lead_party_id=p["SESRIC"],
        due={"precision": "day", "value": (date.today() + timedelta(days=20)).isoformat()},
        text=texts(
            "نشر التقرير الإحصائي السنوي عن الدول الأعضاء", "Publish the annual statistical yearbook of member states"
        ),
    )
    corrected = commitment(
        "corrected",
        "api/corrected",
        lead_party_id=p["IOFS"],
        due={"precision": "month", "value": "2023-09"},
        text=texts("عقد ورشة إقليمية حول سلاسل الإمداد الغذائي", "Hold a regional workshop on food supply chain"),
    )
    replaced = commitment(
        "superseded",
        "api/superseded",
        lead_party_id=p["OIC"],
        text=texts("عقد اجتماع للخبراء حول المالية الإسلامية", "Convene an expert meeting on Islamic finance"),
    )

    api.post(f"/commitments/{row1}/start")
    report = api.call("POST", "/files", files={"file": ("تقرير الورشة الثانية.pdf", WORKSHOP_REPORT)}, expect=(201,))
    api.corpus.add(report)  # its name is a record text
    cited = {"sha256": report["sha256"], "name": report["name"]}
    api.post(
        f"/commitments/{row1}/progress",
        {
            "percent": 40,
            "note": "أُنجزت ورشتان من خمس ورش مقررة",
            "evidence": [{"title": "تقرير الورشة الثانية", "url": "https://www.sesric.org/workshops/2", "file": cited}],
        },
    )
    api.post(f"/commitments/{row1}/comments", {"text": "التقرير مرفق", "language": "ar", "files": [cited]})
    api.post(
        f"/meetings/{a}/documents",
        {"text": "تقرير الورشة الثانية", "language": "ar", "title": "تقرير الورشة الثانية", "file": cited},
    )
    scoped.post(
        f"/commitments/{row1}/progress",
        {"percent": 55, "note": "Third workshop held in Ankara", "evidence": [{"title": "Workshop 3 report"}]},
    )
    scoped.call("POST", f"/commitments/{stalled}/progress", {"percent": 10}, expect=(403,))  # outside its parties
    api.post(
        f"/commitments/{row2}/deliver",
        {
            "evidence": [{"title": "Forum proceedings", "url": "https://www.iofs.org.kz/forum-2024"}],
            "delivered_on": "2024-09-05",
            "note": "عُقد المنتدى في سبتمبر 2024",
        },
    )
    api.post(f"/commitments/{row2}/assess", {"outcome": "fulfilled", "reason": "تحقق الهدف كاملا"})
    api.post(f"/commitments/{stalled}/stall", {"reason": "لم تُخصَّص الموارد بعد"})
    api.post(f"/commitments/{cancelled}/cancel", {"reason": "superseded by the OIC portal"})
    api.post(
        f"/commitments/{suspended}/suspend",
        {"decision_reference": "قرار المجلس التنفيذي رقم 12/2024", "reason": "بانتظار التمويل"},
    )
    api.post(
        f"/commitments/{mou_one}/due",
        {
            "due": {"precision": "month", "value": "2027-12"},
            "reason": "Report delayed at the request of the regional bureau",
        },
    )
    api.post(
        f"/commitments/{corrected}/correction",
        {
            "text": texts(
                "عقد ورشة إقليمية حول سلاسل الإمداد الغذائي",
                "Hold a regional workshop on food supply chains",
                "Tenir un atelier régional sur les chaînes d'approvisionnement alimentaire",
            ),
            "reason": "Le texte anglais comportait une faute",
        },
    )
    for code, names in (
        ("sdg-2", texts("القضاء التام على الجوع", "Zero hunger", "Faim « zéro »", "en")),
        ("sdg-4", texts("التعليم الجيد", "Quality education", "Éducation de qualité", "en")),
        ("sdg-5", texts("المساواة بين الجنسين", "Gender equality", "Égalité entre les sexes", "en")),
    ):
        api.post("/themes", {"code": code, "names": names})
    api.call("POST", "/themes/sdg-5/retire", {}, expect=(200,))
    api.put(f"/commitments/{row1}/themes", {"themes": ["sdg-2", "sdg-4"]})
    api.put(f"/commitments/{mou_one}/themes", {"themes": ["sdg-4"]})

    # -- a recurring commitment, rescheduled
    rule = api.post(
        "/recurrences",
        {
            "meeting_id": a,
            "lead_party_id": p["OIC"],
            "supporting_party_ids": [p["UN"]],
            "every": "كل ستة أشهر",
            "until": "2027-12-31",
            "status": "agreed",
            "text": texts(
                "تقديم تقرير نصف سنوي عن تنفيذ مصفوفة الأنشطة المشتركة",
                "Report every six months on the implementation of the matrix",
                "Rendre compte tous les six mois de la mise en œuvre de la matrice",
            ),
        },
    )
    d.ids["recurrence"] = d.tag(rule["id"], "recurrence/api, rescheduled")
    api.put(f"/recurrences/{rule['id']}/schedule", {"every": "سنوياً", "reason": "طلب الاجتماع السادس عشر تقارير سنوية"})
    for item in api.get(f"/recurrences/{rule['id']}")["occurrences"]:
        d.tag(item["commitment_id"], "commitment/recurrence occurrence")

    # -- the series' rhythm, then the 16th session held: the follow-up fulfilled, the 17th expected
    api.put(f"/series/{SERIES}/rhythm", {"every": "مرة كل سنتين", "organiser_party_id": p["OIC"]})
    b = d.ids["meeting16"] = d.tag(
        api.made(
            "/meetings",
            {
                "title": texts(
                    "الدورة السادسة عشرة للاجتماع العام للتعاون بين الأمم المتحدة ومنظمة التعاون الإسلامي",
                    "16th General Meeting on Cooperation between the UN and the OIC",
                ),
                "kind": "general_meeting",
                "series": SERIES,
                "session_number": 16,
                "scheduled": {"starts_on": "2024-05-06", "ends_on": "2024-05-08"},
                "venue": {
                    "name": "مقر المنظمة الإسلامية للأمن الغذائي",
                    "city": "أستانا",
                    "country": "كازاخستان",
                    "time_zone": "Asia/Almaty",
                },
                "participants": [
                    {"party_id": p["UN"], "role": "co_chair"},
                    {"party_id": p["OIC"], "role": "co_chair"},
                    {"party_id": p["IOFS"], "role": "host"},
                    {"party_id": p["SESRIC"]},
                ],
            },
        ),
        "meeting/api, held, series 16, import target",
    )
    api.post(f"/meetings/{b}/held", {"starts_on": "2024-05-06", "ends_on": "2024-05-08"})
    for awaited in api.get(f"/series/{SERIES}")["awaiting"]:
        d.ids["generated"] = d.tag(awaited, "commitment/series rhythm, generated follow-up")
        corpus.add(api.get(f"/commitments/{awaited}")["text"])  # a record's text, written by the service
    successor = commitment(
        "successor",
        "api/successor at the 16th",
        meeting_id=b,
        lead_party_id=p["OIC"],
        supporting_party_ids=[p["IOFS"]],
        due={"precision": "year", "value": "2027"},
        text=texts(
            "عقد اجتماع للخبراء حول المالية الإسلامية والأمن الغذائي",
            "Convene an expert meeting on Islamic finance and food security",
        ),
    )
    api.post(
        f"/commitments/{replaced}/supersede",
        {"new_commitment_id": successor, "meeting_id": b, "reason": "Widened at the 16th session"},
    )

    # -- escalation: SESRIC's own ladder; contacts; a subscription; a calendar feed through the API
    api.put(
        f"/parties/{p['SESRIC']}/escalation-ladder",
        {
            "steps": [{"days": 0, "to": "lead_party"}, {"days": 14, "to": "parent_organisation"}],
            "reason": "قرار المكتب التنفيذي لسيسرك",
        },
    )
    subscription = admin.post(
        "/subscriptions",
        {
            "url": receiver_url,
            "kinds": ["overdue", "escalated", "lifecycle", "due_soon", "review_due"],
            "party_ids": [],
            "description": "نظام التذاكر في الأمانة العامة",
        },
    )
    d.ids["subscription"] = d.tag(subscription["id"], "subscription/api, delivered")
    admin.post("/calendars", {})

    def through(door: str, work: Any) -> Any:
        """A door's step; when it fails, the deployment goes on without it, and says so."""
        try:
            return work()
        except Exception as error:  # noqa: BLE001 - reported with the findings
            d.failures.append((door, f"{type(error).__name__}: {str(error)[:600]}"))
            return None

    reader = ApiDoor(url, secrets["auditor"], corpus)

    # -- the recording flow, through its forms: a party met on the way, the meeting, its matrix, its commitments
    coordinator_web = WebDoor(url, corpus)
    coordinator_web.sign_in(secrets["coordinator"])
    isdb_names = {
        "name_ar": "البنك الإسلامي للتنمية",
        "name_en": "Islamic Development Bank",
        "name_fr": "Banque islamique de développement",
        "name_authentic": "ar",
    }

    step: dict[str, httpx.Response] = {}

    def record_party() -> str:
        page = coordinator_web.open("/app/record")
        page = submit(coordinator_web, page, "//form[.//input[@name='add']]", {"add": "SESRIC"}, "/record/add")
        step["page"] = submit(
            coordinator_web,
            page,
            "//form[.//input[@name='acronym']]",
            {"acronym": "IsDB", **isdb_names, "party_kind": "international_organisation"},
            "/record/party",
        )
        return str(reader.get("/parties", q="IsDB")["items"][0]["id"])

    isdb = through("recording flow: a party recorded on the way (POST /app/record/party)", record_party)
    if isdb is None:  # the rest of the flow needs it: registered through the API instead
        found = reader.get("/parties", q="IsDB")["items"]
        isdb = (
            found[0]["id"]
            if found
            else api.made(
                "/parties",
                {
                    "names": texts(isdb_names["name_ar"], isdb_names["name_en"], isdb_names["name_fr"]),
                    "acronym": "IsDB",
                    "kind": "international_organisation",
                },
            )
        )
        d.notes.append("IsDB was registered through the API: the recording flow's party form failed")
    d.parties["IsDB"] = d.tag(isdb, "party/recording flow")

    def record_meeting() -> str:
        page = step.get("page") or coordinator_web.open(f"/app/record?with={p['SESRIC']}&with={isdb}")
        page = submit(
            coordinator_web,
            page,
            "//form[.//input[@name='title_ar']]",
            {
                "title_ar": "الاجتماع التنسيقي السنوي بين البنك الإسلامي للتنمية وسيسرك",
                "title_en": "Annual coordination meeting of IsDB and SESRIC",
                "title_authentic": "ar",
                "kind": "bilateral_talk",
                "series": "isdb-sesric-coordination",
                "session_number": "7",
                "starts_on": "2024-10-21",
                "ends_on": "2024-10-21",
                "venue_name": "مقر المركز",
                "venue_city": "أنقرة",
                "venue_country": "تركيا",
                "time_zone": "Europe/Istanbul",
                "participant": [p["SESRIC"], isdb],
                f"role_{p['SESRIC']}": "co_chair",
                f"role_{isdb}": "co_chair",
                f"person_{isdb}": "د. محمد الجاسر",
            },
        )
        recorded = re.search(r"/app/record/([0-9a-f-]{36})", str(page.url))
        if not recorded:
            raise Refused(f"the meeting form did not lead to its next step: {_page_words(page.text)[:500]}")
        return recorded.group(1)

    c = through("recording flow: the meeting (POST /app/record/meeting)", record_meeting)
    if c is not None:
        d.ids["meeting_recorded"] = d.tag(c, "meeting/recording flow")

        def record_matrix() -> str:
            coordinator_web.post(
                f"/app/record/{c}/agreement",
                {
                    "title_ar": "خطة العمل المشتركة للإحصاءات الزراعية 2025",
                    "title_en": "Joint action plan on agricultural statistics 2025",
                    "title_authentic": "ar",
                    "kind": "action_matrix",
                    "adopted_by": [p["SESRIC"], isdb],
                    "row1_activity_ar": "برنامج تدريبي مشترك حول الإحصاءات الزراعية",
                    "row1_activity_en": "Joint training programme on agricultural statistics",
                    "row1_activity_authentic": "ar",
                    "row1_lead": p["SESRIC"],
                    "row1_partners": [isdb],
                    "row1_precision": "quarter",
                    "row1_value": "2025-Q1",
                    "row2_activity_ar": "تمويل الدورات التدريبية",
                    "row2_activity_authentic": "ar",
                    "row2_lead": isdb,
                    "row2_precision": "year",
                    "row2_value": "2025",
                },
            )
            made = str(reader.get("/agreements", meeting=c)["items"][0]["id"])
            d.ids["recorded_matrix"] = d.tag(made, "agreement/action_matrix/recording flow")
            d.agreement_kinds[made] = "action_matrix"
            return made

        matrix_made = through("recording flow: its matrix (POST /app/record/{id}/agreement)", record_matrix)
        if matrix_made is not None:
            through(
                "recording flow: a commitment of every row (POST …/commitments)",
                lambda: coordinator_web.post(f"/app/record/{c}/agreements/{matrix_made}/commitments", {}),
            )
            through(
                "recording flow: a row added (POST …/rows)",
                lambda: coordinator_web.post(
                    f"/app/record/{c}/agreements/{matrix_made}/rows",
                    {
                        "row_activity_ar": "نشر دليل منهجي للإحصاءات الزراعية",
                        "row_activity_en": "Publish a methodological guide",
                        "row_activity_authentic": "ar",
                        "row_lead": p["SESRIC"],
                        "row_precision": "year",
                        "row_value": "2026",
                    },
                ),
            )
        through(
            "recording flow: a follow-up session (POST /app/record/{id}/commitment)",
            lambda: coordinator_web.post(
                f"/app/record/{c}/commitment",
                {
                    "text_ar": "عقد الاجتماع التنسيقي المقبل في جدة سنة 2025",
                    "text_en": "Hold the next coordination meeting in Jeddah in 2025",
                    "text_authentic": "ar",
                    "kind": "follow_up_session",
                    "status": "agreed",
                    "lead_party_id": isdb,
                    "supporting_party_ids": [p["SESRIC"]],
                    "source": "",
                    "due_precision": "year",
                    "due_value": "2025",
                    "follow_up_series": "",
                    "follow_up_session": "8",
                    "quote_ar": "كما اتفقا على عقد الاجتماع التنسيقي المقبل في جدة سنة 2025",
                    "quote_authentic": "ar",
                },
            ),
        )
        for item in reader.get("/commitments", meeting=c)["items"]:
            label = "recording flow, follow-up" if item["kind"] == "follow_up_session" else "recording flow, matrix row"
            d.ids.setdefault("recorded_row" if "row" in label else "recorded_follow_up", item["id"])
            d.tag(item["id"], f"commitment/{label}")

    def report_progress() -> None:
        target = d.ids.get("recorded_row") or row1
        page = coordinator_web.open(f"/app/commitments/{target}")
        version = parse(page.text).xpath("//form[contains(@action, '/report_progress')]//input[@name='version']")
        coordinator_web.post(
            f"/app/commitments/{target}/report_progress",
            {
                "version": version[0].get("value") if version else "",
                "percent": "25",
                "note": "Première session de formation tenue à Ankara",
                "evidence_title_1": "Liste des participants",
                "evidence_url_1": "https://www.sesric.org/training/agri-stats",
            },
        )

    through("a commitment's page: progress reported (POST /app/commitments/{id}/report_progress)", report_progress)

    # -- a matrix imported from a CSV file on its page (read, then stored), corrected by an XLSX file through the API
    imported = agreement(
        "imported",
        "action_matrix",
        {
            "meeting_id": b,
            "adopted_by": [p["UN"], p["OIC"], p["IOFS"]],
            "title": texts(
                "مصفوفة الأنشطة المشتركة للأمن الغذائي 2024–2026",
                "Joint activities on food security 2024–2026",
                "Activités conjointes sur la sécurité alimentaire 2024–2026",
            ),
        },
        "imported from CSV and XLSX",
    )
    corpus.add(IMPORT_HEADERS, IMPORT_ROWS, "مصفوفة-الأمن-الغذائي.csv")

    def import_csv() -> None:
        coordinator_web.open(f"/app/agreements/{imported}/import")
        data = csv_of(IMPORT_HEADERS, IMPORT_ROWS)
        dry = coordinator_web.post(
            f"/app/agreements/{imported}/import",
            {"status": "agreed", "language": "en"},
            files={"file": ("مصفوفة-الأمن-الغذائي.csv", data, "text/csv")},
        )
        confirm = form_fields(dry.text, "//form[.//input[@name='apply']]")
        if not confirm:
            raise Refused(f"the dry run offers no confirmation: {_page_words(dry.text)[:600]}")
        coordinator_web.post(f"/app/agreements/{imported}/import", confirm)
        if not reader.get("/commitments", agreement=imported)["items"]:
            raise Refused("the confirmed import stored no row")

    through("the import page: a CSV file read, then stored (POST /app/agreements/{id}/import)", import_csv)
    corpus.add(
        "matrix-revised.xlsx",
        "Joint activities on food security — revised",
        "Set up a regional food security reserve (phase I)",
        "ورشة عمل حول الحد من الفاقد الغذائي",
        "Workshop on reducing food loss",
        "FAO",
        "Q4 2025",
    )

    def import_xlsx() -> None:
        workbook = corrected_xlsx()
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        plan = api.call(
            "POST", f"/agreements/{imported}/imports", files={"file": ("matrix-revised.xlsx", workbook, kind)}
        )["plan"]
        api.call(
            "POST",
            f"/agreements/{imported}/imports",
            files={"file": ("matrix-revised.xlsx", workbook, kind)},
            data={"dry_run": "false", "status": "agreed", "plan": plan},
        )

    through("the import API: an XLSX file correcting the rows (POST /agreements/{id}/imports)", import_xlsx)
    for item in reader.get("/commitments", agreement=imported)["items"]:
        clause = item["provenance"].get("clause") or ""
        label = "CSV import, corrected by XLSX" if clause in ("row 1", "row 2") else "XLSX import"
        d.tag(item["id"], f"commitment/{label}")
        d.ids.setdefault("imported_" + ("csv" if "CSV" in label else "xlsx"), item["id"])

    # -- drafts from reports: one on the page (read, corrected, confirmed), one through the API
    corpus.add(QATAR_REPORT, CFM_REPORT)

    def draft_on_the_page() -> None:
        coordinator_web.open("/app/drafts")
        draft = coordinator_web.post("/app/drafts", {"text": QATAR_REPORT, "published_on": "2024-05-13"})
        fields = form_fields(draft.text, "//form[@id='confirmation']")
        refs = [v for n, v in fields if n.startswith("p") and n.endswith("_ref")]
        filled: list[tuple[str, str]] = []
        for name, value in fields:
            if re.fullmatch(r"c\d+_lead", name) and not value:
                value = refs[0] if refs else p["OIC"]  # the coordinator names who leads each promise
            if name == "status":
                value = "agreed"
            filled.append((name, value))
        done = coordinator_web.post("/app/drafts/confirm", filled)
        drafted = re.search(r"/app/meetings/([0-9a-f-]{36})", str(done.url))
        if not drafted:
            raise Refused(f"the confirmation did not record the meeting: {_page_words(done.text)[:400]}")
        d.ids["meeting_drafted_page"] = d.tag(drafted.group(1), "meeting/draft on the page")
        for item in reader.get("/commitments", meeting=drafted.group(1))["items"]:
            d.tag(item["id"], "commitment/draft on the page")
        found = reader.get("/parties", q="UNESCO")["items"]
        if found:
            d.parties["UNESCO"] = d.tag(found[0]["id"], "party/registered by a draft")

    through(
        "the draft page: a report read, corrected and confirmed (POST /app/drafts, /app/drafts/confirm)",
        draft_on_the_page,
    )

    def draft_through_the_api() -> None:
        confirmation = api.post("/drafts", {"text": CFM_REPORT, "published_on": "2023-03-18"})["confirmation"]
        confirmation["status"] = "agreed"
        for item in confirmation["commitments"] + confirmation["follow_ups"]:
            item["lead"] = item.get("lead") or p["OIC"]
        confirmed = api.post("/drafts/confirm", confirmation)
        d.ids["meeting_drafted_api"] = d.tag(confirmed["meeting_id"], "meeting/draft through the API")
        for made in confirmed.get("agreements", []):
            kind = api.get(f"/agreements/{made}")["kind"]
            d.agreement_kinds[made] = kind
            d.tag(made, f"agreement/{kind}/draft through the API")
        for made in confirmed.get("commitments", []) + confirmed.get("follow_ups", []):
            d.tag(made, "commitment/draft through the API")

    through("the drafts API: a report read and confirmed (POST /drafts, /drafts/confirm)", draft_through_the_api)

    # -- through the pages: a contact, a subscription paused, a calendar feed; refusals for the audit page
    def subscribe_and_pause() -> None:
        admin_web.post(
            "/app/admin/subscriptions",
            {
                "url": receiver_url + "/undp",
                "kinds": ["review_due", "due_soon"],
                "party_ids": [p["UNDP"]],
                "description": "UNDP regional bureau",
            },
        )
        paused = next(s for s in admin.get("/subscriptions")["items"] if s.get("description") == "UNDP regional bureau")
        d.tag(paused["id"], "subscription/made and paused on the page")
        admin_web.post(f"/app/admin/subscriptions/{paused['id']}/pause", {})

    through("the subscriptions page: one made, then paused (POST /app/admin/subscriptions…)", subscribe_and_pause)
    through(
        "the calendar page: a feed (POST /app/calendar)",
        lambda: coordinator_web.post("/app/calendar", {"party_id": p["SESRIC"]}),
    )

    def refused() -> None:
        auditor_web = WebDoor(url, corpus)
        auditor_web.sign_in(secrets["auditor"])
        auditor_web.post(f"/app/commitments/{row1}/report_progress", {"percent": "90"}, expect=(403,))
        WebDoor(url, corpus).sign_in("cmk_not-a-key-anyone-was-given", expect=401)

    through("refusals: an auditor's write, an unknown key (the audit page lists them)", refused)

    def published() -> None:
        """The matrix, the series of general meetings and SESRIC's commitments, on the public portal."""
        for subject, key, folder in (
            ("agreement", matrix, "agreements"),
            ("series", SERIES, "series"),
            ("party", p["SESRIC"], "parties"),
        ):
            admin.put(f"/publications/{subject}/{key}", {"reason": "adopted in public session"})
            d.public_paths.append(f"/public/{folder}/{key}")

    through("publications: an agreement, a series and a party's commitments on the public portal", published)
    corpus.add(list(d.key_names.values()))
    d.timings["recorded"] = time.monotonic() - started

    # -- the clock's facts, webhooks and digests: a worker, until everything has happened
    auditor = ApiDoor(url, secrets["auditor"], corpus)
    worker = subprocess.Popen(
        [*COMMAND, "worker", "--database-url", database_url, "--interval", "1"],
        cwd=work_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            **worker_env,
            "COMMITMENTS_DIGEST_INTERVAL": "1",
        },
    )
    try:

        def waiting_for(*what: str) -> list[str]:
            waiting = []
            if "facts" in what:
                if auditor.get("/commitments", escalated="true", limit=1)["total"] < 5:
                    waiting.append("escalations")
                if auditor.get("/commitments", due_soon="true", limit=1)["total"] < 1:
                    waiting.append("due soon")
                if auditor.get("/commitments", review_due="true", limit=1)["total"] < 1:
                    waiting.append("review due")
                if not any(
                    x["status"] == "succeeded"
                    for x in admin.get(f"/subscriptions/{subscription['id']}/deliveries", limit=200)["items"]
                ):
                    waiting.append("webhook deliveries")
            if "settled" in what and any(
                x["status"] == "pending"
                for x in admin.get(f"/subscriptions/{subscription['id']}/deliveries", limit=200)["items"]
            ):
                waiting.append("pending webhook deliveries")
            if "digests" in what:
                for party in ("SESRIC", "OIC"):
                    if not any(
                        x["status"] in ("sent", "empty", "failed") for x in api.get(f"/parties/{p[party]}/digests")
                    ):
                        waiting.append(f"{party}'s digest")
            return waiting

        def wait(*what: str) -> None:
            try:
                wait_for(lambda: not waiting_for(*what), 60, f"the worker to bring {', '.join(what)}")
            except TimeoutError:
                d.notes.append(f"the worker had not brought, after 60 s: {', '.join(waiting_for(*what))}")

        wait("facts")
        # the contacts, once there is something to tell them: each hears once per period
        api.post(
            f"/parties/{p['SESRIC']}/contacts",
            {"name": "د. أمينة الحسيني", "address": "focal.point@sesric.org", "language": "ar", "frequency": "daily"},
        )
        through(
            "a party's page: a contact (POST /app/parties/{id}/contacts)",
            lambda: admin_web.post(
                f"/app/parties/{p['OIC']}/contacts",
                {
                    "name": "Jean-Baptiste Ndiaye",
                    "address": "jb.ndiaye@oic-oci.org",
                    "language": "fr",
                    "frequency": "weekly",
                },
            ),
        )
        wait("digests", "settled")  # and the last deliveries' outcomes recorded
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        d.worker_output = output or ""
    for address, language in (("focal.point@sesric.org", "ar"), ("jb.ndiaye@oic-oci.org", "fr")):
        for message in mailbox.to(address):
            body = message.get_body(("plain",))
            found = re.search(r"/app/unsubscribe/[A-Za-z0-9_.~=-]+", body.get_content() if body else "")
            if found:
                d.unsubscribe_paths[language] = found.group(0)
            acting = re.search(r"/app/act/[A-Za-z0-9_-]+", body.get_content() if body else "")
            if acting:
                d.act_paths[language] = acting.group(0)
    if "ar" not in d.unsubscribe_paths:
        d.notes.append(f"no Arabic digest with an unsubscribe link arrived ({len(mailbox.messages)} messages)")
    d.timings["worker"] = time.monotonic() - started - d.timings["recorded"]
    return d

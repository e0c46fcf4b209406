"""Rendering a page for a visitor: the context every template gets, and the names of parties."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from api import problems
from api.web import i18n
from api.web.forms import Kept
from api.web.labels import N_, labeller, reason_shower, webhook_typer
from api.web.refusals import sayer
from api.web.rendering import render
from api.web.visitors import Visitor
from application.errors import NotFound
from application.listing.exports import TEXT_LANGUAGES
from application.tracker import Tracker
from domain.commitments.due import Precision, RelativeUnit
from domain.commitments.lifecycle import Status
from domain.parties.action_links import linked_contact

SECURITY_HEADERS = {
    # Pages load only their own styles, script and images; no page may be framed.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class PartyNames:
    """The parties a page names, each read once per page."""

    def __init__(self, tracker: Tracker, language: str) -> None:
        self.tracker = tracker
        self.language = language
        self.known: dict[str, dict[str, Any] | None] = {}
        self.contacts: dict[str, str | None] = {}

    def party(self, party_id: str | UUID | None) -> dict[str, Any] | None:
        key = str(party_id)
        if key not in self.known:
            try:
                view = self.tracker.parties.get(key)
                name = i18n.shown(view.names, self.language)
                self.known[key] = {
                    "id": key,
                    "acronym": view.acronym,
                    "name": name,
                    "label": view.acronym or (name.text if name else view.label),
                }
            except (NotFound, ValueError):
                self.known[key] = None
        return self.known[key]

    def contact(self, party_id: UUID, contact_id: UUID) -> str | None:
        """The name of a party's contact (None: it was removed since)."""
        key = f"{party_id}/{contact_id}"
        if key not in self.contacts:
            try:
                found = self.tracker.parties.get(party_id).contacts
            except (NotFound, ValueError):
                found = []
            self.contacts[key] = next((c["name"] for c in found if c["id"] == str(contact_id)), None)
        return self.contacts[key]


class RecordNames:
    """The name a timeline gives each record an event belongs to (a commitment's text, a meeting's or an
    agreement's title, a party's names), each read once per page."""

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self.known: dict[str, dict[str, Any] | None] = {}

    def __call__(self, kind: str, record_id: str) -> dict[str, Any] | None:
        if record_id not in self.known:
            read = {
                "Commitment": lambda: self.tracker.commitments.get(record_id).text,
                "Meeting": lambda: self.tracker.meetings.get(record_id).title,
                "Agreement": lambda: self.tracker.agreements.get(record_id).title,
                "Party": lambda: self.tracker.parties.get(record_id).names,
            }.get(kind)
            try:
                self.known[record_id] = read() if read else None
            except (NotFound, ValueError):
                self.known[record_id] = None
        return self.known[record_id]


class ActorNames:
    """Who recorded an event, as a reader knows them: a person by their name, a key by its name, the service's own
    actors in the reader's words; the keys are read once per page."""

    def __init__(
        self,
        keys: Any,
        label: Callable[[str, str | None], str],
        parties: "PartyNames",
        say: Callable[[str], str],
        people: Callable[[str], str | None] = lambda _: None,
    ) -> None:
        self.keys = keys
        self.people = people
        self.label = label
        self.parties = parties
        self.say = say
        self.names: dict[str, str] | None = None
        self.person_names: dict[str, str] = {}

    def __call__(self, actor: str | None) -> str:
        if not actor:
            return ""
        linked = linked_contact(actor)
        if linked is not None:  # a party's contact, through its e-mail's link
            party = self.parties.party(linked[0])
            contact = self.parties.contact(*linked)
            return self.say(N_("%(name)s of %(party)s, by a link of their e-mail")) % {
                "name": contact or self.say(N_("a contact")),
                "party": party["label"] if party else linked[0],
            }
        if actor.startswith("person:"):  # a person, by their name as it is now (an erased one is said so)
            if actor not in self.person_names:
                self.person_names[actor] = self.people(actor) or self.say(N_("an erased person"))
            return self.person_names[actor]
        if actor.startswith("organisation:"):
            return self.say(N_("their organisation's identity provider"))
        if actor.startswith("key_"):
            if self.names is None:
                self.names = {info.id: info.name for info in self.keys.list()}
            return self.names.get(actor, actor)
        return self.label("actor", actor)


# What a form's file field offers to choose (the service reads the type from the bytes: ``domain.evidence_files``).
ACCEPTED_FILES = (
    ".pdf,.doc,.docx,.odt,.rtf,.xls,.xlsx,.ods,.ppt,.pptx,.odp,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff,.txt,"
    "application/pdf,image/png,image/jpeg,image/gif,image/webp,image/tiff,text/plain"
)


def actor_names(
    services: Any,
    language: str,
    label: Callable[[str, str | None], str] | None = None,
    parties: PartyNames | None = None,
) -> ActorNames:
    """Who recorded events, in ``language``: for a page (its labeller and parties, read once per page) or an export."""
    say = i18n.translations(language).gettext
    return ActorNames(
        services.keys,
        label or labeller(say),
        parties or PartyNames(services.tracker, language),
        say,
        services.people.name_of,
    )


def context(request: Request, visitor: Visitor, **values: Any) -> dict[str, Any]:
    language = visitor.language
    services = request.state.services
    tracker = services.tracker
    label = labeller(i18n.translations(language).gettext)
    party_names = PartyNames(tracker, language)
    return {
        "request": request,
        "base": request.scope.get("root_path", ""),
        "path": request.url.path,
        "query": request.url.query,
        "visitor": visitor,
        "lang": language,
        "dir": i18n.direction(language),
        "f": visitor.formats,
        "t": lambda text: i18n.shown(text, language),
        "parties": party_names,
        "csrf": visitor.session.csrf if visitor.session else "",
        "statuses": [s.value for s in Status],
        "blank": Kept(),
        "text_languages": TEXT_LANGUAGES,
        "precisions": [p.value for p in Precision],
        "units": [u.value for u in RelativeUnit],
        "label": label,
        "language_name": i18n.language_name(language),
        "actor": actor_names(services, language, label, party_names),
        "record_name": RecordNames(tracker),
        "webhook_type": webhook_typer(label),
        "reason_shown": reason_shower(i18n.translations(language).gettext),
        "said": sayer(language),
        "file_megabytes": services.settings.evidence_file_max_bytes // (1024 * 1024),
        "accepted_files": ACCEPTED_FILES,
        **values,
    }


def page(request: Request, visitor: Visitor, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = render(visitor.language, template, context(request, visitor, **values))
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def attempt(work: Callable[[], Response], refused: Callable[[int, dict[str, Any]], Response]) -> Response:
    """What ``work`` answers; when its use case refuses, ``refused(status, refusal)`` shows the form
    again with the rule's own words and the status the JSON API would give. A refusal of the key
    itself (401, 403) is answered as on any page, and logged."""
    try:
        return work()
    except problems.HANDLED as error:
        status, _, title = problems.classify(error) or (422, "invalid-value", "A value is not valid")
        if status in (401, 403):
            raise
        return refused(
            status,
            {
                "title": title,
                "detail": getattr(error, "detail", str(error)),
                "template": getattr(error, "template", None),
                "values": getattr(error, "values", {}),
                "field": getattr(error, "field", None),
            },
        )


def error_page(request: Request, visitor: Visitor, status: int, title: str, detail: Any) -> HTMLResponse:
    """``detail``: the error (its words are said in the reader's language), or words of the page's own."""
    words = sayer(visitor.language)(detail)
    return page(request, visitor, "error.html", status, status_code=status, title=title, detail=words)

"""Every door of the service asks the application who may pass (``application.policy``), except the few
open by design, listed here once with their own rule.

A route of the JSON API or a page turns the request's credentials into an actor (``api.dependencies.
authenticate``, ``api.web.visitors.signed_in``; both ask ``policy.reads``) and calls use cases that ask
their own rule. ``PolicyWatch`` keeps that true: a response that would succeed (under 400) from a route
that is not an open door and asked no rule, or that changes something (any method but GET and HEAD) and
asked no rule beyond reading, is not sent; the service answers 500 and logs the route, so a door added
without asking the policy serves nothing (the test suite, which uses every door, finds it)."""

import json
import logging

from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application import doors, policy

log = logging.getLogger("commitments.doors")

OPEN_DOORS: dict[str, str] = {
    "GET /": "sends people to the pages",
    "GET /health": "says the process runs; reads no record",
    "GET /ready": "says whether the database answers; reads no record",
    "GET /status": "says whether the deployment's jobs tick and its chain is intact, as /ready did; reads no record",
    "GET /docs": "the API's documentation (when the deployment shows it)",
    "GET /openapi.json": "the API's description",
    "GET /feeds/{token}.ics": "a calendar feed: its secret address is the credential (application.listing.calendars)",
    "GET /app/sign-in": "the form that turns a key into a session",
    "POST /app/sign-in": "turns a key into a session (refusals are counted: api.web.pages.signing)",
    "GET /app/welcome/{token}": "the form to choose a password, or what became of the link: the invitation's token "
    "is the credential (POST asks)",
    "POST /app/welcome/{token}": "a password chosen: the invitation's token is the credential, and the use case "
    "asks policy.follows_link (then signs the person in)",
    "GET /app/sign-in/code": "the form for a person's second factor (POST asks)",
    "POST /app/sign-in/code": "a person's second factor: the signed step their password reached and the code are the "
    "credential (refusals counted, the account held after repeated ones: application.access.people)",
    "GET /app/sign-in/second-factor": "a person who must have a second factor sets one up: the signed step their "
    "password reached is the credential",
    "POST /app/sign-in/second-factor": "the same, confirmed by a code of the new authenticator",
    "GET /app/sign-in/organisation": "sends the person to their organisation's identity provider (OpenID Connect)",
    "GET /app/sign-in/organisation/back": "the provider's answer: its checked ID token is the credential, and the use "
    "case asks policy.signs_in_through_organisation",
    "GET /app/sign-in/reset": "the form to ask for a link to choose a new password",
    "POST /app/sign-in/reset": "e-mails such a link to the address if it is an account's (the same answer for any "
    "address; asks counted with refusals)",
    "GET /app/account": "the visitor's own account; a person's second factor is asked of policy.own_account",
    "POST /app/sign-out": "ends the visitor's own session",
    "GET /app/language/{language}": "the visitor's choice of language, kept in a cookie",
    "GET /app/digits": "the visitor's choice of digits, kept in a cookie",
    "GET /app/hijri": "the visitor's choice of calendar, kept in a cookie",
    "GET /app/unsubscribe/{token}": "a signed link from a digest: the signature is the credential",
    "POST /app/unsubscribe/{token}": "a signed link from a digest: the signature is the credential",
    "GET /app/act/{token}": "a focal point's signed link from a digest: the signature is the credential, and the "
    "use case asks policy.follows_link (application.participation.focal_points)",
    "POST /app/act/{token}": "a focal point's signed link from a digest: the signature is the credential, and the "
    "use case asks policy.follows_link, then the commitment's own rules as its party",
    "GET /app/static": "the pages' style sheets, scripts and fonts",
}
WRITING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def forgotten(method: str, name: str, asked: list[str]) -> bool:
    """Whether a door that is about to succeed failed to ask the policy what it needed to."""
    if name in OPEN_DOORS:
        return False
    if method in WRITING:
        return not any(rule != "reads" for rule in asked)
    return not asked


class PolicyWatch:
    """Refuses to send the success of a door that asked no rule of the policy (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        outer = scope.get("root_path", "")
        withheld = False

        async def sending(message: Message) -> None:
            nonlocal withheld
            if withheld:
                return
            if message["type"] == "http.response.start" and message["status"] < 400:
                route = scope.get("route")
                if isinstance(route, APIRoute) and scope["method"] in (route.methods or ()):  # not OPTIONS, 405
                    prefix = scope.get("root_path", "")[len(outer) :]  # where the route's app is mounted
                    name = f"{scope['method']} {prefix}{route.path}"
                    if forgotten(scope["method"], name, asked):
                        withheld = True
                        log.error("the door %s answered without asking the policy; nothing was sent", name)
                        body = json.dumps(
                            {
                                "type": "about:blank",
                                "title": "Internal Server Error",
                                "status": 500,
                                "detail": "this door does not ask who may pass; nothing was sent",
                            }
                        ).encode()
                        await send(
                            {
                                "type": "http.response.start",
                                "status": 500,
                                "headers": [(b"content-type", b"application/problem+json")],
                            }
                        )
                        await send({"type": "http.response.body", "body": body})
                        return
            await send(message)

        with policy.asking() as asked:
            await self.app(scope, receive, sending)


LINK_PAGES = ("/app/act/", "/app/unsubscribe/", "/app/welcome/")  # a link from an e-mail (or the operator's)


class ThroughDoor:
    """Says through which door a request's changes come (``application.doors``): a link from an e-mail, the
    pages, or the JSON API; every event they save carries it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        door = "link" if path.startswith(LINK_PAGES) else "page" if path.startswith("/app") else "api"
        with doors.through(door):
            await self.app(scope, receive, send)

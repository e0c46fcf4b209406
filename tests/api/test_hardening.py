"""Nothing a client sends can crash the service or slip past its limits; and nothing is stored then."""

import base64
import json
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.bootstrap import Services
from domain.access import Role
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api, Standing
from tests.records import commitment, meeting, party
from tests.server import Server
from tests.world import World

SURROGATE = "\ud800 x"


def encoded(body: Any) -> bytes:
    """JSON as a client library writes it: a lone surrogate escaped as \\ud800, which parsers accept."""
    return json.dumps(body).encode()


def post_raw(api: Api, path: str, body: Any) -> httpx.Response:
    response: httpx.Response = api.client.post(
        path, content=encoded(body), headers=api.headers(extra={"content-type": "application/json"})
    )
    return response


@pytest.mark.parametrize(
    "where",
    [
        "party name",
        "progress note",
        "reason",
        "evidence title",
        "document text",
        "acronym",
        "language code",
        "subscription description",
        "venue city",
    ],
)
def test_a_lone_surrogate_anywhere_is_invalid_text_and_stores_nothing(
    standing: Standing, standing_unchanged: None, where: str
) -> None:
    api, world = standing.api, standing.world
    cases: dict[str, tuple[str, Any]] = {
        "party name": ("/parties", {"names": {"texts": {"ar": SURROGATE}}, "acronym": "NEW", "kind": "ngo"}),
        "progress note": (f"/commitments/{world.commitment}/progress", {"percent": 10, "note": SURROGATE}),
        "reason": (f"/commitments/{world.commitment}/cancel", {"reason": SURROGATE}),
        "evidence title": (f"/commitments/{world.commitment}/deliver", {"evidence": [{"title": SURROGATE}]}),
        "document text": (f"/meetings/{world.meeting}/documents", {"language": "ar", "text": SURROGATE}),
        "acronym": ("/parties", {"names": {"texts": {"en": "New"}}, "acronym": f"N{SURROGATE}", "kind": "ngo"}),
        "language code": ("/parties", {"names": {"texts": {SURROGATE: "x"}}, "acronym": "NEW", "kind": "ngo"}),
        "subscription description": (
            "/subscriptions",
            {"url": "https://127.0.0.1/h", "kinds": ["all"], "description": SURROGATE},
        ),
        "venue city": (
            "/meetings",
            meeting([world.un], venue={"name": "Hall", "city": SURROGATE, "time_zone": "Asia/Riyadh"}),
        ),
    }
    path, body = cases[where]
    response = api.client.post(
        path, content=encoded(body), headers=api.headers(Role.ADMIN, {"content-type": "application/json"})
    )
    problem = assert_problem(response, 422, "invalid-value")
    assert any(word in problem["detail"] for word in ("surrogate", "unicode", "language")), problem


def crafted(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


CURSOR_LISTS = [
    "/audit/denials",
    "/commitments/{c}/history",
    "/parties/{p}/history",
    "/meetings/{m}/timeline",
    "/commitments/{c}/deliveries",
    "/commitments",
    "/commitments?sort=due",
    "/meetings",
    "/parties?q=oic",
    "/commitments?as_of=2024-01-01&axis=effective",
    "/subscriptions/{s}/deliveries",
]
CRAFTED_CURSORS = [
    "99999999999999999999",
    "2147483648",
    crafted("x", "y"),
    crafted(None),
    crafted("commitment:due", None, 3),
    crafted("commitment:recorded", 2**63),
    crafted("commitment:recorded", -1),
    crafted("history", 1.5),
    crafted("deliveries", "2024-01-01", "x'; --"),
    "%%%",
    "a" * 500,
    crafted("timeline", True),
    crafted("history", 2**31),
]


def test_a_cursor_the_service_did_not_issue_is_a_400_in_every_list(api: Api, world: World) -> None:
    subscription = api.post(
        "/subscriptions", {"url": "https://127.0.0.1/hooks", "kinds": ["all"]}, role=Role.ADMIN
    ).json()["id"]
    for path in CURSOR_LISTS:
        url = path.format(c=world.commitment, p=world.un, m=world.meeting, s=subscription)
        separator = "&" if "?" in url else "?"
        for cursor in CRAFTED_CURSORS:
            response = api.client.get(f"{url}{separator}cursor={cursor}", headers=api.headers(Role.ADMIN))
            assert response.status_code == 400, (url, cursor, response.text)
            assert_problem(response, 400, "invalid-cursor", "cursor")


def test_the_cursors_the_service_issues_still_work(api: Api, world: World) -> None:
    for n in range(3):
        api.created("/commitments", commitment(world.meeting, world.oic, text={"texts": {"en": f"Activity {n}"}}))
    for path in (
        "/commitments",
        "/commitments?sort=-due",
        f"/commitments/{world.commitment}/history",
        "/commitments?as_of=2030-01-01&axis=effective",
    ):
        seen, cursor = [], None
        while True:
            params = {"limit": "1", **({"cursor": cursor} if cursor else {})}
            body = api.client.get(path, params=params, headers=api.headers(Role.AUDITOR)).json()
            seen += [item.get("id") or item.get("version") for item in body.get("items", body.get("events", []))]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) >= 1, path


def test_a_nul_in_a_path_or_query_is_a_400_on_both_engines(standing: Standing, standing_unchanged: None) -> None:
    api = standing.api
    for path in [
        "/deliveries/a%00b",
        "/subscriptions/sub_%00",
        "/meetings?series=a%00b",
        "/commitments?q=x%00",
        "/parties/%00",
        "/commitments?cursor=%00",
        "/subscriptions/x%00/deliveries",
        "/deliveries/%00/resend",
        "/meetings?series=%00&limit=5",
    ]:
        method = api.client.post if path.endswith("resend") else api.client.get
        assert_problem(method(path, headers=api.headers(Role.ADMIN)), 400, "invalid-character")


def test_a_meeting_beyond_the_years_of_dues_is_refused(standing: Standing, standing_unchanged: None) -> None:
    api, world = standing.api, standing.world
    far = meeting([world.un], scheduled={"starts_on": "9999-12-31"})
    assert_problem(api.post("/meetings", far), 422, "invalid-value", "scheduled.starts_on")
    later = meeting([world.un], scheduled={"starts_on": "2200-12-30", "ends_on": "2201-01-02"})
    assert_problem(api.post("/meetings", later), 422, "invalid-value", "scheduled.ends_on")


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        (None, 415),
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        ("application/json; charset=utf-8", 201),
    ],
)
def test_a_body_must_be_json(api: Api, world: World, content_type: str | None, status: int) -> None:
    headers = api.headers()
    if content_type:
        headers["content-type"] = content_type
    response = api.client.post("/parties", content=json.dumps(party("NEW")).encode(), headers=headers)
    assert response.status_code == status, response.text
    if status == 415:
        assert_problem(response, 415, "unsupported-media-type")


def test_an_action_without_a_body_needs_no_content_type(api: Api, world: World) -> None:
    assert api.client.post(f"/commitments/{world.commitment}/start", headers=api.headers()).status_code == 200


def chunked(size: int, piece: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < size:
        chunk = b" " * min(piece, size - sent)
        sent += len(chunk)
        yield chunk


def sending_until_answered(sock: socket.socket, chunks: Iterator[bytes], deadline: float) -> tuple[int, bytes]:
    """Send ``chunks`` as a chunked body while reading what the server answers: each frame whole, however
    little the socket takes at a time, until the server's answer has its headers, it closes the connection,
    every chunk is sent or the deadline passes. Answers the body's bytes sent and the answer read."""
    sock.setblocking(False)
    sent, pending, answer, sending = 0, b"", b"", True
    while b"\r\n\r\n" not in answer and time.monotonic() < deadline:
        if sending and not pending:
            chunk = next(chunks, None)
            if chunk is None:
                sending = False
            else:
                pending, sent = b"%x\r\n" % len(chunk) + chunk + b"\r\n", sent + len(chunk)
        readable, writable, _ = select.select([sock], [sock] if sending else [], [], deadline - time.monotonic())
        if readable:
            try:
                received = sock.recv(65536)
            except ConnectionResetError:
                break
            if not received:
                break  # the server closed the connection
            answer += received
        if writable and pending:
            try:
                pending = pending[sock.send(pending) :]
            except (BrokenPipeError, ConnectionResetError):
                sending = False  # the server stopped reading: its answer may still be there to read
    return sent, answer


def test_a_chunked_body_over_the_limit_is_refused_when_the_limit_is_reached(
    standing: Standing, standing_unchanged: None
) -> None:
    api = standing.api
    body = json.dumps(party("BIG")).encode()
    padded = body[:-1] + b" " * (8_500_000) + b"}"  # 8.5 MB of valid JSON, announced by no length
    response = api.client.post(
        "/parties",
        content=iter([padded[i : i + 65536] for i in range(0, len(padded), 65536)]),
        headers=api.headers(extra={"content-type": "application/json"}),
    )
    assert_problem(response, 413, "payload-too-large")


@pytest.mark.slow  # a real server
def test_a_server_stops_reading_a_huge_chunked_body_at_the_limit(database_url: str, tmp_path: Path) -> None:
    server = Server(database_url, cwd=tmp_path)
    try:
        key = server.printed().split("cmk_", 1)[1].split()[0]
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(
                b"POST /parties HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Authorization: Bearer cmk_" + key.encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            sent, answer = sending_until_answered(sock, chunked(100 * 1024 * 1024), deadline=time.monotonic() + 60)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert sent < 10 * 1024 * 1024  # answered long before the 100 MB were sent
    finally:
        server.stop()


def bad_keys_from_spoofed_addresses(server: Server, count: int) -> list[int]:
    """``count`` requests with a bad key from loopback, each claiming another client address."""
    with httpx.Client(base_url=server.url, timeout=10) as client:
        return [
            client.get(
                "/parties", headers={"Authorization": "Bearer cmk_wrong", "X-Forwarded-For": f"203.0.113.{n % 250 + 1}"}
            ).status_code
            for n in range(count)
        ]


def refused_clients(server: Server, key: str) -> set[str]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        items = client.get("/audit/denials", params={"limit": 200}, headers={"Authorization": f"Bearer {key}"})
        return {item["client"] for item in items.json()["items"] if item["client"]}


@pytest.mark.slow  # real servers
def test_a_client_address_is_taken_from_a_header_only_when_a_trusted_proxy_sent_it(tmp_path: Path) -> None:
    from infrastructure.persistence.scratch import scratch_database

    with scratch_database("sqlite", "test") as url:
        server = Server(url, cwd=tmp_path, env={"COMMITMENTS_DENIAL_LIMIT": "5"})
        try:
            key = "cmk_" + server.printed().split("cmk_", 1)[1].split()[0]
            statuses = bad_keys_from_spoofed_addresses(server, 12)  # (the server's start asked once without a key)
            assert statuses[:3] == [401] * 3 and statuses[-1] == 429  # one client, whatever the header says
            limited = httpx.get(f"{server.url}/parties", headers={"Authorization": "Bearer cmk_wrong"})
            assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
            assert refused_clients(server, key) == {"127.0.0.1"}
        finally:
            server.stop()
    with scratch_database("sqlite", "test") as url:
        server = Server(
            url, cwd=tmp_path, env={"COMMITMENTS_DENIAL_LIMIT": "5", "COMMITMENTS_TRUSTED_PROXIES": "127.0.0.1"}
        )
        try:
            key = "cmk_" + server.printed().split("cmk_", 1)[1].split()[0]
            assert set(bad_keys_from_spoofed_addresses(server, 12)) == {401}  # twelve clients behind the proxy
            assert {f"203.0.113.{n}" for n in range(1, 13)} <= refused_clients(server, key)
        finally:
            server.stop()


def test_a_method_the_path_does_not_answer_lists_every_method_it_does(
    standing: Standing, standing_unchanged: None
) -> None:
    api, world = standing.api, standing.world
    put = api.client.put("/commitments", json={}, headers=api.headers())
    assert_problem(put, 405, "method-not-allowed")
    assert put.headers["allow"] == "GET, OPTIONS, POST"
    options = api.client.options(f"/commitments/{world.commitment}", headers=api.headers())
    assert (options.status_code, options.headers["allow"]) == (204, "GET, OPTIONS")


def test_the_openapi_document_says_what_the_service_answers(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    assert set(document["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    operations = [(path, method, op) for path, ops in document["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 56
    for path, method, operation in operations:
        success = next(answer for status, answer in operation["responses"].items() if status.startswith("2"))
        assert method == "delete" or success.get("content"), (method, path)
        for status, answer in operation["responses"].items():
            if status in {"400", "401", "403", "404", "409", "412", "413", "415", "422"}:
                assert "application/problem+json" in answer["content"], (method, path, status)
    record = document["paths"]["/commitments"]["post"]
    assert {"201", "400", "401", "403", "409", "413", "415", "422", "503"} <= set(record["responses"])
    assert "Idempotency-Key" in [p["name"] for p in record["parameters"]]
    assert "ETag" in record["responses"]["201"]["headers"]
    change = document["paths"]["/commitments/{commitment_id}/start"]["post"]
    assert "If-Match" in [p["name"] for p in change["parameters"]] and "412" in change["responses"]
    status = document["components"]["schemas"]["CommitmentView"]["properties"]["status"]
    assert "fulfilled" in status["enum"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_the_sign_in_page_tells_a_client_sending_bad_keys_fast_when_to_retry(services: Services) -> None:
    import re

    from tests.pages.test_web_pages import visitor_of

    for visitor in visitor_of(services):
        client = visitor.client
        statuses = []
        for _ in range(40):
            form = client.get("/app/sign-in").text
            found = re.search(r'name="token" value="([^"]+)"', form)
            assert found is not None, "the sign-in form has no token"
            token = found.group(1)
            answer = client.post("/app/sign-in", data={"key": "cmk_not-a-key", "token": token, "next": "/app/"})
            statuses.append(answer.status_code)
        assert statuses[0] == 401 and statuses[-1] == 429
        assert int(answer.headers["Retry-After"]) >= 1


def test_the_api_documentation_loads_no_script_from_outside_and_sends_a_policy(api: Api) -> None:
    import re

    page = api.client.get("/docs")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "script-src 'self' 'sha256-" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(source.startswith("/docs/assets/") or source == "/openapi.json" for source in sources)
    for source in sources:
        assert api.client.get(source).status_code == 200, source
    assert api.client.get("/redoc").status_code == 404

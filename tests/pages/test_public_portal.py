"""The public portal: what an administrator published is read by anyone under ``/public``, without a key or a
cookie, as pages in three languages and as JSON, CSV, JSON-LD and Atom; nothing unpublished is found there,
and nothing internal is shown of what is published."""

import csv
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID
from xml.etree import ElementTree

import httpx
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from selenium.webdriver.common.by import By

from api.bootstrap import Services
from api.public.copies import Copy, PublicCopies
from application.errors import MakersBusy
from application.publishing import public
from domain.access import Role
from tests.browser import Browser, chromium
from tests.conftest import Api, app_on
from tests.fakes import FrozenClock
from tests.records import commitment
from tests.server import Server, recorded_through, un_and_oic_met
from tests.web import Visitor
from tests.world import World

PROMISE_AR = "تنظيم ورشة عمل إقليمية حول الأمن الغذائي للدول الأعضاء"
INTERNAL_NOTE = "ملاحظة داخلية لا تنشر"
PROGRESS_NOTE = "the ministry has not signed yet: do not quote"
INTERNAL_EVIDENCE = "Draft minutes, internal circulation"
PUBLIC_EVIDENCE = "Workshop report as published"
CONTACT = "focal.point@example.org"


@pytest.fixture
def anyone(services: Services) -> Iterator[TestClient]:
    """A reader with no key and no cookie."""
    with TestClient(app_on(services)) as client:
        yield client


def agreement_of(api: Api, world: World) -> tuple[str, str]:
    """An action matrix with one commitment: its evidence, one piece internal and one public, a progress note
    and the coordinator's notes; its lead party with a contact."""
    agreement = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "action_matrix",
            "adopted_by": [world.un, world.oic],
            "title": {
                "texts": {"ar": "مصفوفة الأنشطة المشتركة", "en": "Matrix of joint activities"},
                "authentic": "ar",
            },
            "rows": [{"activity": {"texts": {"ar": PROMISE_AR}}, "lead_party_id": world.iofs}],
        },
    )
    made = api.created(
        "/commitments",
        commitment(
            world.meeting,
            world.iofs,
            agreement_id=agreement["id"],
            row_number=1,
            text={"texts": {"ar": PROMISE_AR}, "authentic": "ar"},
            notes=INTERNAL_NOTE,
        ),
    )
    evidence = [{"title": INTERNAL_EVIDENCE}, {"title": PUBLIC_EVIDENCE, "url": "https://example.org/report"}]
    answer = api.post(
        f"/commitments/{made['id']}/progress", {"percent": 40, "note": PROGRESS_NOTE, "evidence": evidence}
    )
    assert answer.status_code == 200, answer.text
    answer = api.client.put(
        f"/commitments/{made['id']}/evidence/2/visibility",
        json={"public": True},
        headers=api.headers(Role.COORDINATOR),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["public_evidence"] == [2]
    contact = {"name": "Focal point", "address": CONTACT, "language": "ar", "frequency": "weekly"}
    assert api.post(f"/parties/{world.iofs}/contacts", contact, role=Role.ADMIN).status_code in (200, 201)
    return agreement["id"], made["id"]


def publish(api: Api, subject: str, key: str, reason: str = "adopted in public session") -> Response:
    response: Response = api.client.put(
        f"/publications/{subject}/{key}", json={"reason": reason}, headers=api.headers(Role.ADMIN)
    )
    return response


def withdraw(api: Api, subject: str, key: str, reason: str = "published by mistake") -> Response:
    response: Response = api.post(f"/publications/{subject}/{key}/withdrawal", {"reason": reason}, role=Role.ADMIN)
    return response


def addresses(folder: str, key: str) -> list[str]:
    """Every public address of one record."""
    base = f"/public/{folder}/{key}"
    return [
        base,
        f"{base}?lang=ar",
        f"{base}?as_of=2022-07-20",
        f"{base}.json",
        f"{base}.csv",
        f"{base}.jsonld",
        f"{base}/feed.atom",
    ]


def test_a_published_agreement_is_read_by_anyone_without_a_key_or_a_cookie(
    recorded: tuple[Api, World], anyone: TestClient
) -> None:
    api, world = recorded
    agreement, made = agreement_of(api, world)
    assert publish(api, "agreement", agreement).status_code == 200
    page = anyone.get(f"/public/agreements/{agreement}?lang=ar")
    assert page.status_code == 200, page.text
    assert "set-cookie" not in page.headers
    assert 'dir="rtl"' in page.text and PROMISE_AR in page.text
    assert "<svg" in page.text and "application/ld+json" in page.text
    assert "IOFS" in page.text  # the lead party by its name, never its id
    document = anyone.get(f"/public/agreements/{agreement}.json").json()
    assert [c["id"] for c in document["commitments"]] == [made]
    assert document["commitments"][0]["progress"] == 40
    assert document["commitments"][0]["row"] == "1"
    rows = list(csv.DictReader(io.StringIO(anyone.get(f"/public/agreements/{agreement}.csv").text.lstrip("\ufeff"))))
    assert rows[0]["text"] == PROMISE_AR and rows[0]["lead_party"] == "IOFS"
    graph = anyone.get(f"/public/agreements/{agreement}.jsonld").json()["@graph"]
    assert graph[0]["@type"] == "Event" and graph[0]["startDate"] == "2022-07-18"
    assert graph[0]["location"]["address"]["addressLocality"] == "Geneva"
    feed = ElementTree.fromstring(anyone.get(f"/public/agreements/{agreement}/feed.atom").content)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    index = anyone.get("/public/index.json").json()
    assert [(item["subject"], item["key"]) for item in index] == [("agreement", agreement)]


def test_a_record_never_published_or_withdrawn_is_not_found_at_any_public_address(
    recorded: tuple[Api, World], anyone: TestClient
) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    walked = [
        *addresses("agreements", agreement),
        *addresses("series", "un-oic-general-meeting"),
        *addresses("parties", world.iofs),
    ]
    for address in walked:
        assert anyone.get(address).status_code == 404, address
    for subject, key in (("agreement", agreement), ("series", "un-oic-general-meeting"), ("party", world.iofs)):
        assert publish(api, subject, key).status_code == 200
    for address in walked:  # each read once, and kept
        assert anyone.get(address).status_code == 200, address
    for subject, key in (("agreement", agreement), ("series", "un-oic-general-meeting"), ("party", world.iofs)):
        assert withdraw(api, subject, key).status_code == 200
    for address in walked:
        answer = anyone.get(address)
        assert answer.status_code == 404, address
        assert PROMISE_AR not in answer.text
    assert anyone.get("/public/index.json").json() == []


def test_no_public_address_shows_contacts_keys_notes_internal_evidence_or_denials(
    recorded: tuple[Api, World], anyone: TestClient, services: Services
) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    refused = api.client.put(
        f"/publications/agreement/{agreement}", json={"reason": "tried"}, headers=api.headers(Role.COORDINATOR)
    )
    assert refused.status_code == 403  # a denial, kept in the denial log
    for subject, key in (("agreement", agreement), ("series", "un-oic-general-meeting"), ("party", world.iofs)):
        assert publish(api, subject, key).status_code == 200
    keys = {info.id for info in services.keys.list()}
    secrets = [CONTACT, INTERNAL_NOTE, PROGRESS_NOTE, INTERNAL_EVIDENCE, *keys, *api.keys.values()]
    walked = [
        "/public/",
        "/public/index.json",
        *addresses("agreements", agreement),
        *addresses("series", "un-oic-general-meeting"),
        *addresses("parties", world.iofs),
    ]
    for address in walked:
        answer = anyone.get(address)
        assert answer.status_code == 200, address
        for secret in secrets:
            assert secret not in answer.text, (address, secret)
    assert PUBLIC_EVIDENCE in anyone.get(f"/public/agreements/{agreement}").text


def test_only_an_admin_publishes_and_always_with_a_reason(recorded: tuple[Api, World]) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    answer = api.client.put(
        f"/publications/agreement/{agreement}", json={"reason": "x"}, headers=api.headers(Role.COORDINATOR)
    )
    assert answer.status_code == 403
    assert publish(api, "agreement", agreement, reason="").status_code == 422
    assert publish(api, "party", "00000000-0000-0000-0000-000000000000").status_code == 404
    assert publish(api, "series", "no-such-series").status_code == 404
    assert withdraw(api, "agreement", agreement).status_code == 422  # it is not published
    assert api.get("/publications").json() == []


def test_publishing_and_withdrawing_are_events_with_their_reasons_in_history_and_as_of(
    recorded: tuple[Api, World], clock: FrozenClock
) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    before = clock.now.isoformat()
    clock.advance(days=1)
    assert publish(api, "agreement", agreement, "adopted in public session").status_code == 200
    assert publish(api, "agreement", agreement, "again").status_code == 200  # stores nothing
    clock.advance(days=1)
    published = clock.now.isoformat()
    clock.advance(days=1)
    assert withdraw(api, "agreement", agreement, "names a person").status_code == 200
    events = api.get("/publications/history").json()["events"]
    assert [(e["type"], e["reason"]) for e in events] == [
        ("Started", None),
        ("Published", "adopted in public session"),
        ("Unpublished", "names a person"),
    ]
    assert api.get("/publications", as_of=before).json() == []
    assert [p["key"] for p in api.get("/publications", as_of=published).json()] == [agreement]
    assert api.get("/publications").json() == []


def test_a_published_record_shows_its_past_and_its_changes_of_status(
    recorded: tuple[Api, World], anyone: TestClient, clock: FrozenClock
) -> None:
    api, world = recorded
    agreement, made = agreement_of(api, world)
    day_before = clock.now.isoformat()
    clock.advance(days=2)
    stalled = api.post(f"/commitments/{made}/stall", {"reason": "no funds"})
    assert stalled.status_code == 200, stalled.text
    assert publish(api, "agreement", agreement).status_code == 200
    now = anyone.get(f"/public/agreements/{agreement}.json").json()
    assert now["commitments"][0]["status"] == "stalled"
    assert now["changes"][0]["after"] == "stalled"
    then = anyone.get(f"/public/agreements/{agreement}.json", params={"as_of": day_before, "axis": "recorded"})
    assert then.status_code == 200, then.text
    assert then.json()["commitments"][0]["status"] != "stalled"
    page = anyone.get(f"/public/agreements/{agreement}").text
    assert "no funds" not in page  # a reason stays internal
    changes = page[page.index('id="changes"') :]
    assert f'href="#c-{made}"' in changes and PROMISE_AR in changes  # each change names its commitment


def test_a_reader_holding_the_page_is_told_it_has_not_changed(recorded: tuple[Api, World], anyone: TestClient) -> None:
    api, world = recorded
    agreement, made = agreement_of(api, world)
    assert publish(api, "agreement", agreement).status_code == 200
    first = anyone.get(f"/public/agreements/{agreement}")
    assert "no-cache" in first.headers["cache-control"]
    again = anyone.get(f"/public/agreements/{agreement}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert api.post(f"/commitments/{made}/stall", {"reason": "no funds"}).status_code == 200
    changed = anyone.get(f"/public/agreements/{agreement}", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]


def test_a_malformed_date_or_address_is_a_clear_4xx(recorded: tuple[Api, World], anyone: TestClient) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    assert publish(api, "agreement", agreement).status_code == 200
    refused = anyone.get(f"/public/agreements/{agreement}.json", params={"as_of": "yesterday"})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert anyone.get("/public/nothing/here").status_code == 404
    assert anyone.get("/public/agreements/not-a-uuid").status_code == 404
    page = anyone.get(f"/public/agreements/{agreement}", params={"as_of": "yesterday", "lang": "fr"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")


def test_the_parties_of_a_published_record_are_told_in_their_contacts_next_digest(
    recorded: tuple[Api, World], services: Services, clock: FrozenClock
) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    before = clock.now
    clock.advance(hours=1)
    assert publish(api, "agreement", agreement).status_code == 200
    told = services.mailer.digests.content(UUID(world.iofs), before).made_public
    assert [(p.subject, p.key) for p in told] == [("agreement", agreement)]
    later = clock.now + timedelta(seconds=1)  # a digest finished after it was published
    assert services.mailer.digests.content(UUID(world.iofs), later).made_public == []
    untouched = services.mailer.digests.content(UUID(world.sesric), before).made_public
    assert untouched == []  # SESRIC adopted nothing of it and has no commitment in it


@pytest.mark.slow
def test_in_a_browser_a_published_agreement_reads_right_to_left_on_a_phone_with_no_cookie(
    served: tuple[Server, str], database_url: str
) -> None:
    server, key = served
    engine = database_url.split(":")[0].split("+")[0]
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}) as api:
        un, oic, meeting_id = un_and_oic_met(api)
        title = {"texts": {"ar": "مصفوفة الأنشطة المشتركة", "en": "Joint activities"}, "authentic": "ar"}
        body = {"meeting_id": meeting_id, "kind": "joint_statement", "adopted_by": [un, oic], "title": title}
        agreement = recorded_through(api, "/agreements", body)
        promised = []
        for lead, due in ((un, "2021-03-31"), (oic, "2024-09-30"), (oic, "2031-01-31")):
            text = {"texts": {"ar": PROMISE_AR}, "authentic": "ar"}
            day = {"precision": "day", "value": due}
            promised.append(
                recorded_through(
                    api, "/commitments", commitment(meeting_id, lead, agreement_id=agreement, text=text, due=day)
                )
            )
        evidence = [{"title": PUBLIC_EVIDENCE, "url": "https://example.org/report"}]
        assert api.post(f"/commitments/{promised[1]}/progress", json={"percent": 60, "evidence": evidence}).is_success
        assert api.put(f"/commitments/{promised[1]}/evidence/1/visibility", json={"public": True}).is_success
        assert api.post(f"/commitments/{promised[2]}/deliver", json={"evidence": evidence}).is_success
        published = api.put(f"/publications/agreement/{agreement}", json={"reason": "adopted in public session"})
        assert published.status_code == 200, published.text
    with chromium(390, 900) as driver:
        browser = Browser(driver, server.url)
        browser.open(f"/public/agreements/{agreement}?lang=ar")
        browser.wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "figure.chart svg"), "the public page")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
        assert PROMISE_AR in browser.text()
        wide = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"the page is {wide} px wider than a phone"
        assert driver.get_cookies() == []
        assert PUBLIC_EVIDENCE in browser.text()
        browser.screenshot(f"public-agreement-phone-ar-{engine}")
        driver.set_window_size(1280, 1000)
        browser.open(f"/public/agreements/{agreement}?lang=ar")
        browser.screenshot(f"public-agreement-ar-{engine}")
        browser.open(f"/public/agreements/{agreement}?lang=fr")
        assert "Engagements" in browser.text()


def test_from_the_pages_an_admin_publishes_and_withdraws_and_a_coordinator_only_marks_evidence(
    recorded: tuple[Api, World], services: Services, anyone: TestClient
) -> None:
    api, world = recorded
    agreement, made = agreement_of(api, world)
    with TestClient(app_on(services), follow_redirects=True) as client:
        coordinator = Visitor(client)
        coordinator.sign_in(api.keys[Role.COORDINATOR])
        page = coordinator.open(f"/agreements/{agreement}")
        assert not page.all("//form[contains(@action, '/publications/')]")  # nothing offered it may not do
        refused = coordinator.post(f"/publications/agreement/{agreement}", {"reason": "x", "next": "/"})
        assert refused.status == 403
        marked = coordinator.post(
            f"/commitments/{made}/evidence/1/visibility", {"public": "true", "next": f"/app/commitments/{made}"}
        )
        assert marked.status == 200 and "Make it internal" in marked.text
    with TestClient(app_on(services), follow_redirects=True) as client:
        admin = Visitor(client)
        admin.sign_in(api.keys[Role.ADMIN])
        admin.open(f"/agreements/{agreement}")
        shown = admin.post(
            f"/publications/agreement/{agreement}",
            {"action": "publish", "reason": "adopted in public session", "next": f"/app/agreements/{agreement}"},
        )
        assert shown.status == 200 and f"/public/agreements/{agreement}" in shown.text
        assert INTERNAL_EVIDENCE in anyone.get(f"/public/agreements/{agreement}").text  # marked public above
        admin.post(
            f"/publications/agreement/{agreement}",
            {"action": "withdraw", "reason": "names a person", "next": f"/app/agreements/{agreement}"},
        )
    assert anyone.get(f"/public/agreements/{agreement}").status_code == 404


def test_a_public_record_as_of_a_date_replays_a_bounded_number_of_commitments(
    recorded: tuple[Api, World], services: Services, anyone: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    api.created("/commitments", commitment(world.meeting, world.iofs, agreement_id=agreement))
    assert publish(api, "agreement", agreement).status_code == 200
    monkeypatch.setattr(public, "MOST_REPLAYED", 1)  # the bound, made small: two commitments pass it
    refused = anyone.get(f"/public/agreements/{agreement}.json", params={"as_of": "2022-07-21"})
    assert refused.status_code == 413, refused.text
    assert "axis=recorded" in refused.json()["detail"]
    recorded_axis = {"as_of": "2022-07-21T12:00:00Z", "axis": "recorded"}
    assert anyone.get(f"/public/agreements/{agreement}.json", params=recorded_axis).status_code == 200


def test_an_instant_past_the_year_9999_in_utc_is_refused_not_a_failure(
    recorded: tuple[Api, World], anyone: TestClient
) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    assert publish(api, "agreement", agreement).status_code == 200
    for late in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"):
        assert anyone.get(f"/public/agreements/{agreement}.json", params={"as_of": late}).status_code == 422
        assert anyone.get(f"/public/agreements/{agreement}", params={"as_of": late}).status_code == 422
        assert api.get("/commitments", as_of=late).status_code == 422


def test_what_one_reader_adds_to_an_address_never_reaches_the_copy_others_are_served(
    recorded: tuple[Api, World], anyone: TestClient
) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    assert publish(api, "agreement", agreement).status_code == 200
    first = anyone.get(f"/public/agreements/{agreement.upper()}", params={"utm": "POISONED", "next": "//evil.example"})
    assert first.status_code == 200
    plain = anyone.get(f"/public/agreements/{agreement}")
    assert "POISONED" not in plain.text and "evil.example" not in plain.text
    assert agreement.upper() not in plain.text  # one spelling of its address
    assert "POISONED" not in anyone.get("/public/", params={"utm": "POISONED"}).text
    spelled = [
        anyone.get(f"/public/agreements/{agreement}.json", params={"as_of": day}).headers["etag"]
        for day in ("2022-07-21", "2022-07-21T00:00:00Z", "2022-07-21T02:00:00+02:00")
    ]
    assert len(set(spelled)) == 1  # one instant, one copy


def test_public_addresses_are_read_with_get_or_head_and_revalidated_weakly(
    recorded: tuple[Api, World], anyone: TestClient
) -> None:
    api, world = recorded
    agreement, _ = agreement_of(api, world)
    assert publish(api, "agreement", agreement).status_code == 200
    address = f"/public/agreements/{agreement}"
    assert anyone.head(address).status_code == 200
    refused = anyone.post(address)
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
    etag = anyone.get(address).headers["etag"]
    assert anyone.get(address, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert anyone.get(address + "/").status_code == 404  # never a redirect to whatever Host was sent


def test_while_every_maker_of_public_pages_is_busy_a_new_one_is_answered_503_and_kept_ones_are_served() -> None:
    copies = PublicCopies(makers=2, wait=0)
    fresh = (1, 1)
    assert copies.get(("kept",), fresh) is None
    copies.keep(("kept",), fresh, Copy.of(b"kept", "text/plain"))
    with copies.making(), copies.making():
        with pytest.raises(MakersBusy), copies.making():
            pass
        kept = copies.get(("kept",), fresh)
        assert kept is not None and kept.body == b"kept"
    with copies.making():  # free again
        pass


def test_a_file_of_public_evidence_is_read_by_anyone_and_an_internal_one_by_no_one(
    recorded: tuple[Api, World], anyone: TestClient
) -> None:
    api, world = recorded
    agreement, made = agreement_of(api, world)
    public, internal = b"%PDF-1.4\n% the published report\n%%EOF\n", b"%PDF-1.4\n% internal minutes\n%%EOF\n"
    cited = []
    for name, data in (("report.pdf", public), ("minutes.pdf", internal)):
        sent = api.client.post("/files", files={"file": (name, data)}, headers=api.headers(Role.COORDINATOR))
        cited.append({"title": name, "file": {"sha256": sent.json()["sha256"], "name": name}})
    assert api.post(f"/commitments/{made}/progress", {"percent": 60, "evidence": cited}).status_code == 200
    shown = api.client.put(f"/commitments/{made}/evidence/3/visibility", json={"public": True}, headers=api.headers())
    assert shown.json()["public_evidence"] == [2, 3]
    assert publish(api, "agreement", agreement).status_code == 200
    page = anyone.get(f"/public/agreements/{agreement}?lang=ar")
    [href] = re.findall(r'href="([^"]+/evidence/[^"]+)" class="file"', page.text)
    assert anyone.get(href).content == public
    assert anyone.get(f"/public/agreements/{agreement}/evidence/{made}/4").status_code == 404  # internal
    assert withdraw(api, "agreement", agreement).status_code == 200
    assert anyone.get(href).status_code == 404

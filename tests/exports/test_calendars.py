"""Calendar feeds: a secret, revocable iCalendar address per key or per party; its events are the
open commitments' dues (all-day, on the last day in their own time zone) and the meetings to come."""

from datetime import date

from icalendar import Calendar, Component

from api.bootstrap import Services
from domain.access import Role
from tests.conftest import Api
from tests.records import commitment, meeting
from tests.world import World


def feed_of(api: Api, body: object = None, role: Role = Role.COORDINATOR) -> str:
    made = api.post("/calendars", body, role=role)
    assert made.status_code == 201, made.text
    url: str = made.json()["url"]
    return url.split("://", 1)[1].split("/", 1)[1]  # the path, on this test client


def events(api: Api, path: str) -> dict[str, Component]:
    answer = api.client.get("/" + path)  # no key: the address is the secret
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    return {str(e["uid"]): e for e in Calendar.from_ical(answer.content).walk("VEVENT")}


def test_a_feed_shows_each_open_due_on_its_last_day_in_its_time_zone(api: Api, world: World) -> None:
    riyadh = api.created(
        "/meetings",
        meeting(
            [world.un, world.oic],
            venue={"name": "KAICIID", "city": "Riyadh", "time_zone": "Asia/Riyadh"},
            scheduled={"starts_on": "2030-03-01", "ends_on": "2030-03-03"},
            series=None,
            session_number=None,
        ),
    )
    dated = api.created(
        "/commitments", commitment(riyadh["id"], world.iofs, due={"precision": "month", "value": "2031-01"})
    )
    api.created("/commitments", commitment(world.meeting, world.iofs, due=None, status="agreed"))  # open-ended: no day
    shown = events(api, feed_of(api))
    due = shown[f"commitment-{dated['id']}@commitments"]
    assert due.decoded("dtstart") == date(2031, 1, 31)  # the end of January in Riyadh, not in UTC
    assert due.decoded("dtend") == date(2031, 2, 1)
    assert str(due["summary"]).startswith("IOFS: ")
    held = shown[f"meeting-{riyadh['id']}@commitments"]
    assert (held.decoded("dtstart"), held.decoded("dtend")) == (date(2030, 3, 1), date(2030, 3, 4))
    assert "Riyadh" in str(held["location"])
    assert len([uid for uid in shown if uid.startswith("commitment-")]) == 2  # the world's, and the dated one


def test_a_feed_follows_the_record_and_a_party_feed_shows_only_that_party(api: Api, world: World) -> None:
    path = feed_of(api, {"party_id": world.iofs})
    made = api.created(
        "/commitments", commitment(world.meeting, world.iofs, due={"precision": "year", "value": "2030"})
    )
    uid = f"commitment-{made['id']}@commitments"
    assert set(events(api, path)) == {uid}
    api.post(f"/commitments/{made['id']}/cancel", {"reason": "merged into the food security programme"})
    assert events(api, path) == {}


def test_a_revoked_feed_or_a_feed_of_a_revoked_key_answers_404(api: Api, world: World, services: Services) -> None:
    path = feed_of(api)
    feeds = api.get("/calendars", role=Role.COORDINATOR).json()["items"]
    assert len(feeds) == 1 and "url" not in feeds[0]
    assert api.client.delete(f"/calendars/{feeds[0]['id']}", headers=api.headers(Role.AUDITOR)).status_code == 403
    assert api.client.delete(f"/calendars/{feeds[0]['id']}", headers=api.headers()).json()["revoked_at"]
    assert api.client.get("/" + path).status_code == 404
    principal, key = services.keys.create(Role.COORDINATOR, "soon revoked")
    other = api.client.post("/calendars", headers={"Authorization": f"Bearer {key}"})
    other_path = other.json()["url"].split("://", 1)[1].split("/", 1)[1]
    assert api.client.get("/" + other_path).status_code == 200
    services.keys.revoke(principal.id)
    assert api.client.get("/" + other_path).status_code == 404
    assert api.client.get("/feeds/cal_guessed.ics").status_code == 404


def test_an_auditor_reads_but_makes_no_calendar_feed_through_the_api_or_the_pages(api: Api, services: Services) -> None:
    from tests.pages.test_web_pages import visitor_of

    refused = api.post("/calendars", {}, role=Role.AUDITOR)
    assert refused.status_code == 403 and "makes none" in refused.json()["detail"]
    for visitor in visitor_of(services):
        visitor.sign_in(api.keys[Role.AUDITOR], "/calendar")
        page = visitor.open("/calendar")
        assert page.status == 200 and not page.all("//form[@action='/app/calendar']")
        assert visitor.post("/calendar", {}).status == 403
    assert api.get("/calendars", role=Role.AUDITOR).json()["items"] == []


def test_who_may_close_a_feed_is_the_same_answer_through_the_api_and_the_pages(api: Api, services: Services) -> None:
    """A key closes its own feeds and an administrator anyone's, whichever door they use (the pages let
    only a feed's own key close it, the API an administrator too, until both asked the same use case)."""
    from tests.pages.test_web_pages import visitor_of

    made = api.post("/calendars", {}).json()  # a coordinator's feed
    _, other_key = services.keys.create(Role.COORDINATOR, "another coordinator's key")
    assert (
        api.client.delete(f"/calendars/{made['id']}", headers={"Authorization": f"Bearer {other_key}"}).status_code
        == 403
    )
    for visitor in visitor_of(services):
        visitor.sign_in(other_key, "/calendar")
        assert visitor.post(f"/calendar/{made['id']}/close", {}).status == 403
        visitor.sign_in(api.keys[Role.ADMIN], "/calendar")
        assert visitor.post(f"/calendar/{made['id']}/close", {}).status == 200
    closed = api.get("/calendars", role=Role.ADMIN).json()["items"]
    assert [feed["revoked_at"] is not None for feed in closed if feed["id"] == made["id"]] == [True]
    assert "403" in api.get("/openapi.json").json()["paths"]["/calendars/{feed_id}"]["delete"]["responses"]

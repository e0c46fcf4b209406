"""From a meeting report to a draft record: read it (nothing stored), edit, confirm in one call,
through the API, the CLI and the pages; a report is recorded once."""

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from api.bootstrap import Services
from api.cli import main as cli
from domain.access import Role
from tests.conftest import Api
from tests.world import World

SAMPLES = Path(__file__).resolve().parent.parent / "reports"
REPORT = (SAMPLES / "un-oic-general-meeting-2022.ar.txt").read_text(encoding="utf-8")
Change = Callable[[dict[str, Any]], object]  # an edit made to a confirmation in place


def events(services: Services) -> int:
    return services.store.recorder.max_notification_id() or 0


def test_a_report_is_read_into_proposals_with_their_spans_and_nothing_is_stored(
    api: Api, world: World, services: Services
) -> None:
    before = events(services)
    answer = api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"})
    assert answer.status_code == 200, answer.text
    draft = answer.json()
    assert events(services) == before
    meeting = draft["meeting"]["value"]
    assert (meeting["kind"], meeting["session_number"], meeting["starts_on"], meeting["ends_on"]) == (
        "general_meeting",
        15,
        "2022-07-18",
        "2022-07-20",
    )
    assert (meeting["city"], meeting["time_zone"]) == ("Geneva", "Europe/Zurich")
    known = {p["value"].get("id") for p in draft["parties"]}
    assert {world.un, world.oic, world.iofs} <= known
    [follow_up] = draft["follow_ups"]
    assert (follow_up["value"]["session_number"], follow_up["value"]["due"]) == (
        16,
        {"precision": "year", "value": "2024"},
    )
    span = follow_up["span"]
    assert REPORT[span["start"] : span["end"]] == follow_up["quote"] and "الدورة السادسة عشرة" in follow_up["quote"]
    assert draft["recurrences"][0]["value"]["every"] == 2
    assert all(0 <= p["confidence"] <= 1 for p in draft["commitments"])


def test_a_confirmed_draft_is_recorded_in_one_call_once(api: Api, world: World, services: Services) -> None:
    draft = api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"}).json()
    confirmation = draft["confirmation"]
    confirmation["status"] = "agreed"
    recorded = api.post("/drafts/confirm", confirmation)
    assert recorded.status_code == 201, recorded.text
    done = recorded.json()
    meeting = api.get(f"/meetings/{done['meeting_id']}").json()
    assert meeting["status"] == "held" and meeting["session_number"] == 15
    assert meeting["documents"][0]["text"] == REPORT and meeting["venue"]["time_zone"] == "Europe/Zurich"
    [follow_up] = done["follow_ups"]
    session = api.get(f"/commitments/{follow_up}").json()
    assert session["kind"] == "follow_up_session" and session["follow_up"]["session_number"] == 16
    assert session["lead_party_id"] == world.iofs and session["status"] == "agreed"
    assert "الدورة السادسة عشرة" in session["provenance"]["quote"]["texts"]["ar"]
    matrix = next(
        api.get(f"/commitments/{c}").json()
        for c in done["commitments"]
        if "مصفوفة" in api.get(f"/commitments/{c}").json()["provenance"]["quote"]["texts"]["ar"]
    )
    assert matrix["due"]["precision"] == "relative" and matrix["due"]["amount"] == 2
    before = events(services)
    again = api.post("/drafts/confirm", confirmation).json()
    assert again["commitments"] == [] and "meeting" in again["already_recorded"] and events(services) == before


def test_confirming_a_corrected_draft_again_corrects_the_records_by_events(api: Api, world: World) -> None:
    confirmation = api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"}).json()["confirmation"]
    confirmation["participants"] = [p for p in confirmation["participants"] if p["party"] != world.sesric]
    first = api.post("/drafts/confirm", confirmation).json()
    corrected = json.loads(json.dumps(confirmation))
    corrected["meeting"]["title"] = {"ar": "الاجتماع العام الخامس عشر للتعاون", "en": "15th General Meeting"}
    corrected["participants"].append({"party": world.sesric, "role": "participant", "person": None})
    promise = corrected["follow_ups"][0]
    promise["text"] = {**promise["text"], "en": "Hold the 16th session in Astana"}
    promise["partners"] = [world.oic]
    promise["due"] = {"precision": "month", "value": "2024-06"}
    again = api.post("/drafts/confirm", corrected)
    assert again.status_code == 201, again.text
    assert again.json()["corrected"] == ["meeting", "follow_ups[0]"] and again.json()["follow_ups"] == []
    meeting = api.get(f"/meetings/{first['meeting_id']}").json()
    assert meeting["title"]["texts"]["en"] == "15th General Meeting"
    assert world.sesric in [p["party_id"] for p in meeting["participants"]]
    session = api.get(f"/commitments/{first['follow_ups'][0]}").json()
    assert session["text"]["texts"]["en"] == "Hold the 16th session in Astana"
    assert session["supporting_party_ids"] == [world.oic] and session["due"]["value"] == "2024-06"
    history = api.get(f"/commitments/{first['follow_ups'][0]}/history").json()["events"]
    assert [e["type"] for e in history][-2:] == ["Corrected", "DueRevised"]
    assert {e["reason"] for e in history[-2:]} == {"corrected by confirming the report again"}
    assert [e["type"] for e in api.get(f"/meetings/{first['meeting_id']}/history").json()["events"]][-1] == "Corrected"


def test_a_confirmation_naming_what_is_missing_is_refused_and_stores_nothing(
    api: Api, world: World, services: Services
) -> None:
    confirmation = api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"}).json()["confirmation"]
    before = events(services)
    changes: list[tuple[Change, str]] = [
        (lambda c: c["meeting"].update(time_zone=None), "meeting.time_zone"),
        (lambda c: c["commitments"][0].update(lead=None), "commitments[0].lead"),
        (lambda c: c["commitments"][0].update(lead="new:WHO"), "parties"),
    ]
    for change, field in changes:
        body = json.loads(json.dumps(confirmation))
        change(body)
        refused = api.post("/drafts/confirm", body)
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
    assert api.post("/drafts", {"text": " ", "published_on": "2022-07-21"}).status_code == 422
    assert api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"}, role=Role.AUDITOR).status_code == 403
    assert events(services) == before


def test_a_confirmation_refused_for_what_one_of_its_texts_or_dues_says_stores_nothing(
    api: Api, world: World, services: Services
) -> None:
    confirmation = api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"}).json()["confirmation"]
    before = events(services)
    last = len(confirmation["commitments"]) - 1
    changes: list[tuple[Change, str]] = [
        (lambda c: c["commitments"][last].update(text={"ar": "تبادل\u200bالخبرات"}), f"commitments[{last}].text"),
        (lambda c: c["commitments"][last].update(quote="\u202eنص"), f"commitments[{last}].quote"),
        (lambda c: c["follow_ups"][0].update(due={"precision": "day", "value": "2024-02-30"}), "follow_ups[0].due"),
        (lambda c: c.update(document_title="تقرير\u202e"), "document.title"),
    ]
    for change, field in changes:
        body = json.loads(json.dumps(confirmation))
        change(body)
        refused = api.post("/drafts/confirm", body)
        assert refused.status_code == 422 and refused.json()["field"].startswith(field), refused.text
        assert events(services) == before


def test_the_cli_reads_a_report_and_records_its_edited_confirmation(
    services: Services, api: Api, world: World, tmp_path: Any, capsys: Any
) -> None:
    url = services.settings.database_url
    report = SAMPLES / "unodc-egypt-2024.ar.txt"
    assert cli(["draft", str(report), "--published-on", "2024-07-11", "--database-url", url]) == 0
    said = capsys.readouterr().out
    assert "meeting: bilateral_talk" in said and "2024-07-10" in said and "nothing is stored" in said
    assert cli(["draft", str(report), "--published-on", "2024-07-11", "--json", "--database-url", url]) == 0
    confirmation = json.loads(capsys.readouterr().out)["confirmation"]
    confirmation["meeting"].update(time_zone="Africa/Cairo", venue="وزارة الخارجية", city="Cairo")
    new = {p["name"]: p for p in confirmation["parties"]}
    assert new["وزارة الخارجية"]["acronym"] is None  # the ministry, by its name
    league = next(p for p in confirmation["parties"] if p.get("key") and p["acronym"] == "LAS")
    assert league["names"]["en"] == "League of Arab States" and league["kind"] == "international_organisation"
    confirmation["parties"].append(
        {
            "ref": "new:UNODC",
            "acronym": "UNODC",
            "name": "مكتب الأمم المتحدة المعني بالمخدرات والجريمة",
            "kind": "un_entity",
        }
    )
    for item in confirmation["commitments"]:
        item["lead"] = "new:UNODC"
    edited = tmp_path / "confirmation.json"
    edited.write_text(json.dumps(confirmation, ensure_ascii=False), encoding="utf-8")
    assert cli(["draft", "--confirm", str(edited), "--database-url", url]) == 0
    assert "recorded meeting" in capsys.readouterr().out
    unodc = api.get("/parties", q="UNODC").json()["items"]
    assert [p["acronym"] for p in unodc] == ["UNODC"]
    registered = api.get("/parties", q="League of Arab States").json()["items"]  # with its names of the gazetteer
    assert [p["acronym"] for p in registered] == ["LAS"]
    assert len(api.get("/commitments", lead_party=unodc[0]["id"]).json()["items"]) == len(confirmation["commitments"])


def test_a_coordinator_drafts_edits_and_confirms_a_report_in_the_pages(
    api: Api, world: World, services: Services
) -> None:
    from tests.pages.test_web_pages import visitor_of

    for visitor in visitor_of(services):
        visitor.client.headers["Accept-Language"] = "ar"
        visitor.sign_in(api.keys[Role.COORDINATOR], "/drafts")
        draft = visitor.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"})
        assert draft.status == 200 and "لا يُسجَّل شيء" in draft.words()
        fields = draft.all("//form[@id='confirmation']//*[@name]")
        form: list[tuple[str, str]] = []
        for element in fields:
            name = element.get("name")
            if name == "csrf":
                continue
            if element.tag == "select":
                chosen = [o.get("value") for o in element.xpath(".//option[@selected]")]
                form += [(name, v) for v in chosen]
            elif element.tag == "textarea":
                form.append((name, element.text or ""))
            elif element.get("type") == "checkbox":
                if element.get("checked") is not None and not name.startswith("c1"):  # drop the second commitment
                    form.append((name, element.get("value")))
            else:
                form.append((name, element.get("value") or ""))
        recorded = visitor.post("/drafts/confirm", form)
        assert recorded.status == 200 and "/app/meetings/" in recorded.url, recorded.words()[:500]
    made = api.get("/commitments", meeting=recorded.url.rsplit("/", 1)[-1]).json()["items"]
    assert len(made) == 2  # one commitment (the other was unticked) and the follow-up session


def test_reading_a_report_recorded_already_says_so(api: Api, world: World) -> None:
    draft = api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"}).json()
    assert draft["recorded_meeting_id"] is None
    recorded = api.post("/drafts/confirm", draft["confirmation"]).json()
    again = api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"}).json()
    assert again["recorded_meeting_id"] == recorded["meeting_id"]


def test_a_report_longer_than_the_limit_is_a_413_naming_it_in_the_api_and_the_pages(
    api: Api, world: World, services: Services
) -> None:
    from domain.text import DOCUMENT_TEXT_MAX
    from tests.pages.test_web_pages import visitor_of

    too_long = (REPORT * (DOCUMENT_TEXT_MAX // len(REPORT) + 1))[: DOCUMENT_TEXT_MAX + 1]
    answer = api.post("/drafts", {"text": too_long, "published_on": "2022-07-21"})
    assert answer.status_code == 413, answer.text
    assert answer.json()["type"].endswith("too-large") and f"{DOCUMENT_TEXT_MAX}" in answer.json()["detail"]
    assert api.post("/drafts", {"text": too_long[:-1], "published_on": "2022-07-21"}).status_code == 200
    document = api.get("/openapi.json").json()["paths"]["/drafts"]["post"]
    assert "413" in document["responses"]
    for visitor in visitor_of(services):
        visitor.sign_in(api.keys[Role.COORDINATOR], "/drafts")
        page = visitor.post("/drafts", {"text": too_long, "published_on": "2022-07-21"})
        assert page.status == 413 and f"{DOCUMENT_TEXT_MAX:,}".replace(",", "") in page.words().replace(",", "")


def test_a_report_holding_more_than_one_confirmation_records_proposes_what_it_records_and_counts_the_rest(
    api: Api, world: World, services: Services
) -> None:
    from domain.reading.proposals import PROPOSED_MOST
    from tests.pages.test_web_pages import visitor_of

    follow_ups, commitments = PROPOSED_MOST["follow_up"] + 7, PROPOSED_MOST["commitment"] + 3
    text = (
        REPORT
        + "\n"
        + "اتفق على عقد الدورة القادمة في 2025. " * follow_ups
        + "واتفق الجانبان على تبادل الخبرات بحلول 2025. " * commitments
    )
    draft = api.post("/drafts", {"text": text, "published_on": "2022-07-21"}).json()
    confirmation = draft["confirmation"]
    assert len(confirmation["follow_ups"]) == PROPOSED_MOST["follow_up"]
    assert len(confirmation["commitments"]) == PROPOSED_MOST["commitment"]
    assert draft["left_out"]["follow_ups"] >= 7 and draft["left_out"]["commitments"] >= 3
    for visitor in visitor_of(services):
        visitor.sign_in(api.keys[Role.COORDINATOR], "/drafts")
        page = visitor.post("/drafts", {"text": text, "published_on": "2022-07-21"})
        [left_out] = page.all('//*[@id="left-out"]')
        assert page.status == 200 and str(draft["left_out"]["follow_ups"]) in left_out.text_content()


TWO_MEETINGS = (
    "Geneva, 20 July 2022\n\n"
    "The Secretary General of the OIC met today in Geneva with the Secretary-General of the United Nations. "
    "Both sides resolved to increase their cooperation on humanitarian affairs.\n\n"
    "Later the same day, the Secretary General also met with the Director General of the IOFS. The two sides "
    "agreed to organise a joint workshop on food security in 2023."
)


def test_a_report_of_two_meetings_is_drafted_and_recorded_as_two_meetings_once(
    api: Api, world: World, services: Services
) -> None:
    from application.intake.drafts import report_meeting_id

    draft = api.post("/drafts", {"text": TWO_MEETINGS, "published_on": "2022-07-20"}).json()
    assert [m["value"]["starts_on"] for m in draft["meetings"]] == ["2022-07-20", "2022-07-20"]
    assert draft["meeting"] == draft["meetings"][0]
    confirmation = draft["confirmation"]
    [other] = confirmation["other_meetings"]
    assert (other["city"], other["kind"]) == ("Geneva", "bilateral_talk")
    resolved, workshop = confirmation["commitments"]
    assert (resolved["meeting"], resolved["due"], workshop["meeting"]) == (0, None, 1)
    resolved["lead"], workshop["lead"] = world.oic, world.iofs
    done = api.post("/drafts/confirm", confirmation).json()
    assert done["meeting_id"] == str(report_meeting_id(date(2022, 7, 20), TWO_MEETINGS))
    [other_id] = done["other_meeting_ids"]
    assert api.get(f"/meetings/{other_id}").json()["venue"]["city"] == "Geneva"
    at_first = api.get("/commitments", meeting=done["meeting_id"]).json()["items"]
    at_other = api.get("/commitments", meeting=other_id).json()["items"]
    assert [c["due"] for c in at_first] == [None]  # resolved, with no day: open-ended
    assert "increase their cooperation" in at_first[0]["text"]["texts"]["en"]
    assert [c["lead_party_id"] for c in at_other] == [world.iofs]
    before = events(services)
    again = api.post("/drafts/confirm", confirmation).json()
    assert again["other_meeting_ids"] == [other_id] and again["commitments"] == [] and events(services) == before
    assert "other_meetings[0]" in again["already_recorded"]
    confirmation["other_meetings"][0]["title"] = {"en": "Talks with the IOFS"}
    corrected = api.post("/drafts/confirm", confirmation).json()
    assert corrected["corrected"] == ["other_meetings[0]"]
    assert api.get(f"/meetings/{other_id}").json()["title"]["texts"]["en"] == "Talks with the IOFS"


def test_a_promise_at_a_meeting_the_confirmation_does_not_hold_is_refused_naming_it(api: Api, world: World) -> None:
    confirmation = api.post("/drafts", {"text": TWO_MEETINGS, "published_on": "2022-07-20"}).json()["confirmation"]
    for item in confirmation["commitments"]:
        item["lead"] = world.oic
    confirmation["other_meetings"] = []
    confirmation["participants"] = [p for p in confirmation["participants"] if p["meeting"] == 0]
    refused = api.post("/drafts/confirm", confirmation)
    assert refused.status_code == 422 and refused.json()["field"] == "commitments[1].meeting", refused.text


def test_the_openapi_document_says_a_draft_holds_every_meeting_and_a_confirmation_records_them() -> None:
    from api.routers.drafts import Confirmation, Draft, Recorded

    assert "meetings" in Draft.model_json_schema()["properties"]
    confirmation = Confirmation.model_json_schema()
    assert "other_meetings" in confirmation["properties"]
    assert "meeting" in confirmation["$defs"]["CommitmentDraft"]["properties"]
    assert "names" in confirmation["$defs"]["NewParty"]["properties"]
    assert "other_meeting_ids" in Recorded.model_json_schema()["properties"]


def test_a_draft_recorded_as_proposed_is_never_refused_for_a_series_and_names_its_sides(api: Api) -> None:
    text = (
        "عقدت اللجنة المشتركة بين تونس وليبيا دورتها العاشرة في تونس يوم 15 أبريل 2025، "
        "واتفق الجانبان على تسهيل تنقل المواطنين، وعلى عقد الدورة الحادية عشرة في طرابلس سنة 2026."
    )
    draft = api.post("/drafts", {"text": text, "published_on": "2025-04-16"}).json()
    confirmation = draft["confirmation"]
    assert confirmation["meeting"]["series"]  # a session number is counted in a series: one is proposed
    assert {p["party"] for p in confirmation["participants"]} >= {p["ref"] for p in confirmation["parties"]}
    assert all(c["lead"] for c in confirmation["commitments"] + confirmation["follow_ups"])
    recorded = api.post("/drafts/confirm", confirmation)
    assert recorded.status_code == 201, recorded.text


def test_a_confirmation_refused_for_a_series_records_nothing(api: Api, world: World) -> None:
    confirmation = api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"}).json()["confirmation"]
    confirmation["meeting"]["series"] = None
    for follow_up in confirmation["follow_ups"]:
        follow_up["series"] = None
    before = api.get("/meetings").json()["total"]
    refused = api.post("/drafts/confirm", confirmation)
    assert refused.status_code == 422 and refused.json()["field"] == "meeting.series", refused.text
    assert api.get("/meetings").json()["total"] == before

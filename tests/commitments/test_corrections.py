"""Correcting what a record says (its text, its parties, its notes) where it was written wrong: an
event of its own, with a reason, in any state; the earlier wording stays in the history."""

from datetime import date
from uuid import UUID

import pytest

from application.inputs import PeriodInput, TextInput
from application.tracker import Tracker
from domain.access import Role
from domain.commitments.commitment import Commitment
from domain.errors import InvalidValue, ReasonRequired
from domain.meetings.meeting import Venue
from tests.actors import acting
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.world import World


def recorded(tracker: Tracker) -> tuple[str, str, str]:
    un = tracker.parties.register(
        acting("key"),
        TextInput({"en": "United Nations", "ar": "الأمم المتحدة"}, "en"),
        "UN",
        "international_organisation",
    ).id
    oic = tracker.parties.register(
        acting("key"), TextInput({"ar": "منظمة التعاون الإسلامي"}), "OIC", "international_organisation"
    ).id
    meeting = tracker.meetings.record(
        acting("key"),
        TextInput({"en": "General meeting"}),
        "general_meeting",
        PeriodInput(date(2022, 7, 18), date(2022, 7, 20)),
        Venue("Palais des Nations", "Europe/Zurich"),
    ).id
    made = tracker.commitments.record(
        acting("key"), TextInput({"ar": "تنفيد المصفوفه"}), UUID(un), UUID(meeting), status="agreed"
    )
    return made.id, un, oic


def test_a_text_written_wrong_is_corrected_by_an_event_and_the_old_words_stay_in_the_history(
    tracker: Tracker, clock: FrozenClock
) -> None:
    commitment_id, _, _ = recorded(tracker)
    before = clock()
    clock.advance(days=3)
    fixed = tracker.commitments.correct(
        UUID(commitment_id),
        acting("key"),
        "a typo in the report's transcription",
        text=TextInput({"ar": "تنفيذ المصفوفة"}),
    )
    assert fixed.text["texts"] == {"ar": "تنفيذ المصفوفة"} and fixed.status == "agreed"
    last = tracker.histories.events(Commitment, commitment_id, 0, 10)[-1]
    assert (last.type, last.payload["fields"], last.reason) == (
        "Corrected",
        ["text"],
        "a typo in the report's transcription",
    )
    assert tracker.commitments.get(commitment_id, as_of=before).text["texts"] == {"ar": "تنفيد المصفوفه"}


def test_parties_and_notes_are_corrected_and_a_party_named_twice_is_refused(tracker: Tracker) -> None:
    commitment_id, un, oic = recorded(tracker)
    fixed = tracker.commitments.correct(
        UUID(commitment_id),
        acting("key"),
        "the OIC leads it",
        lead_party_id=UUID(oic),
        supporting_party_ids=[UUID(un)],
        notes="يعقد في أستانا",
    )
    assert (fixed.lead_party_id, fixed.supporting_party_ids, fixed.notes) == (oic, [un], "يعقد في أستانا")
    assert tracker.commitments.correct(UUID(commitment_id), acting("key"), "no notes after all", notes="").notes is None
    with pytest.raises(InvalidValue, match="named twice"):
        tracker.commitments.correct(UUID(commitment_id), acting("key"), "why", supporting_party_ids=[UUID(oic)])


def test_a_correction_needs_a_reason_and_must_change_something(tracker: Tracker) -> None:
    commitment_id, un, _ = recorded(tracker)
    with pytest.raises(ReasonRequired):
        tracker.commitments.correct(
            UUID(commitment_id), acting("key"), None, text=TextInput({"en": "Implement the matrix"})
        )
    with pytest.raises(InvalidValue, match="changes nothing"):
        tracker.commitments.correct(UUID(commitment_id), acting("key"), "why", lead_party_id=UUID(un))


def test_the_api_corrects_a_commitment_and_an_auditor_may_not(api: Api, world: World) -> None:
    path = f"/commitments/{world.commitment}/correction"
    body = {"text": {"texts": {"en": "Implement the joint matrix"}}, "reason": "the English text was a draft"}
    assert api.post(path, body, role=Role.AUDITOR).status_code == 403
    answer = api.post(path, body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["text"]["texts"] == {"en": "Implement the joint matrix"}
    events = api.get(f"/commitments/{world.commitment}/history").json()["events"]
    assert events[-1]["type"] == "Corrected" and events[-1]["payload"]["fields"] == ["text"]
    assert events[-1]["reason"] == "the English text was a draft"
    assert api.post(path, {"text": {"texts": {"en": "x"}}}).status_code == 422  # no reason

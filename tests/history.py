"""A realistic history: many meetings, commitments along every lifecycle path, follow-ups held."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from application.inputs import (
    DueInput,
    EvidenceInput,
    ParticipantInput,
    PeriodInput,
    RowInput,
    TextInput,
    VenueInput,
)
from application.tracker import Tracker
from tests.fakes import FrozenClock

PATHS: list[list[tuple[str, dict[str, Any]]]] = [
    [],
    [("note", {})],
    [("agree", {})],
    [("agree", {}), ("note", {"reason": "downgraded by the plenary"}), ("agree", {"reason": "confirmed"})],
    [("agree", {}), ("start", {}), ("progress", {"percent": 30, "note": "تم عقد ورشة العمل الأولى"})],
    [("agree", {}), ("stall", {"reason": "no funds"}), ("resume", {})],
    [("agree", {}), ("start", {}), ("suspend", {"decision_reference": "CFM/50/Res.3"}), ("resume", {})],
    [("agree", {}), ("start", {}), ("deliver", {}), ("assess", {"outcome": "fulfilled"})],
    [("agree", {}), ("deliver", {}), ("reject", {"reason": "incomplete"}), ("deliver", {}),
     ("assess", {"outcome": "partially_fulfilled"})],
    [("agree", {}), ("assess", {"outcome": "not_fulfilled"}), ("reopen", {"reason": "new funding"})],
    [("agree", {}), ("revise", {"reason": "extended by the working group"})],
    [("cancel", {"reason": "overtaken by events"})],
    [("agree", {}), ("stall", {"reason": "waiting for the host country"})],
    [("agree", {}), ("start", {}), ("deliver", {})],
    [("agree", {}), ("suspend", {"decision_reference": "EB/2023/7"})],
]


def _act(tracker: Tracker, commitment_id: str, action: str, options: dict[str, Any]) -> None:
    actor = "key_history"
    evidence = [EvidenceInput("Report", "https://example.org/report.pdf")]
    if action == "agree":
        tracker.agree_commitment(commitment_id, actor, options.get("reason"))
    elif action == "note":
        tracker.note_commitment(commitment_id, actor, options.get("reason"))
    elif action == "start":
        tracker.start_commitment(commitment_id, actor)
    elif action == "stall":
        tracker.stall_commitment(commitment_id, actor, options["reason"])
    elif action == "resume":
        tracker.resume_commitment(commitment_id, actor)
    elif action == "suspend":
        tracker.suspend_commitment(commitment_id, actor, options["decision_reference"])
    elif action == "deliver":
        tracker.deliver_commitment(commitment_id, actor, evidence)
    elif action == "reject":
        tracker.reject_delivery(commitment_id, actor, options["reason"])
    elif action == "assess":
        tracker.assess_commitment(commitment_id, actor, options["outcome"])
    elif action == "reopen":
        tracker.reopen_commitment(commitment_id, actor, options["reason"])
    elif action == "cancel":
        tracker.cancel_commitment(commitment_id, actor, options["reason"])
    elif action == "progress":
        tracker.report_progress(commitment_id, actor, options["percent"], options["note"], evidence)
    elif action == "revise":
        tracker.revise_due(commitment_id, actor, DueInput("year", "2027"), options["reason"])
    else:  # pragma: no cover
        raise AssertionError(action)


def record_history(tracker: Tracker, clock: FrozenClock, commitments: int = 240, meetings: int = 4) -> dict[str, Any]:
    actor = "key_history"
    parties = [
        tracker.register_party(actor, TextInput({"en": f"Party {n}", "ar": f"الجهة رقم {n}"}, "en"), f"P{n}",
                               "agency").id
        for n in range(8)
    ]
    meeting_ids = []
    for n in range(meetings):
        starts = date(2022, 7, 18) + timedelta(days=90 * n)
        meeting_ids.append(tracker.record_meeting(
            actor, TextInput({"ar": f"الاجتماع رقم {n + 1}", "en": f"Meeting {n + 1}"}, "ar"), "general_meeting",
            PeriodInput(starts, starts + timedelta(days=2)), VenueInput("Headquarters", "Asia/Riyadh"),
            series="joint-committee", session_number=n + 1,
            participants=[ParticipantInput(parties[0], "chair"), ParticipantInput(parties[n + 1], "participant")],
        ).id)
    matrix = tracker.adopt_agreement(
        actor, meeting_ids[0], TextInput({"en": "Matrix of joint activities"}), "action_matrix", parties[:3],
        rows=[RowInput(TextInput({"en": f"Activity {n}"}), parties[n % 8], [parties[(n + 1) % 8]],
                       DueInput("relative", amount=n + 1, unit="months")) for n in range(6)],
    )
    follow_up = tracker.record_commitment(
        actor, TextInput({"ar": "عقد الدورة الثانية"}), parties[0], meeting_ids[0], kind="follow_up_session",
        due=DueInput("year", "2023"), follow_up_session_number=2, status="agreed")
    recorded = [follow_up.id]
    for n in range(commitments):
        clock.advance(hours=1)
        provenance: dict[str, Any] = (
            {"agreement_id": matrix.id, "row_number": n % 6 + 1} if n % 5 == 0 else {"due": DueInput(
                ["day", "month", "quarter", "year"][n % 4], ["2024-06-10", "2024-06", "2024-Q2", "2024"][n % 4])}
        )
        view = tracker.record_commitment(
            actor, TextInput({"en": f"Commitment {n}", "ar": f"الالتزام رقم {n}"}, "ar"), parties[n % 8],
            meeting_ids[0] if n % 5 == 0 else meeting_ids[n % meetings], supporting_party_ids=[parties[(n + 3) % 8]],
            **provenance,
        )
        recorded.append(view.id)
        for action, options in PATHS[n % len(PATHS)]:
            _act(tracker, view.id, action, options)
    # A child row of an aggregate recorded long before: the read model writes it again only then.
    tracker.add_matrix_row(UUID(matrix.id), actor, RowInput(TextInput({"en": "Activity added later"}), parties[7],
                                                            [parties[0]]))
    clock.advance(days=200)
    tracker.hold_meeting(meeting_ids[1], actor, PeriodInput(date(2022, 10, 16), date(2022, 10, 18)))
    successor = tracker.record_commitment(actor, TextInput({"en": "Renewed activity"}), parties[1], meeting_ids[1],
                                          due=DueInput("year", "2025"), status="agreed")
    tracker.supersede_commitment(recorded[1], actor, successor.id, meeting_ids[1], "renewed at the next session")
    recorded.append(successor.id)
    return {"parties": parties, "meetings": meeting_ids, "commitments": recorded}

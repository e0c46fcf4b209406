"""A realistic history: many meetings, commitments along every lifecycle path, follow-ups held."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from application.inputs import DueInput, ParticipantInput, PeriodInput, RowInput, TextInput
from application.tracker import Tracker
from domain.commitments.promise import Evidence
from domain.meetings.meeting import Venue
from tests.actors import acting
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
    [
        ("agree", {}),
        ("deliver", {}),
        ("reject", {"reason": "incomplete"}),
        ("deliver", {}),
        ("assess", {"outcome": "partially_fulfilled"}),
    ],
    [("agree", {}), ("assess", {"outcome": "not_fulfilled"}), ("reopen", {"reason": "new funding"})],
    [("agree", {}), ("revise", {"reason": "extended by the working group"})],
    [("cancel", {"reason": "overtaken by events"})],
    [("agree", {}), ("stall", {"reason": "waiting for the host country"})],
    [("agree", {}), ("start", {}), ("deliver", {})],
    [("agree", {}), ("suspend", {"decision_reference": "EB/2023/7"})],
]


def _act(tracker: Tracker, commitment_id: UUID, action: str, options: dict[str, Any]) -> None:
    actor = acting("key_history")
    evidence = [Evidence("Report", "https://example.org/report.pdf")]
    if action in {"agree", "note", "start", "stall", "resume", "reopen", "cancel"}:
        tracker.commitments.act(action, commitment_id, actor, options.get("reason"))
    elif action == "reject":
        tracker.commitments.act("reject_delivery", commitment_id, actor, options["reason"])
    elif action == "suspend":
        tracker.commitments.suspend(commitment_id, actor, options["decision_reference"])
    elif action == "deliver":
        tracker.commitments.deliver(commitment_id, actor, evidence)
    elif action == "assess":
        tracker.commitments.assess(commitment_id, actor, options["outcome"])
    elif action == "progress":
        tracker.commitments.report_progress(commitment_id, actor, options["percent"], options["note"], evidence)
    elif action == "revise":
        tracker.commitments.revise_due(commitment_id, actor, DueInput("year", "2027"), options["reason"])
    else:  # pragma: no cover
        raise AssertionError(action)


def record_history(tracker: Tracker, clock: FrozenClock, commitments: int = 240, meetings: int = 4) -> dict[str, Any]:
    actor = acting("key_history")
    parties = [
        tracker.parties.register(
            actor, TextInput({"en": f"Party {n}", "ar": f"الجهة رقم {n}"}, "en"), f"P{n}", "agency"
        ).id
        for n in range(8)
    ]
    party_ids = [UUID(party) for party in parties]
    meeting_ids = []
    for n in range(meetings):
        starts = date(2022, 7, 18) + timedelta(days=90 * n)
        meeting_ids.append(
            tracker.meetings.record(
                actor,
                TextInput({"ar": f"الاجتماع رقم {n + 1}", "en": f"Meeting {n + 1}"}, "ar"),
                "general_meeting",
                PeriodInput(starts, starts + timedelta(days=2)),
                Venue("Headquarters", "Asia/Riyadh"),
                series="joint-committee",
                session_number=n + 1,
                participants=[
                    ParticipantInput(party_ids[0], "chair"),
                    ParticipantInput(party_ids[n + 1], "participant"),
                ],
            ).id
        )
    meeting_uuids = [UUID(meeting) for meeting in meeting_ids]
    matrix = tracker.agreements.adopt(
        actor,
        meeting_uuids[0],
        TextInput({"en": "Matrix of joint activities"}),
        "action_matrix",
        party_ids[:3],
        rows=[
            RowInput(
                TextInput({"en": f"Activity {n}"}),
                party_ids[n % 8],
                [party_ids[(n + 1) % 8]],
                DueInput("relative", amount=n + 1, unit="months"),
            )
            for n in range(6)
        ],
    )
    follow_up = tracker.commitments.record(
        actor,
        TextInput({"ar": "عقد الدورة الثانية"}),
        party_ids[0],
        meeting_uuids[0],
        kind="follow_up_session",
        due=DueInput("year", "2023"),
        follow_up_session_number=2,
        status="agreed",
    )
    recorded = [follow_up.id]
    for n in range(commitments):
        clock.advance(hours=1)
        provenance: dict[str, Any] = (
            {"agreement_id": UUID(matrix.id), "row_number": n % 6 + 1}
            if n % 5 == 0
            else {
                "due": DueInput(
                    ["day", "month", "quarter", "year"][n % 4], ["2024-06-10", "2024-06", "2024-Q2", "2024"][n % 4]
                )
            }
        )
        view = tracker.commitments.record(
            actor,
            TextInput({"en": f"Commitment {n}", "ar": f"الالتزام رقم {n}"}, "ar"),
            party_ids[n % 8],
            meeting_uuids[0] if n % 5 == 0 else meeting_uuids[n % meetings],
            supporting_party_ids=[party_ids[(n + 3) % 8]],
            **provenance,
        )
        recorded.append(view.id)
        for action, options in PATHS[n % len(PATHS)]:
            _act(tracker, UUID(view.id), action, options)
    # A child row of an aggregate recorded long before: the read model writes it again only then.
    tracker.agreements.add_row(
        UUID(matrix.id), actor, RowInput(TextInput({"en": "Activity added later"}), party_ids[7], [party_ids[0]])
    )
    clock.advance(days=200)
    tracker.meetings.hold(meeting_uuids[1], actor, PeriodInput(date(2022, 10, 16), date(2022, 10, 18)))
    successor = tracker.commitments.record(
        actor,
        TextInput({"en": "Renewed activity"}),
        party_ids[1],
        meeting_uuids[1],
        due=DueInput("year", "2025"),
        status="agreed",
    )
    tracker.commitments.supersede(
        UUID(recorded[1]), actor, UUID(successor.id), meeting_uuids[1], "renewed at the next session"
    )
    recorded.append(successor.id)
    return {"parties": parties, "meetings": meeting_ids, "commitments": recorded}

"""The words a reader sees for the values of the domain's enums (statuses, kinds, roles, actions).

Each is marked with ``N_`` so that message extraction finds it; the templates translate them when
they show them (``label('status', c.status)``)."""

from collections.abc import Callable


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


LABELS: dict[str, dict[str, str]] = {
    "status": {
        "draft": N_("draft"), "noted": N_("noted"), "agreed": N_("agreed"), "in_progress": N_("in progress"),
        "stalled": N_("stalled"), "suspended": N_("suspended"), "delivered": N_("delivered"),
        "fulfilled": N_("fulfilled"), "partially_fulfilled": N_("partially fulfilled"),
        "not_fulfilled": N_("not fulfilled"), "cancelled": N_("cancelled"), "superseded": N_("superseded"),
    },
    "action": {
        "agree": N_("Agree"), "note": N_("Note only"), "start": N_("Start"), "stall": N_("Mark as stalled"),
        "suspend": N_("Suspend"), "resume": N_("Resume"), "deliver": N_("Deliver"),
        "reject_delivery": N_("Reject the delivery"), "assess": N_("Assess"), "reopen": N_("Reopen"),
        "cancel": N_("Cancel"), "supersede": N_("Supersede"), "report_progress": N_("Report progress"),
        "revise_due": N_("Revise the due"), "schedule_review": N_("Set the review day"),
    },
    "commitment_kind": {"action": N_("action"), "clause": N_("clause"),
                        "follow_up_session": N_("follow-up session")},
    "meeting_kind": {"bilateral_talk": N_("bilateral talk"), "general_meeting": N_("general meeting"),
                     "assembly": N_("assembly"), "working_group": N_("working group"), "forum": N_("forum"),
                     "other": N_("other")},
    "meeting_status": {"scheduled": N_("scheduled"), "held": N_("held"), "postponed": N_("postponed"),
                       "cancelled": N_("cancelled")},
    "agreement_kind": {"joint_statement": N_("joint statement"), "mou": N_("memorandum of understanding"),
                       "recommendations": N_("recommendations"), "framework": N_("framework"),
                       "action_matrix": N_("action matrix")},
    "party_kind": {"state": N_("state"), "international_organisation": N_("international organisation"),
                   "un_entity": N_("UN entity"), "subsidiary_organ": N_("subsidiary organ"),
                   "specialised_institution": N_("specialised institution"), "ministry": N_("ministry"),
                   "agency": N_("agency"), "office": N_("office"), "security_body": N_("security body"),
                   "ngo": N_("NGO"), "other": N_("other")},
    "role": {"host": N_("host"), "chair": N_("chair"), "co_chair": N_("co-chair"),
             "head_of_delegation": N_("head of delegation"), "participant": N_("participant")},
    "precision": {"day": N_("on a day"), "month": N_("in a month"), "quarter": N_("in a quarter"),
                  "year": N_("in a year"), "relative": N_("after the meeting")},
    "unit": {"days": N_("days"), "weeks": N_("weeks"), "months": N_("months"), "years": N_("years")},
    "outcome": {"fulfilled": N_("fulfilled"), "partially_fulfilled": N_("partially fulfilled"),
                "not_fulfilled": N_("not fulfilled")},
    "axis": {"recorded": N_("as recorded then"), "effective": N_("as it had happened by then")},
    "delivery_status": {"pending": N_("pending"), "succeeded": N_("succeeded"), "failed": N_("failed")},
    "subscription_status": {"active": N_("active"), "paused": N_("paused"), "disabled": N_("disabled")},
    "import_field": {"key": N_("key"), "activity": N_("activity"), "lead": N_("lead party"),
                     "partners": N_("partners"), "due": N_("timeframe"), "notes": N_("notes"), "row": N_("row"),
                     "file": N_("file"), "headers": N_("headers")},
    "import_outcome": {"new": N_("new"), "unchanged": N_("unchanged"), "changed": N_("changed"),
                       "refused": N_("refused")},
    "audience": {"lead_party": N_("the lead party"), "parent_organisation": N_("its parent organisation"),
                 "meeting_chairs": N_("the chairs of its meeting")},
    "frequency": {"daily": N_("daily"), "weekly": N_("weekly"), "none": N_("none")},
    "role_of_key": {"admin": N_("administrator"), "coordinator": N_("coordinator"), "auditor": N_("auditor")},
}


def labeller(translate: Callable[[str], str]) -> Callable[[str, str | None], str]:
    """``label(group, value)``: the reader's word for a value (the value itself if it has none)."""
    def label(group: str, value: str | None) -> str:
        if value is None:
            return ""
        words = LABELS.get(group, {}).get(value)
        return translate(words) if words else value.replace("_", " ")
    return label


# The titles of the problems the service answers (``api.problems.PROBLEMS``) and of the pages' own
# refusals, so that a refusal is headed in the reader's language (a test checks none is missing).
TITLES = (
    N_("An API key is required"), N_("Too many requests"), N_("This key may not do that"),
    N_("A request header is malformed"), N_("A query parameter is not known"),
    N_("The cursor was not given by this list"), N_("This format is not offered"), N_("The request body is too large"),
    N_("The Idempotency-Key was used for another request"), N_("Not found"),
    N_("A field names something that does not exist"), N_("Already exists"),
    N_("The resource has changed since you read it"), N_("Changed by another request at the same time"),
    N_("The records changed since the dry run"),
    N_("Not allowed in the current state"), N_("A reason is required"), N_("Evidence is required"),
    N_("A decision reference is required"), N_("A value is not valid"), N_("A business rule refused the request"),
    N_("The service is busy"), N_("The database connection was lost"),
    N_("The request with this Idempotency-Key is still being carried out"),
    N_("This form was refused"), N_("Internal error"), N_("Method not allowed"), N_("HTTP error"),
)

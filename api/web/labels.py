"""The words a reader sees for the values of the domain's enums (statuses, kinds, roles, actions).

Each is marked with ``N_`` so that message extraction finds it; the templates translate them when
they show them (``label('status', c.status)``)."""

import re
from collections.abc import Callable

from application.intake import drafts, imports
from domain.commitments.commitment import DELIVERED_REASON, DUE_REVISED_REASON


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


LABELS: dict[str, dict[str, str]] = {
    "status": {
        "draft": N_("draft"),
        "noted": N_("noted"),
        "agreed": N_("agreed"),
        "in_progress": N_("in progress"),
        "stalled": N_("stalled"),
        "suspended": N_("suspended"),
        "delivered": N_("delivered"),
        "fulfilled": N_("fulfilled"),
        "partially_fulfilled": N_("partially fulfilled"),
        "not_fulfilled": N_("not fulfilled"),
        "cancelled": N_("cancelled"),
        "superseded": N_("superseded"),
    },
    "action": {
        "agree": N_("Agree"),
        "note": N_("Note only"),
        "start": N_("Start"),
        "stall": N_("Mark as stalled"),
        "suspend": N_("Suspend"),
        "resume": N_("Resume"),
        "deliver": N_("Deliver"),
        "reject_delivery": N_("Reject the delivery"),
        "assess": N_("Assess"),
        "reopen": N_("Reopen"),
        "cancel": N_("Cancel"),
        "supersede": N_("Supersede"),
        "report_progress": N_("Report progress"),
        "revise_due": N_("Revise the due"),
        "schedule_review": N_("Set the review day"),
    },
    "commitment_kind": {"action": N_("action"), "clause": N_("clause"), "follow_up_session": N_("follow-up session")},
    "meeting_kind": {
        "bilateral_talk": N_("bilateral talk"),
        "general_meeting": N_("general meeting"),
        "assembly": N_("assembly"),
        "working_group": N_("working group"),
        "forum": N_("forum"),
        "other": N_("other"),
    },
    "public_subject": {
        "agreement": N_("agreement"),
        "series": N_("meeting series"),
        "party": N_("a party's commitments"),
    },
    "meeting_status": {
        "scheduled": N_("scheduled"),
        "held": N_("held"),
        "postponed": N_("postponed"),
        "cancelled": N_("cancelled"),
    },
    "agreement_kind": {
        "joint_statement": N_("joint statement"),
        "mou": N_("memorandum of understanding"),
        "recommendations": N_("recommendations"),
        "framework": N_("framework"),
        "action_matrix": N_("action matrix"),
    },
    "party_kind": {
        "state": N_("state"),
        "international_organisation": N_("international organisation"),
        "un_entity": N_("UN entity"),
        "subsidiary_organ": N_("subsidiary organ"),
        "specialised_institution": N_("specialised institution"),
        "ministry": N_("ministry"),
        "agency": N_("agency"),
        "office": N_("office"),
        "security_body": N_("security body"),
        "ngo": N_("NGO"),
        "other": N_("other"),
    },
    "role": {
        "host": N_("host"),
        "chair": N_("chair"),
        "co_chair": N_("co-chair"),
        "head_of_delegation": N_("head of delegation"),
        "participant": N_("participant"),
    },
    "precision": {
        "day": N_("on a day"),
        "month": N_("in a month"),
        "quarter": N_("in a quarter"),
        "year": N_("in a year"),
        "relative": N_("after the meeting"),
    },
    "unit": {"days": N_("days"), "weeks": N_("weeks"), "months": N_("months"), "years": N_("years")},
    "outcome": {
        "fulfilled": N_("fulfilled"),
        "partially_fulfilled": N_("partially fulfilled"),
        "not_fulfilled": N_("not fulfilled"),
    },
    "axis": {"recorded": N_("as recorded then"), "effective": N_("as it had happened by then")},
    "delivery_status": {"pending": N_("pending"), "succeeded": N_("succeeded"), "failed": N_("failed")},
    "witness_outcome": {"witnessed": N_("witnessed"), "refused": N_("refused"), "unreachable": N_("unreachable")},
    "subscription_status": {"active": N_("active"), "paused": N_("paused"), "disabled": N_("disabled")},
    "import_field": {
        "key": N_("key"),
        "activity": N_("activity"),
        "lead": N_("lead party"),
        "partners": N_("partners"),
        "due": N_("timeframe"),
        "notes": N_("notes"),
        "row": N_("row"),
        "file": N_("file"),
        "headers": N_("headers"),
    },
    "import_outcome": {
        "new": N_("new"),
        "unchanged": N_("unchanged"),
        "changed": N_("changed"),
        "refused": N_("refused"),
    },
    "audience": {
        "lead_party": N_("the lead party"),
        "parent_organisation": N_("its parent organisation"),
        "meeting_chairs": N_("the chairs of its meeting"),
    },
    "frequency": {
        "daily": N_("daily"),
        "weekly": N_("weekly"),
        "immediate": N_("at once, at each change"),
        "none": N_("none"),
    },
    # What happened, by the name of the event stored (every event of every record; a test checks none is missing).
    "event": {
        "Recorded": N_("recorded"),
        "Acknowledged": N_("acknowledged by its party"),
        "Commented": N_("commented"),
        "ConfirmationRequested": N_("a change declared, waiting for the parties' word"),
        "ConfirmationGiven": N_("confirmed by a party"),
        "Confirmed": N_("the change took effect"),
        "ConfirmedBySilence": N_("the change took effect by silence"),
        "Disputed": N_("objected to"),
        "DisputeWithdrawn": N_("objection withdrawn"),
        "ChangeWithdrawn": N_("the change withdrawn"),
        "ConfirmationRuleSet": N_("rule of confirmation set"),
        "CommentHidden": N_("comment hidden"),
        "Registered": N_("registered"),
        "Scheduled": N_("scheduled"),
        "Adopted": N_("adopted"),
        "Stated": N_("stated"),
        "Defined": N_("defined"),
        "Opened": N_("opened"),
        "Agreed": N_("agreed"),
        "Noted": N_("noted"),
        "Started": N_("started"),
        "Stalled": N_("stalled"),
        "Suspended": N_("suspended"),
        "Resumed": N_("resumed"),
        "Delivered": N_("delivered"),
        "DeliveryRejected": N_("delivery rejected"),
        "Assessed": N_("assessed"),
        "Reopened": N_("reopened"),
        "Cancelled": N_("cancelled"),
        "Superseded": N_("superseded"),
        "ProgressReported": N_("progress reported"),
        "DueRevised": N_("due revised"),
        "ReviewScheduled": N_("review day set"),
        "Corrected": N_("corrected"),
        "Reweighed": N_("weight changed"),
        "ThemesChosen": N_("themes chosen"),
        "MarkedOverdue": N_("became overdue"),
        "OverdueCleared": N_("no longer overdue"),
        "DueSoon": N_("became due soon"),
        "ReviewDue": N_("review due"),
        "Escalated": N_("escalated"),
        "EscalationCleared": N_("escalation cleared"),
        "SessionHeld": N_("session held"),
        "Held": N_("held"),
        "Postponed": N_("postponed"),
        "DocumentAdded": N_("document added"),
        "RowAdded": N_("matrix row added"),
        "RowsImported": N_("matrix rows imported"),
        "RowsRevised": N_("matrix rows revised"),
        "LadderKept": N_("escalation ladder kept"),
        "ContactKept": N_("contact kept"),
        "AliasesKept": N_("aliases kept"),
        "ContactRemoved": N_("contact removed"),
        "ContactErased": N_("contact erased"),
        "Invited": N_("invited"),
        "PasswordChosen": N_("password chosen"),
        "RoleChanged": N_("role changed"),
        "Disabled": N_("account disabled"),
        "Enabled": N_("account enabled"),
        "Reinvited": N_("invitation sent again"),
        "Erased": N_("personal data erased"),
        "JoinedThroughOrganisation": N_("signed in through their organisation"),
        "SecondFactorRequired": N_("second factor required or not"),
        "SecondFactorEnrolled": N_("second factor set up"),
        "SecondFactorReset": N_("second factor reset"),
        "ContactUnsubscribed": N_("contact unsubscribed"),
        "Renamed": N_("renamed"),
        "Retired": N_("retired"),
        "Rescheduled": N_("rescheduled"),
        "Ended": N_("ended"),
        "RhythmStated": N_("rhythm stated"),
        "Created": N_("created"),
        "SessionAwaited": N_("session awaited"),
        "SessionRecorded": N_("session recorded"),
        "NoLongerAwaited": N_("no longer awaited"),
    },
    # The fields a history shows as "field: before → after" (``application.listing.histories.SHOWN``).
    "field": {
        "status": N_("status"),
        "text": N_("text"),
        "lead_party_id": N_("lead party"),
        "supporting_party_ids": N_("supporting parties"),
        "due": N_("due"),
        "progress": N_("progress"),
        "review_on": N_("review day"),
        "notes": N_("notes"),
        "weight": N_("weight"),
        "themes": N_("themes"),
        "escalation": N_("escalation"),
        "title": N_("title"),
        "kind": N_("kind"),
        "scheduled": N_("scheduled days"),
        "held": N_("days held"),
        "venue": N_("venue"),
        "participants": N_("participants"),
        "adopted_by": N_("adopted by"),
        "rows": N_("matrix rows"),
        "names": N_("names"),
        "acronym": N_("acronym"),
        "parent_id": N_("parent organisation"),
        "escalation_ladder": N_("escalation ladder"),
        "contacts": N_("contacts"),
        "aliases": N_("aliases"),
    },
    # Who recorded an event when it was not a key: the service's own actors.
    "actor": {
        "scheduler": N_("the scheduler"),
        "unsubscribe-link": N_("the contact's own unsubscribe link"),
        "operator": N_("the service's operator"),
    },
    # What each column of a party's update sheet holds (``application.participation.update_sheets``).
    "sheet_column": {
        "id": N_("the commitment's id: keep it as it is"),
        "commitment": N_("what was promised (for reading; changes here are not read)"),
        "lead_party": N_("the party that leads it"),
        "due": N_("its due now"),
        "status": N_("its status: choose another from the list to change it"),
        "progress": N_("percent done, 0 to 100"),
        "note": N_("a note on the progress or the delivery"),
        "evidence": N_("a link to the evidence (https://…): needed to declare it delivered"),
        "new_due": N_("a new due you ask for (a day, a month, a quarter or a year)"),
        "reason": N_("why (for a new due, a cancellation, a reopening…)"),
    },
    # What an update sheet's row comes to.
    "sheet_outcome": {
        "unchanged": N_("unchanged"),
        "changed": N_("changed"),
        "waits": N_("waits for the word of"),
        "refused": N_("refused"),
    },
    # What a focal point does from its e-mail (``domain.parties.action_links.LinkAction``).
    "link_action": {
        "acknowledge": N_("Acknowledge"),
        "progress": N_("Report progress"),
        "new_due": N_("Ask for a new due"),
        "deliver": N_("Declare delivered"),
        "comment": N_("Comment"),
        "confirm": N_("Confirm the change"),
        "object": N_("Object to the change"),
    },
    "webhook_kind": {
        "overdue": N_("overdue"),
        "due_soon": N_("due soon"),
        "review_due": N_("review due"),
        "escalated": N_("escalated"),
        "lifecycle": N_("every other change of a commitment"),
        "operations": N_("the service's own troubles"),
        "all": N_("everything"),
    },
    "webhook_type": {
        "commitment.overdue": N_("became overdue"),
        "commitment.due_soon": N_("became due soon"),
        "commitment.review_due": N_("review due"),
        "commitment.escalated": N_("escalated"),
        "subscription.disabled": N_("subscription disabled"),
        "delivery.exhausted": N_("delivery given up"),
        "audit.chain_broken": N_("audit chain broken"),
    },
    # What an action needs besides the states it is allowed from (``domain.commitments.lifecycle.ALSO_NEEDS``).
    "needs": {
        "suspend": N_("It needs the reference of the decision that suspends it."),
        "deliver": N_("It needs evidence: what shows it was delivered."),
        "supersede": N_("It needs the new commitment and the meeting that replaced this one."),
        "report_progress": N_("It needs a whole percentage, from 0 to 100."),
    },
    # The verbs refusals name ("cannot {action} a commitment that is …", "a reason is required to {action}").
    "verb": {
        "agree": N_("agree to"),
        "note": N_("note"),
        "start": N_("start"),
        "stall": N_("mark as stalled"),
        "suspend": N_("suspend"),
        "resume": N_("resume"),
        "deliver": N_("deliver"),
        "reject delivery": N_("reject the delivery of"),
        "assess": N_("assess"),
        "reopen": N_("reopen"),
        "cancel": N_("cancel"),
        "supersede": N_("supersede"),
        "report progress": N_("report progress on"),
        "revise due": N_("revise the due of"),
        "schedule review": N_("set the review day of"),
        "reweigh": N_("change the weight of"),
        "correct": N_("correct"),
        "record as held": N_("record as held"),
        "postpone": N_("postpone"),
        "change a recurring commitment's rule": N_("change a recurring commitment's rule"),
        "end a recurring commitment": N_("end a recurring commitment"),
    },
    # The kinds of record refusals name ("no {kind} with id …").
    "record_kind": {
        "commitment": N_("commitment"),
        "meeting": N_("meeting"),
        "agreement": N_("agreement"),
        "party": N_("party"),
        "recurrence": N_("recurring commitment"),
        "series": N_("meeting series"),
        "meeting series": N_("meeting series"),
        "themelist": N_("list of themes"),
        "theme": N_("theme"),
        "delivery": N_("delivery"),
        "calendar feed": N_("calendar feed"),
        "subscription": N_("subscription"),
        "key": N_("API key"),
        "contact": N_("contact"),
        "change": N_("change"),
        "matrix row": N_("matrix row"),
    },
    # What a draft proposes, by kind (``application.intake.drafts``).
    "proposal": {
        "meetings": N_("a meeting"),
        "dates": N_("the meeting's dates"),
        "parties": N_("a party"),
        "participants": N_("a participant"),
        "agreements": N_("an agreement"),
        "commitments": N_("a commitment"),
        "follow_ups": N_("a follow-up session"),
        "recurrences": N_("a recurring commitment"),
    },
    "proposals": {
        "meetings": N_("meetings"),
        "parties": N_("parties"),
        "participants": N_("participants"),
        "agreements": N_("agreements"),
        "commitments": N_("commitments"),
        "follow_ups": N_("follow-up sessions"),
        "recurrences": N_("recurring commitments"),
    },
    "role_of_key": {"admin": N_("administrator"), "coordinator": N_("coordinator"), "auditor": N_("auditor")},
    "door": {  # through which door a change came (``application.doors``)
        "api": N_("through the API"),
        "page": N_("on the pages"),
        "link": N_("through a link sent to them"),
        "cli": N_("on the server's command line"),
        "scheduler": N_("by the scheduler"),
    },
    "person_standing": {"invited": N_("invited"), "active": N_("active"), "disabled": N_("disabled")},
}


def webhook_typer(label: Callable[[str, str | None], str]) -> Callable[[str], str]:
    """``webhook_type("commitment.delivery_rejected")``: what a webhook told, in the reader's words."""

    def webhook_type(event_type: str) -> str:
        if event_type in LABELS["webhook_type"]:
            return label("webhook_type", event_type)
        name = "".join(part.capitalize() for part in event_type.removeprefix("commitment.").split("_"))
        return label("event", name) if name in LABELS["event"] else event_type

    return webhook_type


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
    N_("An API key is required"),
    N_("Too many requests"),
    N_("This key may not do that"),
    N_("A request header is malformed"),
    N_("A query parameter is not known"),
    N_("The cursor was not given by this list"),
    N_("This format is not offered"),
    N_("The request body is too large"),
    N_("Larger than the service reads"),
    N_("The Idempotency-Key was used for another request"),
    N_("Not found"),
    N_("A field names something that does not exist"),
    N_("Already exists"),
    N_("The resource has changed since you read it"),
    N_("Changed by another request at the same time"),
    N_("The records changed since the dry run"),
    N_("This link no longer works"),
    N_("Not allowed in the current state"),
    N_("A reason is required"),
    N_("Evidence is required"),
    N_("A decision reference is required"),
    N_("A value is not valid"),
    N_("A business rule refused the request"),
    N_("The service is busy"),
    N_("The database connection was lost"),
    N_("The request with this Idempotency-Key is still being carried out"),
    N_("This form was refused"),
    N_("Internal error"),
    N_("Method not allowed"),
    N_("HTTP error"),
)


# What a check of the audit chain may find wrong (``infrastructure.audit.chain``), said in the reader's words.
CHAIN_PROBLEMS = (
    N_("an event was inserted that the chain never saw"),
    N_("the stored event, or one before it, differs from what was chained"),
    N_("a chained event is missing from the log"),
)

# The reasons the service itself writes into events (a file's corrections, a report confirmed again),
# each shown in the reader's words; every other reason is a person's, shown as written.
SYSTEM_REASONS = (
    (imports.CORRECTED, N_("corrected by importing {file}")),
    (drafts.CORRECTED, N_("corrected by confirming the report again")),
    (DELIVERED_REASON, N_("it was delivered")),
    (DUE_REVISED_REASON, N_("its due was revised")),
)
_REASON_FORMS = tuple(
    (re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+)", re.escape(stored)) + "$"), shown)
    for stored, shown in SYSTEM_REASONS
)


def reason_shower(translate: Callable[[str], str]) -> Callable[[str | None], str]:
    """``reason_shown(reason)``: a reason the service wrote, in the reader's words; any other as written."""

    def reason_shown(reason: str | None) -> str:
        for form, shown in _REASON_FORMS:
            found = form.match(reason or "")
            if found:
                return translate(shown).format(**found.groupdict())
        return reason or ""

    return reason_shown

"""The tracker: every use case, by subject, on one set of records.

Each subject's use cases live in a module of their own (``parties``, ``meetings``, ``agreements``,
``commitments``, ``recurrences``, ``series``, ``histories``); they share the ``Records`` (``saving``) they were
built with,
which the composition root builds once with its followers and reader.
"""

from collections.abc import Callable
from dataclasses import dataclass

from application.listing.histories import Histories, Intact
from application.ports import Integrity, PersonalSeal
from application.records.agreements import Agreements
from application.records.commitments import Commitments
from application.records.evidence_files import EvidenceFiles
from application.records.meetings import Meetings
from application.records.parties import Parties
from application.records.recurrences import Recurrences
from application.records.series import Series
from application.records.themes import Themes
from application.storage.saving import Records
from domain.commitments.escalation import NO_LADDER, Ladder
from domain.reading.names import NO_NAMES, Gazetteer


@dataclass(frozen=True)
class Tracker:
    records: Records
    histories: Histories
    parties: Parties
    meetings: Meetings
    series: Series
    agreements: Agreements
    commitments: Commitments
    recurrences: Recurrences
    themes: Themes

    @classmethod
    def on(
        cls,
        records: Records,
        ladder: Ladder = NO_LADDER,
        integrity: Integrity = Intact(),
        names: Gazetteer = NO_NAMES,
        scoped_parties: Callable[[], set[str]] = set,
        files: EvidenceFiles | None = None,
        seal: PersonalSeal | None = None,
    ) -> "Tracker":
        """Every use case, on these records; ``ladder``: the deployment's escalation ladder;
        ``integrity``: what the audit chain's watcher found about each record; ``names``: the world's
        names (the gazetteer), offered when a party is registered; ``scoped_parties``: the parties some key in use
        is limited to (a change waiting for their word can reach them); ``files``: where evidence files are kept;
        ``seal``: what seals personal data in events, and erases it."""
        histories = Histories(records, integrity)
        parties = Parties(records, histories, ladder, names, seal)
        commitments = Commitments(records, histories, parties, scoped_parties, files)
        return cls(
            records=records,
            histories=histories,
            parties=parties,
            meetings=Meetings(records, histories, files),
            series=Series(records, histories),
            agreements=Agreements(records, histories, parties),
            commitments=commitments,
            recurrences=Recurrences(records, histories, commitments),
            themes=Themes(records, histories),
        )

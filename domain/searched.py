"""What each kind of record is found by: the texts, in every language, its search words are made of."""

from domain.commitments.commitment import Commitment
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.parties.party import Party
from domain.text import MultilingualText


def searched_texts(record: object) -> tuple[str, ...]:
    """The texts a record is found by, in every language: its search words are made of these alone."""

    def each(*values: MultilingualText | str | None) -> tuple[str, ...]:
        return tuple(
            text
            for value in values
            if value
            for text in (value.texts.values() if isinstance(value, MultilingualText) else (value,))
        )

    if isinstance(record, Commitment):
        return each(record.text, record.provenance.quote, record.provenance.clause)
    if isinstance(record, Meeting):
        return each(
            record.title,
            record.series,
            record.venue.name,
            record.venue.city,
            record.venue.country,
            *(text for document in record.documents for text in (document.title, document.text)),
        )
    if isinstance(record, Agreement):
        return each(record.title, record.text, *(row.activity for row in record.rows))
    if isinstance(record, Party):
        return each(record.names, record.acronym, *record.aliases)
    return ()

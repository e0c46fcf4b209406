"""What a password must be: at least 12 characters (and at most 200), not the person's own name or address, and
not easy to guess (``common`` answers whether it is: the commonest leaked passwords, and patterns such as
repeats, sequences and keyboard rows, judged offline)."""

from collections.abc import Callable

from domain.errors import InvalidValue
from domain.people.person import PersonDetails

SHORTEST = 12
LONGEST = 200


def checked_password(password: str, details: PersonDetails, common: Callable[[str], bool]) -> str:
    if not isinstance(password, str) or len(password) < SHORTEST:
        raise InvalidValue("a password has at least {most} characters", "password", most=SHORTEST)
    if len(password) > LONGEST:
        raise InvalidValue("a password has at most {most} characters", "password", most=LONGEST)
    folded = password.casefold()
    own = [details.name.casefold(), details.address.casefold(), details.address.split("@")[0].casefold()]
    if any(len(word) >= 4 and word in folded for word in own):
        raise InvalidValue("a password may not hold your name or your address", "password")
    if common(password):
        raise InvalidValue(
            "this password is among the commonest ones or easy to guess (a repeat, a sequence, a keyboard row): "
            "a sentence of your own is better",
            "password",
        )
    return password

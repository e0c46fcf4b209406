"""Witnesses: other organisations that keep the heads a deployment sends them, and answer with a receipt signed
by their own key. Whoever holds a deployment's database and key can rewrite its history and sign it again;
they cannot make a witness forget the link it was shown at a position, nor sign for it.

A witness refuses a head that contradicts one it holds from the same deployment: the same position with
another link, or a position before the highest it holds (a history cut back)."""

RECEIPT = "commitments-witness-receipt"


def receipt_message(deployment_key: str, position: int, link: str, at: str) -> bytes:
    """What a witness signs: the deployment, the position and link it was shown, and when."""
    return f"{RECEIPT}:{deployment_key}:{position}:{link}:{at}".encode("ascii")


def contradiction(held_link: str | None, highest: int | None, position: int, link: str) -> str | None:
    """Why a head contradicts what a witness holds of its deployment (None: it does not). ``held_link``: the
    link it holds at this position; ``highest``: the highest position it holds."""
    if held_link is not None and held_link != link:
        return f"the head at position {position} has another link than the one this witness holds"
    if held_link is None and highest is not None and position < highest:
        return f"the head's position {position} is before the highest this witness holds, {highest}"
    return None


class HeadRefused(Exception):
    """A head this witness does not keep: ``status`` 403 (no registered deployment signed it) or 409 (it
    contradicts a head the witness holds)."""

    def __init__(self, status: int, problem: str) -> None:
        super().__init__(problem)
        self.status = status
        self.problem = problem

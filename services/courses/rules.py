"""Course rules that need no database: when sessions clash, and what attendance earns.

Two sessions clash when they are on the same day and their times overlap (one ending exactly
when the other starts does not). A member who attended at least ``completion_share`` of a
course's sessions completes it and earns its training-fee subsidy; one who attended some but
fewer took part without completing; one who attended none did not turn up.
"""

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal


@dataclass(frozen=True)
class Slot:
    day: date
    starts: time
    ends: time


def clash(a: Slot, b: Slot) -> bool:
    return a.day == b.day and a.starts < b.ends and b.starts < a.ends


def first_clash(wanted: list[Slot], held: list[tuple[str, Slot]]) -> tuple[str, Slot] | None:
    """The first of the member's other sessions (labelled by course) that a wanted one hits."""
    for slot in wanted:
        for label, other in held:
            if clash(slot, other):
                return label, other
    return None


COMPLETED, ATTENDED, NO_SHOW = "complete", "partial", "no_show"


def outcome(*, attended: int, sessions: int, share: Decimal) -> str:
    """Which step ends an enrollment when the course finishes."""
    if sessions and attended >= share * sessions:
        return COMPLETED
    return ATTENDED if attended else NO_SHOW

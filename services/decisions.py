"""Checks that explain themselves.

Every eligibility or permission check returns a ``Decision`` rather than a bare bool, so the
page can tell a worker or a member of staff *why not*, in words.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decision:
    ok: bool
    reason: str = ""
    code: str = ""  # a stable name for the rule that said no, for code that must tell them apart

    def __bool__(self) -> bool:
        return self.ok

    @classmethod
    def allow(cls) -> "Decision":
        return cls(True)

    @classmethod
    def deny(cls, reason: str, code: str = "") -> "Decision":
        return cls(False, str(reason), code)

"""Sensitive personal information (PIPL art. 28): encryption at rest, blind index, masking.

Resident ID numbers (and, later, bank card numbers) are stored encrypted with Fernet
(AES-128-CBC + HMAC-SHA256, from ``cryptography``) under keys from the environment. A raw read
of the table shows only ciphertext. To find or de-duplicate a member by ID number the table
also keeps a *blind index*: HMAC-SHA256 of the normalised number under a separate key, so the
database can answer "is this number registered?" without holding the number. A plain hash
would not do: the ID space is small enough to brute-force.

Everywhere a value is shown it is masked (``mask_id_number`` and friends); revealing it in
full needs a permission and writes an ``AuditEvent`` row (the audit log).
"""

import hashlib
import hmac
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PORTAL_FIELD_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError(
            "cannot decrypt a personal-data field: wrong PORTAL_FIELD_KEYS?"
        ) from error


def rotate(token: str) -> str:
    """Re-encrypt a token under the first (current) key."""
    return fernet().rotate(token.encode()).decode()


def blind_index(normalised_value: str) -> str:
    key = settings.PORTAL_BLIND_INDEX_KEY.encode()
    return hmac.new(key, normalised_value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """A text column holding a Fernet token; Python code sees the plain value."""

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def mask_id_number(value: str | None) -> str:
    """330***********123X: the region's first three digits and the last four."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 7 else "****"


def mask_card(value: str | None) -> str:
    """**** 1234: only the last four digits."""
    if not value:
        return ""
    return "**** " + value[-4:]


# What joins the parts of a name (阿沛·阿旺晋美, "Maria Lopez", "Smith-Jones"): kept as they are
# when a name is masked, so the masked name keeps its shape and reveals no extra letter.
NAME_SEPARATORS = frozenset("\u00b7 -")


def mask_name(value: str | None) -> str:
    """A name as it may be shown to people who need not know it in full (a staff list, the
    public notice of a program's beneficiaries): the first and the last character kept, one
    ``*`` for each character between them.

    张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明, a one-character name → *. The separators of
    names in several parts stay in place (艾力·买买提 → 艾*·**提), and a combining mark counts
    with the character it belongs to, so it is neither shown alone nor left dangling.
    """
    if not value:
        return ""
    # Characters with their combining marks (a Uyghur, Tibetan or accented Latin letter).
    units: list[str] = []
    for char in value:
        if units and unicodedata.category(char).startswith("M"):
            units[-1] += char
        else:
            units.append(char)
    letters = [i for i, unit in enumerate(units) if unit not in NAME_SEPARATORS]
    if len(letters) <= 1:
        shown: set[int] = set()
    elif len(letters) == 2:
        shown = {letters[0]}
    else:
        shown = {letters[0], letters[-1]}
    return "".join(
        unit if unit in NAME_SEPARATORS or i in shown else "*" for i, unit in enumerate(units)
    )


def axes_client_str(username, ip_address, user_agent, path_info, request):
    """What django-axes writes to the log about a login attempt: never the full mobile number."""
    return f"{{username: {mask_mobile(username or '')}, path: {path_info}}}"

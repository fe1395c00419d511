"""Sensitive personal information (PIPL art. 28): encryption at rest, blind index, masking.

Resident ID numbers (and, later, bank card numbers) are stored encrypted with Fernet
(AES-128-CBC + HMAC-SHA256, from ``cryptography``) under keys from the environment. A raw read
of the table shows only ciphertext. To find or de-duplicate a member by ID number the table
also keeps a *blind index*: HMAC-SHA256 of the normalised number under a separate key, so the
database can answer "is this number registered?" without holding the number. A plain hash
would not do: the ID space is small enough to brute-force.

Everywhere a value is shown it is masked (``mask_id_number`` and friends); revealing it in
full needs a permission and writes a ``PiiRevealLog`` row.
"""

import hashlib
import hmac
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


def mask_name(value: str | None) -> str:
    """张*明 / 李*: family name and (for three or more characters) the last character."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def axes_client_str(username, ip_address, user_agent, path_info, request):
    """What django-axes writes to the log about a login attempt: never the full mobile number."""
    return f"{{username: {mask_mobile(username or '')}, path: {path_info}}}"

"""Sensitive free text encrypted at rest (PIPA art. 23 and 29; ISMS-P 2.7.1).

`EncryptedTextField` stores a Fernet token (AES-128-CBC + HMAC-SHA256, authenticated) in a text
column and hands plaintext to Python: `get_prep_value` encrypts on the way in, `from_db_value`
decrypts on the way out, so no query, fixture or dump of the table holds the plaintext. Keys are
`settings.MAEUL_FIELD_KEYS` through `maeul.people.identity`; `rotate_field_keys` re-encrypts under
the newest key. An empty value is stored as the empty string (emptiness is not secret).

The column cannot be searched or compared: every encryption of the same text differs.
"""

from __future__ import annotations

from django.db import models

from maeul.people.identity import decrypt, encrypt


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest with Fernet (authenticated encryption)"

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return decrypt(value)

    def to_python(self, value):
        return "" if value is None else str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return encrypt(str(value))

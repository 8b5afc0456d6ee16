"""Domain errors: services raise these; views turn them into form errors, the API into 4xx."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the request. `code` is stable for clients; `message` is
    translatable text for people."""

    status = 400

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist or is outside the user's scope (the two are not told apart)."""

    status = 404

    def __init__(self, message: str | Promise = "Not found") -> None:
        super().__init__("not_found", message)


class PermissionDenied(DomainError):
    """The user may see the object but not do this to it."""

    status = 403

    def __init__(self, message: str | Promise) -> None:
        super().__init__("forbidden", message)

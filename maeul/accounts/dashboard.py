"""The hub dashboard: what a hub worker needs this morning, from each app's selectors."""

from __future__ import annotations

from django.http import HttpRequest


def dashboard_context(request: HttpRequest) -> dict:
    return {}

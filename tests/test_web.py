"""The web edge (maeul/web.py): the client's address behind a proxy, the staff decorator's one
answer, a domain error escaping a page."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.web import DomainErrorMiddleware, TrustedProxyMiddleware, parse_id


def _seen_address(request):
    return HttpResponse(request.META.get("REMOTE_ADDR", ""))


@override_settings(MAEUL_PROXY_HOPS=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended():
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="127.0.0.1"
    )
    # The client wrote "6.6.6.6" itself; nginx appended the address it really saw.
    assert TrustedProxyMiddleware(_seen_address)(request).content == b"203.0.113.7"


def test_without_proxy_hops_a_forwarded_header_is_never_trusted():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="198.51.100.2")
    assert TrustedProxyMiddleware(_seen_address)(request).content == b"198.51.100.2"


@override_settings(MAEUL_PROXY_HOPS=2)
def test_fewer_entries_than_proxies_leaves_the_address_alone():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert TrustedProxyMiddleware(_seen_address)(request).content == b"10.0.0.1"


@pytest.mark.parametrize("value", ["", "abc", "0", "-3", "1.5", None])
def test_parse_id_refuses_what_is_not_a_positive_id(value):
    assert parse_id(value) is None


def test_parse_id_reads_a_positive_id():
    assert parse_id("42") == 42


def _raise(error):
    def view(request):
        raise error

    return view


def test_a_domain_error_escaping_a_page_becomes_its_answer():
    middleware = DomainErrorMiddleware(lambda r: HttpResponse())
    request = RequestFactory().get("/cases/1/")
    refused = middleware.process_exception(request, DomainError("bad", "Choose a date."))
    assert refused.status_code == 400 and refused.content.decode() == "Choose a date."
    assert refused["Content-Type"].startswith("text/plain")
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
    from django.http import Http404

    with pytest.raises(Http404):
        middleware.process_exception(request, NotFound())
    with pytest.raises(DjangoPermissionDenied):
        middleware.process_exception(request, PermissionDenied("no"))
    # The API maps its own errors (maeul/api.py): the middleware leaves them alone.
    assert middleware.process_exception(RequestFactory().get("/api/x"), NotFound()) is None

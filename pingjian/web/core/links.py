"""Absolute addresses that leave the site (a certificate's QR code, a calendar feed, the registry's
change feed). Behind a proxy the request's host may be an internal name, so the site's public
address (``PINGJIAN_PUBLIC_URL``) wins when it is set."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute_url(request: HttpRequest, path: str) -> str:
    """PATH (absolute, from `reverse`) on the site's public address, or on the request's host."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)

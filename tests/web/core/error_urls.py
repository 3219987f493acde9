"""The site's URLs plus one page that fails, for the tests of the 500 page."""

from django.urls import path

from pingjian.web.urls import urlpatterns as site_urlpatterns


def fail(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("a failure the 500 page must not show")


urlpatterns = [*site_urlpatterns, path("test-failure/", fail)]

"""Addresses resolved once per process are those reverse() gives."""

from django.urls import reverse, set_script_prefix

from portal.urlcache import plain_url, slug_url


def test_cached_addresses_match_reverse_and_follow_the_script_prefix():
    assert slug_url("metiers:detail", "ingenieur-image") == reverse("metiers:detail", args=["ingenieur-image"])
    assert slug_url("formations:detail", "master-x") == reverse("formations:detail", args=["master-x"])
    assert plain_url("selection_add") == reverse("selection_add")
    set_script_prefix("/portail/")
    try:
        assert slug_url("metiers:detail", "a") == "/portail/metiers/a/" == reverse("metiers:detail", args=["a"])
    finally:
        set_script_prefix("/")

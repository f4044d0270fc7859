import gzip
import html
import re
from typing import NamedTuple

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils.cache import has_vary_header, patch_cache_control, patch_vary_headers

from core.cache import BROWSER_MAX_AGE, PageCacheMiddleware
from core.models import CatalogueVersion, new_catalogue_version
from metiers.models import Metier
from sources.models import Source

IMAGE = "/metiers/ingenieur-traitement-de-l-image/"


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def page_cache(settings, portal_data):
    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def test_a_repeat_visit_is_served_from_the_cache(client, page_cache, django_assert_max_num_queries):
    first = client.get(IMAGE)
    with django_assert_max_num_queries(1):  # the catalogue version only
        second = client.get(IMAGE)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_cached_page_is_refused_to_a_host_the_portal_does_not_serve(client, page_cache):
    assert client.get(IMAGE).status_code == 200
    # Without the cache, the page itself refuses the host; the cached copy must too.
    foreign = client.get(IMAGE, HTTP_HOST="intrus.example")
    assert foreign.status_code == 400
    assert "nom de site que ce serveur ne sert pas" in text(foreign)
    assert client.get(IMAGE).status_code == 200


def test_each_name_of_the_site_keeps_its_own_absolute_links(client, page_cache, settings,
                                                            django_assert_max_num_queries):
    settings.ALLOWED_HOSTS = ["orientation.example", "metiers.example"]
    for host in settings.ALLOWED_HOSTS:
        assert f'<link rel="canonical" href="http://{host}{IMAGE}">' in text(client.get(IMAGE, HTTP_HOST=host))
    # Both from the cache now, each with its own.
    for host in settings.ALLOWED_HOSTS:
        with django_assert_max_num_queries(1):
            page = text(client.get(IMAGE, HTTP_HOST=host))
        assert f'<link rel="canonical" href="http://{host}{IMAGE}">' in page


def test_an_edit_is_visible_at_once(client, page_cache):
    assert "Ingénieur/e traitement de l'image" in text(client.get(IMAGE))
    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    metier.accroche = "<p>Nouvelle accroche relue.</p>"
    metier.save()
    assert "Nouvelle accroche relue." in text(client.get(IMAGE))


def test_an_edit_made_on_another_server_is_visible_at_once(client, page_cache):
    """Another server's edit reaches this one through the database alone: no signal runs here."""
    assert "Ingénieur/e traitement de l'image" in text(client.get(IMAGE))
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(titre="Ingénieur/e de l'image, relu")
    assert "Ingénieur/e traitement de l'image" in text(client.get(IMAGE))  # the stored copy
    CatalogueVersion.objects.filter(pk=1).update(version=new_catalogue_version())
    assert "Ingénieur/e de l'image, relu" in text(client.get(IMAGE))


def test_an_admin_edit_and_a_bulk_publication_change_are_visible_at_once(client, page_cache):
    assert client.get(IMAGE).status_code == 200
    admin = User.objects.create_superuser("admin", password="motdepasse-solide-42")
    staff = client.__class__()
    staff.force_login(admin)
    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    response = staff.post(
        "/admin/metiers/metier/",
        {"action": "depublier", "_selected_action": [metier.pk]},
    )
    assert response.status_code == 302
    assert client.get(IMAGE).status_code == 404


def test_an_m2m_change_is_visible_at_once(client, page_cache):
    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    formation = metier.formations.first()
    assert formation.get_absolute_url() in text(client.get(IMAGE))
    metier.formations.remove(formation)
    assert formation.get_absolute_url() not in text(client.get(IMAGE))


def test_edits_after_a_restore_are_not_taken_for_pages_cached_before_it(client, page_cache):
    from core.models import CatalogueVersion

    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    backup = (metier.accroche, CatalogueVersion.objects.get(pk=1).version)
    client.get(IMAGE)
    metier.accroche = "<p>Accroche écrite après la sauvegarde.</p>"
    metier.save()
    assert "Accroche écrite après la sauvegarde." in text(client.get(IMAGE))
    # The database is restored from the backup, while the cache keeps its pages.
    Metier.objects.filter(pk=metier.pk).update(accroche=backup[0])
    CatalogueVersion.objects.filter(pk=1).update(version=backup[1])
    metier.refresh_from_db()
    metier.accroche = "<p>Accroche écrite après la restauration.</p>"
    metier.save()
    page = text(client.get(IMAGE))
    assert "Accroche écrite après la restauration." in page
    assert "Accroche écrite après la sauvegarde." not in page


def test_a_new_database_does_not_start_at_a_shared_first_version(db):
    from core.models import CatalogueVersion

    # The test database is built by the migrations, as a new production one is.
    assert CatalogueVersion.objects.get(pk=1).version != 1


def test_a_deleted_source_leaves_the_cached_fiches_at_once(client, page_cache):
    source = Source.objects.create(code="article-relu", titre="Un article relu", nature="article")
    Metier.objects.get(slug="ingenieur-traitement-de-l-image").sources.add(source)
    assert "Un article relu" in text(client.get(IMAGE))
    source.delete()
    assert "Un article relu" not in text(client.get(IMAGE))


def test_visitors_with_a_session_and_error_pages_are_not_cached(client, page_cache):
    client.get("/metiers/inconnu/")
    assert client.get("/metiers/inconnu/").status_code == 404
    client.cookies["sessionid"] = "abc"
    client.get(IMAGE)
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(titre="titre changé sans signal")
    assert "titre changé sans signal" in text(client.get(IMAGE))


def nothing(response):
    pass


@pytest.mark.parametrize(("method", "path", "headers", "change", "renders"), [
    ("get", "/metiers/", {}, nothing, 1),
    ("head", "/metiers/", {}, nothing, 1),
    ("get", "/metiers/", {}, lambda response: response.set_cookie("csrftoken", "jeton"), 2),
    ("get", "/metiers/", {}, lambda response: patch_vary_headers(response, ["Cookie"]), 2),
    ("get", "/metiers/", {}, lambda response: patch_cache_control(response, private=True), 2),
    ("get", "/metiers/", {}, lambda response: setattr(response, "status_code", 404), 2),
    ("post", "/metiers/", {}, nothing, 2),
    ("get", "/metiers/", {"HTTP_COOKIE": "sessionid=abc"}, nothing, 2),
    ("get", "/admin/", {}, nothing, 2),
    ("get", "/healthz", {}, nothing, 2),
    ("get", "/selection/", {}, nothing, 2),
], ids=["page", "head", "sets a cookie", "varies on cookies", "private", "not found", "post", "session",
        "admin", "healthz", "selection"])
def test_what_belongs_to_one_visitor_or_to_the_moment_is_rendered_each_time(rf, page_cache, method, path,
                                                                            headers, change, renders):
    rendered = []

    def view(request):
        rendered.append(request)
        response = HttpResponse("<p>Une page.</p>")
        change(response)
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        middleware(getattr(rf, method)(path, **headers))
    assert len(rendered) == renders


def test_a_public_page_tells_shared_caches_how_long_to_keep_it(client, page_cache, settings):
    for response in (client.get(IMAGE), client.get(IMAGE)):  # rendered, then from the cache
        assert set(response["Cache-Control"].split(", ")) == {
            "public", f"max-age={BROWSER_MAX_AGE}", f"s-maxage={settings.PAGE_CACHE_SECONDS}"}
        # A shared cache asks again for a visitor with a session, whose page shows their selection.
        assert has_vary_header(response, "Cookie")


def test_a_page_shown_to_a_visitor_with_a_session_is_private(client, page_cache):
    client.cookies["sessionid"] = "abc"
    response = client.get(IMAGE)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private"


def test_a_head_request_is_answered_with_the_stored_page(client, page_cache, django_assert_max_num_queries):
    client.get(IMAGE)
    with django_assert_max_num_queries(1):  # the catalogue version only
        response = client.head(IMAGE)
    assert response.status_code == 200 and response.content == b""


def test_a_compressed_copy_is_stored_apart_and_served_as_stored(client, page_cache):
    plain = client.get(IMAGE)
    first = client.get(IMAGE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    second = client.get(IMAGE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert second.content == first.content
    assert gzip.decompress(second.content) == plain.content
    assert "Accept-Encoding" in second["Vary"]
    # A browser without gzip after a browser with it still gets plain HTML.
    assert client.get(IMAGE).content == plain.content


def test_static_files_never_touch_the_page_cache(client, page_cache, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/static/css/portal.css")


def shown_count(response):
    """The number of results a listing announces in its heading."""
    return int(re.search(r'id="nb-resultats"[^>]*>(\d+) métiers? trouvés?<', text(response))[1])


def home_counts(response):
    """The home page's count of fiches, and its count of métiers per level tile."""
    html = text(response)
    counts = {niveau: int(n) for niveau, n in re.findall(
        r'href="/niveaux/([\w-]+)/"><span class="tuile__titre">[^<]*</span><span class="tuile__nb">(\d+) métiers?<', html)}
    counts["metiers"] = int(re.search(r"<strong>(\d+)</strong> fiches? métiers?", html)[1])
    return counts


def count_queries(queries):
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_listing_counts_are_cached_until_the_catalogue_changes(client, settings, portal_data):
    settings.COUNT_CACHE = True
    cache.clear()
    url = "/metiers/?niveau=bac-5"
    with CaptureQueriesContext(connection) as first:
        before = client.get(url)
    with CaptureQueriesContext(connection) as second:
        again = client.get(url)
    assert count_queries(first) and not count_queries(second)
    assert shown_count(again) == shown_count(before)
    expected = Metier.objects.published().filter(niveau_acces__rang=5).count()
    assert shown_count(before) == expected > 1
    # An unpublished fiche leaves the listing at once.
    metier = Metier.objects.published().filter(niveau_acces__rang=5).first()
    metier.publication = Metier.Publication.BROUILLON
    metier.save()
    after = client.get(url)
    assert shown_count(after) == expected - 1
    cache.clear()


def test_the_formation_level_menu_is_read_once_per_catalogue_version(client, settings, portal_data):
    from formations.models import Niveau

    settings.COUNT_CACHE = True
    cache.clear()
    client.get("/formations/")
    with CaptureQueriesContext(connection) as again:
        client.get("/formations/")
    assert not [q for q in again.captured_queries if "formations_niveau" in q["sql"].split(" WHERE ")[0]
                and "formations_formation" not in q["sql"]]
    niveau = Niveau.objects.get(rang=5)
    niveau.libelle = "bac + 5 (master)"
    niveau.save()
    assert '<option value="bac-5">bac + 5 (master)</option>' in text(client.get("/formations/"))
    cache.clear()


def test_home_counts_are_cached_until_the_catalogue_changes(client, settings, portal_data):
    settings.COUNT_CACHE = True
    cache.clear()
    before = home_counts(client.get("/"))
    assert before["metiers"] == Metier.objects.published().count()
    metier = Metier.objects.published().exclude(niveau_acces=None).first()
    niveau = metier.niveau_acces.slug
    assert before[niveau] == Metier.objects.published().filter(niveau_acces=metier.niveau_acces).count()
    metier.publication = Metier.Publication.BROUILLON
    metier.save()
    after = home_counts(client.get("/"))
    assert after["metiers"] == before["metiers"] - 1
    assert after[niveau] == before[niveau] - 1
    cache.clear()


class OlderOption(NamedTuple):
    """What a reference option held before it carried its primary key."""

    slug: str
    libelle: str
    rang: int
    nb_metiers: int


def test_options_cached_in_another_shape_are_not_read_back(settings, portal_data, monkeypatch):
    """A shared cache outlives a release: options stored with other fields must be ignored."""
    from metiers import references

    settings.COUNT_CACHE = True
    cache.clear()

    monkeypatch.setattr(references, "Option", OlderOption)
    monkeypatch.setattr(references, "_reference_options", lambda kinds, count: {"secteur": [
        OlderOption("ancien", "ancien", 0, 0)]})
    assert references.reference_options("secteur")["secteur"][0].slug == "ancien"
    monkeypatch.undo()
    options = references.reference_options("secteur")["secteur"]
    assert options and all(option.pk for option in options)
    cache.clear()


def test_threads_asking_the_same_question_compute_it_once(settings, monkeypatch):
    import time
    from concurrent.futures import ThreadPoolExecutor

    from core import cache as cache_module

    settings.COUNT_CACHE = True
    monkeypatch.setattr(cache_module, "current_catalogue_version", lambda: 7)
    cache.clear()
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return 42

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: cache_module.cached_for_catalogue("question", compute), range(4)))
    assert answers == [42] * 4
    assert len(calls) == 1
    assert not cache_module._computing
    cache.clear()


def queries_of(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_pages_cached_by_another_release_are_not_served(client, page_cache, settings):
    """A cache shared across a deployment: a new release renders its own pages."""
    settings.RELEASE = "ancienne"
    assert queries_of(client, IMAGE) > 1
    assert queries_of(client, IMAGE) == 1  # the catalogue version only: from the cache
    settings.RELEASE = "nouvelle"
    assert queries_of(client, IMAGE) > 1
    assert queries_of(client, IMAGE) == 1


def test_data_cached_by_another_release_is_not_read_back(settings, portal_data):
    from core.cache import cached_for_catalogue

    settings.COUNT_CACHE = True
    cache.clear()
    settings.RELEASE = "ancienne"
    assert cached_for_catalogue("question", lambda: "ancienne réponse") == "ancienne réponse"
    assert cached_for_catalogue("question", lambda: "jamais lue") == "ancienne réponse"
    settings.RELEASE = "nouvelle"
    assert cached_for_catalogue("question", lambda: "nouvelle réponse") == "nouvelle réponse"
    cache.clear()


def test_the_release_follows_the_versions_and_the_static_files(tmp_path, monkeypatch):
    from importlib import metadata

    import django

    from portal.settings import code_release

    releases = [code_release(tmp_path)]
    assert code_release(tmp_path) == releases[0]
    (tmp_path / "staticfiles.json").write_text('{"paths": {}}')
    releases.append(code_release(tmp_path))
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/portal.css": "css/portal.1.css"}}')
    releases.append(code_release(tmp_path))
    monkeypatch.setattr(metadata, "version", lambda package: "99.0")  # a new version of the portal
    releases.append(code_release(tmp_path))
    monkeypatch.setattr(django, "get_version", lambda: "99.0")
    releases.append(code_release(tmp_path))
    assert len(set(releases)) == len(releases)


def test_the_release_is_named_by_the_deployment_when_it_says(monkeypatch):
    import importlib

    from portal import settings as portal_settings

    monkeypatch.setenv("RELEASE", "2026.12.06-abc123")
    assert importlib.reload(portal_settings).RELEASE == "2026.12.06-abc123"
    monkeypatch.delenv("RELEASE")
    reloaded = importlib.reload(portal_settings)
    assert reloaded.RELEASE == reloaded.code_release(reloaded.STATIC_ROOT)


def test_the_version_is_read_once_per_request_and_again_after_an_edit(db, django_assert_num_queries):
    # What the request signals' receivers do (the signals themselves would also close the
    # test's connection, as the test client knows).
    from core.cache import _request_finished as request_finished
    from core.cache import _request_started as request_started
    from core.cache import bump_catalogue_version, current_catalogue_version

    bump_catalogue_version()
    stored = CatalogueVersion.objects.get(pk=1).version
    request_started()
    try:
        with django_assert_num_queries(1):
            assert current_catalogue_version() == stored
        with django_assert_num_queries(0):
            assert current_catalogue_version() == stored
        # An edit within the request: the version is read again, the new one.
        bump_catalogue_version()
        assert current_catalogue_version() != stored
    finally:
        request_finished()
    # Outside a request, read each time.
    with django_assert_num_queries(2):
        current_catalogue_version()
        current_catalogue_version()

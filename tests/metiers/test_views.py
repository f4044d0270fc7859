import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from core import listing
from formations.models import Formation
from metiers.filters import MetierFilterSet
from metiers.models import Appellation, CentreInteret, Metier, Salaire, Secteur
from sources.models import Source
from tests.factories import make_catalogue

LIST = "/metiers/"
IMAGE = "/metiers/ingenieur-traitement-de-l-image/"
IA = "/metiers/ingenieur-en-intelligence-artificielle/"


def html(response):
    """The page's HTML with entities decoded, to compare with plain French text."""
    assert response.status_code == 200
    return unescape(response.content.decode()).replace("\xa0", " ")


def titles(response):
    """Card headings of a listing, in page order."""
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html(response))


def result_count(response):
    return re.search(r'id="nb-resultats"[^>]*>([^<]+)<', html(response)).group(1)


# Listing -----------------------------------------------------------------------------------


def test_listing_shows_published_metiers_as_cards_with_search_box_and_filter_button(client, portal_data):
    Metier.objects.filter(slug="ingenieur-systemes-embarques-et-ia").update(publication="brouillon")
    response = client.get(LIST)
    page = html(response)
    assert titles(response) == [
        "Ingénieur/e en intelligence artificielle",
        "Ingénieur/e traitement de l'image",
    ]
    assert result_count(response) == "2 métiers trouvés"
    assert '<input id="q" name="q"' in page
    assert '<button class="button" type="submit">Filtrer</button>' in page
    assert f'<a href="{IMAGE}">' in page


def test_search_finds_the_image_engineer_and_sorts_by_relevance(client, portal_data):
    response = client.get(LIST, {"q": "ingenieur image"})
    assert titles(response)[0] == "Ingénieur/e traitement de l'image"
    assert '<option value="" selected>pertinence</option>' in html(response)


def test_a_search_that_matches_nothing_shows_a_helpful_empty_state(client, portal_data):
    response = client.get(LIST, {"q": "boulangerie"})
    page = html(response)
    assert titles(response) == []
    assert result_count(response) == "Aucun métier trouvé"
    assert "Vérifiez l'orthographe" in page
    assert 'href="/centres-interet/"' in page


@pytest.fixture
def catalogue(db):
    return make_catalogue(60)


@pytest.mark.parametrize(
    "params, expected",
    [
        # Levels cycle 2, 3 … 8 over the indexes: i % 7 == 3 is bac + 5.
        ({"niveau": "bac-5"}, {i for i in range(60) if 2 + i % 7 == 5}),
        ({"niveau_max": "bac-3"}, {i for i in range(60) if 2 + i % 7 <= 3}),
        ({"centre_interet": "centre-a"}, {i for i in range(60) if i % 3 == 0}),
        ({"centre_interet": ["centre-a", "centre-b"]}, {i for i in range(60) if i % 3 != 2}),
        ({"secteur": "secteur-b"}, {i for i in range(60) if i % 3 == 1}),
        ({"statut": "statut-b"}, {i for i in range(60) if i % 2 == 1}),
        ({"formation": "formation-c"}, set(range(60))),
        # Beginner salaries start at 2000 + 10 i € a month.
        ({"salaire_min": "2500"}, set(range(50, 60))),
        ({"niveau_max": "bac-4", "statut": "statut-a", "centre_interet": "centre-c"},
         {i for i in range(60) if 2 + i % 7 <= 4 and i % 2 == 0 and i % 3 == 2}),
    ],
)
def test_each_filter_selects_the_right_metiers(client, catalogue, params, expected):
    response = client.get(LIST, {**params, "tri": "titre"})
    shown = {int(t[-2:]) for t in titles(response)}
    assert result_count(response).startswith(f"{len(expected)} métier")
    assert shown == set(sorted(expected)[:20])


@pytest.mark.parametrize(
    "value, expected",
    [
        ("tres_forte", {0, 4}),
        ("forte", {0, 1, 4}),
        ("moyenne", {0, 1, 2, 4}),
    ],
)
def test_the_demand_filter_keeps_the_metiers_whose_demand_is_at_least_as_strong(client, catalogue, value, expected):
    # 3 is « faible », below every choice; from 5 on, the sources say nothing of the demand.
    for i, demande in enumerate(["tres_forte", "forte", "moyenne", "faible", "tres_forte"]):
        Metier.objects.filter(slug=f"metier-{i:02d}").update(demande=demande)
    response = client.get(LIST, {"demande": value, "tri": "titre"})
    assert {int(t[-2:]) for t in titles(response)} == expected
    chip = {"tres_forte": "très forte", "forte": "forte ou très forte", "moyenne": "au moins moyenne"}[value]
    assert f"Demande de recrutement : {chip}" in html(response)
    assert f'<option value="{value}" selected>{chip}</option>' in html(response)


@pytest.mark.parametrize("value", ["faible", "FORTE", "forte\x00", "tres forte"])
def test_a_demand_the_filter_does_not_offer_is_ignored_and_said(client, catalogue, value):
    Metier.objects.filter(slug="metier-00").update(demande="faible")
    response = client.get(LIST, {"demande": value})
    assert result_count(response) == "60 métiers trouvés"
    assert "Le filtre « Demande de recrutement » a été ignoré : valeur inconnue." in html(response)


def test_a_fiche_links_its_demand_to_the_metiers_where_it_is_at_least_as_strong(client, catalogue):
    Metier.objects.filter(slug="metier-01").update(demande="forte")
    Metier.objects.filter(slug="metier-02").update(demande="tres_forte")
    Metier.objects.filter(slug="metier-03").update(demande="faible")
    fiche = html(client.get("/metiers/metier-01/"))
    link = re.search(r'<a href="([^"]+)">Les métiers où elle est au moins aussi forte</a>', fiche)
    assert "Demande de recrutement" in fiche and link
    assert titles(client.get(LIST + link.group(1).removeprefix(LIST))) == ["Métier de test 01", "Métier de test 02"]
    # Nothing is weaker than « faible »: no link; and no fact at all where the sources say nothing.
    weak = html(client.get("/metiers/metier-03/"))
    assert "Demande de recrutement" in weak and "au moins aussi forte" not in weak
    assert "Demande de recrutement" not in html(client.get("/metiers/metier-04/"))


def test_an_option_added_by_an_editor_is_in_its_menu_and_filters_at_once(client, catalogue):
    assert "secteur-nouveau" not in client.get(LIST).content.decode()
    nouveau = Secteur.objects.create(libelle="Secteur nouveau", slug="secteur-nouveau")
    catalogue.metiers[7].secteurs.add(nouveau)

    response = client.get(LIST, {"secteur": "secteur-nouveau"})
    assert '<option value="secteur-nouveau" selected>Secteur nouveau</option>' in response.content.decode()
    assert titles(response) == ["Métier de test 07"]
    assert "Secteur d'activité : Secteur nouveau" in html(response)
    # Another listing's menus are its own: the métiers' sectors are not the formations' levels.
    assert "secteur-nouveau" not in client.get("/formations/").content.decode()


def test_salary_filter_converts_yearly_figures_to_monthly_and_says_so(client, catalogue):
    metier = catalogue.metiers[0]
    metier.salaires.all().delete()
    Salaire.objects.create(
        metier=metier, experience="debutant", periode="annuel", nature="brut",
        montant_min=48_000, source=catalogue.source,
    )
    response = client.get(LIST, {"salaire_min": "3900"})
    assert titles(response) == ["Métier de test 00"]
    assert "les montants annuels sont divisés par 12" in html(response)


def test_sorting_by_level_salary_and_title(client, catalogue):
    by_level = titles(client.get(LIST, {"tri": "niveau"}))
    assert [int(t[-2:]) for t in by_level[:3]] == [0, 7, 14]  # bac + 2 first, then by title
    by_salary = titles(client.get(LIST, {"tri": "salaire"}))
    assert [int(t[-2:]) for t in by_salary[:3]] == [59, 58, 57]
    by_title = titles(client.get(LIST, {"tri": "titre"}))
    assert [int(t[-2:]) for t in by_title[:3]] == [0, 1, 2]


def test_the_default_order_is_not_pinned_so_a_new_search_sorts_by_relevance(client, catalogue):
    page = html(client.get(LIST, {"secteur": "secteur-a"}))
    menu = page.split('<select id="tri" name="tri" form="filtres">')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)"', menu) == ["", "niveau", "salaire"]
    assert '<option value="" selected>intitulé (A → Z)</option>' in menu
    searched = html(client.get(LIST, {"q": "test", "tri": "salaire"}))
    menu = searched.split('<select id="tri" name="tri" form="filtres">')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)"', menu) == ["", "titre", "niveau", "salaire"]
    assert '<option value="salaire" selected>' in menu


def test_pagination_is_deterministic_even_when_titles_are_equal(client, db):
    make_catalogue(45, titre="même titre")
    slugs = []
    for page in (1, 2, 3):
        response = client.get(LIST, {"page": page})
        slugs += re.findall(r'class="card__title"><a href="/metiers/([^/]+)/"', html(response))
    assert len(slugs) == 45
    assert slugs == [f"metier-{i:02d}" for i in range(45)]
    assert "Page 2 sur 3" in html(client.get(LIST, {"page": 2}))


@pytest.mark.parametrize("tri", ["titre", "salaire", "niveau"])
def test_deep_pages_show_the_same_rows_as_a_plain_slice(client, db, tri):
    # Page 12 starts at row 220, past DEEP_OFFSET: its rows are found by id, then read.
    make_catalogue(250)
    expected = [
        f"/metiers/{slug}/" for slug in MetierFilterSet({"tri": tri}).qs.values_list("slug", flat=True)[220:240]
    ]
    response = client.get(LIST, {"tri": tri, "page": 12})
    shown = re.findall(r'class="card__title"><a href="([^"]+)"', html(response))
    assert shown == expected
    assert len(shown) == 20
    # The salary shown on each card still comes with its row.
    assert html(response).count("débutant dès") == 20


def test_a_listing_stops_at_its_last_listed_page_and_says_so(client, db, monkeypatch):
    monkeypatch.setattr(listing, "MAX_PAGES", 2)
    make_catalogue(45, titre="même titre")
    second = client.get(LIST, {"page": 2})
    assert result_count(second) == "45 métiers trouvés"
    assert 'rel="prev"' in html(second) and 'rel="next"' not in html(second)
    assert "La liste s'arrête à cette page : 5 autres résultats n'y figurent pas." in html(second)
    assert 'rel="next"' in html(client.get(LIST, {"page": 1}))
    # A page past the last listed one shows that one, and why.
    third = client.get(LIST, {"page": 3})
    assert titles(third) == titles(second)
    assert "La liste s'arrête à la page 2 : précisez la recherche ou les filtres" in html(third)
    assert "Page 2 sur 3" in html(third)


def test_a_short_listing_does_not_mention_the_limit(client, db, monkeypatch):
    monkeypatch.setattr(listing, "MAX_PAGES", 3)
    make_catalogue(45)
    assert "La liste s'arrête" not in html(client.get(LIST, {"page": 3}))
    assert "La liste s'arrête" not in html(client.get(LIST, {"page": 9}))


def test_pagination_links_keep_the_filters(client, catalogue):
    page = html(client.get(LIST, {"niveau_max": "bac-8", "tri": "salaire"}))
    assert 'href="?niveau_max=bac-8&tri=salaire&page=2" rel="next"' in page


def test_active_filters_are_removable_chips_and_there_is_a_reset_link(client, catalogue):
    response = client.get(
        LIST, {"secteur": "secteur-a", "centre_interet": ["centre-a", "centre-b"], "q": "test"}
    )
    page = html(response)
    chips = {text: href for href, text in re.findall(r'<a class="chip" href="([^"]+)">([^<]+)<', page)}
    assert chips == {
        "Rechercher un métier : « test »": "/metiers/?centre_interet=centre-a&centre_interet=centre-b&secteur=secteur-a",
        "Centres d'intérêt : centre a": "/metiers/?q=test&centre_interet=centre-b&secteur=secteur-a",
        "Centres d'intérêt : centre b": "/metiers/?q=test&centre_interet=centre-a&secteur=secteur-a",
        "Secteur d'activité : secteur a": "/metiers/?q=test&centre_interet=centre-a&centre_interet=centre-b",
    }
    assert '<a class="chips__reset" href="/metiers/">Tout réinitialiser</a>' in page
    assert '<a class="filtres__reset" href="/metiers/">Réinitialiser</a>' in page


def test_formation_filter_is_a_chip_and_the_page_does_not_list_every_formation(client, catalogue):
    Formation.objects.bulk_create(
        Formation(libelle=f"autre formation {i}", slug=f"autre-{i}", type="master") for i in range(300)
    )
    page = html(client.get(LIST, {"formation": "formation-b", "statut": "statut-a"}))
    assert '<input type="hidden" name="formation" value="formation-b"' in page
    assert "autre-1" not in page and '<select name="formation"' not in page
    assert '<a class="chip" href="/metiers/?statut=statut-a">Formation : formation b' in page
    assert result_count(client.get(LIST, {"formation": "formation-b", "statut": "statut-a"})) == "30 métiers trouvés"
    unknown = html(client.get(LIST, {"formation": "autre-inexistante"}))
    assert "Le filtre « Formation » a été ignoré : valeur inconnue." in unknown
    assert 'name="formation"' not in unknown


def test_formation_page_links_to_the_filtered_listing(client, catalogue):
    assert 'href="/metiers/?formation=formation-a"' in html(client.get("/formations/formation-a/"))


def test_the_filter_form_shows_the_applied_values(client, catalogue):
    page = html(client.get(LIST, {"secteur": "secteur-b", "centre_interet": "centre-c", "q": "test"}))
    assert '<option value="secteur-b" selected>secteur b</option>' in page
    assert re.search(r'<input type="checkbox" name="centre_interet" value="centre-c"[^>]*checked', page)
    assert 'value="test"' in page


def test_listing_query_count_is_constant_with_every_filter(client, catalogue, django_assert_max_num_queries):
    params = {
        "q": "test", "niveau_max": "bac-8", "centre_interet": ["centre-a", "centre-b", "centre-c"],
        "secteur": "secteur-a", "statut": "statut-a", "formation": "formation-a",
        "salaire_min": "1000", "tri": "salaire",
    }
    for query in ({}, params, {"tri": "niveau", "page": 3}):
        with django_assert_max_num_queries(5):
            response = client.get(LIST, query)
        assert titles(response)


@pytest.mark.parametrize("address", ["/", LIST, "/metiers/?q=image", "fiche"])
def test_pages_read_no_search_column_nor_import_record(client, portal_data, address):
    if address == "fiche":
        address = Metier.objects.published().first().get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"metiers_metier"."titre"' in sql
    # Read as a column of the métier, as opposed to used in a condition or in the rank.
    for column in ("texte_titres", "texte_corps", "vecteur_recherche", "vecteur_titres", "import_valeurs"):
        assert not re.search(rf'(SELECT|,) "metiers_metier"\."{column}"(,| FROM)', sql)


@pytest.mark.parametrize("address", ["/", LIST, "/metiers/?q=image", "/metiers/?tri=salaire&niveau_max=bac-8"])
def test_cards_read_only_what_a_card_shows(client, portal_data, address):
    # Neither the long sections nor the dates: a listing reads twenty rows a page.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    read = set(re.findall(r'(?:SELECT|,) "metiers_metier"\."(\w+)"(?=,| FROM)', sql))
    assert read == {"id", "titre", "slug", "accroche", "niveau_acces_id", "salaire_debutant"}


# Fiche -------------------------------------------------------------------------------------


def test_fiche_shows_every_section_titles_and_breadcrumb(client, portal_data):
    page = html(client.get(IMAGE))
    for heading in ["En bref", "Nature du travail", "Compétences requises", "Conditions de travail",
                    "Vie professionnelle", "Accès au métier", "Durée des études", "Salaires",
                    "Formations recommandées", "Secteurs et centres d'intérêt",
                    "Métiers associés", "Sources"]:
        assert re.search(rf"<h[23][^>]*>{heading}</h[23]>", page), heading
    assert """<h1 class="fiche__titre">Ingénieur/e traitement de l'image</h1>""" in page
    assert "<dt>Au féminin</dt>" in page and "<dt>Au masculin</dt>" in page
    breadcrumb = page.split('<nav class="breadcrumb"')[1].split("</nav>")[0]
    assert re.findall(r">([^<>]+)</(?:a|span)>", breadcrumb) == [
        "Accueil", "Métiers", "ingénieur/e traitement de l'image",
    ]
    assert "MET.612" in page
    assert "Mise à jour le" in page


def test_fiche_marks_english_titles_with_their_language(client, portal_data):
    page = html(client.get(IA))
    assert '<li class="tag tag--plain" lang="en">AI engineer' in page


def test_fiche_draws_the_level_and_the_salaries_with_their_meaning_and_source(client, portal_data):
    page = html(client.get(IMAGE))
    scale = page.split('class="faits"')[1].split("</svg>")[0]
    assert 'class="echelle__marche echelle__marche--atteint" x="140"' in scale  # bac + 5
    assert scale.count("echelle__marche--dessous") == 5
    assert scale.count("echelle__marche--au-dessus") == 3
    assert "2 830 € à 3 333 € par mois, brut" in page
    assert '<svg class="salaire__barre"' in page
    assert "Fiche ONISEP « ingénieur/e traitement de l'image » (MET.612)" in page
    ia = html(client.get(IA))
    assert "35 000 € à 45 000 € par an, brut" in ia
    assert "soit 2 917 € à 3 750 € par mois" in ia
    assert "aux États-Unis" in ia and "100 000 $ à 150 000 $" in ia


def test_fiche_links_tags_to_the_filtered_listing_and_groups_formations_by_kind(client, portal_data):
    page = html(client.get(IA))
    assert '<a class="tag" href="/metiers/?centre_interet=j-aime-jongler-avec-les-chiffres">' in page
    assert '<a class="tag" href="/metiers/?secteur=recherche">Recherche</a>' in page
    assert '<a class="tag" href="/metiers/?statut=salarie">salarié</a>' in page
    kinds = re.findall(r'<h3 class="groupe__titre">([^<]+) <span', page)
    assert kinds[:3] == ["Diplôme d'ingénieur", "Master", "Mastère spécialisé"]
    assert 'href="/formations/' in page
    assert 'href="/metiers/ingenieur-traitement-de-l-image/"' in page  # related métier


def test_fiche_tags_follow_an_edit_at_once_in_the_order_of_the_menus(client, portal_data):
    metier = Metier.objects.get(slug="ingenieur-en-intelligence-artificielle")
    assert "aero-nouvelle" not in html(client.get(IA))
    metier.secteurs.add(Secteur.objects.create(libelle="Aéronautique nouvelle", slug="aero-nouvelle"))
    metier.statuts.clear()

    page = html(client.get(IA))
    secteurs = re.findall(r'<a class="tag" href="/metiers/\?secteur=([\w-]+)">', page)
    menu = html(client.get(LIST)).split('name="secteur"')[1].split("</select>")[0]
    linked = set(metier.secteurs.values_list("slug", flat=True))
    assert secteurs == [slug for slug in re.findall(r'<option value="([\w-]+)"', menu) if slug in linked]
    assert len(secteurs) >= 2 and secteurs[0] == "aero-nouvelle"
    assert "?statut=" not in page


def test_fiche_sections_are_sanitised(client, portal_data):
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(
        nature_travail='<p onclick="x()">Texte</p><script>alert(1)</script><a href="javascript:x">l</a>'
    )
    page = html(client.get(IMAGE))
    assert "<p>Texte</p>" in page
    assert "alert(1)" not in page and "javascript:" not in page and "onclick" not in page


def test_a_draft_fiche_is_not_found(client, portal_data):
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(publication="brouillon")
    response = client.get(IMAGE)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_related_drafts_are_not_shown_on_a_fiche(client, portal_data):
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(publication="brouillon")
    assert "traitement-de-l-image" not in html(client.get(IA)).split('id="metiers-associes"')[1]


# The fiche, then its appellations, formations, related métiers, sectors, statuses,
# interests, sources and salaries (see MetierQuerySet.for_fiche).
FICHE_READS = 9


def test_fiche_query_count(client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(FICHE_READS):
        page = html(client.get("/metiers/metier-03/"))
    assert "Métier de test 04" in page  # related métier, also counted


def test_with_the_cache_a_fiche_reads_its_own_rows_and_no_reference_list(client, settings, catalogue,
                                                                         django_assert_num_queries):
    settings.COUNT_CACHE = True
    cache.clear()
    client.get("/metiers/metier-03/")
    # The fiche's reads; the catalogue's version is read by the page cache, which a
    # visitor with a session skips.
    with django_assert_num_queries(FICHE_READS):
        sources = html(client.get("/metiers/metier-03/")).split('id="h-sources"')[1]
    assert catalogue.source.titre in sources
    # A source cited since is listed at once: the edit changed the catalogue's version.
    source = Source.objects.create(code="nouvelle", titre="Une source toute neuve", nature="article")
    Salaire.objects.create(
        metier=Metier.objects.get(slug="metier-03"), experience="confirme",
        periode="mensuel", nature="net", montant_min=4000, source=source,
    )
    assert "Une source toute neuve" in html(client.get("/metiers/metier-03/")).split('id="h-sources"')[1]
    cache.clear()


# Interests and levels ----------------------------------------------------------------------


def test_interest_index_and_page(client, portal_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        index = html(client.get("/centres-interet/"))
    assert '<a class="tuile" href="/centres-interet/j-aime-organiser-gerer/">' in index
    assert "1 métier</span>" in index
    with django_assert_max_num_queries(5):
        response = client.get("/centres-interet/j-aime-organiser-gerer/")
    assert titles(response) == ["Ingénieur/e traitement de l'image"]
    assert 'href="/metiers/?centre_interet=j-aime-organiser-gerer"' in html(response)


def test_interest_page_paginates_and_counts_queries(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get("/centres-interet/centre-a/", {"page": 2})
    assert result_count(response) == "20 métiers"
    assert "Page 2 sur 1" not in html(response)
    assert "Cette page n'existe pas" in html(response)


def test_interest_page_has_working_pagination_links(client, db):
    make_catalogue(70)
    page = html(client.get("/centres-interet/centre-a/", {"page": 1, "junk": "x"}))
    assert '<a class="button button--ghost" href="?page=2" rel="next">' in page
    assert "Page 1 sur 2" in page
    assert len(titles(client.get("/centres-interet/centre-a/", {"page": 2}))) == 4  # 24 in all


def test_level_index_and_page(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        index = html(client.get("/niveaux/"))
    assert index.count('class="tuile"') == 9
    with django_assert_max_num_queries(5):
        response = client.get("/niveaux/bac-5/")
    assert result_count(response) == "9 métiers"
    assert 'href="/metiers/?niveau_max=bac-5"' in html(response)


def test_unknown_interest_or_level_is_not_found(client, db):
    assert client.get("/centres-interet/inconnu/").status_code == 404
    assert client.get("/niveaux/bac-9/").status_code == 404


def test_an_interest_without_published_metier_has_no_page(client, db):
    # A reference no published fiche uses is not public (tests/metiers/test_draft_references.py).
    CentreInteret.objects.create(libelle="j'aime le calme", slug="calme")
    assert client.get("/centres-interet/calme/").status_code == 404


def test_appellations_without_gender_are_other_titles(client, portal_data):
    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    Appellation.objects.create(metier=metier, libelle="vision engineer", genre="neutre", langue="en")
    assert '<li class="tag tag--plain" lang="en">vision engineer' in html(client.get(IMAGE))


def test_sources_of_salaries_are_listed_on_the_fiche(client, portal_data):
    source = Source.objects.create(code="autre", titre="Une autre source", nature="article")
    Salaire.objects.create(
        metier=Metier.objects.get(slug="ingenieur-traitement-de-l-image"), experience="confirme",
        periode="mensuel", nature="net", montant_min=4000, source=source,
    )
    sources = html(client.get(IMAGE)).split('id="h-sources"')[1]
    assert "Une autre source" in sources


def test_title_first_results_without_a_count_key_share_no_cached_sizes(db, settings):
    settings.COUNT_CACHE = True
    Metier.objects.bulk_create(
        Metier(titre=f"{mot} {n}", slug=f"{mot}-{n}", publication="publie")
        for mot, nombre in (("alpha", 3), ("beta", 5)) for n in range(nombre)
    )
    alpha, beta = (
        listing.TitleFirstResults(matches, Q(titre__endswith="1"), ("titre", "pk"), None, scope=matches)
        for matches in (Metier.objects.filter(titre__startswith=mot) for mot in ("alpha", "beta"))
    )
    assert (alpha.count(), alpha.nb_titles) == (3, 1)
    assert (beta.count(), beta.nb_titles) == (5, 1)
    assert [m.titre for m in beta[0:5]] == ["beta 1", "beta 0", "beta 2", "beta 3", "beta 4"]


@pytest.mark.parametrize(
    ("params", "folded_on_phones"),
    [
        ({}, True),
        ({"q": "image"}, True),  # the search has its own field, above the panel
        ({"q": "image", "tri": "salaire"}, True),  # an order is no filter
        ({"niveau": "bac-5"}, False),
        ({"q": "image", "centre_interet": "j-aime-jongler-avec-les-chiffres"}, False),
        ({"niveau": "bac-99"}, True),  # ignored, so not applied
    ],
)
def test_the_filter_panel_says_whether_filters_of_its_own_apply(client, portal_data, params, folded_on_phones):
    # filtres.js folds the panel on a phone unless it is marked as holding active filters.
    page = client.get(LIST, params).content.decode()
    (panel,) = re.findall(r'<details class="panneau"[^>]*>', page)
    assert ("data-actifs" not in panel) == folded_on_phones

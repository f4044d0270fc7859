"""The tools in a real browser: compare from the selection, export a filtered listing,
print a fiche. Same Chromium and fixtures as tests/e2e (skipped without Chromium
locally, failing in CI)."""

import csv
import io
import re

import pytest

from tests.e2e.conftest import browser, page, site  # noqa: F401 — shared fixtures
from tests.e2e.support import accessibility_violations, new_page, screenshot
from tests.seeds import IA, IMAGE, ORGANISER

pytestmark = pytest.mark.browser


def add_to_selection(page, site, slug):
    page.goto(f"{site}/metiers/{slug}/")
    header = page.locator(".fiche__entete")
    header.get_by_role("button", name=re.compile("Ajouter à ma sélection")).click()
    page.wait_for_url(f"{site}/metiers/{slug}/")
    assert header.get_by_role("button", name=re.compile("Retirer de ma sélection")).is_visible()


@pytest.mark.parametrize("javascript", [False, True], ids=["sans-javascript", "avec-javascript"])
def test_compare_two_metiers_from_the_selection(site, browser, javascript):  # noqa: F811
    context = browser.new_context(java_script_enabled=javascript, locale="fr-FR")
    page = context.new_page()
    try:
        add_to_selection(page, site, IMAGE)
        add_to_selection(page, site, IA)
        page.goto(f"{site}/selection/")
        assert page.locator(".selection-liste__titre").all_inner_texts() == [
            "Ingénieur/e traitement de l'image", "Ingénieur/e en intelligence artificielle"]
        page.get_by_role("button", name="Comparer").click()
        page.wait_for_url(re.compile(r"/metiers/comparer/\?m="))
        headers = page.locator(".comparaison thead th").all_inner_texts()
        assert [h.splitlines()[0] for h in headers] == [
            "Ingénieur/e traitement de l'image", "Ingénieur/e en intelligence artificielle"]
        # Both métiers' bars are drawn on the shared euro scale.
        assert page.locator(".echelle-salaires").first.locator("rect").count() == 5
        screenshot(page, f"comparaison-{'js' if javascript else 'sans-js'}")
        # The address is shareable: a fresh browser sees the same comparison.
        other = browser.new_context(locale="fr-FR").new_page()
        other.goto(page.url)
        assert other.locator(".comparaison thead th").count() == 2
        other.context.close()
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [False, True], ids=["sans-javascript", "avec-javascript"])
def test_a_counsellor_shares_a_selection_and_a_student_keeps_part_of_it(site, browser, javascript):  # noqa: F811
    counsellor = browser.new_context(java_script_enabled=javascript, locale="fr-FR").new_page()
    student = browser.new_context(java_script_enabled=javascript, locale="fr-FR").new_page()
    try:
        add_to_selection(counsellor, site, IMAGE)
        add_to_selection(counsellor, site, IA)
        counsellor.goto(f"{site}/selection/")
        if javascript:  # axe-core runs as a script
            assert accessibility_violations(counsellor) == []
        link = counsellor.input_value("#lien-partage")
        copy = counsellor.get_by_role("button", name="Copier le lien")
        if javascript:
            copy.click()
            counsellor.get_by_role("button", name="Lien copié").wait_for(timeout=5000)
        else:
            # Buttons that only a script can work are not shown without one.
            assert copy.is_hidden()
            assert counsellor.locator("[data-imprimer]").is_hidden()
        screenshot(counsellor, f"selection-partage-{'js' if javascript else 'sans-js'}")

        student.goto(link)
        assert student.locator("h1").inner_text() == "Sélection partagée"
        assert student.locator(".selection-liste__titre").all_inner_texts() == [
            "Ingénieur/e traitement de l'image", "Ingénieur/e en intelligence artificielle"]
        screenshot(student, f"selection-partagee-{'js' if javascript else 'sans-js'}")
        item = student.locator(".selection-liste__item").nth(1)
        item.get_by_role("button", name=re.compile("Ajouter à ma sélection")).click()
        student.wait_for_url(link.replace("http://", "http://", 1))
        assert item.get_by_role("button", name=re.compile("Retirer de ma sélection")).is_visible()
        student.goto(f"{site}/selection/")
        assert student.locator(".selection-liste__titre").all_inner_texts() == ["Ingénieur/e en intelligence artificielle"]
        # The counsellor's own selection is untouched.
        counsellor.goto(f"{site}/selection/")
        assert counsellor.locator(".selection-liste__titre").count() == 2
    finally:
        counsellor.context.close()
        student.context.close()


def test_export_a_filtered_listing(site, page):  # noqa: F811
    page.goto(f"{site}/metiers/?centre_interet={ORGANISER}")
    assert page.locator(".card").count() == 1
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("CSV")).click()
    download = info.value
    assert re.fullmatch(r"metiers-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert header[:2] == ["identifiant_onisep", "intitule"]
    assert [row[1] for row in rows] == ["ingénieur/e traitement de l'image"]


def pdf_pages(pdf):
    # Chromium writes one "/Type /Page" object per page (and one "/Type /Pages" tree).
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_a_fiche_prints_on_one_or_two_pages_with_its_address_and_date(site, page):  # noqa: F811
    page.goto(f"{site}/metiers/{IMAGE}/")
    page.emulate_media(media="print")
    footer = page.locator(".impression")
    assert footer.is_visible()
    assert f"{site}/metiers/{IMAGE}/" in footer.inner_text()
    assert not page.locator(".site-header nav").is_visible()
    assert not any(form.is_visible() for form in page.locator("form.selection-bouton").all())
    pdf = page.pdf(format="A4", print_background=False)
    assert 1 <= pdf_pages(pdf) <= 2, f"{pdf_pages(pdf)} pages"


@pytest.mark.parametrize("path", [
    f"/metiers/comparer/?m={IMAGE}&m={IA}",
    f"/quels-metiers/?centre_interet={ORGANISER}",
    "/selection/",
    f"/selection/partagee/?m={IMAGE}&m={IA}&m=inconnu",
])
def test_tool_pages_have_no_accessibility_violation(site, browser, path):  # noqa: F811
    violations = []
    for viewport in ("telephone", "bureau"):
        page = new_page(browser, viewport)
        try:
            page.goto(site + path)
            violations += [f"{viewport} : {v}" for v in accessibility_violations(page)]
        finally:
            page.context.close()
    assert violations == [], "\n".join(violations)

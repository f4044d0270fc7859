"""Every kind of page passes axe-core at WCAG 2.1 AA, on a phone and on a desktop;
a screenshot of each is kept in screenshots/ for people to look at."""

import pytest

from .support import VIEWPORTS, accessibility_violations, new_page, screenshot

ENSTA = "diplome-d-ingenieur-de-l-ecole-nationale-superieure-de-techniques-avancees-bretagne-for-5543"
PAGES = {
    "accueil": ("/", 200),
    "metiers": ("/metiers/", 200),
    "recherche": ("/metiers/?q=ingenieur+image", 200),
    "recherche-vide": ("/metiers/?q=zzzzzz", 200),
    "recherche-suggestion": ("/metiers/?q=ingenier+imge", 200),
    "filtres": ("/metiers/?niveau=bac-5&centre_interet=j-aime-jongler-avec-les-chiffres", 200),
    "fiche": ("/metiers/ingenieur-traitement-de-l-image/", 200),
    "formations": ("/formations/", 200),
    "formation": (f"/formations/{ENSTA}/", 200),
    "centres-interet": ("/centres-interet/", 200),
    "niveaux": ("/niveaux/", 200),
    "sources": ("/sources/", 200),
    "404": ("/metiers/ce-metier-n-existe-pas/", 404),
    "405": ("/selection/ajouter/", 405),
    # More parameters than Django reads: the 400 page, with its reason.
    "400": ("/metiers/?" + "&".join(f"secteur={i}" for i in range(1001)), 400),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_accessibility_violation(site, browser, name):
    path, status = PAGES[name]
    violations = []
    for viewport in VIEWPORTS:
        page = new_page(browser, viewport)
        try:
            response = page.goto(site + path)
            screenshot(page, f"{name}-{viewport}")
            assert response.status == status
            assert page.locator("html").get_attribute("lang") == "fr"
            violations += [f"{viewport} : {violation}" for violation in accessibility_violations(page)]
        finally:
            page.context.close()
    assert violations == [], "\n".join(violations)


def test_the_open_list_of_suggestions_has_no_accessibility_violation(site, browser):
    violations = []
    for viewport in VIEWPORTS:
        page = new_page(browser, viewport)
        try:
            page.goto(site + "/metiers/")
            page.locator("#q").press_sequentially("ingenieur", delay=30)
            page.get_by_role("listbox", name="Suggestions").get_by_role("option").first.wait_for()
            page.keyboard.press("ArrowDown")
            screenshot(page, f"suggestions-{viewport}")
            violations += [f"{viewport} : {violation}" for violation in accessibility_violations(page)]
        finally:
            page.context.close()
    assert violations == [], "\n".join(violations)

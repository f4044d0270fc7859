"""What a student and a counsellor do on the portal, in a real browser."""

import re

import pytest

from .support import VIEWPORTS, new_page, screenshot

IMAGE = "ingénieur/e traitement de l'image"
IA = "ingénieur/e en intelligence artificielle"
CHIFFRES = "j-aime-jongler-avec-les-chiffres"


def result_titles(page):
    return [title.casefold() for title in page.locator(".card h3 a, .card h2 a").all_inner_texts()]


def heading(page):
    # Headings may be capitalised for display; the words are what matters.
    return page.locator("h1").inner_text().casefold()


def test_student_searches_opens_the_fiche_follows_a_formation_and_comes_back(site, page):
    page.goto(site + "/")
    page.fill("#q", "ingenieur image")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/metiers/\?(.*&)?q=ingenieur\+image"))
    assert result_titles(page)[0] == IMAGE
    screenshot(page, "parcours-recherche")

    page.locator(".card").first.get_by_role("link", name=IMAGE).click()
    page.wait_for_url(f"{site}/metiers/ingenieur-traitement-de-l-image/")
    fiche_url = page.url
    assert heading(page) == IMAGE

    formation = page.locator("#formations a[href^='/formations/']").first
    formation_name = formation.inner_text()
    formation.click()
    page.wait_for_url(re.compile(r"/formations/[\w-]+/$"))
    assert heading(page) == formation_name.casefold()
    # The formation page leads back to the métiers it prepares for.
    assert IMAGE in result_titles(page)

    page.go_back()
    page.wait_for_url(fiche_url)
    assert heading(page) == IMAGE


def test_student_mistypes_and_follows_the_suggestion(site, page):
    page.goto(site + "/metiers/")
    page.fill("#q", "ingenier imge")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/metiers/\?(.*&)?q=ingenier\+imge"))
    suggestion = page.locator(".suggestion a")
    assert suggestion.inner_text() == "ingénieur image"
    screenshot(page, "parcours-suggestion")
    suggestion.click()
    page.wait_for_url(re.compile(r"/metiers/\?q=ing%C3%A9nieur\+image$"))
    assert result_titles(page)[0] == IMAGE
    assert page.input_value("#q") == "ingénieur image"
    assert page.locator(".suggestion").count() == 0


@pytest.mark.parametrize("javascript", [False, True], ids=["sans-javascript", "avec-javascript"])
def test_counsellor_filters_and_shares_the_url(site, browser, javascript):
    context = browser.new_context(java_script_enabled=javascript, locale="fr-FR")
    page = context.new_page()
    page.goto(site + "/metiers/")
    choices = [
        lambda: page.select_option("select[name=niveau]", "bac-5"),
        lambda: page.check(f"input[name=centre_interet][value={CHIFFRES}]"),
    ]
    for choose in choices:
        if javascript:
            # With JavaScript, each choice applies at once.
            with page.expect_navigation():
                choose()
        else:
            choose()
    if not javascript:
        page.locator("#filtres button[type=submit]").click()
    page.wait_for_url(re.compile(rf"niveau=bac-5.*centre_interet={CHIFFRES}|centre_interet={CHIFFRES}.*niveau=bac-5"))
    titles = result_titles(page)
    count = page.locator("#nb-resultats").inner_text()
    shared_url = page.url
    context.close()

    assert sorted(titles) == sorted([IA, IMAGE])
    assert count.startswith("2 ")

    fresh = new_page(browser)
    try:
        fresh.goto(shared_url)
        assert result_titles(fresh) == titles
        assert fresh.locator("#nb-resultats").inner_text() == count
        assert fresh.locator("select[name=niveau]").input_value() == "bac-5"
        assert fresh.locator(f"input[name=centre_interet][value={CHIFFRES}]").is_checked()
    finally:
        fresh.context.close()


def test_counsellor_finds_the_metiers_in_strong_demand(site, page):
    page.goto(site + "/")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("métiers à forte demande")).click()
    chips = [text.replace("\xa0", " ") for text in page.locator(".chip").all_inner_texts()]
    assert len(chips) == 1 and chips[0].startswith("Demande de recrutement : forte ou très forte")
    assert page.locator("select[name=demande]").input_value() == "forte"
    # The image engineer's sources say nothing of the demand: it is left out.
    assert IMAGE not in result_titles(page) and IA in result_titles(page)
    assert len(result_titles(page)) == int(page.locator("#nb-resultats").inner_text().split()[0])

    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("intelligence artificielle", re.IGNORECASE)).first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Les métiers où elle est au moins aussi forte").click()
    assert page.locator("select[name=demande]").input_value() == "tres_forte"
    assert IA in result_titles(page)


def type_search(page, address, text):
    """Open ``address``, type ``text`` in the search field key by key; the suggestions shown."""
    page.goto(address)
    page.locator("#q").press_sequentially(text, delay=30)
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    options.first.wait_for()
    return options


def test_student_picks_a_suggestion_with_the_keyboard(site, page):
    options = type_search(page, site + "/", "ingenieur im")
    assert [text.casefold() for text in options.all_inner_texts()] == [
        IMAGE, "rechercher «\u00a0ingenieur im\u00a0» dans toutes les fiches",
    ]
    assert page.locator("#q").get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.locator("#q").get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert options.first.get_attribute("aria-selected") == "true"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + "/metiers/ingenieur-traitement-de-l-image/"


def test_escape_closes_the_suggestions_and_enter_still_searches(site, page):
    type_search(page, site + "/", "ingenieur")
    page.keyboard.press("Escape")
    assert page.get_by_role("listbox").is_hidden()
    assert page.locator("#q").get_attribute("aria-expanded") == "false"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + "/metiers/?q=ingenieur"


def test_a_misspelt_search_is_respelt_from_the_suggestions_and_keeps_the_filters(site, page):
    options = type_search(page, site + "/metiers/?secteur=recherche", "ingenier imge")
    assert options.all_inner_texts() == [
        "Vouliez-vous dire\u00a0« ingénieur image\u00a0»\u00a0?",
        "Rechercher «\u00a0ingenier imge\u00a0» dans toutes les fiches",
    ]
    with page.expect_navigation():
        options.first.click()
    assert page.locator("#q").input_value() == "ingénieur image"
    assert page.locator("select[name=secteur]").input_value() == "recherche"
    assert result_titles(page)[0] == IMAGE


def test_erasing_the_search_forgets_its_suggestions(site, page):
    type_search(page, site + "/", "ingenieur")
    for _ in range(len("ingenieur") - 1):
        page.keyboard.press("Backspace")
    page.wait_for_timeout(400)  # longer than the script's wait after the last key
    page.keyboard.press("ArrowDown")
    assert page.get_by_role("listbox", name="Suggestions").is_hidden()
    assert page.locator("#q").get_attribute("aria-expanded") == "false"


def test_on_a_phone_a_search_shows_its_results_before_the_filters(site, browser):
    page = new_page(browser, "telephone")
    try:
        page.goto(site + "/metiers/?q=ingenieur+image")
        assert page.locator("details.panneau").evaluate("panel => panel.open") is False
        assert page.locator(".card").first.is_visible()
        # The number of results within the first screen; the first card just below it.
        assert page.locator("#nb-resultats").bounding_box()["y"] < VIEWPORTS["telephone"]["height"]
        assert page.locator(".card").first.bounding_box()["y"] < 1.5 * VIEWPORTS["telephone"]["height"]
        screenshot(page, "telephone-recherche")
        # A filter of the panel keeps it open, to show what applies.
        page.goto(site + "/metiers/?q=ingenieur+image&niveau=bac-5")
        assert page.locator("details.panneau").evaluate("panel => panel.open") is True
    finally:
        page.context.close()

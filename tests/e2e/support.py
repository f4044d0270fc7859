"""Helpers shared by the browser tests: the system Chromium, viewports, screenshots, axe-core."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
# Screenshots are for people to look at; the folder is ignored by git.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
VIEWPORTS = {
    "telephone": {"width": 390, "height": 844},
    "bureau": {"width": 1280, "height": 900},
}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def new_page(browser, viewport="bureau"):
    """A page in a fresh context: no cookies, history or cache shared with other pages."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="fr-FR")
    context.set_default_timeout(10_000)
    return context.new_page()


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def accessibility_violations(page):
    """axe-core's WCAG 2.1 AA violations on the page, one readable line per element."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return [
        f"{violation['id']} ({violation['impact']}): {' '.join(node['target'])} — {node['failureSummary']}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]

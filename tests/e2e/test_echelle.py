"""The access-level scale of the cards, drawn by the style sheet, looks like the fiche's SVG one."""

import base64

import pytest

# Reads pixels of a PNG (a data URL) as [r, g, b] at the given points; run on a blank page,
# outside the portal's content security policy.
PIXELS = """async ([url, points]) => {
  const image = new Image();
  image.src = url;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  return points.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3)));
}"""

# The fiche's SVG scale: the colour of its steps, by state.
SVG_COLOURS = """() => Object.fromEntries(["dessous", "atteint", "au-dessus"].map((state) => {
  const rect = document.querySelector(".echelle__marche--" + state);
  return [state, getComputedStyle(rect).fill.match(/\\d+/g).slice(0, 3).map(Number)];
}))"""

STEP, WIDTH, STEPS = 11, 9, 9


def close(colour, expected):
    return all(abs(a - b) <= 4 for a, b in zip(colour, expected, strict=True))


def pixels(browser, png, points):
    blank = browser.new_page()
    try:
        url = "data:image/png;base64," + base64.b64encode(png).decode()
        return blank.evaluate(PIXELS, [url, points])
    finally:
        blank.close()


@pytest.mark.parametrize("rang", [None, 0, 5, 8])
def test_card_scale_colours_the_steps_below_at_and_above_the_level(site, browser, page, rang):
    page.goto(site + "/metiers/ingenieur-traitement-de-l-image/")
    colours = page.evaluate(SVG_COLOURS)
    page.goto(site + "/metiers/")
    bar = page.locator(".card .echelle__barre").first
    assert "echelle__barre--5" in bar.get_attribute("class")  # the seed fiches are at bac + 5
    if rang != 5:
        bar.evaluate("(el, name) => { el.className = 'echelle__barre echelle__barre--' + name; }",
                     "aucun" if rang is None else str(rang))
    box = bar.bounding_box()
    assert (box["width"], box["height"]) == (STEP * STEPS, 10)

    middles = [(i * STEP + WIDTH // 2, 5) for i in range(STEPS)]
    gaps = [(i * STEP + WIDTH, 5) for i in range(STEPS - 1)]
    found = pixels(browser, bar.screenshot(), middles + gaps)
    steps, between = found[:STEPS], found[STEPS:]

    for i, colour in enumerate(steps):
        state = "dessous" if rang is None or i < rang else "atteint" if i == rang else "au-dessus"
        assert close(colour, colours[state]), (i, state, colour, colours)
    # The mask leaves the card's background between the steps.
    background = page.locator(".card").first.evaluate(
        "el => getComputedStyle(el).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)")
    assert all(close(colour, background) for colour in between), (between, background)

"""In a real browser, at every phone width: no line starts with « : », « ; », « ? », « ! »
or a closing guillemet, none ends on an opening one, and « bac + 5 » is never cut."""

import pytest

# For each sign, the characters that must share its line: the last one of the word before
# it, or the first one of the word after an opening guillemet. Offsets run over the
# page's text as one string, across elements, as the line breaker sees it; text for screen
# readers only (one pixel wide, so one character per line) is left out.
SPLIT_LINES = """() => {
  const chars = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(".visually-hidden")) continue;
    for (let i = 0; i < node.data.length; i++) chars.push([node, i]);
  }
  const text = chars.map(([node, i]) => node.data[i]).join("");
  const range = document.createRange();
  const top = (k) => {
    const [node, i] = chars[k];
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rect = range.getBoundingClientRect();
    return rect.height ? rect.top : null;
  };
  const pairs = [];
  for (const m of text.matchAll(/(\\S)\\s([:;?!»])/g)) pairs.push([m.index, m.index + 2]);
  for (const m of text.matchAll(/(«)\\s(\\S)/g)) pairs.push([m.index, m.index + 2]);
  for (const m of text.matchAll(/bac\\s\\+\\s\\d/g)) pairs.push([m.index, m.index + 6]);
  const split = [];
  for (const [a, b] of pairs) {
    const [ta, tb] = [top(a), top(b)];
    if (ta !== null && tb !== null && Math.abs(ta - tb) > 2) {
      split.push(text.slice(Math.max(a - 20, 0), b + 10).replace(/\\s+/g, " "));
    }
  }
  return {split, pairs: pairs.length};
}"""

PAGES = [
    "/metiers/ingenieur-traitement-de-l-image/",
    "/metiers/ingenieur-en-intelligence-artificielle/",
    "/metiers/ingenieur-systemes-embarques-et-ia/",
    "/sources/",
    "/metiers/?q=ingenier+imge",
    "/selection/partagee/?m=ingenieur-traitement-de-l-image&m=inconnu",
]
WIDTHS = range(280, 481, 8)


@pytest.mark.parametrize("path", PAGES)
def test_no_line_breaks_inside_french_spacing_at_any_phone_width(site, page, path):
    page.goto(site + path)
    splits = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        found = page.evaluate(SPLIT_LINES)
        # The fiche has such spots to check, or the test checks nothing.
        assert found["pairs"] >= 3
        if found["split"]:
            splits[width] = found["split"]
    assert splits == {}


# The height of each label of the sources' facts, against the first one's (« Nature »).
FACT_LABELS = """() => Array.from(document.querySelectorAll(".card__facts--liste dt"),
  (dt) => [dt.textContent, dt.getBoundingClientRect().height])"""


def test_the_labels_of_the_sources_facts_hold_on_one_line_at_any_width(site, page):
    page.goto(site + "/sources/")
    wrapped = {}
    for width in [*WIDTHS, 768, 1024, 1280]:
        page.set_viewport_size({"width": width, "height": 800})
        labels = page.evaluate(FACT_LABELS)
        assert "Consulté le" in {text for text, _ in labels}
        one_line = labels[0][1]
        wrapped.update({(width, text): height for text, height in labels if height > one_line + 1})
    assert wrapped == {}

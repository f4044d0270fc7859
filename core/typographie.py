"""French typography at display time: the spaces that must not break a line.

In French a space comes before « : ; ! ? » and inside guillemets; with an ordinary space a
narrow screen can put the sign alone at the start of a line. A level (« bac + 5 ») and an
amount with its unit (« 45 % ») read as one word too. Texts are stored with ordinary spaces
(the importers fold non-breaking ones, which are layout) and get non-breaking ones when
shown; the portal's own template texts write them as ``&nbsp;``.

Safe on sanitised HTML: a space next to one of these signs is never part of a tag's syntax,
only of its text or of an attribute's value (where a non-breaking space is as good), and the
result adds no markup.
"""

import re

NBSP = "\u00a0"

# One pass over the text (the signs are rare, the spaces are not): an opening guillemet
# and its space, a space before a sign, a space before « + digit ».
_PATTERN = re.compile(r"« | ([»:;!?€%])| \+ ?(?=\d)")


def insecables(texte):
    """The text with non-breaking spaces where French typography wants them."""
    if not texte:
        return texte

    def remplacer(match):
        signe = match.group(1)
        avant = texte[max(match.start() - 3, 0):match.start()]
        if signe is None and match.group(0) == "« ":
            return "«" + NBSP
        if signe is None:
            # « bac + 5 », not « 3 + 2 » nor « C++ 20 »
            return NBSP + "+" + NBSP if avant.lower() == "bac" else match.group(0)
        if signe in "€%" and not avant[-1:].isdigit():
            return match.group(0)
        return NBSP + signe

    return _PATTERN.sub(remplacer, texte)

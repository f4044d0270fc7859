"""The one place where HTML from outside (imports, editors) is made safe to show."""

import nh3

ALLOWED_TAGS = {
    "p", "br", "h3", "h4", "h5", "ul", "ol", "li", "strong", "em", "b", "i", "a", "abbr",
    "blockquote", "dl", "dt", "dd",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def clean_html(markup):
    """Keep a small list of tags; drop scripts, styles, event handlers and unsafe links."""
    return nh3.clean(
        markup or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )

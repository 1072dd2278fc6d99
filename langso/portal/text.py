"""Articles' Markdown, rendered and made safe.

markdown-it-py renders CommonMark with raw HTML off; nh3 then keeps only the tags,
attributes and URL schemes listed here, so neither a script, an event handler nor a
`javascript:` link can reach a reader, whatever the editor typed or pasted.
"""

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)

TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(source: str) -> str:
    """Safe HTML for `source`; headings start at h2 (the page's title is the h1)."""
    html = _md.render(source or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_summary(source: str, length: int = 200) -> str:
    """The first words of `source` without markup, for a summary left empty."""
    text = nh3.clean(_md.render(source or ""), tags=set()).replace("\n", " ").strip()
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"

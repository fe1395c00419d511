"""The safe Markdown subset that report text is written in.

Staff write paragraphs, bold, italics, lists, links and simple tables. Raw HTML is refused
when the text is saved (so nobody is surprised by a silently dropped tag), never rendered
(markdown-it runs with ``html`` off), and whatever comes out is passed through nh3's
allow-list sanitiser as a last line of defence.
"""

import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}

_HTML_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9-]*|!--)")


def validate_markdown_source(text: str) -> None:
    """Refuse raw HTML with a message that names the tag found."""
    match = _HTML_TAG.search(text or "")
    if match:
        raise ValidationError(
            _("正文不能包含 HTML 标签（发现“<%(tag)s”），请改用 Markdown 格式。")
            % {"tag": match.group(1)},
            code="html",
        )


def render_markdown(text: str) -> str:
    """Markdown source to sanitised HTML."""
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )

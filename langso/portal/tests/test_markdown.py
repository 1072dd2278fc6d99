"""Articles' text is Markdown rendered to HTML that can carry nothing active (issue 17 §2)."""

from html.parser import HTMLParser

from langso.portal.text import render_markdown


class Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML (text stays text)."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html):
    return Elements(html).found


def test_a_script_typed_in_the_text_reaches_nobody():
    html = render_markdown("Xin chào <script>alert('x')</script> bà con")
    assert "<script" not in html
    assert [tag for tag, _attrs in elements(html)] == ["p"]
    assert "Xin chào" in html


def test_event_handlers_are_removed_from_raw_html_and_images():
    html = render_markdown('<img src="x.png" onerror="alert(1)">\n\n![ảnh](https://a.vn/x.png)')
    found = elements(html)
    assert all(not name.startswith("on") for _tag, attrs in found for name in attrs)
    assert [tag for tag, _attrs in found] == ["p", "p", "img"]
    assert '<img src="https://a.vn/x.png" alt="ảnh">' in html


def test_javascript_links_do_not_survive():
    html = render_markdown("[bấm vào](javascript:alert(1)) và [trang xã](https://xa.gov.vn)")
    hrefs = [attrs.get("href", "") for tag, attrs in elements(html) if tag == "a"]
    assert hrefs == ["https://xa.gov.vn"]
    assert 'href="https://xa.gov.vn"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_markdown_becomes_headings_lists_and_emphasis_under_the_pages_title():
    html = render_markdown("# Lịch tiêm\n\n- **Thứ Hai**: thôn Bình Chiến\n- *Thứ Ba*: Đồng Tâm")
    assert "<h2>Lịch tiêm</h2>" in html and "<h1>" not in html
    assert "<li><strong>Thứ Hai</strong>: thôn Bình Chiến</li>" in html
    assert "<em>Thứ Ba</em>" in html

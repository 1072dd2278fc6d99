"""What a background job's page shows of its progress, read the same way for every job."""

from html.parser import HTMLParser


class _JobStatus(HTMLParser):
    def __init__(self):
        super().__init__()
        self.shape = None
        self._depth = 0  # inside the status block: how many tags deep
        self._in_strong = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.shape is None and attrs.get("id") == "job-status":
            self.shape = {
                "polls": attrs.get("hx-get"),
                "every": attrs.get("hx-trigger"),
                "status": "",
                "progress": None,
            }
            self._depth = 1
            return
        if not self._depth:
            return
        self._depth += tag not in ("input", "br", "img")
        if tag == "progress":
            self.shape["progress"] = (attrs.get("value"), attrs.get("max"))
        self._in_strong = self._in_strong or tag == "strong"

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
            if tag == "strong":
                self._in_strong = False

    def handle_data(self, data):
        if self._depth and self._in_strong:
            self.shape["status"] += data.strip()


def job_status(html):
    """{polls: URL polled or None, every: trigger, status: text, progress: (value, max)}
    of the page's job status block, or None when the page has none."""
    parser = _JobStatus()
    parser.feed(html)
    return parser.shape

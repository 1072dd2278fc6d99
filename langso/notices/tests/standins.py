"""Stand-ins for the outside services notices go through: real HTTP servers on
loopback speaking the providers' documented protocols (see channels.py).

`ZaloStandIn` serves the ZNS template-message call and the OA token refresh:
access tokens expire, refresh tokens are single-use, the daily quota runs out,
phones that are not on Zalo get -118. `SmsStandIn` is an eSMS-style brandname
gateway that refuses a RequestId it has seen ("124"), blocked numbers ("99") and
sends nothing once the balance is gone ("103"). It can also hold its answers after
a number of messages (`hold_answers_after`), so that a test can kill the sender at a
known point: the message went out, its answer has not come back yet.
"""

import itertools
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler

from langso.test import LoopbackServer


class _StandIn(LoopbackServer):
    def __init__(self):
        self.lock = threading.Lock()
        super().__init__(self._handler())

    def holds_answer(self):
        """Whether the answer just worked out waits for `release()` (never, by default)."""
        return False

    def wait_for_release(self):
        pass

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                with standin.lock:
                    status, reply = standin.handle(self.path, self.headers, raw)
                    held = standin.holds_answer()
                if held:
                    standin.wait_for_release()
                body = json.dumps(reply).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    if not held:
                        raise
                    # The sender went away (was killed) while its answer was held.

            def log_message(self, *args):
                pass

        return Handler


class ZaloStandIn(_StandIn):
    APP_ID = "4321"
    SECRET = "bi-mat-ung-dung"
    TEMPLATE = "312345"

    def __init__(self, *, zalo_phones=(), daily_quota=1000, refresh_token="rt-0"):
        super().__init__()
        self.zalo_phones = set(zalo_phones)
        self.daily_quota = daily_quota
        self.refresh_tokens = {refresh_token}
        self.access_tokens = set()
        self.sent = []
        self.refreshes = 0
        self.failures = 0  # answer the next n sends with HTTP 500
        self._ids = itertools.count(1)

    def expire_tokens(self):
        self.access_tokens.clear()

    def handle(self, path, headers, raw):
        if path.startswith("/v4/oa/access_token"):
            return self.refresh(headers, urllib.parse.parse_qs(raw))
        if path.startswith("/message/template"):
            return self.send(headers, json.loads(raw))
        return 404, {"error": -1, "message": "Not found"}

    def refresh(self, headers, form):
        value = lambda name: (form.get(name) or [""])[0]  # noqa: E731
        if headers.get("secret_key") != self.SECRET or value("app_id") != self.APP_ID:
            return 200, {"error": -14002, "error_name": "Invalid app"}
        token = value("refresh_token")
        if value("grant_type") != "refresh_token" or token not in self.refresh_tokens:
            return 200, {"error": -14020, "error_name": "Invalid refresh token"}
        self.refresh_tokens.discard(token)  # single use
        n = next(self._ids)
        access, refresh = f"at-{n}", f"rt-{n}"
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        self.refreshes += 1
        return 200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}

    def send(self, headers, body):
        if self.failures:
            self.failures -= 1
            return 500, {"error": -100, "message": "Internal error"}
        if headers.get("access_token") not in self.access_tokens:
            return 200, {"error": -124, "message": "Access token không hợp lệ"}
        if body.get("template_id") != self.TEMPLATE:
            return 200, {"error": -109, "message": "Template ID không hợp lệ"}
        if len(self.sent) >= self.daily_quota:
            return 200, {"error": -144, "message": "OA đã vượt quá giới hạn gửi ZNS trong ngày"}
        phone = body.get("phone", "")
        if phone not in self.zalo_phones:
            return 200, {"error": -118, "message": "Zalo account not existed"}
        self.sent.append(body)
        remaining = self.daily_quota - len(self.sent)
        return 200, {
            "error": 0,
            "message": "Success",
            "data": {
                "msg_id": f"msg{len(self.sent)}",
                "sent_time": "1714529559833",
                "quota": {"dailyQuota": str(self.daily_quota), "remainingQuota": str(remaining)},
            },
        }


class SmsStandIn(_StandIn):
    API_KEY = "khoa-api"
    SECRET = "khoa-bi-mat"

    def __init__(self, *, balance=1000, blocked=()):
        super().__init__()
        self.balance = balance
        self.blocked = set(blocked)
        self.request_ids = set()
        self.sent = []
        self.failures = 0
        self.hold_after = None
        self.holding = threading.Event()  # set once an answer is held
        self.released = threading.Event()
        self.released.set()

    def hold_answers_after(self, count):
        """Answer the first `count` messages, then hold every later answer.

        A held message is handled (sent, counted in `sent`) but its answer waits until
        `release()`; `holding` is set as soon as the first answer is held.
        """
        self.hold_after = count
        self.released.clear()

    def release(self):
        """Let the held answers go (to whoever is still listening) and hold no more."""
        self.hold_after = None
        self.released.set()

    def holds_answer(self):
        if self.hold_after is None or len(self.sent) <= self.hold_after:
            return False
        self.holding.set()
        return True

    def wait_for_release(self):
        self.released.wait()

    def handle(self, path, headers, raw):
        if self.failures:
            self.failures -= 1
            return 503, {"CodeResult": "99", "ErrorMessage": "Service unavailable"}
        body = json.loads(raw)
        if body.get("ApiKey") != self.API_KEY or body.get("SecretKey") != self.SECRET:
            return 200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}
        if body.get("RequestId") in self.request_ids:
            return 200, {"CodeResult": "124", "ErrorMessage": "Request exist 1"}
        if body.get("Phone") in self.blocked:
            return 200, {"CodeResult": "99", "ErrorMessage": "Phone blocked"}
        if self.balance <= 0:
            return 200, {"CodeResult": "103", "ErrorMessage": "Balance not enough"}
        self.balance -= 1
        self.request_ids.add(body.get("RequestId"))
        self.sent.append(body)
        return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": f"sms{len(self.sent)}"}


class LoudspeakerStandIn(LoopbackServer):
    """A loudspeaker controller speaking the push protocol of docs/notices.md: multipart
    form data with `schedule` (JSON) and `audio` (MP3), a bearer token; it answers 503 to
    the first `fail_first` pushes, 401 to a wrong token, and 200 with its own id."""

    TOKEN = "khoa-bo-dieu-khien-0042"
    PATH = "/push"

    def __init__(self, fail_first=0):
        import email.parser
        import email.policy

        self.fail_first = fail_first
        self.received = []  # (schedule dict, audio bytes)
        self.attempts = 0
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                standin.attempts += 1
                if self.headers.get("Authorization") != f"Bearer {standin.TOKEN}":
                    return self.answer(401, {"error": "bad token"})
                if standin.fail_first > 0:
                    standin.fail_first -= 1
                    return self.answer(503, {"error": "busy"})
                message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                    f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + raw
                )
                parts = {
                    part.get_param("name", header="content-disposition"): part.get_content()
                    for part in message.iter_parts()
                }
                schedule = parts["schedule"]
                schedule = json.loads(schedule if isinstance(schedule, str) else schedule.decode())
                standin.received.append((schedule, parts["audio"]))
                return self.answer(200, {"id": f"ctl-{len(standin.received)}"})

            def answer(self, status, reply):
                body = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(Handler)

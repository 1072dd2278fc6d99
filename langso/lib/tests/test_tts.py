"""Speech engines and the loudspeaker MP3 (domain.md §10), read back with ffprobe."""

import io
import json
import math
import struct
import subprocess
import wave
from http.server import BaseHTTPRequestHandler

import pytest

from langso.lib.speech import normalise
from langso.lib.tts import (
    BITRATE,
    EspeakEngine,
    HttpEngine,
    SpeechError,
    broadcast_mp3,
    probe,
    recording_mp3,
    voice_for_province,
)
from langso.test import LoopbackServer

SHORT = "Thông báo họp thôn lúc 19h30."
LONG = (
    "Ủy ban nhân dân xã thông báo: từ ngày 15/03/2026 đến ngày 20/03/2026, các hộ gia đình"
    " mang CCCD và thẻ BHYT đến nhà văn hóa thôn để rà soát thông tin. Mỗi hộ được hỗ trợ"
    " 170.000.000 đ để sửa nhà. Mọi thắc mắc xin gọi 0912 345 678 trong giờ hành chính."
)
CHIMES_AND_PAUSES = 2 * 0.62 + 0.8  # two chimes of ~0.62 s, 0.4 s of quiet each side


def test_espeak_speech_is_an_mp3_of_the_loudspeaker_format():
    mp3 = broadcast_mp3(normalise(SHORT), EspeakEngine())
    found = probe(mp3)
    assert found.codec == "mp3"
    assert found.channels == 1
    assert abs(found.bit_rate - int(BITRATE[:-1]) * 1000) < 4000
    # The chimes and pauses, and at least a second of speech.
    assert found.duration > CHIMES_AND_PAUSES + 1


def test_a_longer_text_makes_proportionally_longer_audio():
    short = probe(broadcast_mp3(normalise(SHORT), EspeakEngine())).duration
    long = probe(broadcast_mp3(normalise(LONG), EspeakEngine())).duration
    short_words = len(normalise(SHORT).split())
    long_words = len(normalise(LONG).split())
    assert long > short
    # espeak-ng at 150 words a minute: each word (a syllable in Vietnamese) 0.15–0.6 s.
    speech = long - CHIMES_AND_PAUSES
    assert 0.15 * long_words < speech < 0.6 * long_words
    assert (long - short) / (long_words - short_words) < 0.6


@pytest.mark.parametrize("voice", ["vi", "vi-vn-x-central", "vi-vn-x-south"])
def test_each_regional_voice_speaks(voice):
    assert probe(broadcast_mp3("xin chào bà con", EspeakEngine(voice=voice))).duration > 2


@pytest.mark.parametrize(
    ("code", "voice"),
    [
        ("01", "vi"),
        ("14", "vi"),
        ("38", "vi"),
        ("40", "vi-vn-x-central"),
        ("48", "vi-vn-x-central"),
        ("66", "vi-vn-x-central"),
        ("68", "vi-vn-x-south"),
        ("79", "vi-vn-x-south"),
        ("96", "vi-vn-x-south"),
        ("", "vi"),
        (None, "vi"),
    ],
)
def test_the_province_picks_the_regional_voice(code, voice):
    assert voice_for_province(code) == voice


def test_empty_text_is_refused():
    with pytest.raises(SpeechError):
        broadcast_mp3("  ", EspeakEngine())


def _wav(seconds):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        frames = int(seconds * 16000)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(8000 * math.sin(2 * math.pi * 220 * i / 16000)))
                for i in range(frames)
            )
        )
    return buffer.getvalue()


class TtsStandIn(LoopbackServer):
    """A speech service speaking the protocol of docs/notices.md: 0.1 s of sound per letter."""

    TOKEN = "khoa-dich-vu"
    PATH = "/tts"

    def __init__(self):
        self.requests = []
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                standin.requests.append((dict(self.headers), json.loads(raw)))
                if self.headers.get("Authorization") != f"Bearer {standin.TOKEN}":
                    body, status, kind = b'{"error": "unauthorised"}', 401, "application/json"
                else:
                    text = json.loads(raw)["text"]
                    body, status, kind = _wav(0.1 * len(text)), 200, "audio/wav"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(Handler)


def test_the_http_engine_speaks_the_protocol_and_its_audio_is_broadcast():
    with TtsStandIn() as service:
        engine = HttpEngine(url=service.url, token=TtsStandIn.TOKEN, voice="hn-nu")
        mp3 = broadcast_mp3("xin chào", engine)
    _headers, body = service.requests[0]
    assert body == {"text": "xin chào", "voice": "hn-nu", "language": "vi"}
    found = probe(mp3)
    assert found.codec == "mp3" and found.channels == 1
    # 8 letters → 0.8 s of the service's sound, inside the chimes and pauses.
    assert abs(found.duration - (0.8 + CHIMES_AND_PAUSES)) < 0.35


def test_the_http_engine_reports_a_refusal():
    with TtsStandIn() as service:
        engine = HttpEngine(url=service.url, token="sai", voice="")
        with pytest.raises(SpeechError, match="401"):
            engine.synthesise("xin chào")


def test_an_unreachable_service_is_a_speech_error():
    with TtsStandIn() as service:
        url = service.url
    with pytest.raises(SpeechError):
        HttpEngine(url=url).synthesise("xin chào")


def _browser_recording(seconds):
    """What MediaRecorder uploads: Opus in WebM."""
    return subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=300:duration={seconds}",
            "-c:a",
            "libopus",
            "-f",
            "webm",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
    ).stdout


def test_a_browser_recording_becomes_the_same_mp3():
    mp3 = recording_mp3(_browser_recording(3))
    found = probe(mp3)
    assert found.codec == "mp3" and found.channels == 1
    assert abs(found.duration - (3 + CHIMES_AND_PAUSES)) < 0.35


@pytest.mark.parametrize(
    "data",
    [b"", b"not audio at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, b"<html></html>"],
)
def test_a_file_that_is_not_sound_is_refused(data):
    with pytest.raises(SpeechError):
        recording_mp3(data)

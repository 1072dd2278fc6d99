"""Speech engines and loudspeaker audio: text → speech → MP3 with a chime before and after.

An engine turns normalised text (`langso.lib.speech.normalise`) into audio in any format
ffmpeg reads; `broadcast_mp3` wraps it in the loudspeaker format: MP3, mono, 64 kb/s,
22.05 kHz, a short two-tone chime (made here with ffmpeg's sine source), a pause, the
speech, a pause and the chime again. `recording_mp3` does the same to a person's own
recording after checking by its content (ffprobe) that it is audio of a sane length.

Engines:

- `EspeakEngine`: espeak-ng's Vietnamese voices, offline (the default). The voices are
  Northern (`vi`), Central (`vi-vn-x-central`) and Southern (`vi-vn-x-south`)
  (domain.md §10); `voice_for_province` picks one from the province's code.
- `HttpEngine`: a text-to-speech service over HTTP, for a commune that subscribes to a
  cloud voice. The protocol (docs/notices.md): `POST <url>` with
  `Authorization: Bearer <token>` and the JSON body `{"text": …, "voice": …,
  "language": "vi"}`; the answer is 200 with the audio as the body (`audio/mpeg`,
  `audio/wav`, `audio/ogg` …), or an error status with `{"error": "…"}`.
"""

import json
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

VOICES = {
    "vi": "Northern",
    "vi-vn-x-central": "Central",
    "vi-vn-x-south": "Southern",
}
DEFAULT_VOICE = "vi"
SAMPLE_RATE = 22050
BITRATE = "64k"
# LAME's speed/quality trade (0 best … 9 fastest): 7 halves the encoding time of the
# default with no difference a loudspeaker in a village square can carry.
COMPRESSION = "7"
MAX_RECORDING_SECONDS = 15 * 60
HTTP_TIMEOUT = 30
TOOL_TIMEOUT = 120


class SpeechError(Exception):
    """The audio could not be made (an engine or ffmpeg failed, or an upload is not audio)."""


class Engine(Protocol):
    def synthesise(self, text: str) -> bytes:
        """Speech for `text` (already normalised), in a format ffmpeg reads."""
        ...


def voice_for_province(code: str | None) -> str:
    """The espeak-ng voice of the region a province is in, from its 2-digit code.

    Codes run north to south (domain.md §1, 01 Hà Nội … 96 Cà Mau): up to Thanh Hóa (38)
    the North, from Nghệ An (40) to Đắk Lắk/Đắk Nông (67) the Centre and the Central
    Highlands, from Lâm Đồng (68) on the South. The commune may choose another.
    """
    try:
        number = int((code or "")[-2:])
    except ValueError:
        return DEFAULT_VOICE
    if number < 40:
        return "vi"
    if number < 68:
        return "vi-vn-x-central"
    return "vi-vn-x-south"


def _run(command: list[str], data: bytes = b"") -> bytes:
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=TOOL_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SpeechError(f"{command[0]}: {error}") from error
    if done.returncode != 0:
        raise SpeechError(f"{command[0]}: {done.stderr.decode(errors='replace')[-300:]}")
    return done.stdout


@dataclass
class EspeakEngine:
    voice: str = DEFAULT_VOICE
    words_per_minute: int = 150

    def synthesise(self, text: str) -> bytes:
        voice = self.voice if self.voice in VOICES else DEFAULT_VOICE
        command = ["espeak-ng", "-v", voice, "-s", str(self.words_per_minute), "--stdout"]
        return _run(command, text.encode())


@dataclass
class HttpEngine:
    url: str
    token: str = ""
    voice: str = ""

    def synthesise(self, text: str) -> bytes:
        body = json.dumps({"text": text, "voice": self.voice, "language": "vi"}).encode()
        headers = {"Content-Type": "application/json", "Accept": "audio/*"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                audio = response.read()
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            raise SpeechError(f"The speech service answered HTTP {error.code}.") from error
        except OSError as error:
            raise SpeechError(f"The speech service is unreachable: {error}") from error
        if not audio or kind.startswith(("application/json", "text/")):
            raise SpeechError("The speech service sent no audio.")
        return audio


@dataclass
class Probe:
    duration: float
    codec: str
    channels: int
    bit_rate: int


def probe(data: bytes) -> Probe:
    """What ffprobe finds in `data`; SpeechError when it holds no audio."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as file:
        file.write(data)
        file.flush()
        raw = _run(
            [
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "format=duration,bit_rate:stream=codec_type,codec_name,channels,duration",
                "-of",
                "json",
                file.name,
            ]
        )
    found = json.loads(raw or b"{}")
    audio = [s for s in found.get("streams", []) if s.get("codec_type") == "audio"]
    if not audio:
        raise SpeechError("No audio found in the file.")
    video = [
        s
        for s in found.get("streams", [])
        if s.get("codec_type") == "video" and s.get("codec_name") not in ("mjpeg", "png")
    ]
    if video:
        raise SpeechError("The file holds video, not only sound.")
    fmt = found.get("format", {})

    def number(value: object) -> float:
        try:
            return float(str(value))
        except ValueError:
            return 0.0

    duration = number(fmt.get("duration")) or number(audio[0].get("duration"))
    return Probe(
        duration=duration,
        codec=audio[0].get("codec_name", ""),
        channels=int(audio[0].get("channels") or 0),
        bit_rate=int(number(fmt.get("bit_rate"))),
    )


def _chime(label: str) -> str:
    """Two soft rising tones, ~0.6 s, made from sine waves (no recorded sound)."""
    tone = f"aformat=sample_fmts=fltp:sample_rates={SAMPLE_RATE}:channel_layouts=mono"
    return (
        f"sine=frequency=784:duration=0.22:sample_rate={SAMPLE_RATE},volume=0.35,"
        f"afade=t=out:st=0.15:d=0.07,{tone}[{label}a];"
        f"sine=frequency=1047:duration=0.4:sample_rate={SAMPLE_RATE},volume=0.35,"
        f"afade=t=out:st=0.1:d=0.3,{tone}[{label}b];"
        f"[{label}a][{label}b]concat=n=2:v=0:a=1[{label}]"
    )


def _wrap(source: Path) -> bytes:
    tone = f"aformat=sample_fmts=fltp:sample_rates={SAMPLE_RATE}:channel_layouts=mono"
    graph = ";".join(
        [
            _chime("c1"),
            _chime("c2"),
            f"[0:a]aresample={SAMPLE_RATE},{tone},adelay=400,apad=pad_dur=0.4[s]",
            "[c1][s][c2]concat=n=3:v=0:a=1[out]",
        ]
    )
    command = ["ffmpeg", "-nostdin", "-v", "error", "-i", str(source), "-filter_complex", graph]
    command += ["-map", "[out]", "-ac", "1", "-ar", str(SAMPLE_RATE), "-b:a", BITRATE]
    command += ["-c:a", "libmp3lame", "-compression_level", COMPRESSION, "-f", "mp3", "pipe:1"]
    return _run(command)


def to_broadcast(audio: bytes) -> bytes:
    """Any audio ffmpeg reads, as the loudspeaker MP3 with its chimes."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "speech"
        source.write_bytes(audio)
        mp3 = _wrap(source)
    if not mp3:
        raise SpeechError("ffmpeg made no audio.")
    return mp3


def broadcast_mp3(text: str, engine: Engine) -> bytes:
    """The loudspeaker MP3 of `text` (already normalised) spoken by `engine`."""
    if not text.strip():
        raise SpeechError("There is no text to read.")
    return to_broadcast(engine.synthesise(text))


def recording_mp3(data: bytes) -> bytes:
    """A person's own recording, checked by its content, as the loudspeaker MP3."""
    found = probe(data)
    if found.duration > MAX_RECORDING_SECONDS:
        raise SpeechError("The recording is too long.")
    return to_broadcast(data)

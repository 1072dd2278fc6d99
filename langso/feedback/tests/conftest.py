import io

import pytest
from PIL import Image

from langso.feedback import actions
from langso.feedback.models import Category, Report


def jpeg_bytes(size=(64, 48), exif=None, color=(200, 120, 40)):
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def gps_exif(lat=(21, 2, 30.0), lon=(105, 50, 15.0)):
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", lat, "E", lon
    exif[0x0110] = "Phone 12"  # camera model
    return exif


@pytest.fixture(autouse=True)
def feedback_defaults(db):
    """The categories and holidays of migration 0002, again if a demo test flushed them."""
    from langso.feedback.defaults import ensure_defaults

    ensure_defaults()


@pytest.fixture
def roads():
    return Category.objects.get(code="roads")


@pytest.fixture
def report(world, roads):
    return actions.submit_report(
        acting_user=None,
        hamlet=world.hamlet,
        category=roads,
        text="Cống qua đường đầu thôn bị vỡ, nước tràn mặt đường.",
        channel=Report.Channel.WEB,
        reporter_phone="0912345678",
        source_ip="10.0.0.1",
    )

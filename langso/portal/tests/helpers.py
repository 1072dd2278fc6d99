import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from langso.portal import actions


def photo(name="anh.jpg", size=(2400, 1600), exif=True):
    """A JPEG as a phone takes it: large, with EXIF naming the camera and the place."""
    image = Image.new("RGB", size, (30, 120, 60))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (21.0, 10.0, 0.0)}  # GPS latitude
        image.save(out, "JPEG", exif=data.tobytes())
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def article(
    world,
    title="Tiêm chủng mở rộng tháng 12",
    *,
    body="Nội dung **bài**.",
    at=None,
    summary="Lịch tiêm tại trạm y tế xã.",
    publish=True,
    **fields,
):
    item = actions.save_article(
        None,
        acting_user=None,
        commune=world.commune,
        title=title,
        body=body,
        summary=summary,
        **fields,
    )
    if publish:
        actions.publish_article(item, acting_user=None, at=at)
    return item

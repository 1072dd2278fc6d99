"""The demo commune's public site: contacts, a banner, a dozen news articles with small
generated photos (the procedures come with the portal's migration)."""

import io
import random
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from langso.accounts.models import User
from langso.portal import actions
from langso.portal.models import Article, Site

ORDER = 90

CATEGORIES = ["Tin hoạt động", "Nông thôn mới", "Y tế – giáo dục", "An ninh – trật tự"]

ARTICLES = [
    (
        "Ra quân tổng vệ sinh môi trường đón Tết",
        0,
        "Các thôn đồng loạt dọn vệ sinh đường làng, khơi thông cống rãnh.",
    ),
    (
        "Khánh thành nhà văn hoá thôn Bình Chiến",
        1,
        "Công trình do Nhà nước và Nhân dân cùng làm, hoàn thành sau 8 tháng.",
    ),
    (
        "Lịch tiêm chủng mở rộng tháng này",
        2,
        "Trạm y tế xã tiêm vắc-xin cho trẻ dưới 5 tuổi vào ngày 15 hằng tháng.",
    ),
    (
        "Bê tông hoá 1,2 km đường trục thôn",
        1,
        "Bà con góp tiền, ngày công và hiến đất để mở rộng đường.",
    ),
    (
        "Hội nghị tiếp xúc cử tri",
        0,
        "Đại biểu Hội đồng nhân dân tiếp thu ý kiến cử tri về nước sạch và điện.",
    ),
    (
        "Tập huấn kỹ thuật trồng cà phê",
        1,
        "Hơn 60 hộ dự lớp tập huấn về tỉa cành, bón phân hợp lý.",
    ),
    (
        "Ra mắt mô hình camera an ninh",
        3,
        "Tám camera đặt tại các ngã ba giúp giữ gìn an ninh thôn xóm.",
    ),
    ("Khai giảng lớp học bơi cho học sinh", 2, "Phòng chống đuối nước mùa hè cho trẻ em trong xã."),
    (
        "Trao nhà tình nghĩa cho gia đình chính sách",
        0,
        "Ngôi nhà mới trị giá 80 triệu đồng do các nhà hảo tâm ủng hộ.",
    ),
    (
        "Phòng chống dịch tả lợn châu Phi",
        2,
        "Người chăn nuôi cần báo ngay cho thú y xã khi lợn có dấu hiệu bệnh.",
    ),
    ("Tuyên dương học sinh giỏi năm học", 2, "Xã khen thưởng 45 học sinh đạt thành tích cao."),
    (
        "Cảnh báo lừa đảo qua điện thoại",
        3,
        "Không chuyển tiền, không cung cấp mã OTP cho người lạ gọi điện.",
    ),
]

BODY = """{summary}

## Diễn biến

Sáng nay, tại {commune}, đông đảo cán bộ và Nhân dân đã tham gia. Ông Trưởng thôn cho biết:
bà con rất phấn khởi, **mỗi hộ cử ít nhất một người** tham gia.

- Thời gian: từ 7 giờ sáng
- Địa điểm: nhà văn hoá các thôn
- Liên hệ: bộ phận một cửa của xã

Mọi thắc mắc xin liên hệ [Ủy ban nhân dân xã](https://dichvucong.gov.vn).
"""

OFFICE_HOURS = """Thứ Hai – Thứ Sáu, sáng: 7:30 – 11:30
Chiều: 13:30 – 17:00
Sáng thứ Bảy: tiếp nhận hồ sơ hộ tịch"""
CONTACTS = """Chủ tịch UBND xã — 0912 000 111
Công chức tư pháp – hộ tịch — 0912 000 222
Công an xã — 0912 000 333"""

COLOURS = [(46, 125, 50), (21, 101, 192), (198, 40, 40), (239, 108, 0), (106, 27, 154)]


def _photo(rng, index, width=640, height=400):
    """A small photo-like picture: a gradient of sky and fields, with a sun."""
    top, bottom = rng.choice(COLOURS), rng.choice(COLOURS)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    x = 80 + (index * 97) % (width - 160)
    draw.ellipse([x, 40, x + 70, 110], fill=(255, 220, 90))
    draw.polygon([(0, height), (width // 2, height * 2 // 3), (width, height)], fill=(60, 140, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"anh-{index}.jpg", out.getvalue(), content_type="image/jpeg")


def build(commune, *, as_of, seed, log):
    rng = random.Random(f"portal-{seed}")
    editor = User.objects.filter(username="bientap").first()
    actions.save_site(
        Site.objects.filter(commune=commune).first() or Site(commune=commune),
        acting_user=None,
        tagline=f"Trang thông tin điện tử {commune}",
        address=f"Trụ sở Ủy ban nhân dân {commune}",
        phone="0212 3845 123",
        email="ubnd@example.vn",
        office_hours=OFFICE_HOURS,
        contacts=CONTACTS,
        banner=_photo(rng, 99, 1200, 450),
        banner_alt=f"Cánh đồng và đồi chè của {commune}",
    )
    categories = [actions.add_category(commune, acting_user=None, name=n) for n in CATEGORIES]
    noon = timezone.make_aware(datetime.combine(as_of, time(9, 0)))
    for index, (title, category, summary) in enumerate(ARTICLES):
        article = actions.save_article(
            None,
            acting_user=None,
            commune=commune,
            title=title,
            summary=summary,
            body=BODY.format(summary=summary, commune=commune),
            category=categories[category],
            image_alt=summary,
            photo=_photo(rng, index),
        )
        article.author = editor
        article.save(update_fields=["author"])
        actions.publish_article(article, acting_user=None, at=noon - timedelta(days=index * 7 + 1))
    # One draft and one scheduled for tomorrow, for the editor's list.
    draft = actions.save_article(
        None, acting_user=None, commune=commune, title="Bản nháp: kế hoạch lễ hội mùa xuân",
        body="Đang soạn.",
    )  # fmt: skip
    actions.publish_article(
        actions.save_article(
            None, acting_user=None, commune=commune, title="Thông báo lịch cắt điện",
            body="Điện lực thông báo cắt điện để bảo dưỡng lưới.",
        ),
        acting_user=None,
        at=noon + timedelta(days=1),
    )  # fmt: skip
    count = Article.objects.filter(commune=commune).count()
    log(f"Public site: {count} articles ({draft.title!r} a draft), contacts and banner.")

"""The demo commune's residents' feedback: a few hundred reports over the last year across
categories and hamlets, most answered (some late), some overdue, some with small photos,
a few entered from a Zalo group. Written in bulk so that the demo stays fast; the actions
(and their notices) are exercised by the tests, not here."""

import io
import random
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from langso.accounts.models import User
from langso.feedback import tallies
from langso.feedback.defaults import ensure_defaults
from langso.feedback.models import Category, Holiday, Photo, Report, new_code
from langso.places.models import Unit

ORDER = 30
REPORTS = 300
PHOTOS = 12

TEXTS = {
    "roads": ["Cống ngang đường bị vỡ, nước tràn mặt đường.", "Ổ gà lớn trên đường liên thôn."],
    "electricity": ["Bóng đèn đường ngõ 3 không sáng.", "Dây điện võng thấp qua đường."],
    "water": ["Mương thoát nước bị tắc, ngập khi mưa.", "Nước sinh hoạt bị đục."],
    "environment": ["Rác tồn đọng ở điểm tập kết đầu thôn.", "Đốt rơm rạ gây khói."],
    "security": ["Thanh niên tụ tập gây ồn về đêm.", "Trâu bò thả rông trên đường."],
    "land": ["Xây tường lấn lối đi chung.", "Hỏi về thủ tục cấp giấy chứng nhận."],
    "social": ["Đề nghị xem xét lại hộ cận nghèo.", "Hỏi chế độ trợ cấp người cao tuổi."],
    "procedures": ["Hỏi thủ tục đăng ký khai sinh.", "Chứng thực bản sao mất nhiều thời gian."],
    "other": ["Đề nghị sửa loa truyền thanh thôn.", "Góp ý giờ làm việc của bộ phận một cửa."],
}
ANSWERS = [
    "Thôn đã phối hợp với xã khắc phục xong.",
    "Đã kiểm tra hiện trường và xử lý theo quy định.",
    "UBND xã đã giao bộ phận chuyên môn giải quyết, kết quả đã thông báo tới người dân.",
]


def _photo(rng: random.Random, label: str) -> bytes:
    image = Image.new("RGB", (320, 240), (rng.randint(80, 200), rng.randint(80, 200), 120))
    ImageDraw.Draw(image).text((10, 10), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def build(commune, *, as_of, seed, log):
    ensure_defaults()
    rng = random.Random(seed * 7 + 14)
    hamlets = list(Unit.objects.current().filter(parent=commune, kind=Unit.Kind.HAMLET))
    categories = list(Category.objects.filter(active=True))
    if not hamlets or not categories:
        return
    users = {u.username: u for u in User.objects.filter(username__in=["truongthon", "canbo"])}
    calendar = Holiday.calendar()
    zone = timezone.get_current_timezone()
    reports = []
    for index in range(REPORTS):
        category = rng.choice(categories)
        hamlet = rng.choice(hamlets)
        received_day = as_of - timedelta(days=rng.randint(0, 364))
        received = datetime.combine(received_day, time(rng.randint(7, 20), rng.randint(0, 59)))
        received = received.replace(tzinfo=zone)
        due = calendar.add_working_days(received_day, category.deadline_days)
        channel = rng.choices(
            ["web", "app", "in_person", "phone", "meeting", "zalo"], [40, 15, 15, 12, 8, 10]
        )[0]
        report = Report(
            code=new_code(),
            commune=commune,
            hamlet=hamlet,
            unit_path=hamlet.path,
            category=category,
            text=rng.choice(TEXTS.get(category.code, TEXTS["other"])),
            channel=channel,
            received_at=received,
            due_on=due,
            assigned_unit=hamlet if category.handler_kind == "hamlet" else commune,
            reporter_phone=f"09{rng.randint(10000000, 99999999)}" if rng.random() < 0.5 else "",
            entered_by=users.get("truongthon") if channel in ("zalo", "phone", "meeting") else None,
            is_public=rng.random() < 0.85,
        )
        age = (as_of - received_day).days
        if age > 20 or (age > 3 and rng.random() < 0.6):
            working = rng.randint(1, category.deadline_days + 4)
            answered_day = calendar.add_working_days(received_day, working)
            if answered_day > as_of:
                answered_day = as_of
            report.state = rng.choice([Report.State.ANSWERED, Report.State.CLOSED])
            report.answer = rng.choice(ANSWERS)
            report.answered_at = datetime.combine(answered_day, time(15)).replace(tzinfo=zone)
            report.answered_by = users.get("canbo")
            report.days_to_answer = calendar.working_days_between(received_day, answered_day)
            report.answered_on_time = answered_day <= due
            report.rating = rng.choices(["satisfied", "not_satisfied", ""], [60, 15, 25])[0]
            if report.state == Report.State.CLOSED:
                report.closed_at = report.answered_at + timedelta(days=7)
        elif index % 25 == 0:
            report.state = Report.State.DECLINED
            report.decline_reason = Report.Decline.OUT_OF_SCOPE
            report.decline_note = "Thuộc thẩm quyền của điện lực."
        else:
            report.state = rng.choice(
                [Report.State.RECEIVED, Report.State.ASSIGNED, Report.State.IN_PROGRESS]
            )
        reports.append(report)
    Report.objects.bulk_create(reports, batch_size=500)
    answered = list(Report.objects.filter(commune=commune).exclude(answer="")[:PHOTOS])
    for number, report in enumerate(answered, start=1):
        photo = Photo(report=report, kind=Photo.Kind.ANSWER, width=320, height=240)
        photo.image.save(
            f"demo-{report.code}.jpg", ContentFile(_photo(rng, f"{number}")), save=True
        )
    tallies.rebuild(commune)  # written in bulk: the figures are counted once, here
    overdue = Report.objects.filter(commune=commune).overdue(as_of).count()
    log(f"feedback: {len(reports)} reports ({overdue} overdue), {len(answered)} with photos")

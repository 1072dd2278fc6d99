"""The demo commune's party organisation: a committee, a cell per hamlet, a year of work.

`build_party` runs at the end of the registry demo (`langso.demo.registry.build`) for
the demo commune only. Members are residents of the hamlets, picked by one
`random.Random(seed)` in primary-key order, and every date is counted from `as_of`, so
the same seed on the same day gives the same party data. Organisations, documents,
questions, admission targets, the cells' ratings and the coming meetings go through
`langso.party.actions`; the many small rows of the past year (members, invitations,
readings, answers, fee months) are written with `bulk_create`.

What a visitor should find: the secretary `bithu` runs the Bình Chiến cell and
`dangvien` is one of its members, with invitations and documents to read; a meeting
next week with answers pending; a probationary member whose probation ends within a
month; a member three months behind with the fee this year; study questions; last
year's ratings; candidates for admission at several stages.
"""

import json
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from functools import lru_cache
from pathlib import Path

import typst
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from langso.accounts.models import User
from langso.lib.dates import add_months, month_start
from langso.lib.pdf import FONT_DIRS
from langso.lib.vietnamese import fold, official_date
from langso.notices.models import Notice, Reach
from langso.party import actions
from langso.party.models import (
    Activity,
    Answer,
    Candidate,
    Document,
    FeeMonth,
    FeeSchedule,
    Invitation,
    Meeting,
    Member,
    Organisation,
    Rating,
    Reading,
    admission_age_check,
    rating_level,
)
from langso.places.models import Unit
from langso.registry.models import Person

TERM = ("2025–2030", date(2025, 7, 1), date(2030, 6, 30))
MIN_CELL = 5  # a secretary, a deputy and at least three full members
SIGNER = "Lê Văn Thắng"  # the demo's `danguy`, who signs for the committee

EXCUSES = [
    "Đi làm ăn xa, chưa về kịp.",
    "Ốm, đang điều trị tại trạm y tế.",
    "Bận việc gia đình (đám cưới con).",
    "Đi công tác theo phân công của xã.",
    "Tuổi cao, sức yếu, xin vắng.",
]
THEMES = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Chuyển đổi số ở thôn, bản: sổ tay đảng viên điện tử",
    "Phát triển kinh tế hộ gia đình, giảm nghèo bền vững",
    "Phòng, chống cháy rừng và giữ gìn an ninh trật tự",
]
CANDIDATE_NOTES = [
    "Bí thư chi đoàn thôn, tích cực trong phong trào thanh niên.",
    "Quân nhân xuất ngũ, gương mẫu ở địa phương.",
    "Giáo viên trường tiểu học của xã.",
    "Trưởng ban công tác Mặt trận thôn.",
    "Hộ sản xuất, kinh doanh giỏi, giúp đỡ nhiều hộ thoát nghèo.",
    "Y tá trạm y tế xã, nhiệt tình với bà con.",
]

# (days before as_of, kind, number, title, summary, tags, body paragraphs, questions)
DOCUMENTS = [
    (
        330,
        Document.Kind.RESOLUTION,
        "01-NQ/ĐU",
        "Nghị quyết về phát triển kinh tế nông nghiệp gắn với xây dựng nông thôn mới",
        "Mục tiêu đến năm 2030: thu nhập bình quân tăng 1,5 lần, mỗi thôn, bản có ít nhất "
        "một mô hình sản xuất liên kết, tỷ lệ hộ nghèo giảm 2–3 % mỗi năm.",
        "nông nghiệp, nông thôn mới, giảm nghèo",
        [
            "Đảng bộ xã xác định phát triển nông nghiệp hàng hóa là nhiệm vụ trọng tâm của "
            "nhiệm kỳ; mỗi chi bộ thôn, bản xây dựng kế hoạch cụ thể và phân công đảng viên "
            "phụ trách từng nhóm hộ.",
            "Mục tiêu đến năm 2030: thu nhập bình quân đầu người tăng ít nhất 1,5 lần so "
            "với năm 2025; mỗi thôn, bản có ít nhất một mô hình sản xuất liên kết theo chuỗi "
            "giá trị; tỷ lệ hộ nghèo giảm bình quân 2–3 % mỗi năm.",
            "Đảng viên gương mẫu đi đầu chuyển đổi cây trồng, vật nuôi; vận động nhân dân "
            "hiến đất, góp công làm đường giao thông nội đồng.",
        ],
        [
            (
                "Đến năm 2030, thu nhập bình quân đầu người của xã phấn đấu tăng bao nhiêu lần "
                "so với năm 2025?",
                ["1,2 lần", "1,5 lần", "2 lần"],
                2,
            ),
            (
                "Mỗi thôn, bản cần có ít nhất bao nhiêu mô hình sản xuất liên kết?",
                ["Một mô hình", "Ba mô hình", "Không quy định"],
                1,
            ),
        ],
    ),
    (
        250,
        Document.Kind.GUIDANCE,
        "03-HD/ĐU",
        "Hướng dẫn nội dung sinh hoạt chi bộ thường kỳ và chuyên đề",
        "Chi bộ sinh hoạt thường kỳ mỗi tháng một lần; sinh hoạt chuyên đề ít nhất mỗi quý "
        "một lần. Giấy mời gửi trước ít nhất ba ngày.",
        "sinh hoạt chi bộ, chuyên đề",
        [
            "Chi bộ sinh hoạt thường kỳ mỗi tháng một lần vào thời gian cố định do chi ủy "
            "thống nhất; sinh hoạt chuyên đề ít nhất mỗi quý một lần.",
            "Giấy mời và nội dung sinh hoạt gửi đến đảng viên trước ít nhất ba ngày qua sổ "
            "tay đảng viên điện tử; đảng viên cao tuổi không dùng điện thoại thông minh được "
            "bí thư chi bộ hoặc tổ trưởng báo tin trực tiếp.",
            "Biên bản sinh hoạt ghi rõ số đảng viên có mặt, vắng có lý do, vắng không lý do "
            "và các kết luận của chi bộ.",
        ],
        [
            (
                "Chi bộ sinh hoạt chuyên đề ít nhất bao lâu một lần?",
                ["Mỗi tháng", "Mỗi quý", "Mỗi năm"],
                2,
            ),
            (
                "Giấy mời sinh hoạt chi bộ gửi trước ít nhất bao nhiêu ngày?",
                ["Một ngày", "Ba ngày", "Bảy ngày"],
                2,
            ),
            (
                "Đảng viên không dùng điện thoại thông minh được báo tin thế nào?",
                [
                    "Không cần báo",
                    "Bí thư hoặc tổ trưởng báo trực tiếp",
                    "Chỉ dán thông báo ở nhà văn hóa",
                ],
                2,
            ),
        ],
    ),
    (
        160,
        Document.Kind.DIRECTIVE,
        "05-CT/ĐU",
        "Chỉ thị về tăng cường công tác phát triển đảng viên ở thôn, bản",
        "Mỗi chi bộ thôn, bản giới thiệu quần chúng ưu tú, ưu tiên đoàn viên thanh niên, "
        "quân nhân xuất ngũ; không để thôn, bản nào không kết nạp được đảng viên trong năm.",
        "phát triển đảng viên, kết nạp",
        [
            "Ban Thường vụ Đảng ủy yêu cầu mỗi chi bộ thôn, bản lập danh sách quần chúng ưu "
            "tú, phân công đảng viên chính thức giúp đỡ từng người.",
            "Ưu tiên giới thiệu đoàn viên thanh niên, quân nhân xuất ngũ, người có uy tín "
            "trong đồng bào dân tộc thiểu số; phấn đấu không để thôn, bản nào không kết nạp "
            "được đảng viên trong năm.",
        ],
        [
            (
                "Ai được ưu tiên giới thiệu để bồi dưỡng kết nạp?",
                [
                    "Đoàn viên thanh niên, quân nhân xuất ngũ",
                    "Chỉ cán bộ xã",
                    "Người trên 60 tuổi",
                ],
                1,
            ),
        ],
    ),
    (
        75,
        Document.Kind.RESOLUTION,
        "04-NQ/ĐU",
        "Nghị quyết về lãnh đạo chuyển đổi số ở xã",
        "Đến hết năm, 100 % chi bộ dùng sổ tay đảng viên điện tử trong sinh hoạt; đảng viên "
        "trẻ giúp đảng viên cao tuổi cài đặt và sử dụng.",
        "chuyển đổi số, sổ tay đảng viên",
        [
            "Đảng ủy xã thống nhất đưa sổ tay đảng viên điện tử vào sinh hoạt của tất cả chi "
            "bộ: giấy mời, tài liệu học tập và thống kê dự họp đều qua sổ tay.",
            "Mỗi đảng viên trẻ giúp ít nhất một đảng viên cao tuổi cài đặt và sử dụng; chi bộ "
            "báo cáo tỷ lệ cài đặt và sử dụng hằng tháng về Văn phòng Đảng ủy.",
        ],
        [
            (
                "Ai giúp đảng viên cao tuổi cài đặt và sử dụng sổ tay điện tử?",
                ["Cán bộ huyện", "Đảng viên trẻ trong chi bộ", "Không ai"],
                2,
            ),
            (
                "Chi bộ báo cáo tỷ lệ sử dụng sổ tay bao lâu một lần?",
                ["Hằng tháng", "Hằng quý", "Cuối nhiệm kỳ"],
                1,
            ),
        ],
    ),
    (
        20,
        Document.Kind.DIRECTIVE,
        "07-CT/ĐU",
        "Chỉ thị về phòng, chống cháy rừng mùa khô",
        "Các chi bộ phân công đảng viên trực phòng cháy ở các khu rừng giáp thôn, bản; "
        "tuyên truyền bà con không đốt nương trong những ngày nắng nóng cao điểm.",
        "phòng cháy, rừng",
        [
            "Mùa khô năm nay dự báo nắng nóng kéo dài; các chi bộ phân công đảng viên trực "
            "phòng cháy ở các khu rừng giáp thôn, bản.",
            "Tuyên truyền bà con không đốt nương, đốt rác gần rừng trong những ngày nắng nóng "
            "cao điểm; phát hiện cháy báo ngay cho Ban Chỉ huy phòng cháy xã.",
        ],
        [],
    ),
]

# A document as the commune committee issues it. Everything shown comes from the JSON in
# `sys.inputs.data` and is placed as a value, never read as markup (see langso/lib/pdf.py).
DOCUMENT_TEMPLATE = """
#let d = json(bytes(sys.inputs.data))
#set document(title: d.title)
#set text(font: "DejaVu Serif", size: 12pt, lang: "vi")
#set par(justify: true, leading: 0.6em, first-line-indent: 1.2em)
#set page(paper: "a4", margin: (x: 25mm, top: 20mm, bottom: 20mm),
  footer: align(center, text(size: 8pt, style: "italic")[#d.footer]))
#grid(columns: (1fr, 1.2fr), align(center)[
  #text(weight: "bold")[#d.issuer] \\ \\* \\ Số #d.number
], align(center)[
  #text(weight: "bold")[ĐẢNG CỘNG SẢN VIỆT NAM] \\ #line(length: 45%, stroke: 0.6pt)
  #v(2pt) #text(style: "italic")[#d.dateline]
])
#v(14pt)
#align(center, text(size: 14pt, weight: "bold")[#upper(d.kind)])
#align(center, text(weight: "bold")[#d.title])
#v(10pt)
#for paragraph in d.body [#paragraph #parbreak()]
#v(16pt)
#align(right, block(width: 55%, align(center)[
  #text(weight: "bold")[T/M BAN THƯỜNG VỤ \\ BÍ THƯ] #v(36pt) #text(weight: "bold")[#d.signer]
]))
"""


def build_party(commune, *, as_of, seed, log):
    """Create the demo party organisation of `commune` (see the module's docstring)."""
    started = time.perf_counter()
    builder = _Builder(commune, as_of=as_of, rng=random.Random(seed))
    builder.build()
    # Readings, answers and invitation answers were written in bulk: count them per month.
    Activity.rebuild(Member.objects.filter(organisation__path__within=builder.committee.path))
    log(
        f"Party: {len(builder.cells)} cells, {len(builder.members):,} members, "
        f"{builder.counts['meetings']:,} meetings, {builder.counts['invitations']:,} "
        f"invitations, {len(builder.documents)} documents, "
        f"{builder.counts['readings']:,} readings, {builder.counts['fees']:,} fee months "
        f"({time.perf_counter() - started:.1f} s)."
    )
    return builder


def delete_party_demo():
    """Remove the party demo data, children first (persons and units are protected)."""
    organisations = Organisation.objects.filter(is_demo=True)
    Candidate.objects.filter(organisation__in=organisations).delete()
    Document.objects.filter(is_demo=True).delete()
    meetings = Meeting.objects.filter(Q(is_demo=True) | Q(organisation__in=organisations))
    # The planned meetings' invitations went out as notices, which hold on to the units.
    invitations = list(meetings.exclude(notice=None).values_list("notice_id", flat=True))
    meetings.delete()
    Notice.objects.filter(pk__in=invitations).delete()
    Member.objects.filter(Q(is_demo=True) | Q(organisation__in=organisations)).delete()
    for organisation in organisations.order_by("-path"):
        organisation.delete()


def _aware(day, hour=0, minute=0):
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def _age(person, day):
    return person.age_on(day)


class _Builder:
    def __init__(self, commune, *, as_of, rng):
        self.commune = commune
        self.as_of = as_of
        self.rng = rng
        self.today_start = _aware(as_of)
        self.cells = []  # (cell, hamlet)
        self.members = []
        self.by_cell = {}
        self.documents = []
        self.accounts = {}  # member pk -> user
        self.counts = dict.fromkeys(("meetings", "invitations", "readings", "fees"), 0)
        self.held = {}  # (cell pk, month) -> held_on of the regular meeting
        self.secretary = self.ordinary = self.warned = None  # of the first hamlet's cell
        users = User.objects.filter(is_demo=True, username__in=["danguy", "bithu", "dangvien"])
        self.users = {user.username: user for user in users}
        self.committee_user = self.users.get("danguy")

    def build(self):
        self._organisations()
        self._members()
        self._accounts()
        self._meetings()
        self._documents()
        self._admission()
        self._ratings()
        self._fees()

    # Organisations and members ------------------------------------------------------

    def _organisations(self):
        commune = self.commune
        self.committee = actions.create_organisation(
            acting_user=self.committee_user,
            name=f"Đảng bộ {_called(commune)}",
            kind=Organisation.Kind.COMMITTEE,
            unit=commune,
            is_demo=True,
        )
        hamlets = Unit.objects.filter(parent=commune, kind=Unit.Kind.HAMLET, is_demo=True)
        for hamlet in hamlets.order_by("pk"):
            cell = actions.create_organisation(
                acting_user=self.committee_user,
                name=f"Chi bộ {_called(hamlet)}",
                kind=Organisation.Kind.CELL,
                unit=hamlet,
                parent=self.committee,
                is_demo=True,
            )
            self.cells.append((cell, hamlet))

    def _members(self):
        rng, as_of = self.rng, self.as_of
        province = self.commune.path.split("/")[0]
        card_numbers = iter(rng.sample(range(100_000, 999_999), 5_000))
        latest_full = add_months(as_of, -13)
        for index, (cell, hamlet) in enumerate(self.cells):
            people = list(
                Person.objects.residents()
                .within(hamlet)
                .filter(birth_date__lte=as_of.replace(year=as_of.year - 19, day=1))
                .only("pk", "full_name", "sex", "birth_date", "birth_precision", "employment")
                .order_by("pk")
            )
            chosen = [person for person in people if rng.random() < _share(person, as_of)]
            picked = {person.pk for person in chosen}
            spare = [p for p in people if p.pk not in picked and 25 <= _age(p, as_of) <= 58]
            rng.shuffle(spare)
            while len(chosen) < MIN_CELL and spare:
                chosen.append(spare.pop())
            if not chosen:
                self.by_cell[cell.pk] = []
                continue
            # Admitted in the past year: between 20 and 45 now, a few in each cell.
            young = [p for p in chosen if 20 <= _age(p, as_of) <= 45]
            count = min(max(1, round(len(chosen) * 0.08)), len(young), len(chosen) - MIN_CELL)
            probationers = set(rng.sample(young, max(count, 0)))
            if not probationers:
                extra = next((p for p in spare if _age(p, as_of) <= 45), None)
                if extra is not None:
                    chosen.append(extra)
                    probationers.add(extra)
            chosen.sort(key=lambda person: person.pk)
            members = []
            soon = None
            for person in chosen:
                age = _age(person, as_of)
                member = Member(person=person, organisation=cell, is_demo=True)
                # Not a field: members without one get a Reach that has them told in person.
                member.has_smartphone = rng.random() >= _no_phone(age)
                if person in probationers:
                    member.status = Member.Status.PROBATIONARY
                    member.admitted_on = as_of - timedelta(days=rng.randint(40, 330))
                    if soon is None and index == 0:
                        # Probation ends in two weeks: the cell's reminder shows.
                        soon = member
                        member.admitted_on = add_months(as_of, -12) + timedelta(days=14)
                else:
                    member.admitted_on = _admission_day(person, rng, latest_full)
                    # Confirmed at a meeting after the probation's end, as the action allows.
                    confirmed = min(
                        member.probation_ends_on() + timedelta(days=rng.randint(0, 40)), as_of
                    )
                    if member.probation_is_over(confirmed):
                        member.status = Member.Status.FULL
                        member.full_member_on = confirmed
                        member.card_number = f"{province}.{next(card_numbers):06d}"
                    else:
                        member.status = Member.Status.PROBATIONARY
                _fee_basis(member, age, rng)
                members.append(member)
            self._positions(members, index)
            self.by_cell[cell.pk] = members
            self.members.extend(members)
        self._special_fees()
        Member.objects.bulk_create(self.members)
        Reach.objects.bulk_create(
            [Reach(person=m.person, no_phone=True) for m in self.members if not m.has_smartphone],
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=["no_phone"],
        )

    def _positions(self, members, index):
        rng, as_of = self.rng, self.as_of
        full = [m for m in members if m.status == Member.Status.FULL]
        pool = [m for m in full if 40 <= _age(m.person, as_of) <= 62] or full or members
        secretary = rng.choice(pool)
        secretary.position = Member.Position.SECRETARY
        others = [m for m in full if m is not secretary]
        rest = [m for m in others if _age(m.person, as_of) <= 60] or others
        if rest:
            deputy = rng.choice(rest)
            deputy.position = Member.Position.DEPUTY
            deputy.has_smartphone = True
        secretary.has_smartphone = True
        if index == 0:
            ordinary = [
                m
                for m in full
                if not m.position and 25 <= _age(m.person, as_of) <= 55 and m.has_smartphone
            ]
            women = [m for m in ordinary if m.person.sex == Person.Sex.FEMALE]
            choice = women or ordinary or [m for m in members if not m.position]
            self.ordinary = rng.choice(choice) if choice else None
            self.secretary = secretary

    def _special_fees(self):
        """The few members whose fee the committee treats apart."""
        rng = self.rng
        candidates = [m for m in self.members if not m.position and not m.exemption]
        if len(candidates) < 4:
            return
        ill, poor, hardship = rng.sample(candidates, 3)
        ill.exemption = Member.Exemption.SERIOUS_ILLNESS
        poor.exemption = Member.Exemption.POOR_HOUSEHOLD
        hardship.hardship_cut = 50
        hardship.hardship_until = add_months(month_start(self.as_of), 4)

    def _accounts(self):
        """Accounts for the members who use the handbook on their phone.

        Only `bithu` and `dangvien` can log in: the others have no password and no role,
        so the list of demo logins stays short, but they count as installed.
        """
        rng = self.rng
        links = []
        if self.cells and self.by_cell.get(self.cells[0][0].pk):
            links = [("bithu", self.secretary), ("dangvien", self.ordinary)]
        for username, member in links:
            user = self.users.get(username)
            if user is None or member is None:
                continue
            user.full_name = member.person.full_name
            user.person = member.person
            user.save(update_fields=["full_name", "person"])
            member.user = user
            self.accounts[member.pk] = user
        taken = set(
            User.objects.filter(username__startswith="dv-").values_list("username", flat=True)
        )
        new = []
        for number, (cell, _hamlet) in enumerate(self.cells, 1):
            for seat, member in enumerate(self.by_cell[cell.pk], 1):
                username = f"dv-{number}-{seat:03d}"
                if member.user or not member.has_smartphone or username in taken:
                    continue
                if rng.random() < 0.72:
                    user = User(
                        username=username,
                        full_name=member.person.full_name,
                        password=make_password(None),
                        person=member.person,
                        is_demo=True,
                    )
                    new.append((member, user))
        User.objects.bulk_create([user for _member, user in new])
        for member, user in new:
            member.user = user
            self.accounts[member.pk] = user
        Member.objects.bulk_update([m for m in self.members if m.user], ["user"])

    def _secretary_user(self, cell):
        if self.secretary is None or cell.pk != self.cells[0][0].pk:
            return None
        return self.accounts.get(self.secretary.pk)

    # Meetings -----------------------------------------------------------------------

    def _meetings(self):
        rng, as_of = self.rng, self.as_of
        meetings, plans = [], []
        for index, (cell, hamlet) in enumerate(self.cells):
            members = self.by_cell[cell.pk]
            if not members:
                continue
            place = f"Nhà văn hóa {_called(hamlet)}"
            nxt = as_of + timedelta(days=7 if index == 0 else rng.randint(4, 12))
            hour, minute = rng.choice([(19, 30), (8, 0), (14, 0)])
            plans.append((cell, place, nxt, hour, minute))
            first = add_months(month_start(nxt), -12)
            missing = rng.randint(2, 9) if index % 2 else None
            late = rng.randint(1, 8) if index != 3 else None
            for step in range(12):
                month = add_months(first, step)
                if step == missing or (step < 10 and rng.random() < 0.02):
                    continue
                day = month.replace(day=rng.randint(3, 12))
                held_on = day
                if step == late and step <= 9:
                    held_on = add_months(month, 1).replace(day=rng.randint(2, 6))
                if held_on >= as_of:
                    continue
                meetings.append(
                    self._meeting(
                        cell,
                        Meeting.Kind.REGULAR,
                        f"Sinh hoạt chi bộ thường kỳ tháng {month.month}/{month.year}",
                        month,
                        held_on,
                        hour,
                        minute,
                        place,
                        "1. Đánh giá tình hình tháng qua.\n2. Nhiệm vụ tháng tới.\n"
                        "3. Thu đảng phí.",
                    )
                )
                self.held[(cell.pk, month)] = held_on
                if month.month % 3 == 2:
                    theme = THEMES[(month.month // 3 + index) % len(THEMES)]
                    held = month.replace(day=rng.randint(15, 25))
                    if held < as_of:
                        meetings.append(
                            self._meeting(
                                cell,
                                Meeting.Kind.THEMATIC,
                                f"Sinh hoạt chuyên đề quý {_quarter(month)}/{month.year}: {theme}",
                                month,
                                held,
                                hour,
                                minute,
                                place,
                                f"Chuyên đề: {theme}.",
                            )
                        )
        Meeting.objects.bulk_create(meetings)
        invitations = []
        for meeting in meetings:
            invitations.extend(self._invitations(meeting))
        Invitation.objects.bulk_create(invitations, batch_size=2000)
        self._minutes(meetings, invitations)
        self.counts["meetings"] = len(meetings)
        self.counts["invitations"] = len(invitations)
        self._plans(plans)

    def _meeting(self, cell, kind, title, month, held_on, hour, minute, place, agenda):
        starts_at = _aware(held_on, hour, minute)
        return Meeting(
            organisation=cell,
            kind=kind,
            title=title,
            for_month=month,
            starts_at=starts_at,
            place=place,
            agenda=agenda,
            status=Meeting.Status.HELD,
            held_on=held_on,
            created_by=self._secretary_user(cell),
            created_at=starts_at - timedelta(days=self.rng.randint(5, 9)),
            is_demo=True,
        )

    def _invitations(self, meeting):
        rng = self.rng
        rows = []
        for member in self.by_cell[meeting.organisation_id]:
            if member.admitted_on > meeting.held_on:
                continue
            row = Invitation(meeting=meeting, member=member)
            if member.pk in self.accounts and rng.random() < 0.8:
                row.responded_at = meeting.starts_at - timedelta(hours=rng.randint(20, 100))
                if rng.random() < 0.88:
                    row.response = Invitation.Response.CONFIRMED
                else:
                    row.response = Invitation.Response.EXCUSED
                    row.excuse = rng.choice(EXCUSES)
            if not member.has_smartphone and rng.random() < 0.95:
                row.informed_at = meeting.starts_at - timedelta(hours=rng.randint(24, 72))
            roll = rng.random()
            if row.response == Invitation.Response.EXCUSED:
                row.attendance = Invitation.Attendance.EXCUSED
            elif row.response == Invitation.Response.CONFIRMED:
                row.attendance = (
                    Invitation.Attendance.PRESENT if roll < 0.95 else Invitation.Attendance.ABSENT
                )
            elif roll < 0.82:
                row.attendance = Invitation.Attendance.PRESENT
            elif roll < 0.93:
                row.attendance = Invitation.Attendance.EXCUSED
            else:
                row.attendance = Invitation.Attendance.ABSENT
            rows.append(row)
        return rows

    def _minutes(self, meetings, invitations):
        tally = {}
        for row in invitations:
            counts = tally.setdefault(row.meeting_id, [0, 0, 0])
            counts[0] += 1
            counts[1] += row.attendance == Invitation.Attendance.PRESENT
            counts[2] += row.attendance == Invitation.Attendance.EXCUSED
        for meeting in meetings:
            invited, present, excused = tally.get(meeting.pk, (0, 0, 0))
            meeting.minutes = (
                f"Có mặt {present}/{invited} đảng viên; vắng có lý do {excused}, "
                f"vắng không lý do {invited - present - excused}. Chi bộ thống nhất các "
                "nội dung trong chương trình và phân công đảng viên thực hiện."
            )
        Meeting.objects.bulk_update(meetings, ["minutes"], batch_size=500)

    def _plans(self, plans):
        """The next regular meeting of each cell, through the action that invites everyone."""
        rng = self.rng
        responses = []
        for cell, place, day, hour, minute in plans:
            actor = self._secretary_user(cell)
            meeting = actions.schedule_meeting(
                cell,
                acting_user=actor,
                kind=Meeting.Kind.REGULAR,
                title=f"Sinh hoạt chi bộ thường kỳ tháng {day.month}/{day.year}",
                starts_at=_aware(day, hour, minute),
                place=place,
                agenda="1. Đánh giá tình hình tháng qua.\n2. Nhiệm vụ tháng tới.\n3. Thu đảng phí.",
                for_month=month_start(day),
            )
            meeting.is_demo = True
            meeting.created_at = self.today_start - timedelta(days=2, hours=3)
            meeting.save(update_fields=["is_demo", "created_at"])
            # A few have answered already; dangvien's own answer is left for the visitor.
            for invitation in meeting.invitations.all():
                if (
                    invitation.member_id in self.accounts
                    and invitation.member_id != getattr(self.ordinary, "pk", None)
                    and rng.random() < 0.3
                ):
                    invitation.response = Invitation.Response.CONFIRMED
                    invitation.responded_at = self.today_start - timedelta(hours=rng.randint(2, 40))
                    responses.append(invitation)
            self.counts["meetings"] += 1
        Invitation.objects.bulk_update(responses, ["response", "responded_at"])

    # Documents and study ------------------------------------------------------------

    def _documents(self):
        rng, as_of = self.rng, self.as_of
        issuer = f"Đảng ủy {_called(self.commune)}"
        readers = [m for m in self.members if m.pk in self.accounts]
        readings, answers = [], []
        for days, kind, number, title, summary, tags, body, questions in DOCUMENTS:
            issued_on = as_of - timedelta(days=days)
            pdf = _render_document(
                _KIND_WORDS[kind],
                number,
                title,
                tuple(body),
                issuer.upper(),
                f"{_called(self.commune).split(' ', 1)[-1]}, {official_date(issued_on)}",
            )
            document = actions.add_document(
                acting_user=self.committee_user,
                kind=kind,
                title=title,
                issuing_body=issuer,
                issued_on=issued_on,
                file=ContentFile(pdf, name=f"{fold(number).replace('/', '-')}.pdf"),
                organisations=[self.committee],
                number=number,
                tags=tags,
                summary=summary,
                is_demo=True,
            )
            added = _aware(issued_on + timedelta(days=1), 8)
            Document.objects.filter(pk=document.pk).update(created_at=added)
            made = [
                actions.add_question(
                    document,
                    acting_user=self.committee_user,
                    text=text,
                    choices=choices,
                    correct=correct,
                )
                for text, choices, correct in questions
            ]
            self.documents.append(document)
            for member in readers:
                if rng.random() > 0.85:
                    continue
                # Most read a document within days of its arrival, newcomers after joining.
                delay = timedelta(seconds=int(rng.expovariate(1 / (4 * 86400))))
                read_at = max(added, _aware(member.admitted_on, 20)) + delay
                if read_at >= self.today_start:
                    continue
                readings.append(Reading(document=document, member=member, read_at=read_at))
                if made and rng.random() < 0.75:
                    answered_at = read_at + timedelta(minutes=rng.randint(3, 30))
                    for question in made:
                        right = rng.random() < 0.8
                        wrong = [
                            i for i in range(1, len(question.choices) + 1) if i != question.correct
                        ]
                        choice = question.correct if right else rng.choice(wrong)
                        answers.append(
                            Answer(
                                question=question,
                                member=member,
                                choice=choice,
                                is_correct=right,
                                points=question.points if right else 0,
                                answered_at=min(answered_at, self.today_start),
                            )
                        )
        Reading.objects.bulk_create(readings, batch_size=2000)
        Answer.objects.bulk_create(answers, batch_size=2000)
        self.counts["readings"] = len(readings)

    # Admission and ratings ----------------------------------------------------------

    def _admission(self):
        rng, as_of = self.rng, self.as_of
        term, starts_on, ends_on = TERM
        total = len(self.members)
        actions.set_admission_target(
            self.committee,
            acting_user=self.committee_user,
            term=term,
            starts_on=starts_on,
            ends_on=ends_on,
            target=max(5, round(total * 0.15)),
        )
        members = {m.person_id for m in self.members}
        candidates = []
        for cell, hamlet in self.cells:
            cell_members = self.by_cell[cell.pk]
            if not cell_members:
                continue
            actions.set_admission_target(
                cell,
                acting_user=self.committee_user,
                term=term,
                starts_on=starts_on,
                ends_on=ends_on,
                target=max(1, round(len(cell_members) * 0.15)),
            )
            for member in cell_members:
                if member.status == Member.Status.PROBATIONARY:
                    candidates.append(
                        Candidate(
                            person_id=member.person_id,
                            organisation=cell,
                            stage=Candidate.Stage.ADMITTED,
                            since=member.admitted_on,
                            note=rng.choice(CANDIDATE_NOTES),
                        )
                    )
            people = list(
                Person.objects.residents()
                .within(hamlet)
                .filter(
                    birth_date__lte=as_of.replace(year=as_of.year - 19, day=1),
                    birth_date__gte=as_of.replace(year=as_of.year - 45, day=1),
                )
                .exclude(pk__in=members)
                .only("pk")
                .order_by("pk")
            )
            stages = [Candidate.Stage.OUTSTANDING, Candidate.Stage.STUDYING]
            stages += [Candidate.Stage.PROPOSED, Candidate.Stage.OUTSTANDING]
            for stage, person in zip(
                stages[: rng.randint(2, 4)], rng.sample(people, min(4, len(people))), strict=False
            ):
                candidates.append(
                    Candidate(
                        person=person,
                        organisation=cell,
                        stage=stage,
                        since=as_of - timedelta(days=rng.randint(10, 200)),
                        note=rng.choice(CANDIDATE_NOTES),
                    )
                )
        Candidate.objects.bulk_create(candidates)

    def _ratings(self):
        rng = self.rng
        year = self.as_of.year - 1
        rated_by = self.committee_user
        decided_at = _aware(date(year + 1, 1, 20), 9)
        ratings = []
        for member in self.members:
            if member.admitted_on > date(year, 9, 30):
                continue
            roll = rng.random()
            if roll < 0.15:
                decided, exceeded = rng.randint(90, 97), True
            elif roll < 0.8:
                decided, exceeded = rng.randint(72, 89), False
            elif roll < 0.97:
                decided, exceeded = rng.randint(55, 69), False
            else:
                decided, exceeded = rng.randint(40, 49), False
            ratings.append(
                Rating(
                    year=year,
                    member=member,
                    stage=Rating.Stage.DECIDED,
                    self_score=min(100, decided + rng.randint(0, 5)),
                    self_comment="Hoàn thành nhiệm vụ được chi bộ phân công.",
                    review_score=min(100, decided + rng.randint(0, 2)),
                    decided_score=decided,
                    tasks_exceeded=exceeded,
                    level=rating_level(decided, tasks_exceeded=exceeded),
                    decided_by=rated_by,
                    updated_at=decided_at,
                )
            )
        Rating.objects.bulk_create(ratings)
        scores = [(93, True), (86, False), (78, False), (64, False), (88, False)]
        for (cell, _hamlet), (score, exceeded) in zip(self.cells, scores, strict=False):
            for step in (actions.self_assess, actions.review_rating, actions.decide_rating):
                step(
                    cell,
                    acting_user=rated_by,
                    year=year,
                    score=min(100, score + (2 if step is actions.self_assess else 0)),
                    tasks_exceeded=exceeded,
                )

    # Fees ---------------------------------------------------------------------------

    def _fees(self):
        rng, as_of = self.rng, self.as_of
        this_month = month_start(as_of)
        months = [add_months(this_month, -k) for k in range(11, -1, -1)]
        schedules = {month: FeeSchedule.for_month(month) for month in months}
        behind = {}
        late = [
            m
            for m in self.members
            if not m.position
            and not m.exemption
            and m is not self.ordinary
            and m.fee_for(months[0], schedules[months[0]])[0]
        ]
        rng.shuffle(late)
        first_cell = self.cells[0][0].pk if self.cells else None
        settled = [m for m in late if m.admitted_on <= months[-4]]
        warned = next((m for m in settled if m.organisation_id == first_cell), None)
        if warned := warned or (settled[0] if settled else None):
            # Three unpaid months of this year before this one (from April on): the warning.
            late.remove(warned)
            behind[warned.pk] = set(months[-4:-1])
            self.warned = warned
        arrears = max(1, len(self.members) // 15)
        for member in late[:arrears]:
            behind[member.pk] = set(months[-1 - rng.randint(1, 2) : -1])
        excused = {member.pk for member in late[arrears : arrears + 1]}
        rows = []
        recorder = self.users.get("bithu")
        for member in self.members:
            for month in months:
                if member.admitted_on > month.replace(day=28):
                    continue
                due, reason = member.fee_for(month, schedules[month])
                row = FeeMonth(member=member, month=month, due=due, reason=reason)
                held_on = self.held.get((member.organisation_id, month))
                if member.pk in excused and month in months[-3:-1]:
                    row.excused = True
                elif due and month not in behind.get(member.pk, ()):
                    paid_on = held_on or month.replace(day=15)
                    if paid_on < as_of and (month < this_month or held_on):
                        row.paid, row.paid_on = due, paid_on
                        if member.organisation_id == self.cells[0][0].pk:
                            row.recorded_by = recorder
                rows.append(row)
        FeeMonth.objects.bulk_create(rows, batch_size=2000)
        self.counts["fees"] = len(rows)


_KIND_WORDS = {
    Document.Kind.DIRECTIVE: "Chỉ thị",
    Document.Kind.RESOLUTION: "Nghị quyết",
    Document.Kind.GUIDANCE: "Hướng dẫn",
    Document.Kind.OTHER: "Văn bản",
}


@lru_cache(maxsize=16)
def _render_document(kind, number, title, body, issuer, dateline):
    """The PDF of a demo document; kept per process, as tests build the demo many times."""
    data = {
        "kind": kind,
        "number": number,
        "title": title,
        "body": list(body),
        "issuer": issuer,
        "dateline": dateline,
        "signer": SIGNER,
        "footer": "Văn bản mẫu của dữ liệu trình diễn Làng Số, không phải văn bản thật.",
    }
    fonts = [
        path for path in getattr(settings, "LANGSO_PDF_FONT_DIRS", FONT_DIRS) if Path(path).is_dir()
    ]
    return typst.compile(
        DOCUMENT_TEMPLATE.encode(),
        font_paths=fonts,
        ignore_system_fonts=bool(fonts),
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        format="pdf",
        timestamp=0,
    )


def _share(person, as_of):
    """The chance that a resident is a party member: veterans and retired cadres among the
    old; men about twice as often as women (about a third of members are women)."""
    age = _age(person, as_of)
    weight = 0.58 if person.sex == Person.Sex.FEMALE else 1.42
    if age >= 60:
        return 0.08 * weight
    if age >= 30:
        return 0.03 * weight
    return 0.012 * weight


def _called(unit):
    """ "xã Mai Sơn", "thôn Bình Chiến": the unit as it reads after "Chi bộ" or "Đảng bộ"."""
    shown = unit.display_name
    return shown[:1].lower() + shown[1:]


def _no_phone(age):
    if age >= 75:
        return 0.45
    if age >= 60:
        return 0.25
    return 0.06


def _quarter(month):
    return ("I", "II", "III", "IV")[(month.month - 1) // 3]


def _admission_day(person, rng, latest):
    """An admission the age rule allows (`admission_age_check`, the one `admit_member`
    applies), mostly in the person's twenties, before `latest` when the person allows it."""
    born = person.birth_date
    if person.birth_precision == Person.BirthPrecision.YEAR:
        born = date(born.year, 1, 1)
    for _attempt in range(5):
        age = min(max(18, round(rng.gauss(27, 6))), 59)
        day = _years_after(born, age) + timedelta(days=rng.randint(0, 300))
        if day <= latest and admission_age_check(person, day) == "ok":
            return day
    return max(_years_after(born, 18) + timedelta(days=30), min(latest, _years_after(born, 59)))


def _years_after(day, years):
    return add_months(day, 12 * years)


def _fee_basis(member, age, rng):
    employment = member.person.employment
    if age >= 60:
        if rng.random() < 0.55:
            member.fee_basis = Member.FeeBasis.PENSIONER
            member.fee_base = rng.randrange(3_200_000, 9_500_000, 50_000)
        elif age >= 80 and rng.random() < 0.7:
            member.exemption = Member.Exemption.SOCIAL_PENSION
    elif employment == Person.Employment.EMPLOYED and rng.random() < 0.6:
        member.fee_basis = Member.FeeBasis.SALARIED
        member.fee_base = rng.randrange(4_680_000, 12_000_000, 10_000)
    elif employment == Person.Employment.STUDENT:
        member.fee_basis = Member.FeeBasis.STUDENT

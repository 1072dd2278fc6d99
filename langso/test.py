"""Test personas: who may see what (house style, langso/test.py).

`World` builds a small real tree — a province, the commune of Tân Lập with the
hamlets Bình Chiến and Đồng Tâm, and a second commune — with households and
these people:

- `hamlet_head`: hamlet head of Bình Chiến; sees Bình Chiến and nothing else.
- `official`: commune official of Tân Lập; sees and manages the whole commune.
- `admin`: commune administrator of Tân Lập; may also grant roles inside it.
- `viewer`: viewer at Tân Lập; sees the commune's figures, changes nothing.
- `party_member`: party member in Bình Chiến; no access to the resident registry.
- `outsider`: commune official of another commune; gets 404 on everything of Tân Lập.
"""

from datetime import date

from langso.accounts.models import RoleAssignment, User
from langso.accounts.roles import Role
from langso.places.models import Unit
from langso.registry.models import Person

PASSWORD = "mat-khau-thu-nghiem-2025"


def make_unit(parent, kind, segment, name, type_name, code=""):
    path = f"{parent.path}/{segment}" if parent else segment
    return Unit.objects.create(
        kind=kind,
        type_name=type_name,
        name=name,
        code=code,
        parent=parent,
        path=path,
        valid_from=date(2025, 7, 1),
    )


def make_user(username, full_name, role=None, unit=None):
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=full_name)
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


def make_household(unit, head_name, *, members=(), address="", sex=Person.Sex.MALE):
    """A household recorded through the registry's own actions, living there since 2010."""
    from langso.registry import actions

    since = date(2010, 1, 1)
    household = actions.create_household(
        unit,
        acting_user=None,
        on=since,
        address=address,
        head_fields={"full_name": head_name, "sex": sex, "birth_date": date(1970, 5, 17)},
    )
    for name, relationship, born, member_sex in members:
        actions.register_person(
            household,
            acting_user=None,
            on=max(since, born),
            relationship=relationship,
            full_name=name,
            sex=member_sex,
            birth_date=born,
        )
    household.refresh_from_db()
    return household


class World:
    def __init__(self):
        Kind = Unit.Kind
        self.province = make_unit(None, Kind.PROVINCE, "14", "Sơn La", "tỉnh", code="14")
        self.commune = make_unit(self.province, Kind.COMMUNE, "04000", "Xã Tân Lập", "xã", "04000")
        self.hamlet = make_unit(self.commune, Kind.HAMLET, "h01", "Bình Chiến", "thôn")
        self.group = make_unit(self.hamlet, Kind.GROUP, "g01", "Tổ 1", "tổ")
        self.other_hamlet = make_unit(self.commune, Kind.HAMLET, "h02", "Đồng Tâm", "thôn")
        self.other_commune = make_unit(
            self.province, Kind.COMMUNE, "04009", "Xã Chiềng Hặc", "xã", "04009"
        )
        self.far_hamlet = make_unit(self.other_commune, Kind.HAMLET, "h01", "Bản Hụm", "bản")

        self.household = make_household(
            self.group,
            "Nguyễn Văn Phụng",
            address="Tổ 1, thôn Bình Chiến",
            members=[
                ("Trần Thị Thuỷ", "Vợ", date(1972, 3, 2), Person.Sex.FEMALE),
                ("Nguyễn Văn An", "Con", date(2009, 8, 30), Person.Sex.MALE),
            ],
        )
        self.other_household = make_household(self.other_hamlet, "Lê Văn Hùng")
        self.far_household = make_household(self.far_hamlet, "Lò Văn Oai")

        self.hamlet_head = make_user("truongthon", "Đặng Văn Bình", Role.HAMLET_HEAD, self.hamlet)
        self.official = make_user("canbo", "Phạm Thị Hoa", Role.COMMUNE_OFFICIAL, self.commune)
        self.admin = make_user("quantri", "Hoàng Văn Nam", Role.COMMUNE_ADMIN, self.commune)
        self.viewer = make_user("xem", "Vũ Thị Lan", Role.VIEWER, self.commune)
        self.party_member = make_user("dangvien", "Bùi Văn Tâm", Role.PARTY_MEMBER, self.hamlet)
        self.outsider = make_user(
            "nguoingoai", "Lường Văn Sơn", Role.COMMUNE_OFFICIAL, self.other_commune
        )


def make_party_tree(world):
    """The party committee of Tân Lập and the cells of Bình Chiến and Đồng Tâm, empty."""
    from langso.party import actions
    from langso.party.models import Organisation

    def create(name, kind, unit, parent=None):
        return actions.create_organisation(
            acting_user=None, name=name, kind=kind, unit=unit, parent=parent
        )

    committee = create("Đảng bộ xã Tân Lập", Organisation.Kind.COMMITTEE, world.commune)
    cell = create("Chi bộ thôn Bình Chiến", Organisation.Kind.CELL, world.hamlet, committee)
    other = create("Chi bộ thôn Đồng Tâm", Organisation.Kind.CELL, world.other_hamlet, committee)
    return committee, cell, other


class PartyWorld:
    """The party side of `World` (domain.md §7), built through the party's own actions:

    - `committee`: the party committee of Tân Lập, with the cells `cell` (Bình Chiến)
      and `other_cell` (Đồng Tâm);
    - `secretary`: Nguyễn Văn Phụng, secretary of Bình Chiến's cell, account `bithu`;
    - `member`: Trần Thị Thuỷ, a member without position there, account `dangvien`
      (the world's party member); `no_phone`: Nguyễn Văn An's grandfather has no
      smartphone (a member told in person);
    - `other_member`: Lê Văn Hùng of Đồng Tâm's cell;
    - `committee_user` (`danguy`): party-committee role at the commune.
    The registry's hamlet head and commune official hold no party role: party data is
    not theirs to see.
    """

    def __init__(self, world):
        from langso.party import actions
        from langso.party.models import Member

        admitted = date(2015, 5, 19)
        self.world = world
        self.committee, self.cell, self.other_cell = make_party_tree(world)
        people = {p.full_name: p for p in Person.objects.all()}
        self.secretary = actions.admit_member(
            people["Nguyễn Văn Phụng"],
            acting_user=None,
            organisation=self.cell,
            admitted_on=admitted,
            card_number="79.012345",
        )
        self.member = actions.admit_member(
            people["Trần Thị Thuỷ"],
            acting_user=None,
            organisation=self.cell,
            admitted_on=admitted,
            card_number="79.012346",
        )
        self.other_member = actions.admit_member(
            people["Lê Văn Hùng"],
            acting_user=None,
            organisation=self.other_cell,
            admitted_on=admitted,
        )
        for member in (self.secretary, self.member, self.other_member):
            actions.confirm_full_membership(member, acting_user=None, on=date(2016, 5, 19))
        grandfather = make_household(world.hamlet, "Hà Văn Khải").head
        self.no_phone = actions.receive_member(
            grandfather,
            acting_user=None,
            organisation=self.cell,
            on=date(2020, 3, 1),
            came_from="Chi bộ Quân sự huyện Mai Sơn",
            admitted_on=date(1995, 3, 26),
            full_member_on=date(1996, 3, 26),
        )
        actions.update_member(self.no_phone, acting_user=None, no_phone=True)
        actions.update_member(self.secretary, acting_user=None, position=Member.Position.SECRETARY)
        self.secretary_user = make_user("bithu", "Nguyễn Văn Phụng")
        for member, user in (
            (self.secretary, self.secretary_user),
            (self.member, world.party_member),
        ):
            member.user = user
            member.save(update_fields=["user"])
            user.person = member.person
            user.save(update_fields=["person"])
        self.committee_user = make_user(
            "danguy", "Lê Văn Thắng", Role.PARTY_COMMITTEE, world.commune
        )


# The day of the tests that need only "some fixed day": a Wednesday in June, away from
# the turn of a month or a year (conftest's `fixed_day`, and modules moving the clock there).
FIXED_DAY = date(2026, 6, 10)


def vietnam_time(day, hour=9):
    """`day` at `hour` o'clock in Vietnam, a destination for `time_machine.travel`."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(hour), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


class LoopbackServer:
    """A real HTTP server on 127.0.0.1 for a test's stand-in of an outside service: give it
    a `BaseHTTPRequestHandler` class; `with` starts and stops it; `url` is its address."""

    PATH = ""

    def __init__(self, handler):
        import threading
        from http.server import ThreadingHTTPServer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}{self.PATH}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

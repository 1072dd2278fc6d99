"""Reading a resident spreadsheet into a plan: what will be created, updated and skipped.

Officials keep residents in Excel books of their own making: a title above the
header, merged cells, headers with or without diacritics, dates as text, as Excel
dates or a year alone, households formed by a "Chủ hộ" row followed by its members.
`plan_import` reads such a file without writing anything and lists every bad cell
with its row, column and reason; `langso.registry.import_writer.import_residents` then
writes the plan whole, or nothing.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import recordable
from langso.lib.bulk import chunked, collector_paused
from langso.lib.excel import SpreadsheetError, cell_text, find_header, parse_date, read_sheet
from langso.lib.paths import SEPARATOR
from langso.lib.vietnamese import (
    clean_digits,
    fold,
    id_number_warnings,
    is_old_id_card_number,
    match_ethnicity,
    normalize_phone,
    parse_id_number,
    strip_controls,
)
from langso.places.models import Unit
from langso.registry.models import HEAD, Person

# Header labels as resident books write them (matched without case, accents or punctuation).
COLUMNS = {
    "full_name": ["Họ và tên", "Họ tên", "Họ, chữ đệm và tên", "Họ và tên nhân khẩu", "Tên"],
    "birth_date": [
        "Ngày sinh", "Năm sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày",
    ],
    "birth_date_male": ["Ngày sinh Nam", "Năm sinh Nam", "Ngày tháng năm sinh Nam", "Nam"],
    "birth_date_female": ["Ngày sinh Nữ", "Năm sinh Nữ", "Ngày tháng năm sinh Nữ", "Nữ"],
    "sex": ["Giới tính", "Giới", "Nam/Nữ", "Nam, Nữ"],
    "id_number": [
        "Số CCCD", "Số định danh", "Số định danh cá nhân", "CCCD", "Số căn cước",
        "Số căn cước công dân", "Căn cước công dân", "Số CCCD/ĐDCN", "Mã định danh",
    ],
    "old_id_number": ["Số CMND", "CMND", "Chứng minh nhân dân", "Số CMTND"],
    "relationship": [
        "Quan hệ với chủ hộ", "Quan hệ với chủ hộ gia đình", "Quan hệ", "QH với chủ hộ",
        "Quan hệ với CH",
    ],
    "household_code": ["Mã hộ", "Số hộ", "Hộ số", "Mã hộ gia đình", "Số sổ hộ khẩu"],
    "house_number": ["Số nhà"],
    "address": [
        "Địa chỉ", "Nơi ở hiện tại", "Nơi ở hiện nay", "Chỗ ở hiện nay", "Nơi thường trú",
        "Địa chỉ thường trú",
    ],
    "hamlet": ["Thôn", "Ấp", "Bản", "Xóm", "Tổ dân phố", "Khu phố", "Thôn, xóm", "Thôn/Tổ"],
    "group": ["Tổ", "Tổ tự quản", "Tổ nhân dân", "Tổ liên gia"],
    "ethnicity": ["Dân tộc"],
    "religion": ["Tôn giáo"],
    "occupation": ["Nghề nghiệp", "Nghề nghiệp, nơi làm việc", "Công việc", "Việc làm"],
    "phone": ["Số điện thoại", "Điện thoại", "SĐT", "Số ĐT"],
    "residence_status": [
        "Tình trạng cư trú", "Cư trú", "Thường trú/Tạm trú", "Loại cư trú", "Diện cư trú",
    ],
    "health_insurance_number": ["Số thẻ BHYT", "Mã thẻ BHYT", "Thẻ BHYT", "BHYT"],
    "health_insurance_expiry": ["Hạn thẻ BHYT", "BHYT có giá trị đến", "Hạn BHYT"],
    "row_number": ["STT", "Số TT", "TT", "Số thứ tự"],
}  # fmt: skip

SEXES = {
    "nam": Person.Sex.MALE, "m": Person.Sex.MALE, "male": Person.Sex.MALE, "trai": Person.Sex.MALE,
    "nu": Person.Sex.FEMALE, "f": Person.Sex.FEMALE, "female": Person.Sex.FEMALE,
    "gai": Person.Sex.FEMALE,
}  # fmt: skip
STATUSES = {
    "thuong tru": Person.Residence.PERMANENT, "tt": Person.Residence.PERMANENT,
    "tam tru": Person.Residence.TEMPORARY, "tam vang": Person.Residence.ABSENT,
}  # fmt: skip
# Facts an import may bring about someone already registered.
UPDATABLE = [
    "phone", "occupation", "ethnicity", "religion", "old_id_number", "health_insurance_number",
    "health_insurance_expiry",
]  # fmt: skip
PREVIEW_ROWS = 20
MAX_WARNINGS_SHOWN = 200
PROGRESS_EVERY = 2000


@dataclass
class Problem:
    row: int  # as Excel numbers it (1-based); 0 for the file as a whole
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


# An update of a registered person:
# (row, person id, name, {field: [old, new]} as shown, {field: new value}).
Update = tuple[int, int, str, dict[str, list[Any]], dict[str, Any]]


@dataclass
class NewPerson:
    row: int
    fields: dict
    relationship: str
    status: str


@dataclass
class NewHousehold:
    unit_id: int
    house_number: str
    address: str
    members: list[NewPerson] = field(default_factory=list)  # head first
    existing_id: int | None = None  # new members joining a registered household
    place: str = ""  # the hamlet or group, as the preview names it


@dataclass
class Plan:
    unit: Unit
    households: list[NewHousehold] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (row, name, reason)
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # Problem: shown, but nothing is refused
    rows: int = 0
    # What the file holds, bad rows included: what a file with errors is counted by.
    households_in_file: int = 0
    people_in_file: int = 0

    def counts(self):
        new_households = [h for h in self.households if h.existing_id is None]
        return {
            "rows": self.rows,
            "households": len(new_households),
            "created": sum(len(h.members) for h in self.households),
            "updated": len(self.updates),
            "skipped": len(self.skipped),
            "errors": len(self.problems),
            "households_in_file": self.households_in_file,
            "people_in_file": self.people_in_file,
        }

    def preview(self):
        created = [
            {"row": p.row, "name": p.fields["full_name"], "relationship": p.relationship,
             "birth": _shown_birth(p.fields), "place": h.place,
             "ethnicity": p.fields.get("ethnicity") or ""}
            for h in self.households for p in h.members
        ][:PREVIEW_ROWS]  # fmt: skip
        return {
            "created": created,
            "updated": [
                {"row": row, "name": name, "changes": changes}
                for row, _pk, name, changes, _new in self.updates[:PREVIEW_ROWS]
            ],
            "skipped": [
                {"row": row, "name": name, "reason": reason}
                for row, name, reason in self.skipped[:PREVIEW_ROWS]
            ],
            "warnings": [w.as_dict() for w in self.warnings[:MAX_WARNINGS_SHOWN]],
        }


def _shown_birth(fields):
    day = fields.get("birth_date")
    if not day:
        return ""
    return str(day.year) if fields.get("birth_precision") == "year" else f"{day:%d/%m/%Y}"


@collector_paused()
def plan_import(data, *, filename, unit, sheet=None, progress=None):
    """Read `data` (the file's bytes) into a Plan for `unit`; writes nothing."""
    plan = Plan(unit=unit)
    try:
        book = read_sheet(
            data,
            filename,
            sheet or None,
            max_rows=settings.LANGSO_IMPORT_MAX_ROWS or None,
            stream_over=settings.LANGSO_IMPORT_STREAM_ROWS or None,
        )
        header = find_header(book.rows, COLUMNS, required=["full_name"], merged=book.merged)
    except SpreadsheetError as error:
        plan.problems.append(Problem(0, "", error.message))
        return plan
    fields = header.fields
    if not {"birth_date", "birth_date_male", "birth_date_female"} & set(fields):
        plan.problems.append(
            Problem(header.row + 1, "", _("No column of dates of birth was found (Ngày sinh)."))
        )
        return plan
    reader = _RowReader(plan, header, book.formula_cells, _Places(unit))
    total = max(1, book.row_count - header.data_start)
    parsed = []
    for offset, cells in enumerate(book.iter_rows(header.data_start)):
        if progress and offset % PROGRESS_EVERY == 0:
            progress(50 * offset / total)
        row = reader.read(header.data_start + offset, cells)
        if row is not None:
            parsed.append(row)
    plan.rows = len(parsed)
    households = _form_households(plan, parsed, reader)
    _match_registered(plan, households)
    if progress:
        progress(60)
    return plan


class _Places:
    """Hamlets and groups of the target unit, found by their folded names."""

    def __init__(self, unit):
        self.unit = unit
        units = list(
            Unit.objects.within(unit).current().only("pk", "name", "type_name", "kind", "path")
        )
        self.by_name = defaultdict(list)
        self.patterns = {}
        for place in units:
            self.by_name[fold(place.name)].append(place)
            self.by_name[fold(place.display_name)].append(place)

    def named_in(self, text, within):
        """The one group of hamlet `within` whose name the address `text` contains, or None.

        "Số 5, Tổ 3, thôn Bình Chiến" names "Tổ 3" (not "Tổ 30"): the name is matched
        as whole words, without case or accents.
        """
        folded = fold(text)
        found = {
            place.pk: place
            for pattern, places in self._group_patterns(within)
            if pattern.search(folded)
            for place in places
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def _group_patterns(self, within):
        """[(compiled whole-word pattern of a name, its groups in hamlet `within`)], made
        once per hamlet: an import files thousands of addresses against the same few."""
        if within.pk not in self.patterns:
            self.patterns[within.pk] = [
                (re.compile(rf"(?<!\w){re.escape(key)}(?!\w)"), groups)
                for key, places in self.by_name.items()
                if key
                and (
                    groups := [
                        place
                        for place in places
                        if place.kind == Unit.Kind.GROUP
                        and place.path.startswith(within.path + SEPARATOR)
                    ]
                )
            ]
        return self.patterns[within.pk]

    def find(self, name, kind, within=None):
        for place in self.by_name.get(fold(name), []):
            if place.kind == kind and (
                within is None or place.path.startswith(within.path + SEPARATOR)
            ):
                return place
        return None


class _RowReader:
    """Turns one sheet row into clean fields, adding a Problem for every bad cell."""

    def __init__(self, plan, header, formula_cells, places):
        self.plan = plan
        self.columns = header.fields
        self.labels = header.labels
        self.formula_rows = defaultdict(set)  # sheet row index -> columns holding a formula
        for index, col in formula_cells:
            self.formula_rows[index].add(col)
        self.places = places
        self.today = timezone.localdate()
        self.seen_ids = {}

    def problem(self, row, name, message):
        self.plan.problems.append(Problem(row, self.labels.get(name, ""), message))

    def read(self, index, cells):
        row = index + 1
        width = len(cells)
        raw = {name: cells[col] if col < width else None for name, col in self.columns.items()}
        # Each cell as an official reads it, once: text cells (the usual case) inline.
        text = {
            name: "" if value is None
            else " ".join(strip_controls(value).split()) if value.__class__ is str
            else cell_text(value)
            for name, value in raw.items()
        }  # fmt: skip
        if not any(value for name, value in text.items() if name != "row_number"):
            return None
        problems_before = len(self.plan.problems)
        if index in self.formula_rows:
            for name, col in self.columns.items():
                if col in self.formula_rows[index]:
                    self.problem(row, name, _("The cell holds a formula. Paste the values only."))
        values = {"full_name": text["full_name"]}
        if not values["full_name"]:
            self.problem(row, "full_name", _("The name is missing."))
        self._birth(row, raw, text, values)
        self._sex(row, text, values)
        self._id_numbers(row, raw, text, values)
        for name in ("religion", "occupation"):
            if name in text:
                values[name] = text[name]
        if text.get("ethnicity"):
            values["ethnicity"] = match_ethnicity(text["ethnicity"])
            if values["ethnicity"] is None:
                self.problem(
                    row,
                    "ethnicity",
                    _("“%(value)s” is not one of the 54 ethnic groups.")
                    % {"value": text["ethnicity"]},
                )
        if "phone" in raw:
            values["phone"] = _phone(raw["phone"], text["phone"])
            if text["phone"] and normalize_phone(values["phone"]) is None:
                self.problem(
                    row,
                    "phone",
                    _("“%(value)s” is not a phone number.") % {"value": text["phone"]},
                )
        if "health_insurance_number" in text:
            values["health_insurance_number"] = text["health_insurance_number"].upper()
        if text.get("health_insurance_expiry"):
            try:
                values["health_insurance_expiry"], _p = parse_date(raw["health_insurance_expiry"])
            except ValueError as error:
                self.problem(row, "health_insurance_expiry", str(error.args[0]))
        relationship = text.get("relationship", "")
        status = self._status(row, text)
        place = self._place(row, text)
        return {
            # A bad row still takes its place in the household order, so that a bad head
            # does not make each of its members "come before any head" too.
            "valid": len(self.plan.problems) == problems_before,
            "row": row,
            "fields": values,
            "relationship": relationship[:1].upper() + relationship[1:],
            "status": status,
            "household_code": text.get("household_code", ""),
            "house_number": text.get("house_number", ""),
            "address": text.get("address", ""),
            "unit": place,
        }

    def _birth(self, row, raw, text, values):
        male, female = text.get("birth_date_male"), text.get("birth_date_female")
        name = "birth_date"
        if male or female:
            # The resident-book layout: the date sits in the column of the person's sex.
            if male and female:
                self.problem(row, "birth_date_male", _("A date is written under both Nam and Nữ."))
                return
            name = "birth_date_male" if male else "birth_date_female"
            values["sex"] = Person.Sex.MALE if male else Person.Sex.FEMALE
        if not text.get(name):
            self.problem(row, name, _("The date of birth is missing."))
            return
        try:
            day, precision = parse_date(raw[name])
        except ValueError as error:
            self.problem(row, name, str(error.args[0]))
            return
        if day > self.today:
            self.problem(row, name, _("The date of birth is in the future."))
            return
        if day.year < 1880:
            self.problem(row, name, _("“%(value)s” is too long ago.") % {"value": text[name]})
            return
        values["birth_date"], values["birth_precision"] = day, precision

    def _sex(self, row, text, values):
        if "sex" in values:
            return
        written = text.get("sex", "")
        sex = SEXES.get(written.lower()) or SEXES.get(fold(written))
        if sex:
            values["sex"] = sex
        else:
            self.problem(
                row,
                "sex",
                _("“%(value)s” is not a sex: write Nam or Nữ.") % {"value": written},
            )

    def _id_numbers(self, row, raw, text, values):
        digits = _digits_of(raw.get("id_number"), text.get("id_number", ""), width=12)
        if digits:
            try:
                parsed = parse_id_number(digits)
            except Exception as error:  # ValidationError: its message is the reason
                self.problem(row, "id_number", " ".join(getattr(error, "messages", [str(error)])))
            else:
                number = parsed.value
                if number in self.seen_ids:
                    self.problem(
                        row,
                        "id_number",
                        _("The same ID number is on row %(row)s.") % {"row": self.seen_ids[number]},
                    )
                self.seen_ids.setdefault(number, row)
                values["id_number"] = number
                born = values.get("birth_date")
                for message in id_number_warnings(
                    parsed, birth_year=born and born.year, sex=values.get("sex")
                ):
                    self.plan.warnings.append(Problem(row, self.labels["id_number"], message))
        old = _digits_of(raw.get("old_id_number"), text.get("old_id_number", ""), width=9)
        if old:
            if is_old_id_card_number(old):
                values["old_id_number"] = old
            else:
                self.problem(row, "old_id_number", _("An old ID card (CMND) number has 9 digits."))

    def _status(self, row, text):
        written = text.get("residence_status", "")
        if not written:
            return Person.Residence.PERMANENT
        if (status := STATUSES.get(fold(written))) is not None:
            return status
        self.problem(
            row,
            "residence_status",
            _("“%(value)s” is not a residence status: write Thường trú, Tạm trú or Tạm vắng.")
            % {"value": written},
        )
        return None

    def _place(self, row, text):
        """The hamlet or group a row's household lives in, from the Thôn and Tổ columns."""
        target = self.places.unit
        hamlet_name, group_name = text.get("hamlet", ""), text.get("group", "")
        if not (hamlet_name or group_name) and target.kind != Unit.Kind.COMMUNE:
            return self._group_in_address(text, target)
        place = target
        if hamlet_name and target.kind == Unit.Kind.COMMUNE:
            place = self.places.find(hamlet_name, Unit.Kind.HAMLET)
            if place is None:
                self.problem(
                    row,
                    "hamlet",
                    _("%(unit)s has no hamlet named “%(name)s”.")
                    % {"unit": target, "name": hamlet_name},
                )
                return None
        if group_name and place.kind == Unit.Kind.HAMLET:
            group = self.places.find(group_name, Unit.Kind.GROUP, within=place)
            if group is None:
                self.problem(
                    row,
                    "group",
                    _("%(unit)s has no group named “%(name)s”.")
                    % {"unit": place, "name": group_name},
                )
                return None
            place = group
        elif not group_name:
            place = self._group_in_address(text, place)
        if place.kind not in (Unit.Kind.HAMLET, Unit.Kind.GROUP):
            self.problem(
                row,
                "hamlet",
                _("Say which hamlet the household lives in: the file is imported into a commune."),
            )
            return None
        return place

    def _group_in_address(self, text, place):
        """A hamlet's household is filed in the group its address names ("Tổ 3, …")."""
        if place.kind != Unit.Kind.HAMLET or not text.get("address"):
            return place
        return self.places.named_in(text["address"], place) or place


def _digits_of(value, text, *, width):
    """Digits of an ID cell (`value`, read as `text`). Excel turns 001070001234 typed as a
    number into 1070001234: a number shorter than the ID by up to two digits gets its
    leading zeros back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        return digits.zfill(width) if width - 2 <= len(digits) < width else digits
    return clean_digits(text)


def _phone(value, text):
    digits = _digits_of(value, text, width=10)
    if digits and digits[0] != "0" and not digits.startswith("+") and len(digits) == 9:
        digits = "0" + digits  # the leading zero Excel drops from a number
    return digits


def _form_households(plan, rows, reader):
    """Group rows into households: by a household code column, else by head rows in order."""
    households, by_code, current = [], {}, None
    for row in rows:
        is_head = fold(row["relationship"]) == fold(HEAD)
        code = row["household_code"]
        if code:
            current = by_code.get(code)
            if current is None:
                current = by_code[code] = _new_household(row)
                households.append(current)
            if is_head and current["head"] is not None:
                reader.problem(row["row"], "relationship", _("This household already has a head."))
                continue
        elif is_head:
            current = _new_household(row)
            households.append(current)
        elif current is None:
            reader.problem(
                row["row"],
                "relationship",
                _("This member comes before any head of household (“Chủ hộ”)."),
            )
            continue
        if not row["relationship"] and row["valid"]:
            reader.problem(
                row["row"], "relationship", _("The relationship to the head is missing.")
            )
            continue
        if is_head:
            current["head"] = row
        else:
            current["members"].append(row)
    plan.households_in_file = len(households)
    plan.people_in_file = sum((h["head"] is not None) + len(h["members"]) for h in households)
    valid = []
    for household in households:
        if household["head"] is None:
            first = household["members"][0]["row"] if household["members"] else 0
            reader.problem(first, "relationship", _("This household has no head (“Chủ hộ”)."))
        elif household["head"]["valid"] and all(m["valid"] for m in household["members"]):
            valid.append(household)
    return valid


def _new_household(row):
    return {
        "head": None, "members": [], "unit": row["unit"], "house_number": row["house_number"],
        "address": row["address"],
    }  # fmt: skip


def _match_registered(plan, households):
    """Split rows into people to create, to update and to skip, against the registry.

    A row is someone already registered when its ID number is, or — without an ID
    number — when a person of the unit has the same folded name and birth date.
    Registered people are not moved between households by an import.
    """
    rows = [r for h in households for r in (h["head"], *h["members"])]
    by_id = _registered_by_id(
        [r["fields"]["id_number"] for r in rows if r["fields"].get("id_number")]
    )
    in_unit = Person.objects.within(plan.unit)
    by_name = defaultdict(list)
    # Only rows without an ID number are matched by name and birth date.
    wanted = {fold(r["fields"]["full_name"]) for r in rows if not r["fields"].get("id_number")}
    for chunk in chunked(sorted(wanted), 500):
        for person in in_unit.filter(folded_name__in=chunk).select_related("household__unit"):
            by_name[person.folded_name, person.birth_date].append(person)
    for household in households:
        head_person = None
        new_members = []
        for row in (household["head"], *household["members"]):
            values = row["fields"]
            person = by_id.get(values.get("id_number"))
            if person is None and not values.get("id_number"):
                found = by_name.get((fold(values["full_name"]), values.get("birth_date")), [])
                person = found[0] if len(found) == 1 else None
            if person is not None and not _is_within(person, plan.unit):
                plan.problems.append(
                    Problem(
                        row["row"],
                        "",
                        _("This ID number cannot be imported into this unit. Ask the commune."),
                    )
                )
                continue
            if person is None:
                new_members.append(row)
                continue
            if row is household["head"]:
                head_person = person
            changes = _changes(person, values)
            if changes:
                new = {name: values[name] for name in changes}
                plan.updates.append((row["row"], person.pk, person.full_name, changes, new))
            else:
                plan.skipped.append(
                    (row["row"], person.full_name, _("Already registered, unchanged."))
                )
        if not new_members:
            continue
        if head_person is not None:
            unit = head_person.household.unit
            target = NewHousehold(
                unit.pk, "", "", existing_id=head_person.household_id, place=unit.display_name
            )
        else:
            unit = household["unit"]
            target = NewHousehold(
                unit.pk, household["house_number"], household["address"],
                place=unit.display_name,
            )  # fmt: skip
        for row in new_members:
            relationship = (
                HEAD if (row is household["head"] and head_person is None) else row["relationship"]
            )
            target.members.append(NewPerson(row["row"], row["fields"], relationship, row["status"]))
        if target.existing_id is None and target.members[0].relationship != HEAD:
            plan.problems.append(
                Problem(target.members[0].row, "", _("The head of this household is missing."))
            )
            continue
        plan.households.append(target)


def _registered_by_id(numbers):
    """Registered people by ID number. Most numbers in a book are new: all are looked up
    in the number's index alone, and only the people found are read whole."""
    known = []
    for chunk in chunked(sorted(set(numbers)), 500):
        known += Person.objects.filter(id_number__in=chunk).values_list("id_number", flat=True)
    found = {}
    for chunk in chunked(known, 500):
        for person in Person.objects.filter(id_number__in=chunk).select_related("household__unit"):
            found[person.id_number] = person
    return found


def _is_within(person, unit):
    household = person.household
    return household is not None and (
        household.unit.path == unit.path or household.unit.path.startswith(unit.path + SEPARATOR)
    )


def _changes(person, values):
    changes = {}
    for name in UPDATABLE:
        if name not in values or values[name] in ("", None):
            continue
        old, new = getattr(person, name), values[name]
        if old != new:
            changes[name] = [recordable(old), recordable(new)]
    return changes

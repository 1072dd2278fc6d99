"""The generator: households and people invented from one `random.Random`.

Nothing here reads the database, so the same random state and the same day
(`as_of`) give the same rows, whatever writes them.
"""

from dataclasses import dataclass
from datetime import date

from langso.lib.dates import add_months, completed_years
from langso.lib.vietnamese import fold, name_sort_key
from langso.registry.models import Benefit

from .data import (
    _AWAY_WORK,
    _CHILDREN_PICKERS,
    _DELTA,
    _DISABILITY_DEGREE,
    _EDUCATION,
    _EPI,
    _FARMING,
    _GRANDCHILDREN_PICKERS,
    _HOUSEHOLD_KIND_PICKERS,
    _MERITORIOUS_NOTE,
    _MOUNTAIN,
    _PROFESSIONAL_EDUCATION,
    _RELIGION,
    _RETIREE_EDUCATION,
    _TEMPORARY_WORK,
    _WAR_INVALID_NOTE,
    _WORK,
    ABSENT_SHARE_OF_YOUNG_ADULTS,
    AWAY_CARD_SHARE,
    BCG,
    BOY_SHARE_AT_BIRTH,
    CMND_PREFIX,
    COUPLE,
    DEATH_SHARE_OF_OLD_MEMBERS,
    DEGREES,
    DISABILITY_ALLOWANCE_FROM,
    EMPLOYED,
    EPI_BCG,
    EPI_BIRTH_DOSE,
    EPI_DELAY,
    EPI_REACHED,
    EPI_VISIT_KEPT,
    FIRM_JOBS,
    HEPATITIS_B_BIRTH,
    HIGHER_EDUCATION_SHARE,
    HOUSEHOLD_CARD_SHARE,
    LAPSED_SHARE,
    MARTYR_FAMILY_SHARE,
    MERITORIOUS_SHARE,
    MINORITY_CARD_SHARE,
    NAMINGS,
    NEAR_POOR,
    NO_ID_NUMBER_SHARE,
    NUCLEAR,
    OLD_ID_SHARE,
    ORPHAN_SHARE_OF_SKIPPED_GENERATION,
    OTHER_LAPSED_SHARE,
    POOR,
    POVERTY_SHARE,
    PUPIL,
    RETIRED,
    RETIRED_SHARE,
    SCHOOL_SHARE,
    SEVERE,
    SINGLE,
    SINGLE_PARENT,
    SKIPPED_GENERATION,
    SOCIAL_PENSION_AGE,
    SON_IN_LAW_SHARE,
    STATE_JOBS,
    STUDENT,
    STUDYING_AWAY_SHARE,
    TD_AGE_DAYS,
    TD_SHARE,
    TD_VACCINE,
    TEMPORARY_HOUSEHOLD_SHARE,
    UNABLE,
    UNEMPLOYED,
    UNEMPLOYED_SHARE,
    UNIVERSITY_STUDENT,
    WAR_INVALID_SHARE,
    WITH_MARRIED_CHILD,
    WITH_PARENTS,
    YEAR_CARDS,
    YOUNG_COUPLE_AWAY_SHARE,
)

# The rows `Population` makes, as tuples of these fields in this order. Households are
# written without their head, who is set once the people exist (see `writer.py`).
HOUSEHOLD_FIELDS = (
    "id", "unit", "house_number", "address", "folded_address", "created_at", "is_demo",
)  # fmt: skip
PERSON_FIELDS = (
    "id", "full_name", "family_name", "middle_name", "given_name", "folded_name", "sort_key",
    "birth_date", "birth_precision", "sex", "ethnicity", "id_number", "phone", "household",
    "relationship", "residence_status", "died_on", "created_at", "is_demo", "religion",
    "old_id_number", "occupation", "employment", "education", "health_insurance_number",
    "health_insurance_expiry", "disability",
)  # fmt: skip
MEMBERSHIP_FIELDS = ("person", "household", "relationship", "residence_status", "start", "end")
IMMUNISATION_FIELDS = ("person", "vaccine", "dose", "given_on")
BENEFIT_FIELDS = ("person", "kind", "since", "until", "note")
_P = {name: i for i, name in enumerate(PERSON_FIELDS)}

DAYS_PER_YEAR = 365.2425
_DISABILITY_ALLOWANCE_FROM = DISABILITY_ALLOWANCE_FROM.toordinal()
# Recognitions of people with meritorious services (many for Agent Orange) since 2000,
# of martyrs' relatives since 1975.
_MERITORIOUS_FROM = date(2000, 1, 1).toordinal()
_MARTYR_FAMILY_FROM = date(1975, 5, 1).toordinal()


def _six_years_old(birth):
    """When a child's free card ends: at 72 months, or on 30 September of that year if
    school has not yet begun (Law on Health Insurance, art. 16)."""
    sixth = add_months(birth, 72)
    school = date(birth.year + 6, 9, 30)
    return school if sixth <= school else sixth


@dataclass(frozen=True)
class Slot:
    """A self-managed group to fill: where its households live and who they are."""

    unit_id: int
    hamlet_id: int
    address: str
    folk: str  # a key of NAMINGS
    birth_code: str  # 3-digit birth-registration code of people born here
    households: int


# A member before names and dates are drawn: relationship, sex, age in years, family
# name, mother's family name (for a double middle name), married in (so maybe born
# elsewhere), residence status.
_REL, _SEX, _AGE, _FAMILY, _MOTHER, _MARRIED_IN, _STATUS = range(7)


class _Members(list):
    """The members of a household being invented, head first."""

    def __init__(self, status, kind):
        super().__init__()
        self.status = status
        self.kind = kind

    def add(self, rel, sex, age, family, mother=None, married_in=False):
        member = [rel, sex, age, family, mother, married_in, self.status]
        self.append(member)
        return member


class Population:
    """Invents households and their people, deterministically for a random state and a day.

    `household()` returns plain tuples in the order of `HOUSEHOLD_FIELDS` and
    `PERSON_FIELDS`; the caller assigns the primary keys. The people's immunisations
    and benefits gather in `immunisations` and `benefits` (tuples in the order of
    `IMMUNISATION_FIELDS` and `BENEFIT_FIELDS`) until the caller takes them.
    """

    def __init__(self, rng, *, as_of, created_at, taken_id_numbers=()):
        self.rng = rng
        self.as_of = as_of
        self.as_of_ordinal = as_of.toordinal()
        self.created_at = created_at
        self.id_numbers = set(taken_id_numbers)
        self.old_id_numbers = set()
        self.social_insurance_numbers = set()
        self.immunisations = []
        self.benefits = []
        # State-paid health insurance cards run to the end of the year; from October
        # some have been renewed for the next.
        self.year_end = date(as_of.year, 12, 31)
        self.next_year_end = date(as_of.year + 1, 12, 31)
        self.renewed_share = max(0, as_of.month - 9) / 10
        self.house_numbers = {}
        self._folded = {}
        self._sort_keys = {}
        self._folded_addresses = {}
        # Children drawn so far in each five-year age band: [count, boys].
        self._children_by_band = {}

    # --- Households -------------------------------------------------------------------

    def household(self, slot, household_id, first_person_id):
        """(household row, person rows) of one new household in `slot`; the first person,
        numbered `first_person_id`, is its head."""
        rng = self.rng
        temporary = rng.random() < TEMPORARY_HOUSEHOLD_SHARE
        members = self._members(slot.folk, temporary)
        number = self.house_numbers.get(slot.hamlet_id, 0) + 1 + int(rng.random() * 3)
        self.house_numbers[slot.hamlet_id] = number
        rows = self._people(slot, members, household_id, first_person_id, temporary)
        household = (
            household_id, slot.unit_id, str(number), slot.address,
            self._folded_address(number, slot.address), self.created_at, True,
        )  # fmt: skip
        return household, rows

    def _folded_address(self, number, address):
        folded = self._folded_addresses.get(address)
        if folded is None:
            folded = self._folded_addresses[address] = fold(address)
        return f"{number} {folded}"

    def stays(self, person):
        """Membership rows of a person tuple: when they came, and when they left or died.

        Natives have lived in their household since birth; temporary residents came
        within the last five years; the temporarily absent left within the last three,
        and were permanent residents before that.
        """
        rng = self.rng
        pid, household, rel, status = (
            person[_P["id"]],
            person[_P["household"]],
            person[_P["relationship"]],
            person[_P["residence_status"]],
        )
        born, died = person[_P["birth_date"]], person[_P["died_on"]]
        # A stay ends when its person dies, so the move is dated before the death.
        last = died.toordinal() if died else self.as_of_ordinal
        if status == "temporary":
            came = date.fromordinal(last - int(rng.random() * 5 * 365) - 1)
            return [(pid, household, rel, status, max(came, born), died)]
        if status == "absent":
            left = date.fromordinal(last - int(rng.random() * 3 * 365) - 1)
            left = max(left, date.fromordinal(born.toordinal() + 1))
            return [
                (pid, household, rel, "permanent", born, left),
                (pid, household, rel, status, left, died),
            ]
        return [(pid, household, rel, status, born, died)]

    def _members(self, folk, temporary):
        rng = self.rng
        random_ = rng.random
        tri = rng.triangular
        family = NAMINGS[folk].family
        if temporary:
            # Workers, teachers and traders renting here: young and small households.
            kind = (SINGLE, SINGLE, COUPLE, NUCLEAR)[int(random_() * 4)]
        else:
            kind = _HOUSEHOLD_KIND_PICKERS[folk](rng)
        members = _Members("temporary" if temporary else "permanent", kind)

        if kind == SINGLE:
            if temporary or random_() < 0.45:
                sex = "m" if random_() < 0.65 else "f"
                members.add("Chủ hộ", sex, tri(19, 50, 27), family(rng))
            else:
                sex = "f" if random_() < 0.7 else "m"
                members.add("Chủ hộ", sex, tri(60, 97, 74), family(rng))
            return members

        if kind == SINGLE_PARENT:
            sex = "f" if random_() < 0.8 else "m"
            head = members.add("Chủ hộ", sex, tri(26, 62, 42), family(rng))
            if sex == "f":
                mother_age, father_age = head[_AGE], None
                father_family, mother_family = family(rng), head[_FAMILY]
            else:
                mother_age, father_age = None, head[_AGE]
                father_family, mother_family = head[_FAMILY], None
            count = max(1, _CHILDREN_PICKERS[folk](rng))
            self._add_children(
                members, folk, mother_age, father_age, count, father_family, mother_family
            )
            return members

        if kind == WITH_MARRIED_CHILD:
            self._with_married_child(members, folk, family)
            return members

        if kind == SKIPPED_GENERATION:
            self._skipped_generation(members, family)
            return members

        # A couple, with or without children and the head's parents.
        if kind == COUPLE:
            young = temporary or random_() < 0.4
            head_age = tri(21, 36, 26) if young else tri(50, 88, 62)
        elif kind == NUCLEAR:
            head_age = tri(23, 45, 33) if temporary else tri(24, 66, 44)
        else:
            head_age = tri(25, 55, 36)
        husband_age = head_age
        wife_age = max(18.0, husband_age - tri(-2, 9, 2.5))
        husband_family, wife_family = family(rng), family(rng)
        if random_() < 0.85:
            head = members.add("Chủ hộ", "m", husband_age, husband_family)
            members.add("Vợ", "f", wife_age, wife_family, married_in=True)
        else:
            head = members.add("Chủ hộ", "f", wife_age, wife_family)
            members.add("Chồng", "m", husband_age, husband_family, married_in=True)
        if kind in (NUCLEAR, WITH_PARENTS):
            count = _CHILDREN_PICKERS[folk](rng)
            self._add_children(
                members, folk, wife_age, husband_age, count, husband_family, wife_family
            )
        if kind == WITH_PARENTS:
            self._add_parents(members, head, family)
        if not temporary and head_age < 55 and random_() < 0.04:
            self._add_sibling(members, head)
        return members

    def _child_sex(self, age):
        """A child's sex at the sex ratio at birth, about 111 boys per 100 girls (GSO,
        2019–2024). Each five-year age band is steered towards the ratio, so a demo of a
        few hundred under-5s shows it rather than the noise of independent draws."""
        band = self._children_by_band.setdefault(int(age) // 5, [0, 0])
        deficit = BOY_SHARE_AT_BIRTH * band[0] - band[1]
        chance = min(0.95, max(0.05, BOY_SHARE_AT_BIRTH + 0.15 * deficit))
        boy = self.rng.random() < chance
        band[0] += 1
        band[1] += boy
        return "m" if boy else "f"

    def _add_children(
        self, members, folk, mother_age, father_age, count, family, mother_family, rel="Con"
    ):
        """Add the children still at home, each 18–42 years younger than each parent."""
        rng = self.rng
        random_ = rng.random
        ages = [a for a in (mother_age, father_age) if a is not None]
        oldest, youngest = min(ages) - 18, max(ages) - 42
        # The mother's age at each birth; a lone father's children are dated from him.
        reference = mother_age if mother_age is not None else father_age - 3
        born_at = rng.triangular(19, 33, 23 if folk == "kinh" else 20)
        for _ in range(count):
            age = reference - born_at
            if age < 0 or age < youngest:
                break
            born_at += 1.5 + random_() * 4.5
            if age > oldest:
                continue
            # Grown children mostly marry and leave; a few stay on.
            if age > 20 and random_() < (age - 20) / 12:
                continue
            members.add(rel, self._child_sex(age), age, family, mother_family)

    def _with_married_child(self, members, folk, family):
        """Parents, a married child with a spouse, grandchildren, perhaps a younger child."""
        rng = self.rng
        random_ = rng.random
        tri = rng.triangular
        elder = tri(48, 88, 60)
        husband_family, wife_family = family(rng), family(rng)
        if random_() < 0.7:
            husband_age, wife_age = elder, max(44.0, elder - tri(-2, 8, 2.5))
            if random_() < 0.88:
                members.add("Chủ hộ", "m", husband_age, husband_family)
                members.add("Vợ", "f", wife_age, wife_family, married_in=True)
            else:
                members.add("Chủ hộ", "f", wife_age, wife_family)
                members.add("Chồng", "m", husband_age, husband_family, married_in=True)
            parents = (husband_age, wife_age)
        elif random_() < 0.75:
            members.add("Chủ hộ", "f", elder, wife_family)
            parents = (elder,)
        else:
            members.add("Chủ hộ", "m", elder, husband_family)
            parents = (elder,)

        # The married child: 20 or older, 19–42 years younger than each parent.
        low, high = max(20.0, max(parents) - 42), min(parents) - 19
        child_age = max(low, min(high, min(parents) - tri(19, 40, 25)))
        if random_() < SON_IN_LAW_SHARE[folk]:
            child = members.add("Con", "f", child_age, husband_family, wife_family)
            partner_age = max(18.0, child_age + tri(-2, 8, 2))
            partner = members.add("Con rể", "m", partner_age, family(rng), married_in=True)
            young_mother, young_father = child_age, partner_age
            grand_family, grand_mother_family = partner[_FAMILY], husband_family
        else:
            child = members.add("Con", "m", child_age, husband_family, wife_family)
            partner_age = max(18.0, child_age - tri(-2, 8, 2))
            partner = members.add("Con dâu", "f", partner_age, family(rng), married_in=True)
            young_mother, young_father = partner_age, child_age
            grand_family, grand_mother_family = husband_family, partner[_FAMILY]
        if random_() < YOUNG_COUPLE_AWAY_SHARE:
            # Working in the industrial zones; the grandparents raise the children.
            child[_STATUS] = partner[_STATUS] = "absent"
        elif partner[_REL] == "Con dâu" and random_() < 0.12:
            # Married in recently; her residence is still registered at her parents'.
            partner[_STATUS] = "temporary"
        count = _GRANDCHILDREN_PICKERS[folk](rng)
        self._add_children(
            members, folk, young_mother, young_father, count, grand_family, grand_mother_family,
            rel="Cháu",
        )  # fmt: skip
        if random_() < 0.3:
            age = child_age - tri(2, 14, 5)
            if 0 <= age <= 35 and max(parents) - age <= 42:
                members.add("Con", self._child_sex(age), age, husband_family, wife_family)

    def _skipped_generation(self, members, family):
        """A grandparent or two and one to three grandchildren under 18."""
        rng = self.rng
        random_ = rng.random
        sex = "f" if random_() < 0.7 else "m"
        head = members.add("Chủ hộ", sex, rng.triangular(50, 82, 63), family(rng))
        if random_() < 0.55:
            gap = rng.triangular(0, 7, 2.5)
            if sex == "f":
                members.add("Chồng", "m", head[_AGE] + gap, family(rng), married_in=True)
            else:
                members.add("Vợ", "f", max(45.0, head[_AGE] - gap), family(rng), married_in=True)
        # A grandfather's son's children carry his family name; the others their father's.
        grand_family = head[_FAMILY] if sex == "m" and random_() < 0.6 else family(rng)
        oldest = min(17.9, head[_AGE] - 38)
        for _ in range(1 + int(random_() * 3)):
            age = random_() * oldest
            members.add("Cháu", self._child_sex(age), age, grand_family)

    def _add_parents(self, members, head, family):
        rng = self.rng
        tri = rng.triangular
        mother_age = head[_AGE] + tri(19, 40, 25)
        father_age = min(head[_AGE] + 42, max(head[_AGE] + 18, mother_age + tri(-2, 9, 3)))
        has_mother = mother_age < 96 and rng.random() < 0.85
        has_father = father_age < 94 and (rng.random() < 0.45 or not has_mother)
        if has_father:
            members.add("Bố", "m", father_age, head[_FAMILY])
        if has_mother:
            members.add("Mẹ", "f", mother_age, family(rng))

    def _add_sibling(self, members, head):
        rng = self.rng
        age = max(16.0, head[_AGE] + rng.uniform(-12, 12))
        sex = "m" if rng.random() < 0.5 else "f"
        # Siblings are named by seniority: an older brother or sister, or a younger one.
        older = "Anh" if sex == "m" else "Chị"
        rel = older if age >= head[_AGE] else "Em"
        members.add(rel, sex, age, head[_FAMILY])

    # --- People -----------------------------------------------------------------------

    def _people(self, slot, members, household_id, first_person_id, temporary):
        rng = self.rng
        random_ = rng.random
        naming = NAMINGS[slot.folk]
        ethnicity = naming.ethnicity
        as_of_ordinal = self.as_of_ordinal
        ids = self.id_numbers
        folded = self._folded
        sort_keys = self._sort_keys
        home_code = slot.birth_code
        elsewhere = _DELTA if slot.folk == "kinh" else _MOUNTAIN
        as_of = self.as_of
        details = self._details
        # What the members share: where their cards are issued, the household's poverty
        # standing and its religion.
        poor, near_poor = POVERTY_SHARE[slot.folk]
        draw = random_()
        standing = POOR if draw < poor else (NEAR_POOR if draw < poor + near_poor else 0)
        religion = _RELIGION[slot.folk](rng)
        home = (slot.folk, slot.birth_code[1:], standing, temporary, members.kind, len(members))
        rows = []
        person_id = first_person_id
        for member in members:
            rel, sex, age, family, mother, married_in, status = member
            born_ordinal = as_of_ordinal - int(age * DAYS_PER_YEAR)
            birth = date.fromordinal(born_ordinal)
            year = birth.year
            era = 0 if year < 1970 else (1 if year < 1995 else 2)

            middle = naming.middle[sex][era](rng)
            if naming.double_middle is not None and year >= 2000 and random_() < 0.12:
                first = mother if (mother and random_() < 0.35) else naming.double_middle[sex](rng)
                if first != middle and middle not in ("Văn", "Thị"):
                    middle = f"{first} {middle}"
            given = naming.given[sex][era](rng)
            full = f"{family} {middle} {given}" if middle else f"{family} {given}"
            folded_name = folded.get(full)
            if folded_name is None:
                folded_name = folded[full] = fold(full)
            sort_key = sort_keys.get(full)
            if sort_key is None:
                sort_key = sort_keys[full] = name_sort_key(full, (family, middle, given))

            precision = "day"
            if age >= 65 and random_() < 0.03 + (age - 65) * 0.005:
                birth = date(year, 1, 1)
                precision = "year"

            # Where the birth was registered: older Kinh often came from the delta.
            if temporary:
                code = elsewhere(rng)
            else:
                if slot.folk == "kinh":
                    away_share = 0.35 if year < 1980 else (0.12 if year < 2000 else 0.03)
                else:
                    away_share = 0.02
                if married_in:
                    away_share += 0.15
                code = elsewhere(rng) if random_() < away_share else home_code

            if random_() < NO_ID_NUMBER_SHARE:
                id_number = None
            else:
                prefix = f"{code}{(year // 100 - 19) * 2 + (sex == 'f')}{year % 100:02d}"
                id_number = f"{prefix}{int(random_() * 1_000_000):06d}"
                while id_number in ids:
                    id_number = f"{prefix}{int(random_() * 1_000_000):06d}"
                ids.add(id_number)

            died_on = None
            if rel != "Chủ hộ":
                if age >= 60 and random_() < DEATH_SHARE_OF_OLD_MEMBERS:
                    died_on = date.fromordinal(as_of_ordinal - 10 - int(random_() * 3 * 365))
                elif (
                    status == "permanent"
                    and 18 <= age <= 40
                    and random_() < ABSENT_SHARE_OF_YOUNG_ADULTS
                ):
                    # Working in the industrial zones of the delta, registered as away.
                    status = "absent"

            phone = ""
            if age >= 18 and died_on is None:
                share = 0.78 if age < 60 else (0.5 if age < 75 else 0.2)
                if random_() < share:
                    phone = f"0{9 if random_() < 0.6 else 3}{int(random_() * 100_000_000):08d}"

            years = completed_years(birth, as_of)
            rows.append((
                person_id, full, family, middle, given, folded_name, sort_key,
                birth, precision, sex, ethnicity, id_number, phone, household_id, rel, status,
                died_on, self.created_at, True, religion,
                *details(person_id, years, birth, sex, rel, status, died_on, code, home),
            ))  # fmt: skip
            person_id += 1
        return rows

    def _details(self, pid, years, birth, sex, rel, status, died_on, code, home):
        """(old ID, occupation, employment, education, card number, card expiry, disability)
        of one person aged `years`; their benefits and immunisations join the pending rows.
        """
        rng = self.rng
        random_ = rng.random
        folk, province, standing, temporary, kind, size = home
        born = birth.toordinal()
        as_of = self.as_of_ordinal
        end = died_on.toordinal() if died_on else as_of

        disability = ""
        share = 0.004 if years < 15 else 0.01 if years < 60 else 0.03 if years < 80 else 0.07
        if random_() < share:
            disability = _DISABILITY_DEGREE(rng)

        # Work. Shares fall with age where school or college ends.
        if years < 15:
            occupation, employment = (PUPIL if years >= 6 else ""), ""
        elif status == "absent":
            if years <= 22 and random_() < STUDYING_AWAY_SHARE:
                occupation, employment = UNIVERSITY_STUDENT, STUDENT
            else:
                occupation, employment = _AWAY_WORK(rng)
        elif disability in SEVERE and random_() < 0.8:
            occupation, employment = "", UNABLE
        elif years < 18:
            if random_() < SCHOOL_SHARE[folk] - (years - 15) * 0.06:
                occupation, employment = PUPIL, STUDENT
            else:
                occupation, employment = _FARMING[sex][folk][0](rng)
        elif years <= 22 and random_() < HIGHER_EDUCATION_SHARE[folk] * (1 - (years - 18) / 6):
            occupation, employment = UNIVERSITY_STUDENT, STUDENT
        elif years >= (60 if sex == "m" else 55) and random_() < RETIRED_SHARE[folk]:
            occupation, employment = "Hưu trí", RETIRED
        elif years >= 60:
            if random_() < (years - 62) / 25:
                occupation, employment = "", UNABLE
            else:
                occupation, employment = _FARMING[sex][folk][1](rng)
        elif temporary:
            occupation, employment = _TEMPORARY_WORK(rng)
        elif random_() < UNEMPLOYED_SHARE:
            occupation, employment = "", UNEMPLOYED
        else:
            occupation, employment = _WORK[sex][folk][years >= 40](rng)
        if years < 22 and occupation in STATE_JOBS:
            # Teachers, officials and health workers qualify first; the young work in
            # the factories.
            occupation, employment = "Công nhân", EMPLOYED

        # Schooling: the level reached, or being attended by the young.
        if years < 6:
            education = ""
        elif years < 11:
            education = "primary"
        elif years < 15:
            education = "lower_secondary"
        elif years < 18 or employment == STUDENT:
            education = "upper_secondary" if employment == STUDENT else "lower_secondary"
        elif occupation in STATE_JOBS:
            education = _PROFESSIONAL_EDUCATION(rng)
        elif employment == RETIRED:
            education = _RETIREE_EDUCATION(rng)
        else:
            year = birth.year
            era = 0 if year < 1950 else (1 if year < 1970 else (2 if year < 1990 else 3))
            education = _EDUCATION[folk][sex][era](rng)
            if years < 22 and education in DEGREES:
                education = "upper_secondary"

        # Policy benefits, which also decide the health insurance group.
        benefits = self.benefits
        merit = social = False
        if disability in SEVERE and random_() < 0.9:
            start = max(born + 3 * 365, _DISABILITY_ALLOWANCE_FROM)
            if start < end:
                since = date.fromordinal(start + int(random_() * (end - start)))
                benefits.append((pid, Benefit.Kind.DISABILITY_ALLOWANCE.value, since, died_on, ""))
                social = True
        if years >= 45:
            merit, social = self._old_benefits(
                pid, years, birth, sex, employment, folk, end, died_on, standing, size, social
            )
        elif (
            kind == SKIPPED_GENERATION
            and rel == "Cháu"
            and years < 16
            and random_() < ORPHAN_SHARE_OF_SKIPPED_GENERATION
        ):
            since = date.fromordinal(born + int(random_() * (as_of - born)))
            benefits.append((pid, Benefit.Kind.ORPHAN.value, since, None, "Mồ côi cả cha và mẹ"))
            social = True

        # Health insurance: the first group that applies, as the Law on Health Insurance
        # orders them (employer-paid, then pension-paid, state-paid, state-supported,
        # household).
        if status == "absent":
            card = "DN4" if random_() < AWAY_CARD_SHARE else ""
        elif years < 6:
            card = "TE1" if random_() < 0.97 else ""
        elif employment == EMPLOYED and occupation in STATE_JOBS:
            card = "HC4"
        elif employment == EMPLOYED and occupation in FIRM_JOBS:
            card = "DN4"
        elif employment == RETIRED:
            card = "HT3"
        elif merit:
            card = "CC1"
        elif social:
            card = "BT2"
        elif standing == POOR:
            card = "HN2"
        elif folk != "kinh" and random_() < MINORITY_CARD_SHARE[folk]:
            card = "DT2"
        elif standing == NEAR_POOR:
            card = "CN3"
        elif occupation == PUPIL:
            card = "HS4" if random_() < 0.96 else ""
        elif occupation == UNIVERSITY_STUDENT:
            card = "SV4" if random_() < 0.9 else ""
        else:
            card = "GD4" if random_() < HOUSEHOLD_CARD_SHARE[folk] else ""
        card_number, expiry = "", None
        if card:
            numbers = self.social_insurance_numbers
            number = f"{code[1:]}{int(random_() * 100_000_000):08d}"
            while number in numbers:
                number = f"{code[1:]}{int(random_() * 100_000_000):08d}"
            numbers.add(number)
            card_number = f"{card}{province}{number}"
            if died_on is not None:
                expiry = date.fromordinal(end + int(random_() * 365))
            elif card == "TE1":
                expiry = _six_years_old(birth)
            elif card in YEAR_CARDS:
                expiry = self.next_year_end if random_() < self.renewed_share else self.year_end
            elif random_() < LAPSED_SHARE.get(card, OTHER_LAPSED_SHARE):
                expiry = date.fromordinal(as_of - 1 - int(random_() * 300))
            else:
                expiry = date.fromordinal(as_of + 1 + int(random_() * 365))

        old_id = ""
        if years >= 18 and birth.year < 2000 and random_() < OLD_ID_SHARE:
            prefix = CMND_PREFIX.get(code) or code[1:]
            taken = self.old_id_numbers
            old_id = f"{prefix}{int(random_() * 10_000_000):07d}"
            while old_id in taken:
                old_id = f"{prefix}{int(random_() * 10_000_000):07d}"
            taken.add(old_id)

        if years < 6:
            self._immunise(pid, born, folk)
        elif 7 <= years < 15 and random_() < TD_SHARE[folk]:
            given = born + TD_AGE_DAYS + int(random_() * 240)
            if given < as_of:
                self.immunisations.append((pid, TD_VACCINE, 1, date.fromordinal(given)))

        return old_id, occupation, employment, education, card_number, expiry, disability

    def _old_benefits(
        self, pid, years, birth, sex, employment, folk, end, died_on, standing, size, social
    ):
        """Benefits of people aged 45 or more: war invalids, people with meritorious
        services, martyrs' relatives, the social pension. Returns (merit, social)."""
        rng = self.rng
        random_ = rng.random
        kinds = Benefit.Kind
        rows = []
        born = birth.toordinal()
        year = birth.year
        if sex == "m" and 1935 <= year <= 1962 and random_() < WAR_INVALID_SHARE[folk]:
            since = born + int((22 + random_() * 18) * DAYS_PER_YEAR)
            rows.append((kinds.WAR_INVALID, since, _WAR_INVALID_NOTE(rng)))
        if year <= 1960 and random_() < MERITORIOUS_SHARE[folk]:
            since = _MERITORIOUS_FROM + int(random_() * 15 * 365)
            rows.append((kinds.MERITORIOUS, since, _MERITORIOUS_NOTE(rng)))
        if year <= 1979 and random_() < MARTYR_FAMILY_SHARE[folk]:
            widow = sex == "f" and year <= 1955 and random_() < 0.4
            since = max(_MARTYR_FAMILY_FROM, born + 1) + int(random_() * 20 * 365)
            rows.append((kinds.MARTYR_FAMILY, since, "Vợ liệt sĩ" if widow else "Con liệt sĩ"))
        if years >= SOCIAL_PENSION_AGE:
            if employment != RETIRED and random_() < 0.95:
                since = born + int(SOCIAL_PENSION_AGE * DAYS_PER_YEAR) + 30 + int(random_() * 90)
                rows.append((kinds.ELDERLY_ALLOWANCE, since, ""))
        elif years >= 60 and size == 1 and standing == POOR:
            since = max(born + int(60 * DAYS_PER_YEAR), end - int(random_() * 8 * 365))
            note = "Người cao tuổi thuộc hộ nghèo, không có người phụng dưỡng"
            rows.append((kinds.SOCIAL_ALLOWANCE, since, note))
        merit = False
        for kind, since, note in rows:
            # Nothing begins after the person's death (or after `as_of`).
            if since < end:
                self.benefits.append((pid, kind.value, date.fromordinal(since), died_on, note))
                merit = merit or kind in (kinds.WAR_INVALID, kinds.MERITORIOUS)
                social = social or kind in (kinds.ELDERLY_ALLOWANCE, kinds.SOCIAL_ALLOWANCE)
        return merit, social

    def _immunise(self, pid, born, folk):
        """The child's doses of the expanded programme that were due and given by `as_of`."""
        rng = self.rng
        random_ = rng.random
        as_of = self.as_of_ordinal
        out = self.immunisations
        fromordinal = date.fromordinal
        # One draw decides both whether a dose was given and, scaled, how late.
        share = EPI_BIRTH_DOSE[folk]
        draw = random_()
        if draw < share:
            day = born + (draw < share * 0.2)
            if day < as_of:
                out.append((pid, HEPATITIS_B_BIRTH, 1, fromordinal(day)))
        share = EPI_BCG[folk]
        draw = random_()
        if draw < share:
            day = born + int((draw / share) ** 2 * 30)
            if day < as_of:
                out.append((pid, BCG, 1, fromordinal(day)))
        if random_() >= EPI_REACHED[folk]:
            return
        kept, longest = EPI_VISIT_KEPT[folk], EPI_DELAY[folk]
        last = {}
        previous = born
        for due, gap, doses in _EPI:
            due += born
            if due >= as_of:
                break
            draw = random_()
            if draw >= kept:
                for vaccine, *_ in doses:
                    last[vaccine] = -1
                continue
            day = max(due + int((draw / kept) ** 3 * longest), previous + gap)
            if day >= as_of:
                break
            given_on = None
            for vaccine, dose, needed, needed_dose in doses:
                if needed_dose and last.get(needed) != needed_dose:
                    continue
                if given_on is None:
                    given_on = fromordinal(day)
                out.append((pid, vaccine, dose, given_on))
                last[vaccine] = dose
            if given_on is not None:
                previous = day

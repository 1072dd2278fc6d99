"""The associations of Tân Lập (langso.test.World), built through the app's own actions:

- `women`: the commune's Women's Union, led by `leader` (account `hoi`, association
  leader at the commune, linked as an officer), with the branches `branch` (Bình Chiến)
  and `other_branch` (Đồng Tâm); `branch_head` (`chihoi`) heads Bình Chiến's branch;
- `farmers`: the Farmers' Association, with no officer: `leader` may not touch it;
- `thuy`: Trần Thị Thuỷ (born 2 March 1972) of Bình Chiến, a member of Bình Chiến's
  branch since 2015, account `thuy`;
- `far_leader`: an association leader of another commune.
"""

from datetime import date

from langso.accounts.models import User
from langso.accounts.roles import Role
from langso.associations import actions, rules
from langso.registry.models import Person
from langso.test import make_user


class AssociationWorld:
    def __init__(self, world):
        self.world = world
        self.women = actions.create_organisation(
            acting_user=None, name="Hội LHPN xã Tân Lập", kind=rules.WOMEN, unit=world.commune
        )
        self.farmers = actions.create_organisation(
            acting_user=None, name="Hội Nông dân xã Tân Lập", kind=rules.FARMERS, unit=world.commune
        )
        self.branch = actions.create_branch(
            self.women, acting_user=None, name="Chi hội Bình Chiến", unit=world.hamlet
        )
        self.other_branch = actions.create_branch(
            self.women, acting_user=None, name="Chi hội Đồng Tâm", unit=world.other_hamlet
        )
        self.farmers_branch = actions.create_branch(
            self.farmers, acting_user=None, name="Chi hội ND Bình Chiến", unit=world.hamlet
        )
        self.leader = make_user("hoi", "Lò Thị Hoa", Role.ASSOCIATION_LEADER, world.commune)
        actions.appoint_officer(self.leader, acting_user=None, organisation=self.women)
        self.branch_head = make_user("chihoi", "Cầm Thị Duyên", Role.BRANCH_HEAD, world.hamlet)
        actions.appoint_officer(
            self.branch_head, acting_user=None, organisation=self.women, branch=self.branch
        )
        self.thuy_person = Person.objects.get(full_name="Trần Thị Thuỷ")
        self.thuy = actions.add_member(
            self.women,
            self.thuy_person,
            acting_user=None,
            joined_on=date(2015, 3, 8),
            branch=self.branch,
            card_number="PN-001",
        )
        # The party's world links Thuỷ to the party member's account already.
        self.thuy_user = User.objects.filter(person=self.thuy_person).first()
        if self.thuy_user is None:
            self.thuy_user = make_user("thuy", "Trần Thị Thuỷ")
            self.thuy_user.person = self.thuy_person
            self.thuy_user.save(update_fields=["person"])
        self.far_leader = make_user(
            "hoixa", "Lò Thị Xa", Role.ASSOCIATION_LEADER, world.other_commune
        )

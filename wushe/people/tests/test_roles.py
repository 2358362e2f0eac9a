"""The roles of one person are found by the keyed ID hash, inside the viewer's scope."""

from wushe.people import roles
from wushe.people.models import Resident
from wushe.people.tests.filing import file_zhang


def test_a_filed_resident_is_a_role_of_their_id_hash(nanshan_admin, futian_admin):
    zhang = file_zhang(nanshan_admin)
    assert "resident" in {kind.name for kind in roles.kinds()}
    assert roles.roles_held(zhang.id_hash) == {"resident"}
    assert roles.roles_visible(zhang.id_hash, nanshan_admin) == {"resident": [zhang]}


def test_roles_outside_the_viewers_scope_are_not_shown(nanshan_admin, futian_admin):
    zhang = file_zhang(nanshan_admin)
    assert roles.roles_visible(zhang.id_hash, futian_admin) == {}
    assert roles.roles_held(zhang.id_hash) == {"resident"}


def test_an_unknown_or_empty_hash_holds_no_role(db):
    assert roles.roles_held("0" * 64) == set()
    assert roles.roles_held("") == set()
    assert not Resident.objects.filter(id_hash="").exists()

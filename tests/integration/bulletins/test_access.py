"""Beyond the URL patterns of the access matrix: a notice page (served by Wagtail's catch-all
route) and its attachment answer 404 to every role outside the notice's audience."""

import pytest

from portal.sites import site_for_face
from tests.access import MISSING, OK, intranet_row
from tests.conftest import ROLE_KEYS, make_role_user
from tests.integration.access_rows.bulletins import _private_attachment_url, _private_notice
from tests.integration.test_access_matrix import outcome

PRIVATE = {
    "notice": lambda: _private_notice().relative_url(site_for_face("intranet")),
    "attachment": _private_attachment_url,
}
EXPECTED = intranet_row(employees=MISSING, superuser=OK)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(PRIVATE))
@pytest.mark.parametrize("role", ROLE_KEYS)
def test_a_notice_for_another_department_is_missing_for_every_role(client, intranet, kind, role):
    url = PRIVATE[kind]()
    user = make_role_user(role)
    if user is not None:
        client.force_login(user)
    assert outcome(client.get(url)) == EXPECTED[role]

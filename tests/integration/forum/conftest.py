"""Fixtures of the forum tests: the intranet face, a board, people with pseudonyms."""

import pytest
from django.conf import settings

from tests.conftest import make_role_user
from tests.factories.forum import BoardFactory, pseudonym_for


@pytest.fixture(autouse=True)
def _intranet(intranet):
    return intranet


@pytest.fixture
def english(client):
    """Messages are checked in the source language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def board(db):
    return BoardFactory()


@pytest.fixture
def alice(db):
    """An employee with the pseudonym CalmOtter101."""
    user = make_role_user("employee")
    user.pseudonym = pseudonym_for(user, "CalmOtter101")
    return user


@pytest.fixture
def bob(db):
    user = make_role_user("employee")
    user.pseudonym = pseudonym_for(user, "BraveCrane202")
    return user


@pytest.fixture
def moderator(db):
    return make_role_user("forum_moderator")


@pytest.fixture
def auditor(db):
    return make_role_user("identity_auditor")

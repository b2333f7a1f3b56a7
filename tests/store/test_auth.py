"""Passwords, display names, the first admin, OIDC identities and demo guests."""

import pytest

from engine.store import auth
from engine.store.attempts import start_attempt
from engine.store.models import User
from engine.store.quizzes import assign_quiz, create_quiz
from engine.store.roles import PermissionDenied, Role
from engine.store.users import (
    MAX_DISPLAY_NAME,
    add_user,
    display_name_of,
    list_users,
    set_display_name,
    set_password,
)


def test_passwords_are_bcrypt_hashed_and_checked():
    hashed = auth.hash_password(password="correct horse")
    assert hashed.startswith("$2") and "correct horse" not in hashed
    assert auth.verify_password(password="correct horse", password_hash=hashed)
    assert not auth.verify_password(password="correct hose", password_hash=hashed)
    assert not auth.verify_password(password="anything", password_hash=None)
    with pytest.raises(ValueError, match="at least 8"):
        auth.hash_password(password="short")
    with pytest.raises(ValueError, match="at most 72"):
        auth.hash_password(password="é" * 40)


def test_first_admin_then_password_sign_in(database):
    with database.writing() as session:
        admin = auth.create_first_admin(session=session, name="Root", password="admin-pass-1")
    assert (admin.name, admin.role) == ("root", Role.ADMIN)
    with database.writing() as session, pytest.raises(ValueError, match="already exist"):
        auth.create_first_admin(session=session, name="second", password="admin-pass-2")
    with database.writing() as session:
        educator = add_user(session=session, actor=admin, name="eve", role=Role.EDUCATOR,
                            password="teach-pass-1", display_name="Dr Eve")
    with database.reading() as session:
        assert auth.authenticate(session=session, name=" EVE ", password="teach-pass-1") == educator
        for name, password in (("eve", "wrong-pass"), ("nobody", "teach-pass-1")):
            with pytest.raises(auth.AuthenticationFailed, match="unknown account name or wrong"):
                auth.authenticate(session=session, name=name, password=password)
    with database.writing() as session:
        set_password(session=session, actor=educator, user_id=educator.user_id,
                     password="new-teach-pass")
    with database.reading() as session:
        auth.authenticate(session=session, name="eve", password="new-teach-pass")
        with pytest.raises(auth.AuthenticationFailed):
            auth.authenticate(session=session, name="eve", password="teach-pass-1")


def test_account_names_and_duplicates_are_refused_clearly(database):
    with database.writing() as session:
        add_user(session=session, actor=None, name="eve", role=Role.EDUCATOR, password=None)
    with database.writing() as session, pytest.raises(ValueError, match="already exists"):
        add_user(session=session, actor=None, name="EVE", role=Role.TRAINEE, password=None)
    with database.writing() as session, pytest.raises(ValueError, match="account name"):
        add_user(session=session, actor=None, name="no spaces please", role=Role.TRAINEE,
                 password=None)


def test_users_choose_their_own_display_name_and_an_admin_may_change_any(world):
    with world.database.writing() as session:
        set_display_name(session=session, actor=world.tom, user_id=world.tom.user_id,
                         display_name="  Tom <b>T</b>  ")
        set_display_name(session=session, actor=world.ada, user_id=world.tia.user_id,
                         display_name="Tia")
    with world.database.reading() as session:
        assert display_name_of(session=session, actor=world.tom) == "Tom <b>T</b>"
        assert display_name_of(session=session, actor=world.tia) == "Tia"
    refusals = [(world.tia, world.tom.user_id, "Tom 2", PermissionDenied, "their own"),
                (world.eve, world.tom.user_id, "Tom 3", PermissionDenied, "their own"),
                (world.tom, world.tom.user_id, "   ", ValueError, "cannot be empty"),
                (world.tom, world.tom.user_id, "x" * (MAX_DISPLAY_NAME + 1), ValueError,
                 f"at most {MAX_DISPLAY_NAME} characters")]
    for actor, user_id, name, error, message in refusals:
        with world.database.writing() as session, pytest.raises(error, match=message):
            set_display_name(session=session, actor=actor, user_id=user_id, display_name=name)
    with world.database.reading() as session:
        assert display_name_of(session=session, actor=world.tom) == "Tom <b>T</b>"
    with world.database.writing() as session, pytest.raises(ValueError, match="at most 128"):
        add_user(session=session, actor=None, name="long", role=Role.TRAINEE, password=None,
                 display_name="y" * 200)


def test_demo_guests_exist_only_when_demo_mode_is_on(world):
    assert not auth.demo_enabled(environ={})
    assert auth.demo_enabled(environ={"LESIONLAB_DEMO": "1"})
    with world.database.writing() as session, pytest.raises(ValueError, match="demo mode is off"):
        auth.demo_guest(session=session, guest_name="Ann", enabled=False)
    with world.database.writing() as session:
        guest = auth.demo_guest(session=session, guest_name="Ann Lee", enabled=True)
        again = auth.demo_guest(session=session, guest_name="ann lee", enabled=True)
        assign_quiz(session=session, actor=world.eve, quiz_id=world.quiz_id, cohort_id=None)
    assert guest == again and guest.role == Role.TRAINEE and guest.name == "guest-ann-lee"
    with world.database.writing() as session:
        assert start_attempt(session=session, actor=guest, quiz_id=world.quiz_id).number == 1
        with pytest.raises(PermissionDenied):
            create_quiz(session=session, actor=guest, title="x", spec={}, seed=1)
        with pytest.raises(auth.AuthenticationFailed):
            auth.authenticate(session=session, name=guest.name, password="")
    with world.database.writing() as session:
        session.get(User, guest.user_id).is_demo_guest = False
    with world.database.writing() as session, pytest.raises(ValueError, match="not an active"):
        auth.demo_guest(session=session, guest_name="Ann Lee", enabled=True)


def test_oidc_configuration_and_accounts(database):
    assert not auth.oidc_configured(secrets={})
    provider = {"client_id": "id", "client_secret": "s",
                "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
    base = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c"}
    assert auth.oidc_configured(secrets={"auth": {**base, **provider}})
    assert auth.oidc_configured(secrets={"auth": {**base, "hospital": provider}})
    assert not auth.oidc_configured(secrets={"auth": provider})
    with database.writing() as session:
        first = auth.oidc_account(session=session, issuer="https://idp", subject="123",
                                  email="Ann.Lee@Example.org", display_name="Ann Lee")
        same = auth.oidc_account(session=session, issuer="https://idp", subject="123",
                                 email="changed@example.org", display_name="Ann")
        other = auth.oidc_account(session=session, issuer="https://other", subject="9",
                                  email="ann.lee@example.org", display_name="Ann L")
        with pytest.raises(ValueError, match="no issuer"):
            auth.oidc_account(session=session, issuer="", subject="1", email="", display_name="")
        names = [user.name for user in list_users(session=session, actor=None)]
    assert first == same and first.role == Role.TRAINEE
    assert first.name == "ann.lee-example.org" and other.name.startswith("ann.lee-example.org-")
    assert sorted(names) == sorted([first.name, other.name])

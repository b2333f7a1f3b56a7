"""Educators manage the membership of their own cohorts; only trainees are members."""

import pytest

from engine.store.cohorts import add_member, create_cohort, members, remove_member
from engine.store.db import Database


def test_members_are_added_once_listed_and_removed(world):
    with world.database.writing() as session:
        add_member(session=session, actor=world.eve, cohort_id=world.cohort_id,
                   user_id=world.tia.user_id)
        add_member(session=session, actor=world.eve, cohort_id=world.cohort_id,
                   user_id=world.tia.user_id)
    with world.database.reading() as session:
        assert [u.name for u in members(session=session, actor=world.eve,
                                        cohort_id=world.cohort_id)] == ["tia", "tom"]
    with world.database.writing() as session:
        remove_member(session=session, actor=world.ada, cohort_id=world.cohort_id,
                      user_id=world.tom.user_id)
        with pytest.raises(ValueError, match="is not in cohort"):
            remove_member(session=session, actor=world.eve, cohort_id=world.cohort_id,
                          user_id=world.tom.user_id)
        with pytest.raises(ValueError, match="only trainees join cohorts"):
            add_member(session=session, actor=world.eve, cohort_id=world.cohort_id,
                       user_id=world.xena.user_id)
        with pytest.raises(ValueError, match="already have a cohort named"):
            create_cohort(session=session, actor=world.eve, name="Year 2")
    with world.database.reading() as session:
        assert [u.name for u in members(session=session, actor=world.eve,
                                        cohort_id=world.cohort_id)] == ["tia"]


def test_the_default_database_lives_in_the_data_folder(tmp_path):
    database = Database.from_environment(environ={"LESIONLAB_DATA_DIR": str(tmp_path / "d")})
    try:
        assert database.dialect == "sqlite"
        with database.reading() as session:
            session.connection()
        assert (tmp_path / "d" / "lesionlab.db").exists()
    finally:
        database.dispose()

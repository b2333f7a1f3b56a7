"""Persistence: accounts and roles, cohorts, quizzes, items, attempts, answers, reviews, audit.

Every repository function takes the session it works in and the acting user (`Actor`), checks
the actor's role in the database and raises `PermissionDenied` when the action is not theirs.
Open sessions with `Database.reading()` / `Database.writing()` from `engine.store.db`.
"""

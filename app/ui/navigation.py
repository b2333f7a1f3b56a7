"""Which pages each role sees. The data layer checks roles again; the menu only hides doors."""

from __future__ import annotations

from dataclasses import dataclass

from engine.store.roles import Role


@dataclass(frozen=True)
class PageEntry:
    """One menu entry: the page script, its title key, icon and menu section key."""

    script: str
    title_key: str
    icon: str
    section_key: str


HOME = PageEntry("app_pages/home.py", "nav.home", ":material/home:", "nav.section.start")
LOGIN = PageEntry("app_pages/login.py", "nav.login", ":material/login:", "nav.section.start")
PRACTICE = PageEntry(
    "app_pages/practice.py", "nav.practice", ":material/quiz:", "nav.section.learn"
)
RESULTS = PageEntry(
    "app_pages/results.py", "nav.results", ":material/insights:", "nav.section.learn"
)
EDUCATOR = PageEntry(
    "app_pages/educator.py", "nav.educator", ":material/school:", "nav.section.teach"
)
REVIEW = PageEntry(
    "app_pages/review.py", "nav.review", ":material/verified:", "nav.section.teach"
)
ACCOUNTS = PageEntry(
    "app_pages/accounts.py", "nav.accounts", ":material/group:", "nav.section.teach"
)
STUDIO = PageEntry("app_pages/studio.py", "nav.studio", ":material/palette:", "nav.section.lab")
MODEL_LAB = PageEntry(
    "app_pages/model_lab.py", "nav.model_lab", ":material/monitoring:", "nav.section.lab"
)
ABOUT = PageEntry("app_pages/about.py", "nav.about", ":material/info:", "nav.section.lab")

MENUS: dict[Role | None, tuple[PageEntry, ...]] = {
    None: (HOME, LOGIN, ABOUT),
    Role.TRAINEE: (HOME, PRACTICE, RESULTS, STUDIO, ABOUT),
    Role.EDUCATOR: (HOME, EDUCATOR, STUDIO, MODEL_LAB, ABOUT),
    Role.EXPERT: (HOME, REVIEW, STUDIO, MODEL_LAB, ABOUT),
    Role.ADMIN: (HOME, EDUCATOR, ACCOUNTS, STUDIO, MODEL_LAB, ABOUT),
}


def menu_for(role: Role | None) -> tuple[PageEntry, ...]:
    """The pages shown to a signed-in user of `role` (None: not signed in)."""
    return MENUS[role]

"""Expert review: the queue of unvalidated items, recording reviews, and inter-rater agreement."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import select

from engine.agreement import cohen_kappa, fleiss_kappa
from engine.services.runtime import Runtime
from engine.store import items, reviews
from engine.store.models import Item, Review, User
from engine.store.roles import REVIEWING_ROLES, Actor, require_role

ARTEFACT_FLAGS: tuple[str, ...] = (
    "checkerboard", "blurry_structures", "implausible_colour", "duplicated_pattern",
    "border_artefact", "unrealistic_skin",
)


@dataclass(frozen=True)
class ReviewCase:
    """One queued item: what it was conditioned on and its clean image."""

    item_id: int
    profile: dict
    diagnosis: str
    generator_id: str
    clean_png: bytes
    remaining: int
    status: str  # "unvalidated", or already decided by other experts (a second rating)


@dataclass(frozen=True)
class Agreement:
    """Kappa over items several experts reviewed; None where too few items allow one."""

    items_with_several_reviews: int
    fleiss: float | None
    fleiss_raters: int
    pairwise: tuple[tuple[str, str, int, float], ...]  # (expert, expert, shared items, kappa)


def next_case(*, runtime: Runtime, actor: Actor) -> ReviewCase | None:
    """The next item this expert has not reviewed: unvalidated items first (oldest first), then
    items other experts already decided, whose second ratings feed inter-rater agreement."""
    with runtime.database.reading() as session:
        queue = reviews.items_for_review(session=session, actor=actor)
        if not queue:
            queue = reviews.items_for_review(session=session, actor=actor, status=None)
        if not queue:
            return None
        item = queue[0]
        clean, _ = items.item_images(session=session, actor=actor, item_id=item.id)
        return ReviewCase(item.id, dict(item.profile), item.profile["dx"], item.generator_id,
                          clean, len(queue), item.validation_status.value)


def record_review(
    *, runtime: Runtime, actor: Actor, item_id: int, realism: int, agrees: bool,
    decision: str, artefacts: list[str], comment: str,
) -> str:
    """Store the review; returns the item's validation status after it."""
    unknown = set(artefacts) - set(ARTEFACT_FLAGS)
    if unknown:
        raise ValueError(f"unknown artefact flags {sorted(unknown)}; use {list(ARTEFACT_FLAGS)}")
    with runtime.database.writing() as session:
        reviews.submit_review(
            session=session, actor=actor, item_id=item_id, realism=realism,
            agrees_with_diagnosis=agrees, decision=decision, artefacts=artefacts,
            comment=comment,
        )
        return session.get(Item, item_id).validation_status.value


def agreement(*, runtime: Runtime, actor: Actor) -> Agreement:
    """Fleiss' kappa on approve/reject over items with the most common number of reviewers,
    and Cohen's kappa for every pair of experts on the items both reviewed."""
    with runtime.database.reading() as session:
        require_role(session=session, actor=actor, allowed=REVIEWING_ROLES,
                     action="read_review_agreement")
        rows = session.execute(
            select(Review.item_id, User.name, Review.decision)
            .join(User, User.id == Review.expert_id)
        ).all()
    by_item: dict[int, dict[str, str]] = defaultdict(dict)
    for item_id, expert, decision in rows:
        by_item[item_id][expert] = decision.value
    several = {item: votes for item, votes in by_item.items() if len(votes) >= 2}
    fleiss, raters = None, 0
    if several:
        raters = Counter(len(votes) for votes in several.values()).most_common(1)[0][0]
        table = [Counter(votes.values()) for votes in several.values() if len(votes) == raters]
        if len(table) >= 2:
            fleiss = fleiss_kappa(ratings=table)
    experts = sorted({expert for votes in several.values() for expert in votes})
    pairwise = []
    for first, second in combinations(experts, 2):
        shared = [votes for votes in several.values() if first in votes and second in votes]
        if len(shared) >= 2:
            pairwise.append((first, second, len(shared), cohen_kappa(
                first=[votes[first] for votes in shared],
                second=[votes[second] for votes in shared])))
    return Agreement(len(several), fleiss, raters, tuple(pairwise))

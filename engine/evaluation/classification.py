"""Scores of a diagnosis classifier on labelled images: per-class recall, balanced accuracy
(mean recall over the classes present) and malignant AUC (mel, bcc, akiec vs the rest)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import roc_auc_score

from engine.vocabulary import DIAGNOSES, MALIGNANT

MALIGNANT_INDICES = np.array([DIAGNOSES.index(name) for name in sorted(MALIGNANT)])


@dataclass(frozen=True)
class ClassificationScores:
    per_class_recall: dict[str, float]
    balanced_accuracy: float
    malignant_auc: float  # NaN when the test set holds only one of malignant / benign
    count: int

    def to_dict(self) -> dict:
        return {"per_class_recall": self.per_class_recall,
                "balanced_accuracy": self.balanced_accuracy,
                "malignant_auc": None if np.isnan(self.malignant_auc) else self.malignant_auc,
                "images": self.count}


def classification_scores(
    *,
    labels: np.ndarray,
    probabilities: np.ndarray,
    malignant_probability: np.ndarray | None = None,
) -> ClassificationScores:
    """Scores of class probabilities (N, 7) against diagnosis indices (N,).

    Malignancy is scored with `malignant_probability` when given, else with the summed
    probability of the malignant classes.
    """
    labels = np.asarray(labels)
    if len(labels) == 0 or probabilities.shape != (len(labels), len(DIAGNOSES)):
        raise ValueError(f"need probabilities of shape (N, {len(DIAGNOSES)}) for N > 0 labels; "
                         f"got {probabilities.shape} for {len(labels)} labels")
    predicted = probabilities.argmax(axis=1)
    recall = {DIAGNOSES[c]: float((predicted[labels == c] == c).mean())
              for c in np.unique(labels)}
    if malignant_probability is None:
        malignant_probability = probabilities[:, MALIGNANT_INDICES].sum(axis=1)
    malignant = np.isin(labels, MALIGNANT_INDICES)
    auc = float("nan")
    if 0 < malignant.sum() < len(labels):
        auc = float(roc_auc_score(malignant, malignant_probability))
    return ClassificationScores(recall, float(np.mean(list(recall.values()))), auc, len(labels))

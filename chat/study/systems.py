"""The four systems of the relevance study, each ranking a task's request for its top k.

- `whisperlite+history`: the app's recommender as shoppers meet it, reading the task's persona's history.
- `whisperlite`: the same recommender with no history. With an empty history WhisperLite's request tower is
  bit-for-bit the paper-faithful one (the history branch adds nothing), so this is the paper's model with the
  app's retrieval; like the app, both WhisperLite systems add the frozen similarity at WHISPERLITE_TEXT_WEIGHT
  (set it to 0 to rate the trained towers alone). When the app serves no trained model both are zero-shot.
- `zero-shot`: the frozen encoder's similarity alone (the same retrieval, no trained model).
- `random`: k catalogue items drawn by a seed fixed per task.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from chat.recommender import Recommender
from chat.request import Request
from chat.study.tasks import StudyTask

SYSTEMS = ("whisperlite+history", "whisperlite", "zero-shot", "random")


class StudySystems:
    def __init__(self, recommender: Recommender, item_ids: Sequence[str], seed: int = 0):
        self.recommender = recommender
        self.zero_shot = Recommender(
            recommender.encoder, recommender.items, recommender.users, None, candidates=recommender.candidates
        )
        self.item_ids = list(item_ids)
        self.seed = seed

    def rankings(self, task: StudyTask) -> dict[str, list[str]]:
        """Each system's top `task.k` item ids, best first."""
        shopper = task.shopper.id if task.shopper else None

        def top(recommender: Recommender, user_id: str | None) -> list[str]:
            return [r.item.id for r in recommender.recommend(Request(task.request, user_id=user_id, k=task.k))]

        drawn = random.Random(f"{self.seed}:{task.id}").sample(self.item_ids, min(task.k, len(self.item_ids)))
        return {
            "whisperlite+history": top(self.recommender, shopper),
            "whisperlite": top(self.recommender, None),
            "zero-shot": top(self.zero_shot, None),
            "random": drawn,
        }

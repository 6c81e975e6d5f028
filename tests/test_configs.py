"""Named presets are JSON data read by one function; the typed configs are built from them."""

from __future__ import annotations

import pytest

from ranker.configs import load_preset, preset_names
from ranker.evaluate.whisperlite import WhisperLiteGrid


def test_every_preset_is_listed_and_loads_as_a_dict():
    assert {"demo", "evaluation-grid"} <= set(preset_names())
    assert all(isinstance(load_preset(name), dict) for name in preset_names())


def test_an_unknown_preset_names_the_known_ones():
    with pytest.raises(KeyError, match="evaluation-grid"):
        load_preset("no-such-preset")


def test_the_evaluation_grid_is_the_one_docs_results_describes():
    grid = WhisperLiteGrid.preset()
    assert grid.towers == ("residual",) and grid.contrastive == ((0.5, 0.05), (1.0, 0.1))
    assert grid.dropouts == (0.1,) and grid.weight_decays == (1e-4,)
    assert grid.schedules == (("constant", 0.0, 30), ("cosine", 1.0, 10))
    assert grid.history_summaries == ("attention", "gru", "score_mix")
    assert (grid.lrs, grid.epochs, grid.patience, grid.history_max) == ((3e-3,), 30, 3, 20)
    assert (grid.hidden_dim, grid.output_dim, grid.batch_size) == (256, 128, 256)


def test_a_preset_value_can_be_overridden_for_a_quick_run():
    grid = WhisperLiteGrid.preset(epochs=2, contrastive=[[0.5, 0.05]])
    assert grid.epochs == 2 and grid.contrastive == ((0.5, 0.05),) and grid.towers == ("residual",)

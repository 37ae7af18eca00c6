import json

from training.heads import score_expression
from training.refine.train_refine import selection_split


def test_selection_rows_are_the_heads_held_out_split(tmp_path):
    out = tmp_path / "rows.json"
    score_expression.main(["--selection-rows", str(out)])
    rows = json.loads(out.read_text())
    sel, fit = selection_split(score_expression.FER2013_TRAIN_ROWS)
    assert rows == sel.tolist()
    assert len(rows) == 2871 and len(set(rows) | set(fit.tolist())) == score_expression.FER2013_TRAIN_ROWS

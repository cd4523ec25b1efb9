"""The benchmark runs end to end at a small size, so that it cannot rot (its targets are for
reading the full-size run, not for timing tests)."""

import json
import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_at_a_small_size(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--activities",
            "3000",
            "--projects",
            "200",
            "--units",
            "20",
            "--import-rows",
            "2000",
            "--runs",
            "1",
            "--json",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert (summary["activities"], summary["projects"], summary["units"]) == (3000, 200, 20)
    assert [r["target"] for r in summary["results"]] == [1.3, 1.5, 2.0, 2.0, 3.0, 3.0, 1.5, 1.5]
    for result in summary["results"]:
        assert result["zs_s"] > 0 and result["baseline_s"] > 0
        assert abs(result["ratio"] - result["zs_s"] / result["baseline_s"]) <= 0.01 + 0.01 * result["ratio"]
    import sqlite3

    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        assert conn.execute("SELECT count(*) FROM unit").fetchone()[0] == 20
        # 3000 generated, plus one trip per run of the `zs log trip` comparison
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 3001
    with sqlite3.connect(tmp_path / "import-target.db") as conn:
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 2000

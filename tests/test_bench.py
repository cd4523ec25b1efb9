"""The benchmark runs end to end at a small size, so that it cannot rot (its targets are for
reading the full-size run, not for timing tests)."""

import json
import os
import shutil
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
    results = summary["results"]
    assert [r["target"] for r in results] == [1.3, 1.5, 1.5, 2.0, 0.1, 3.0, 3.0, 3.0, 3.0, 1.5, 1.5, 1.5]
    assert [r["name"].split(" (")[0].split(" vs ")[0] for r in results] == [
        "zs --help",
        "zs log trip",
        "zs report year --json",
        "zs report forecast --json",
        "zs report year --json",
        "zs log list --all --json",
        "zs export",
        "zs import activities",
        "zs import activities",
        "zs report quarter --xlsx",
        "zs report quarter --docx",
        "zs targets coverage --json",
    ]
    assert "400 rows" in results[7]["name"] and "2,000 rows" in results[8]["name"]
    hledger = results[4]
    if shutil.which("hledger") is None:  # reported as not measured, never as passed
        assert (hledger["ratio"], hledger["zs_s"]) == (None, None)
        assert hledger["note"].startswith("not measured")
        results = results[:4] + results[5:]
    else:
        assert (tmp_path / "ledger.journal").stat().st_size > 0
    for result in results:
        assert result["zs_s"] > 0 and result["baseline_s"] > 0
        assert abs(result["ratio"] - result["zs_s"] / result["baseline_s"]) <= 0.01 + 0.01 * result["ratio"]
    import sqlite3

    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        assert conn.execute("SELECT count(*) FROM unit").fetchone()[0] == 20
        # 3000 generated, plus one trip per run of the `zs log trip` comparison
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 3001
        trips = dict(
            conn.execute(
                "SELECT u.name, count(*) FROM activity a JOIN unit u ON u.id = a.unit_id"
                " WHERE a.kind = 'trip' AND a.date BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY u.name"
            )
        )
    # the generated ledger is one zs counts as it counts its own: every activity linked to its unit
    # (a ledger without those links reports no trip at all, and times nothing)
    report = subprocess.run(
        [sys.executable, "-m", "zhaoshang", "report", "year", "--year", "2024", "--as-of", "2024-12-31", "--json"],
        env={**os.environ, "ZS_DB": str(tmp_path / "ledger.db"), "ZS_TARGETS": str(tmp_path / "targets.yaml")},
        capture_output=True,
        text=True,
        check=True,
    )
    counted = {
        q["subject"]: q["actual"]
        for q in json.loads(report.stdout)["quotas"]
        if q["quota"] in ("town-trips", "park-trips", "dept-trips", "center-trips")
    }
    assert len(counted) == 20 and sum(counted.values()) > 0
    assert counted == {unit: trips.get(unit, 0) for unit in counted}
    with sqlite3.connect(tmp_path / "import-target.db") as conn:
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 2000
    with sqlite3.connect(tmp_path / "import-plain.db") as conn:  # the baseline stored the same rows
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 2000
    with sqlite3.connect(tmp_path / "import-stored.db") as conn:  # and so did the floor in zs's own tables
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 2000
        assert conn.execute("SELECT count(*) FROM activity_unit").fetchone()[0] == 2000
    assert "stored unchecked by plain sqlite3 in zs's own tables" in results[-4]["note"]

"""Benchmark zs against the floor set by its own dependencies, each ratio measured side by side.

    python bench/run.py                       # 1,000,000 activities, 50,000 projects, 200 units
    python bench/run.py --activities 20000 --projects 1000 --import-rows 20000 --runs 3

Prints, for each comparison, the median of --runs runs of zs and of its baseline, their ratio and
the target; with --json, the same as a JSON document. Exit status 0 whatever the ratios (the
targets are for reading, not for failing a build).
"""

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

PYTHON = sys.executable
ZS = [PYTHON, "-m", "zhaoshang"]

REPLAY = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[2])
for line in open(sys.argv[1], encoding="utf-8"):
    statement, params = json.loads(line)
    if statement.lstrip().upper().startswith(("SELECT", "WITH")):
        conn.execute(statement, params if isinstance(params, list) else params or ()).fetchall()
"""

PLAIN_IMPORT = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2])
conn.execute("CREATE TABLE IF NOT EXISTS activity (date, unit, kind, leader, mode, destination, company)")
with open(sys.argv[1], encoding="utf-8", newline="") as handle, conn:
    reader = csv.reader(handle)
    next(reader)
    conn.executemany("INSERT INTO activity VALUES (?, ?, ?, ?, ?, ?, ?)", reader)
"""

# What the same rows cost to store in zs's own tables, with nothing checked: plain sqlite3 writes
# each activity, its unit link and its company link, indexes dropped and built once as zs does.
PLAIN_LEDGER_IMPORT = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
conn.execute("PRAGMA foreign_keys = ON")
units = dict(conn.execute("SELECT name, id FROM unit"))
indexes = conn.execute(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    " AND tbl_name IN ('activity', 'activity_unit', 'activity_company')"
).fetchall()
first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM activity").fetchone()[0]
activities, linked, met = [], [], []
with open(sys.argv[1], encoding="utf-8", newline="") as handle:
    reader = csv.reader(handle)
    next(reader)
    for number, (day, unit, kind, _, mode, place, company) in enumerate(reader, first):
        activities.append((number, kind, day, units[unit], mode or None, place or None))
        linked.append((number, units[unit]))
        if company:
            met.append((number, company))
conn.execute("BEGIN IMMEDIATE")
for name, _ in indexes:
    conn.execute(f'DROP INDEX "{name}"')
conn.executemany(
    "INSERT INTO activity (id, kind, date, unit_id, mode, destination, created_at, created_by)"
    " VALUES (?, ?, ?, ?, ?, ?, '2026-01-01 00:00:00', 'bench')",
    activities,
)
conn.executemany("INSERT INTO activity_unit (activity_id, unit_id, position) VALUES (?, ?, 0)", linked)
conn.executemany("INSERT INTO activity_company (activity_id, company) VALUES (?, ?)", met)
for _, sql in indexes:
    conn.execute(sql)
conn.execute("COMMIT")
"""

PLAIN_YAML = """
import sys, typer, yaml
yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
open(sys.argv[2], encoding="utf-8").read()
"""

PLAIN_XLSX = """
import pickle, sys
from openpyxl import Workbook
sheets = pickle.load(open(sys.argv[1], "rb"))
book = Workbook(write_only=True)
for title, rows in sheets:
    ws = book.create_sheet(title)
    for row in rows:
        ws.append(row)
book.save(sys.argv[2])
"""

PLAIN_DOCX = """
import pickle, sys
from docx import Document
parts = pickle.load(open(sys.argv[1], "rb"))
document = Document()
for text in parts["paragraphs"]:
    document.add_paragraph(text)
for rows in parts["tables"]:
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for cells, row in zip(rows, table.rows):
        for text, cell in zip(cells, row.cells):
            cell.text = text
document.save(sys.argv[2])
"""

LAUNCHER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    cmd, env = json.loads(line)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    error = proc.stderr.read().decode() if os.waitstatus_to_exitcode(status) else ""
    print(json.dumps([elapsed, usage.ru_maxrss, error]), flush=True)
"""


class Launcher:
    """Runs the measured commands from a small process started before the ledger is generated: a
    child's peak memory counts its parent's size at fork, so the parent must stay small."""

    def __init__(self):
        self.proc = subprocess.Popen([PYTHON, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, cmd, env) -> tuple[float, int]:
        self.proc.stdin.write(json.dumps([[str(c) for c in cmd], env or dict(os.environ)]) + "\n")
        self.proc.stdin.flush()
        elapsed, peak, error = json.loads(self.proc.stdout.readline())
        if error:
            raise SystemExit(f"{' '.join(map(str, cmd))} failed: {error}")
        return elapsed, peak

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


LAUNCH: Launcher | None = None


def run(cmd, env=None, setup=None) -> tuple[float, int]:
    """Wall time and peak memory (KiB) of one command; `setup` runs first, untimed."""
    if setup:
        setup()
    return LAUNCH.run(cmd, env)


def first_line(cmd, env) -> float:
    """Seconds until a command's first line of output arrives (the rest is not waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in cmd], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.kill()
    proc.wait()
    return elapsed


def median(runs: int, *commands) -> list[tuple[float, int]]:
    """Run each command in turn, `runs` rounds side by side; the median time and max memory of each."""
    samples = [[] for _ in commands]
    for _ in range(runs):
        for index, (cmd, env, setup) in enumerate(commands):
            samples[index].append(run(cmd, env, setup))
    return [(statistics.median(t for t, _ in s), max(m for _, m in s)) for s in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=50_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the generated files here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    global LAUNCH
    LAUNCH = Launcher()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="zs-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    ledger, empty, targets = work / "ledger.db", work / "empty.db", work / "targets.yaml"
    units = generate.unit_names(args.units)
    t0 = time.perf_counter()
    for path in (ledger, empty):
        for stale in work.glob(path.name + "*"):
            stale.unlink()
    from zhaoshang import db

    db.connect(ledger, new=True).dispose()
    generate.populate(ledger, units, args.activities, args.projects)
    db.connect(empty, new=True).dispose()
    generate.populate(empty, units, 0, 0)
    generate.write_targets(targets, units)
    csv_path = generate.write_import_csv(work / "import.csv", units, args.import_rows)
    generated = time.perf_counter() - t0
    env = {**os.environ, "ZS_DB": str(ledger), "ZS_TARGETS": str(targets)}
    results = []

    def compare(name, target, zs_cmd, base_cmds, zs_env=env, zs_setup=None, base_setup=None, note=""):
        timed = median(args.runs, (zs_cmd, zs_env, zs_setup), *[(c, env, base_setup) for c in base_cmds])
        zs_time, zs_mem = timed[0]
        base_time = sum(t for t, _ in timed[1:])
        result = {
            "name": name,
            "zs_s": round(zs_time, 4),
            "baseline_s": round(base_time, 4),
            "ratio": round(zs_time / base_time, 2),
            "target": target,
            "zs_peak_mib": round(zs_mem / 1024),
            "baseline_peak_mib": round(max(m for _, m in timed[1:]) / 1024),
            "note": note,
        }
        results.append(result)
        return result

    compare("zs --help vs python -c 'import typer'", 1.3, [*ZS, "--help"], [[PYTHON, "-c", "import typer"]])

    compare(
        "zs log trip (big ledger) vs python -c 'import sqlmodel'",
        1.5,
        [*ZS, "log", "trip", "--unit", "镇001", "--date", "2024-12-30", "--to", "深圳"],
        [[PYTHON, "-c", "import sqlmodel"]],
    )

    def logged(cmd, name: str) -> tuple[Path, int]:
        """The statements a command runs, logged once to a file of their own, and how many SELECTs."""
        log = work / f"{name}-statements.jsonl"
        log.unlink(missing_ok=True)
        subprocess.run(cmd, env={**env, "ZS_SQL_LOG": str(log)}, check=True, stdout=subprocess.DEVNULL)
        lines = log.open(encoding="utf-8")
        return log, sum(1 for line in lines if json.loads(line)[0].lstrip().upper().startswith("SELECT"))

    for kind, target in (("year", 1.5), ("forecast", 2.0)):
        report = [
            *ZS,
            "report",
            kind,
            "--year",
            "2024",
            "--as-of",
            "2024-09-30" if kind == "forecast" else "2024-12-31",
        ]
        log, selects = logged([*report, "--json"], kind)
        compare(
            f"zs report {kind} --json vs import sqlmodel + the same SELECTs in sqlite3",
            target,
            [*report, "--json"],
            [[PYTHON, "-c", "import sqlmodel"], [PYTHON, "-c", REPLAY, str(log), str(ledger)]],
            note=f"{selects} SELECT statements; peak memory target < 300 MiB",
        )

    year_report = [*ZS, "report", "year", "--year", "2024", "--as-of", "2024-12-31", "--json"]
    hledger_name = "zs report year --json vs hledger bal --budget -M over a journal of the same records"
    if shutil.which("hledger"):
        journal = generate.write_journal(ledger, work / "ledger.journal")
        budget = ["hledger", "-f", str(journal), "bal", "--budget", "-M", "-b", "2024-01-01", "-e", "2025-01-01"]
        row = compare(hledger_name, 0.1, year_report, [budget])
        row["note"] = (
            f"peak memory {row['zs_peak_mib']} MiB vs {row['baseline_peak_mib']} MiB, "
            f"1/{row['baseline_peak_mib'] / max(row['zs_peak_mib'], 1):.0f} (target ≤ 1/20); "
            f"journal {journal.stat().st_size / 2**20:.0f} MiB"
        )
    else:
        results.append(
            {
                "name": hledger_name,
                "zs_s": None,
                "baseline_s": None,
                "ratio": None,
                "target": 0.1,
                "zs_peak_mib": None,
                "baseline_peak_mib": None,
                "note": "not measured: hledger is not installed here (apt-get install hledger)",
            }
        )

    listing = [*ZS, "log", "list", "--all", "--json"]
    statements, _ = logged(listing, "list")
    compare(
        f"zs log list --all --json ({args.activities:,} rows) vs import sqlmodel + the same SELECTs in sqlite3",
        3.0,
        listing,
        [[PYTHON, "-c", "import sqlmodel"], [PYTHON, "-c", REPLAY, str(statements), str(ledger)]],
        note=f"first row after {first_line(listing, env):.2f} s; targets: first row < 1 s, peak memory < 150 MiB",
    )

    exported = work / "export.json"
    export = [*ZS, "export", str(exported)]
    statements, _ = logged(export, "export")
    compare(
        f"zs export (json, {args.activities:,} activities) vs import sqlmodel + the same SELECTs in sqlite3",
        3.0,
        export,
        [[PYTHON, "-c", "import sqlmodel"], [PYTHON, "-c", REPLAY, str(statements), str(ledger)]],
        zs_setup=lambda: exported.unlink(missing_ok=True),
        note=f"{exported.stat().st_size / 2**20:.0f} MiB written; target: peak memory < 150 MiB",
    )

    target_db, plain_db, stored_db = work / "import-target.db", work / "import-plain.db", work / "import-stored.db"

    def fresh_copy(path: Path = target_db):
        for stale in work.glob(path.name + "*"):
            stale.unlink()
        shutil.copy(empty, path)

    def no_plain():
        for stale in work.glob("import-plain.db*"):
            stale.unlink()

    for rows in sorted({max(args.import_rows // 5, 1), args.import_rows}):
        sheet = (
            csv_path
            if rows == args.import_rows
            else generate.write_import_csv(work / f"import-{rows}.csv", units, rows)
        )
        row = compare(
            f"zs import activities ({rows:,} rows) vs sqlite3 executemany into a one-table schema",
            3.0,
            [*ZS, "import", "activities", str(sheet), "--db", str(target_db)],
            [[PYTHON, "-c", PLAIN_IMPORT, str(sheet), str(plain_db)]],
            zs_setup=fresh_copy,
            base_setup=no_plain,
        )
        stored_rows = [PYTHON, "-c", PLAIN_LEDGER_IMPORT, str(sheet), str(stored_db)]
        ((stored, _),) = median(args.runs, (stored_rows, env, lambda: fresh_copy(stored_db)))
        row["note"] = (
            "into a ledger of units and people only (the first import of an office's 台账); the same rows "
            f"stored unchecked by plain sqlite3 in zs's own tables and indexes: {stored:.2f} s, "
            f"{stored / row['baseline_s']:.1f}x the one-table schema"
        )

    xlsx = work / "quarter.xlsx"
    quarter = [*ZS, "report", "quarter", "--quarter", "2024Q4", "--as-of", "2024-12-31", "--xlsx", str(xlsx)]

    def no_xlsx():
        xlsx.unlink(missing_ok=True)

    subprocess.run(quarter, env=env, check=True, stdout=subprocess.DEVNULL)
    from openpyxl import load_workbook

    book = load_workbook(xlsx, read_only=True)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book.worksheets]
    detail_rows = next(len(rows) - 3 for title, rows in sheets if title == "明细")
    book.close()
    cells = work / "cells.pickle"
    cells.write_bytes(pickle.dumps(sheets))
    plain = work / "plain.xlsx"
    compare(
        "zs report quarter --xlsx vs openpyxl write-only writing the same cells",
        1.5,
        quarter,
        [[PYTHON, "-c", PLAIN_XLSX, str(cells), str(plain)]],
        zs_setup=no_xlsx,
        note=f"{detail_rows:,} rows on the detail sheet",
    )

    docx = work / "quarter.docx"
    word = [*ZS, "report", "quarter", "--quarter", "2024Q4", "--as-of", "2024-12-31", "--docx", str(docx)]

    def no_docx():
        docx.unlink(missing_ok=True)

    subprocess.run(word, env=env, check=True, stdout=subprocess.DEVNULL)
    import docx as python_docx

    document = python_docx.Document(str(docx))
    parts = {
        "paragraphs": [p.text for p in document.paragraphs],
        "tables": [[[c.text for c in row.cells] for row in table.rows] for table in document.tables],
    }
    texts = work / "docx.pickle"
    texts.write_bytes(pickle.dumps(parts))
    compare(
        "zs report quarter --docx vs python-docx writing the same paragraphs and tables",
        1.5,
        word,
        [[PYTHON, "-c", PLAIN_DOCX, str(texts), str(work / "plain.docx")]],
        zs_setup=no_docx,
        note=f"{sum(len(t) for t in parts['tables']):,} table rows",
    )

    plan = work / "plan.txt"  # the plan a quota file encodes, from its own `text:` sentences
    from zhaoshang.config import load_targets

    plan_file = HERE.parent / "config" / "plans" / "003-liaocheng-2024.yaml"
    sentences = list(load_targets(plan_file).texts())
    plan.write_text("。\n".join(sentences) + "。\n", encoding="utf-8")
    compare(
        "zs targets coverage --json vs python loading typer, the quota file (yaml) and the plan",
        1.5,
        [*ZS, "targets", "coverage", str(plan), "--targets", str(plan_file), "--json"],
        [[PYTHON, "-c", PLAIN_YAML, str(plan_file), str(plan)]],
        note=f"{len(sentences)} sentences",
    )

    summary = {
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "activities": args.activities,
        "projects": args.projects,
        "units": args.units,
        "import_rows": args.import_rows,
        "runs": args.runs,
        "generate_s": round(generated, 1),
        "ledger_mib": round(ledger.stat().st_size / 2**20),
        "results": results,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(
            f"{args.activities:,} activities, {args.projects:,} projects, {args.units} units; "
            f"ledger {summary['ledger_mib']} MiB, generated in {generated:.1f} s; {os.cpu_count()} cores; "
            f"median of {args.runs} runs"
        )
        for r in results:
            if r["ratio"] is None:
                print(f"{'—':>6}  (target ≤ {r['target']}×, not measured)  {r['name']}  [{r['note']}]")
                continue
            verdict = "ok" if r["ratio"] <= r["target"] else "over"
            print(
                f"{r['ratio']:>6.2f}× (target ≤ {r['target']}×, {verdict})  zs {r['zs_s']:.3f} s vs "
                f"{r['baseline_s']:.3f} s, zs peak {r['zs_peak_mib']} MiB  {r['name']}"
                + (f"  [{r['note']}]" if r["note"] else "")
            )
    LAUNCH.close()
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

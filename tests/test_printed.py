"""The quarterly bulletin as it prints: the demo's workbook and Word 通报 converted to PDF by
LibreOffice, read back page by page with pdftotext. CI installs both (`.ci/run`, ZS_TEST_PRINT=1),
so there a missing converter fails; on a desk without them the tests are skipped."""

import json
import os
import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from zhaoshang.cli import app

TOOLS = ("soffice", "pdftotext", "pdfinfo")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
if MISSING and os.environ.get("ZS_TEST_PRINT"):
    raise RuntimeError(f"ZS_TEST_PRINT is set but {', '.join(MISSING)} is not installed")
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"{', '.join(MISSING)} not installed")

QUARTER = ["report", "quarter", "--quarter", "2023Q3", "--as-of", "2023-09-30"]
STATUS = ("已完成", "进度正常", "滞后", "未完成", "超出", "未超出", "—")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(report JSON, the workbook's pages, the document's pages): each page's text as laid out."""
    folder = tmp_path_factory.mktemp("printed")
    db = folder / "zs-demo.db"
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--db", str(db)]).exit_code == 0
    xlsx, docx = folder / "workbook.xlsx", folder / "word.docx"
    result = runner.invoke(app, [*QUARTER, "--db", str(db), "--xlsx", str(xlsx), "--docx", str(docx), "--json"])
    assert result.exit_code == 0, result.output
    profile = folder / "profile"  # a LibreOffice profile of its own: two test workers never share one
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(folder), str(xlsx), str(docx)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return json.loads(result.stdout), _pages(folder / "workbook.pdf"), _pages(folder / "word.pdf")


def _pages(pdf) -> list[str]:
    """The text of each page of `pdf`, laid out as printed."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info)[1])
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def _row_pages(pages: list[str], rows: int) -> dict[int, list[int]]:
    """序号 n -> the pages holding a line that starts with n and ends with a status: the row whole."""
    found: dict[int, list[int]] = {n: [] for n in range(1, rows + 1)}
    for number, page in enumerate(pages, start=1):
        for line in page.splitlines():
            row = re.match(r"\s*(\d+)\s+\D.*\s(" + "|".join(STATUS) + r")(（空白）)?\s*$", line)
            if row and int(row[1]) in found:
                found[int(row[1])].append(number)
    return found


def test_the_workbook_prints_each_sheet_on_whole_pages(printed):
    data, pages, _ = printed
    assert len(pages) == 19
    assert "文昌湖区2023年第三季度招商引资工作通报" in pages[0] and "合计" in pages[0]
    rows = _row_pages(pages, len(data["quotas"]))
    assert all(len(on) == 1 for on in rows.values()), rows  # every quota row printed once, whole, on a line
    for number in sorted({on[0] for on in rows.values()}):
        header = next(line for line in pages[number - 1].splitlines() if line.strip())
        assert header.split()[:2] in (["文昌湖区2023年第三季度招商引资工作通报"], ["序号", "指标"])  # repeated header
    charts = [n for n, page in enumerate(pages, start=1) if re.search(r"0%\s+100%\s+200%", page)]
    assert len(charts) == 2  # 25 quota rows: two charts of at most 20 bars, each whole on its own page
    assert all(len(re.findall(r"0%\s+100%\s+200%", pages[n - 1])) == 1 for n in charts)
    assert charts == [charts[0], charts[0] + 1]  # and no page of the chart sheet left blank between


def test_the_word_bulletin_prints_its_parts_and_a_whole_quota_table(printed):
    data, _, pages = printed
    assert len(pages) == 4
    text = "".join(pages)
    for heading in ("一、总体情况", "二、各单位情况", "三、存在问题", "四、下一步工作", "附表：指标完成情况"):
        assert text.count(heading) == 1, heading
    rows = _row_pages(pages, len(data["quotas"]))
    assert all(len(on) == 1 for on in rows.values()), rows
    assert {on[0] for on in rows.values()} == {4}  # the 附表 on its landscape page

"""A report on the terminal: one rich table per section, status in words and colour (三色)."""

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from zhaoshang.forecast import candidate_rows
from zhaoshang.labels import Stage, Status, label
from zhaoshang.quota import REGION
from zhaoshang.render import describe, words
from zhaoshang.render.fmt import day, money, shown
from zhaoshang.render.table import show, terminal
from zhaoshang.reports import (
    AlertKind,
    AlertsReport,
    BulletinReport,
    MonthReport,
    QuotaReport,
    Report,
    ScoreReport,
    key_category,
    rankings_of,
    red_black_of,
)

STATUS_STYLE = {
    "met": "green",
    "on_pace": "",
    "behind": "yellow",
    "missed": "red",
    "n/a": "dim",
    "within": "",
    "over": "red",
}


def status_text(status: str, blank: bool) -> Text:
    words = label(Status(status)) + (" · 空白" if blank else "")
    return Text(words, style="red" if blank else STATUS_STYLE[status])


def _text(text: str, style: str = "") -> Text:
    """Text from the ledger or targets.yaml: never read as markup, no control character passed to the terminal."""
    return Text(shown(text), style=style)


def _table(title: str, headers: list[tuple[str, str]]) -> Table:
    """Figures (right-justified) stay on one line; text wraps, never narrower than its header's first word."""
    table = Table(title=_text(title), title_justify="left", header_style="bold")
    for header, justify in headers:
        figures = justify == "right"
        table.add_column(
            _text(header),
            justify="left" if justify == "nowrap" else justify,  # nowrap: a date, kept on one line
            no_wrap=justify == "nowrap" or (figures and cell_len(header) <= 10),
            overflow="fold",
            min_width=min(cell_len(header), 8),
        )
    return table


def print_report(report: Report, console: Console | None = None, detail: bool = False) -> None:
    console = console or terminal()
    console.print(
        _text(
            f"{words.document_title(report)}（{report.window.start} 至 {report.window.end}，截至 {report.as_of}）",
            style="bold",
        )
    )
    if isinstance(report, BulletinReport) and report.units:
        table = _table("分单位情况", [("单位", "left"), *((c.title, "right") for c in report.columns)])
        for u in report.units:
            cells = [describe.figure(v, c.metric.kind) for c, v in zip(report.columns, u.values, strict=True)]
            table.add_row(_text(u.unit), *cells)
        if report.totals:  # the region's figure: a joint trip once, not once a unit
            cells = [describe.figure(v, c.metric.kind) for c, v in zip(report.columns, report.totals, strict=True)]
            table.add_section()
            table.add_row(Text("合计", style="bold"), *cells)
        show(console, table)
    if isinstance(report, MonthReport) and report.key_projects:
        table = _table(
            "重点招商引资项目（在谈未签约、签约未落地）",
            [
                ("类别", "left"),
                ("项目", "left"),
                ("单位", "left"),
                ("总投资", "right"),
                ("阶段", "left"),
                ("责任人", "left"),
                ("包保领导", "left"),
                ("开工时限", "nowrap"),
                ("本月推进情况", "left"),
                ("问题", "left"),
            ],
        )
        for p in report.key_projects:
            table.add_row(
                words.CATEGORY_WORDS[key_category(p)],
                _text(f"#{p.id} {p.name}"),
                _text(p.unit),
                money(p.amount_yuan),
                f"{label(Stage(p.stage))} {day(p.stage_date)}",
                _text(p.owner or ""),
                _text(p.leader or ""),
                day(p.start_deadline),
                _text("；".join(p.progress) or "—"),
                _text("；".join(p.problems)),
            )
        show(console, table)
    if isinstance(report, QuotaReport) and report.quotas:
        table = _table(
            "指标完成情况",
            [
                ("指标", "left"),
                ("对象", "left"),
                ("周期", "left"),
                ("完成", "right"),
                ("目标", "right"),
                ("序时", "right"),
                ("完成率", "right"),
                ("状态", "left"),
            ],
        )
        for r in report.quotas:
            fmt = report.formats.get(r.quota, "count")
            subject = words.subject(r.subject, report.region)
            table.add_row(
                _text(r.title),
                _text(subject),
                _text(r.period),
                describe.figure(r.actual, fmt),
                describe.figure(r.target, fmt),
                describe.figure(r.expected, fmt),
                "—" if r.percent is None else f"{r.percent}%",
                status_text(r.status, r.blank),
            )
        show(console, table)
    campaigns = words.campaign_titles(report)
    for ranking in rankings_of(report):
        headers = [("名次", "right"), ("人员" if ranking.people else "单位", "left")]
        weighted = len(ranking.by) > 1  # one column: its weight is the whole, not worth a "×1"
        headers += [
            (
                f"{describe.rank_by(b, ranking.quota_titles)}" + (f"×{b.weight.normalize():f}" if weighted else ""),
                "right",
            )
            for b in ranking.by
        ]
        table = _table(
            f"竞赛榜 {ranking.title}（{words.period(ranking.period, campaigns)}）", [*headers, ("得分", "right")]
        )
        for e in ranking.entries:
            cells = [describe.rank_value(b, v) for b, v in zip(ranking.by, e.values, strict=True)]
            table.add_row(str(e.rank), _text(e.unit), *cells, f"{e.score}")
        show(console, table)
    for board in red_black_of(report):
        table = _table(f"红黑榜 {board.title}（{board.period}）", [("榜", "left"), ("名单", "left")])
        if board.ranking is not None:
            table.add_row(Text("红榜", style="green"), _text("、".join(board.red) or "—"))
        rule = f"（低于序时进度{words.plain(board.below_pace * 100)}%）" if board.below_pace is not None else ""
        table.add_row(Text(f"黑榜{rule}", style="red"), _text("、".join(board.black) or "—"))
        show(console, table)
    if isinstance(report, ScoreReport) and not report.scores:
        # a file without scoring rules: say so, rather than print a title over nothing
        scope = f"专项活动“{report.campaign_title or report.campaign}”" if report.campaign else "全年"
        console.print(f"指标文件中没有{scope}的计分规则（scoring:），未计分（写法见 README 的 Scoring rules）。")
    for score in report.scores if isinstance(report, ScoreReport) else []:
        heading = (
            f"{words.subject(REGION, report.region)}（不排名） 合计 {score.total} 分"
            if score.unit == REGION
            else f"{score.rank}. {score.unit} 合计 {score.total} 分"
        )
        table = _table(heading, [("考核项", "left"), ("得分", "right"), ("依据", "left")])
        for line in score.lines:
            table.add_row(_text(line.title), f"{line.points}", _text(words.score_reason(line)))
        show(console, table)
    if isinstance(report, AlertsReport):
        table = _table("预警", [("类型", "left"), ("对象", "left"), ("情况", "left"), ("责任", "left")])
        for a in report.alerts:
            table.add_row(
                Text(words.ALERT_WORDS[a.kind], style="red" if a.kind != AlertKind.behind_quota else "yellow"),
                _text(words.alert_subject(a, report.region)),
                _text(words.alert_detail(a)),
                _text(words.alert_responsible(a, report.region)),
            )
        if report.alerts:
            show(console, table)
        else:
            console.print(Text("无预警 ✓", style="green"))
    if detail and isinstance(report, QuotaReport) and report.quotas:
        headers = [
            ("指标", "left"),
            ("周期", "left"),
            ("对象", "left"),
            ("记录", "left"),
            ("日期", "left"),
            ("内容", "left"),
            ("单位", "left"),
            ("金额", "right"),
        ]
        table = _table("明细（每个指标计入的记录）", headers)
        for d in report.details:
            table.add_row(
                _text(d.quota),
                d.period,
                _text(words.subject(d.subject, report.region)),
                f"{d.table} #{d.id}",
                day(d.date),
                _text(d.text),
                _text(d.unit),
                money(d.amount_yuan) if d.amount_yuan is not None else "",
            )
        show(console, table)


PROJECTED = {"met": ("预计完成", "green"), "missed": ("预计未完成", "red")}


def _seasonal(row) -> str:
    if row.projected_seasonal is not None:
        return describe.figure(row.projected_seasonal, row.figures)
    return words.unseasoned(row.seasonal_years)


def print_forecast(report, console: Console | None = None) -> None:
    """还需多少: a row per running quota row, then the candidate projects of the project quotas."""
    console = console or terminal()
    console.print(
        _text(f"{report.region}{words.period(report.window.label)}还需多少（截至 {report.as_of}）", style="bold")
    )
    table = _table(
        "指标预测",
        [
            ("指标", "left"),
            ("对象", "left"),
            ("周期", "nowrap"),
            ("完成", "right"),
            ("目标", "right"),
            ("还差", "right"),
            ("每月需", "right"),
            ("每周需", "right"),
            ("按目前进度", "right"),
            ("按往年同期", "right"),
            ("预计", "nowrap"),
        ],
    )
    for r in report.rows:
        shown, style = PROJECTED[r.projected_status]
        table.add_row(
            _text(r.title),
            _text(words.subject(r.subject, report.region)),
            words.period(r.period),
            describe.figure(r.actual, r.figures),
            describe.figure(r.target, r.figures),
            describe.figure(r.needed, r.figures),
            describe.figure(r.per_month, r.figures),
            describe.figure(r.per_week, r.figures),
            describe.figure(r.projected, r.figures),
            _seasonal(r),
            Text(shown, style=style),
        )
    if report.rows:
        show(console, table)
    else:
        console.print(Text("统计期间内没有未到期的指标。"))
    pairs = list(candidate_rows(report.rows))
    if not pairs:
        return
    table = _table(
        "候选项目（差一个阶段）",
        [
            ("指标", "left"),
            ("对象", "left"),
            ("项目", "left"),
            ("现阶段", "left"),
            ("进入日期", "nowrap"),
            ("预计日期", "nowrap"),
            ("转化率", "right"),
            ("须落地", "left"),
        ],
    )
    for r, c in pairs:
        if c is None:
            table.add_row(_text(r.title), _text(words.subject(r.subject, report.region)), "无候选项目", *[""] * 5)
        else:
            table.add_row(
                _text(r.title),
                _text(words.subject(r.subject, report.region)),
                _text(f"#{c.id} {c.name}"),
                label(c.stage),
                day(c.since),
                day(c.expected_date) if c.expected_date else f"历史不足（{r.history}次）",
                "—" if c.conversion is None else f"{words.plain(c.conversion * 100)}%",
                words.must_land(r.end, c.stage) if c.id in r.must_land else "",
            )
    show(console, table)


VERDICTS = {
    "none_met": "无单位完成",
    "all_met": "全部单位完成",
    "no_spread": "各单位得分相同",
    "region": "全区指标，不排名",
}


def _score(total, rank) -> tuple[str, str]:
    return ("—", "—") if total is None else (words.plain(total), str(rank))


def print_backtest(report, console: Console | None = None) -> None:
    """A draft tried on a past year: the units side by side, the spread, the rules that rank no one apart."""
    console = console or terminal()
    console.print(
        _text(f"考核办法草案试算：{report.region}{report.year.start.year}年（截至 {report.as_of}）", style="bold")
    )
    console.print(_text(f"草案：{report.draft}；现行：{report.in_force}"))
    table = _table(
        "各单位得分与名次",
        [
            ("单位", "left"),
            ("现行得分", "right"),
            ("名次", "right"),
            ("草案得分", "right"),
            ("名次", "right"),
            ("变化", "right"),
            ("决定规则", "left"),
            ("较平均", "right"),
        ],
    )
    for u in report.units:
        moved = u.moved
        change = "—" if moved is None else ("不变" if moved == 0 else f"{'升' if moved > 0 else '降'}{abs(moved)}位")
        relative = ""
        if u.decided_points is not None:
            relative = f"{'+' if u.decided_points >= 0 else ''}{words.plain(u.decided_points)}分"
        table.add_row(
            _text(u.unit),
            *_score(u.in_force_total, u.in_force_rank),
            *_score(u.draft_total, u.draft_rank),
            change,
            _text(u.decided_title or ""),
            relative,
        )
    if report.units:
        show(console, table)
    else:
        console.print(Text("这一年台账中没有可计分的单位。"))
    for name, spread in (("现行", report.in_force_spread), ("草案", report.draft_spread)):
        if spread.range is not None:
            console.print(
                Text(
                    f"{name}：最高{words.plain(spread.highest)}分，最低{words.plain(spread.lowest)}分，相差{words.plain(spread.range)}分"
                )
            )
    table = _table(
        "草案各规则",
        [
            ("规则", "left"),
            ("计分单位", "right"),
            ("完成单位", "right"),
            ("最高分", "right"),
            ("最低分", "right"),
            ("提示", "left"),
        ],
    )
    for r in report.rules:
        table.add_row(
            _text(r.title),
            str(r.units),
            "—" if r.met is None else str(r.met),
            words.plain(r.highest),
            words.plain(r.lowest),
            "、".join(VERDICTS[v] for v in r.verdicts),
        )
    if report.rules:
        show(console, table)

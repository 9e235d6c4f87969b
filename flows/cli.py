"""`budgetwatch` command line. User-facing text is Chinese; logs are English."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from flows.readonly_sql import DEFAULT_MEMORY, DEFAULT_TIMEOUT_S
from flows.settings import Paths, resolve_db


def _db_parent(default) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", default=default, help="DuckDB 数据库文件（默认：$BUDGETWATCH_DB，否则 data/budget.duckdb）")
    return p


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before and after the command. The command's copy has no default of its
    # own: argparse would otherwise overwrite `budgetwatch --db X ingest` with None.
    common = _db_parent(argparse.SUPPRESS)
    ap = argparse.ArgumentParser(
        prog="budgetwatch",
        description="部门预算公开监督：抓取、抽取、入库、核对。",
        parents=[_db_parent(None)],
    )
    sub = ap.add_subparsers(dest="command", required=True)

    runner = argparse.ArgumentParser(add_help=False)
    runner.add_argument("--task-runner", choices=["threads", "dask"],
                        help="抽取任务的执行器（默认：$BUDGETWATCH_TASK_RUNNER，否则 threads）")

    p = sub.add_parser("demo", parents=[common, runner], help="启动示例门户，运行每晚流程并打印摘要")
    p.add_argument("--port", type=int, default=None,
                   help="示例门户端口（默认每个门户目录固定一个端口，被占用时随机；0 为随机；多个区时为第 1 个区的端口）")
    p.add_argument("--districts", type=int, default=1,
                   help="示例城市的区数（默认 1，即示例区硚口；至多 13，见 demo/city.yaml），每区一个门户，一次运行全部抓取")

    p = sub.add_parser("ingest", parents=[common], help="抽取、入库并核对本地文件或目录（不抓取）")
    p.add_argument("paths", nargs="+", metavar="PATH")

    p = sub.add_parser("crawl", parents=[common, runner], help="抓取一个站点并入库核对，对新问题告警")
    p.add_argument("--site", required=True, help="站点配置名（spiders/profiles/NAME.yaml）或 YAML 文件路径")
    p.add_argument("--start-url", help="覆盖配置中的起始地址（如本地示例门户）")
    p.add_argument("--check", action="store_true",
                   help="只检查站点配置：取起始页和至多 3 个列表页、5 个详情页，报告每个选择器匹配的数量，不下载附件、不入库")

    p = sub.add_parser("profile", parents=[common], help="站点配置工具")
    psub = p.add_subparsers(dest="profile_command", required=True)
    d = psub.add_parser("draft", help="从一个栏目列表页推断站点配置草稿，并立即检查")
    d.add_argument("url", help="栏目列表页地址（如 https://www.example.gov.cn/zwgk/czyjs/index.shtml）")
    d.add_argument("--name", help="站点配置名（默认取自域名）")
    d.add_argument("--out", help="写入的 YAML 文件（默认 spiders/profiles/NAME.yaml）")
    d.add_argument("--force", action="store_true", help="覆盖已有的配置文件")

    sub.add_parser("check", parents=[common], help="对库中所有公开文件重新运行核对规则")

    p = sub.add_parser("report", parents=[common], help="生成静态 HTML 报告")
    p.add_argument("--out", default="data/report", help="输出目录（默认 data/report）")

    p = sub.add_parser("export", parents=[common], help="导出公开视图")
    p.add_argument("--xlsx", help="写入 Excel 文件")
    p.add_argument("--csv", help="写入 CSV 的目录")
    p.add_argument("--parquet", help="写入 Parquet 的目录")

    p = sub.add_parser("review", parents=[common], help="记录核对发现的复核结论（单项、整组，或导入编辑过的 Excel）",
                       description="状态：待核、已核实、已说明、误报、已更正。编号见告警摘要、报告或导出的“核对发现”工作表；"
                                   "核对组编号（g 开头）对组内全部当前问题生效。")
    p.add_argument("key", nargs="?", metavar="KEY", help="核对发现编号（12 位）或核对组编号（g 开头）")
    p.add_argument("--status", help="待核 / 已核实 / 已说明 / 误报 / 已更正")
    p.add_argument("--note", help="说明（如部门的答复）")
    p.add_argument("--by", help="复核人（默认：$BUDGETWATCH_REVIEWER，否则当前登录名）")
    p.add_argument("--import", dest="import_file", metavar="FILE.xlsx",
                   help="导入 budgetwatch export --xlsx 导出并编辑过的“核对发现”工作表（全部成功或全部不生效）")

    p = sub.add_parser("sql", parents=[common], help="只读执行一条 SQL 查询")
    p.add_argument("query")
    p.add_argument("--max-width", type=int, default=40, help="单元格最多显示的字符宽度（0 为不截断，默认 40）")
    p.add_argument("--max-rows", type=int, default=1000, help="最多显示的行数（默认 1000）")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                   help=f"时间上限（秒，默认 {DEFAULT_TIMEOUT_S:g}；0 为不限）")
    p.add_argument("--memory", default=DEFAULT_MEMORY,
                   help=f"内存上限（如 512MB、4GB，默认 {DEFAULT_MEMORY}；本机多人共用，请勿随意调高）")

    p = sub.add_parser("serve-sample", parents=[common], help="在 127.0.0.1 上提供示例门户")
    p.add_argument("--port", type=int, default=8000)
    return ap


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    db = resolve_db(args.db)
    handler = COMMANDS[args.command.replace("-", "_")]
    try:
        return handler(args, db) or 0
    except FileNotFoundError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


def cmd_demo(args, db: Path) -> int:
    from demo.city import districts, run_city

    try:
        ds = districts(args.districts)
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    run = run_city(ds, db, task_runner=args.task_runner, port=args.port, workers=2 if len(ds) > 1 else None,
                   log=lambda line: print(line, file=sys.stderr))
    print(run["summary"])
    if run.get("report"):
        print(f"报告网站：{run['report']}（离线可打开）")
    return 0


def cmd_ingest(args, db: Path) -> int:
    from flows.pipeline import discover
    from flows.runs import process, summary_text

    docs = discover(args.paths)
    if not docs:
        print("没有找到可处理的文件（.pdf/.xlsx/.xls/.html）。", file=sys.stderr)
        return 2
    run = process(docs, Paths(db=db).ensure())
    print(summary_text(db, run))
    return 0


def cmd_crawl(args, db: Path) -> int:
    from spiders.run import ProfileError, resolve_profile

    try:
        resolve_profile(args.site)
    except ProfileError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if args.check:
        from spiders.check import run_check

        result = run_check(args.site, start_url=args.start_url)
        print("\n".join(result.lines()))
        return 0 if result.ok else 1
    from flows.nightly import nightly

    try:
        run = nightly(sites=[args.site], db=str(db), start_urls={args.site: args.start_url} if args.start_url else None,
                      task_runner=args.task_runner)
    except RuntimeError as e:  # the flow's own message: which site failed and where its log is
        if getattr(e, "run", None) and e.run.get("summary"):  # a site went quiet: the data is in
            print(e.run["summary"])
        print(f"错误：{e}", file=sys.stderr)
        return 1
    print(run["summary"])
    return 0


def cmd_profile(args, db: Path) -> int:
    from spiders.draft import DraftError, draft_profile

    try:
        draft = draft_profile(args.url, name=args.name, out=Path(args.out) if args.out else None, force=args.force)
    except DraftError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    print("\n".join(draft.lines()))
    return 0 if draft.check is not None and draft.check.ok else 1


def cmd_check(args, db: Path) -> int:
    _require_db(db)
    from flows.runs import open_for_update, summary_text
    from warehouse.checks import run_checks

    with open_for_update(db) as con:
        run_checks(con, None)
    print(summary_text(db))
    return 0


def cmd_report(args, db: Path) -> int:
    from flows.report import write_report

    _require_db(db)
    index = write_report(db, Path(args.out))
    print(f"报告已生成：{index}")
    return 0


def cmd_export(args, db: Path) -> int:
    from flows.export import export

    _require_db(db)
    targets = {"xlsx": args.xlsx, "csv": args.csv, "parquet": args.parquet}
    if not any(targets.values()):
        targets["csv"] = str(db.resolve().parent / "export")
    for kind, dest in targets.items():
        if dest:
            for path in export(db, kind, Path(dest)):
                print(f"已导出：{path}")
    return 0


def cmd_review(args, db: Path) -> int:
    from flows.review import default_reviewer, import_sheet, review_one
    from warehouse.reviews import ReviewError

    _require_db(db)
    by = args.by or default_reviewer()
    try:
        if args.import_file:
            if args.key or args.status:
                raise ReviewError("--import 不能与编号或 --status 同时使用")
            result = import_sheet(db, Path(args.import_file), by)
            print(f"已导入 {args.import_file}：更新 {result['changed']} 项，未变 {result['unchanged']} 项（复核人 {by}）。")
            return 0
        if not args.key or not args.status:
            raise ReviewError("请给出编号和 --status，或用 --import 导入 Excel 文件")
        targets = review_one(db, args.key, args.status, args.note, by)
    except ReviewError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    print(f"已将 {len(targets)} 项核对发现标为“{args.status.strip()}”（复核人 {by}）：")
    for t in targets:
        print(f"  {t.review_key}  {t.rule_id}  {t.subject}")
    return 0


def cmd_sql(args, db: Path) -> int:
    from flows.readonly_sql import QueryLimitError, ReadOnlyQueryError, format_table, run_readonly_rows

    _require_db(db)
    try:
        columns, rows = run_readonly_rows(db, args.query, timeout=args.timeout or None, memory=args.memory,
                                          limit=args.max_rows)
    except QueryLimitError as e:
        print(f"已中止：{e}", file=sys.stderr)
        return 3
    except ReadOnlyQueryError as e:
        print(f"拒绝执行：{e}", file=sys.stderr)
        return 2
    print(format_table(columns, rows, max_width=args.max_width, max_rows=args.max_rows))
    return 0


def cmd_serve_sample(args, db: Path) -> int:
    from demo.portal import build_site
    from demo.server import serve_forever

    site_dir = build_site()
    print(f"示例门户：http://127.0.0.1:{args.port}/ （Ctrl-C 停止）", file=sys.stderr)
    serve_forever(site_dir, "127.0.0.1", args.port)
    return 0


def _require_db(db: Path) -> None:
    if not db.exists():
        raise FileNotFoundError(f"数据库不存在：{db}。先运行 budgetwatch demo、ingest 或 crawl。")


COMMANDS = {name[4:]: fn for name, fn in globals().items() if name.startswith("cmd_")}

if __name__ == "__main__":
    sys.exit(main())

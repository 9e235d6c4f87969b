"""The static sample portal: a TRS-style district CMS 财政预决算 column holding filings.

Contract (shared with spiders/profiles/sample.yaml): robots.txt, /index.html with a
财政预决算 nav link, listing pages /zwgk/czyjs/index.html, index_1.html … (20 entries each,
``ul.list`` items, ``div.page a.next`` pager) listing every entry, year sub-columns
/zwgk/czyjs/2026/index.html … (the same markup, linked from ``div.subcol``), detail pages
/zwgk/czyjs/YYYYMM/tYYYYMMDD_NNNNNNN.html (``h1.title``, ``div.info`` with 发布日期 and
信息来源, ``div.attachments`` with relative or root-relative links) and attachments in
the same YYYYMM/ folder. ``manifest.json`` at the root lists every filing with its
attachments' sha256 and expected extraction outcome; the district site also has
``ground_truth.jsonl`` (the findings a checker must report) and ``site.json`` (人大
approval dates, variants).

Profiles: ``build_site(profile="seed")`` is the walking skeleton's one filing;
``build_site()`` is the whole sample district (demo.district), ``epoch=1`` the same
portal after a corrected re-publication.

A site is a pure function of its inputs, so ``build_site`` keys its output folder on
GENERATOR_VERSION plus a hash of the inputs and reuses a finished folder; attachments
are cached by content key in ``<build root>/cache/`` across sites.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from html import escape
from pathlib import Path

from demo.district.district import DEFAULT_SEED, district
from flows.settings import demo_cache_dir
from demo.entries import COLUMN, Attachment, PortalFiling, seed_filings  # noqa: F401  (the portal's content model)

# Bump when the site's HTML, layout or manifest changes for the same filings.
GENERATOR_VERSION = "3"

DEMO_DIR = Path(__file__).resolve().parent
BUILD_ROOT = DEMO_DIR / "_build"
PER_PAGE = 20
REGION = "硚口区"
PORTAL_NAME = f"{REGION}人民政府"
COLUMN_NAME = "财政预决算"


# ---------------------------------------------------------------- build

def site_key(filings: list[PortalFiling], extra: object = None) -> str:
    blob = json.dumps([GENERATOR_VERSION] + [f.cache_key() for f in filings] + ([extra] if extra else []),
                      ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


PROFILES = ("district", "seed")


def attachment_cache() -> Path:
    """Rendered attachments by content key, shared by every build root (tests build into
    temporary folders and still render each PDF once per machine)."""
    return demo_cache_dir() or BUILD_ROOT / "cache"


def site_content(profile: str = "district", epoch: int = 0, seed: int | None = None,
                 region_code: str | None = None, region_name: str | None = None):
    """(filings, ground truth rows, site metadata) of a named profile; ``region_code`` and
    ``region_name`` make the district another one of the sample city (demo/city.yaml)."""
    if profile == "seed":
        return seed_filings(), [], {"profile": "seed"}
    if profile != "district":
        raise ValueError(f"unknown sample site profile {profile!r} (one of {', '.join(PROFILES)})")

    d = district(DEFAULT_SEED if seed is None else seed, epoch, region_code, region_name)
    return d.filings, d.ground_truth, {"profile": "district", **d.meta}


def build_site(out_dir: Path | None = None, filings: list[PortalFiling] | None = None, *,
               profile: str = "district", epoch: int = 0, seed: int | None = None,
               workers: int | None = None, region_code: str | None = None, region_name: str | None = None) -> Path:
    """Build (or reuse) the static site and return its root folder.

    ``filings`` builds exactly those (no ground truth); otherwise ``profile`` picks the
    content: 'district' (default: the whole sample district from ``seed``, at ``epoch``
    0 or 1) or 'seed' (the seed filing alone). ``out_dir`` is the build root (default
    ``demo/_build``); the site goes to ``out_dir/site-<key>/`` where the key hashes
    GENERATOR_VERSION and the content. A finished folder (one with manifest.json) is
    reused as is; a build happens in a temporary folder renamed into place, so an
    interrupted build is never reused. ``workers`` > 1 renders attachments in parallel.
    """
    if filings is not None:
        filings, truth, meta = list(filings), [], {}
    else:
        filings, truth, meta = site_content(profile, epoch, seed, region_code, region_name)
    _check_unique(filings)
    root = Path(out_dir) if out_dir is not None else BUILD_ROOT
    site = root / f"site-{site_key(filings, [truth, meta] if (truth or meta) else None)}"
    if (site / "manifest.json").exists():
        return site
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=root))
    try:
        _write_site(tmp, filings, site.name, truth, meta, attachment_cache(), workers)
        try:
            os.rename(tmp, site)
        except OSError:
            if not (site / "manifest.json").exists():  # not a concurrent build that won
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return site


def _check_unique(filings: list[PortalFiling]) -> None:
    seen: set[str] = set()
    for f in filings:
        for p in [f.detail_path] + [f"/{COLUMN}/{f.folder}/{a.file_name}" for a in f.attachments]:
            if p in seen:
                raise ValueError(f"two filings write the same path {p}")
            seen.add(p)


def _write_site(site: Path, filings: list[PortalFiling], key: str, truth: list[dict] | None = None,
                meta: dict | None = None, cache: Path | None = None, workers: int | None = None) -> None:
    (site / "css").mkdir(parents=True)
    shutil.copyfile(DEMO_DIR / "site_assets" / "style.css", site / "css" / "style.css")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\nCrawl-delay: 0\n", encoding="utf-8")
    ordered = sorted(filings, key=lambda f: (f.published_at, f.doc_id), reverse=True)
    region = (meta or {}).get("region") or REGION
    _write(site / "index.html", _home(ordered[:8], region))
    col = site / COLUMN
    col.mkdir(parents=True)
    years = sorted({f.fiscal_year for f in ordered}, reverse=True) if len(ordered) > PER_PAGE else []
    _write_listing(col, ordered, years, depth=2, region=region)
    for y in years:
        (col / str(y)).mkdir()
        _write_listing(col / str(y), [f for f in ordered if f.fiscal_year == y], years, depth=3, year=y,
                       region=region)
    _write_attachments(col, ordered, cache, workers)
    manifest = []
    for f in ordered:
        folder = col / f.folder
        folder.mkdir(exist_ok=True)
        atts = []
        for a in f.attachments:
            path = folder / a.file_name
            data = path.read_bytes()
            atts.append({
                "path": f"/{COLUMN}/{f.folder}/{a.file_name}",
                "link_text": a.link_text,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "pages": _pdf_pages(path),
                "expected_outcome": a.expected_outcome,
            })
        _write(folder / f.detail_name, _detail(f, region))
        manifest.append({
            "department": f.department,
            "department_code": f.department_code,
            "region_code": f.region_code,
            "fiscal_year": f.fiscal_year,
            "kind": f.kind,
            "unit_scope": f.unit_scope,
            "title": f.title,
            "published_at": f.published_at,
            "detail_path": f.detail_path,
            "variant": f.variant,
            "attachment_path": atts[0]["path"] if atts else None,
            "sha256": atts[0]["sha256"] if atts else None,
            "attachments": atts,
        })
    if meta:
        (site / "site.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if truth is not None and meta:
        lines = [json.dumps(t, ensure_ascii=False, sort_keys=True) for t in truth]
        (site / "ground_truth.jsonl").write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    # manifest.json last: its presence marks a finished build
    doc = {"generator_version": GENERATOR_VERSION, "key": key, "epoch": (meta or {}).get("epoch", 0),
           "filings": manifest}
    (site / "manifest.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_listing(folder: Path, entries: list[PortalFiling], years: list[int], depth: int,
                   year: int | None = None, region: str = REGION) -> None:
    pages = [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)] or [[]]
    for n, chunk in enumerate(pages):
        _write(folder / _listing_name(n), _listing(chunk, n, len(pages), years, depth, year, region))


def _write_attachments(col: Path, filings: list[PortalFiling], cache: Path | None, workers: int | None) -> None:
    """Write every attachment, reusing the content-keyed cache; the misses in parallel when asked."""
    todo = []
    for f in filings:
        (col / f.folder).mkdir(exist_ok=True)
        for a in f.attachments:
            path = col / f.folder / a.file_name
            hit = cache / f"{a.source_key}{path.suffix}" if cache else None
            if hit is not None and hit.exists():
                shutil.copyfile(hit, path)
            else:
                todo.append((a, path, hit))
    progress = _Progress(len(todo)) if len(todo) >= 10 else None
    if workers and workers > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            for _ in pool.map(_run_write, [(a.write, path) for a, path, _ in todo]):
                progress and progress.step()
    else:
        for a, path, _ in todo:
            a.write(path)
            progress and progress.step()
    for a, path, hit in todo:
        if hit is not None:
            hit.parent.mkdir(parents=True, exist_ok=True)
            tmp = hit.with_name(f".{hit.name}.{os.getpid()}")
            shutil.copyfile(path, tmp)
            os.replace(tmp, hit)


class _Progress:
    """Attachments rendered and files per second, on stderr (a district build takes a minute)."""

    def __init__(self, total: int):
        import sys
        import time

        self.total, self.done, self.t0, self.stream, self.clock = total, 0, time.monotonic(), sys.stderr, time.monotonic

    def step(self) -> None:
        self.done += 1
        rate = self.done / max(self.clock() - self.t0, 1e-6)
        end = "\n" if self.done == self.total else ""
        self.stream.write(f"\r[示例门户] 生成附件 {self.done}/{self.total}，{rate:.1f} 个/秒{end}")
        self.stream.flush()


def _run_write(job) -> None:
    write, path = job
    write(path)


def _pdf_pages(path: Path) -> int | None:
    """Page count of a PDF attachment (ground truth for documents.pages); None otherwise."""
    if path.suffix.lower() != ".pdf":
        return None
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return None  # a deliberately broken attachment stays in the manifest
    try:
        return len(pdf)
    finally:
        pdf.close()


def _write(path: Path, html: str) -> None:
    path.write_text(html, encoding="utf-8")


def _listing_name(n: int) -> str:
    return "index.html" if n == 0 else f"index_{n}.html"


# ---------------------------------------------------------------- HTML

def _page(title: str, crumb: str, body: str, css: str, nav_on: str = "", region: str = REGION) -> str:
    portal = f"{region}人民政府"
    nav = [("首页", "/index.html", "home"), ("政务公开", "/zwgk/czyjs/index.html", ""),
           (COLUMN_NAME, "/zwgk/czyjs/index.html", "czyjs"), ("政务服务", "/index.html", ""),
           ("互动交流", "/index.html", "")]
    on = ' class="on"'
    links = "".join(f'<li><a href="{h}"{on if k and k == nav_on else ""}>{escape(t)}</a></li>' for t, h, k in nav)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
<link rel="stylesheet" href="{css}">
</head>
<body>
<div class="top"><div class="wrap"><h1>{portal}</h1><span class="sub">武汉市{region}人民政府门户网站（示例）</span></div></div>
<div class="nav"><ul class="wrap">{links}</ul></div>
<div class="wrap">
<div class="crumb">当前位置：{crumb}</div>
{body}
</div>
<div class="foot">主办：{portal}办公室（示例站点，仅供本地演示与测试）<br>本站为 budgetwatch 生成的示例门户，内容来自公开的部门预算文件</div>
</body>
</html>
"""


def _home(latest: list[PortalFiling], region: str = REGION) -> str:
    items = "".join(
        f'<li><a href="{f.detail_path}" title="{escape(f.title)}">{escape(f.title)}</a>'
        f'<span class="date">{f.published_at}</span></li>'
        for f in latest
    )
    body = f"""<div class="home-cols">
<div class="box"><h2>{COLUMN_NAME}</h2><ul class="list">{items}</ul>
<p><a href="/zwgk/czyjs/index.html">更多{COLUMN_NAME}信息 &gt;&gt;</a></p></div>
<div class="box"><h2>政务公开</h2><ul class="list">
<li><a href="/zwgk/czyjs/index.html">{COLUMN_NAME}</a><span class="date"></span></li>
</ul></div>
</div>"""
    return _page(f"{region}人民政府", "首页", body, "/css/style.css", "home", region)


def _listing(entries: list[PortalFiling], n: int, total: int, years: list[int] = (), depth: int = 2,
             year: int | None = None, region: str = REGION) -> str:
    up = "../" * (depth - 2)

    def href(f: PortalFiling) -> str:
        # most entries link relatively, some root-relative, as TRS templates mix them
        return f.detail_path if f.absolute_links else f"./{up}{f.folder}/{f.detail_name}"

    items = "\n".join(
        f'<li><a href="{href(f)}" title="{escape(f.title)}">{escape(_short(f.title))}</a>'
        f'<span class="date">{f.published_at}</span></li>'
        for f in entries
    )
    pager = [f"<span>共 {total} 页</span>"]
    if n > 0:
        pager.append(f'<a class="prev" href="{_listing_name(n - 1)}">上一页</a>')
    pager.append(f"<span>第 {n + 1} 页</span>")
    if n + 1 < total:
        pager.append(f'<a class="next" href="{_listing_name(n + 1)}">下一页</a>')
    subcol = ""
    if years:
        on = ' class="on"'
        links = [f'<a href="/{COLUMN}/index.html"{on if year is None else ""}>全部</a>']
        links += [f'<a href="/{COLUMN}/{y}/index.html"{on if y == year else ""}>{y}年</a>' for y in years]
        subcol = f'<div class="subcol">{"".join(links)}</div>\n'
    name = f"{year}年{COLUMN_NAME}" if year else COLUMN_NAME
    body = f"""<div class="box">
<h2>{name}</h2>
{subcol}<ul class="list">
{items}
</ul>
<div class="page">{"".join(pager)}</div>
</div>"""
    crumb = f'<a href="/index.html">首页</a> &gt; 政务公开 &gt; {COLUMN_NAME}' + (f" &gt; {year}年" if year else "")
    return _page(f"{name}_{region}人民政府", crumb, body, up + "../../css/style.css", "czyjs", region)


def _short(title: str, limit: int = 34) -> str:
    # TRS listings cut long titles; the full title stays in the title attribute
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _detail(f: PortalFiling, region: str = REGION) -> str:
    body_text = f.body or (
        f"根据《中华人民共和国预算法》和财政部关于部门预算公开的有关规定，现将{f.department}"
        f"{f.fiscal_year}年部门{f.kind}予以公开，详见附件。"
    )
    prefix = f"/{COLUMN}/{f.folder}/" if f.absolute_links else "./"
    atts = "\n".join(
        f'<p><a href="{prefix}{a.file_name}">{escape(a.link_text)}</a></p>' for a in f.attachments
    )
    attachments = f"""<div class="attachments">
<p>附件：</p>
{atts}
</div>
""" if f.attachments else ""
    body = f"""<div class="box">
<h1 class="title">{escape(f.title)}</h1>
<div class="info"><span class="pubdate">发布日期：{f.published_at}</span><span class="source">信息来源：{escape(f.department)}</span></div>
<div class="article">
<p>{escape(body_text)}</p>
{f.body_html}
</div>
{attachments}</div>"""
    crumb = f'<a href="/index.html">首页</a> &gt; 政务公开 &gt; <a href="../index.html">{COLUMN_NAME}</a>'
    return _page(f"{f.title}_{region}人民政府", crumb, body, "../../../css/style.css", "czyjs", region)

"""`python -m demo build|serve`: build the sample portal (timed) or serve it on loopback.

    python -m demo build [--profile district|seed] [--epoch 0|1] [--seed N] [--workers N]
    python -m demo build --districts N [--workers N]   (the sample city's first N districts)
    python -m demo serve [--profile …] [--epoch 0|1] [--port 8000]

`budgetwatch serve-sample` serves the default (the district, epoch 0); this entry point
also serves epoch 1 (the corrected re-publication) on the same port, so a crawler can
meet the same URLs with new content.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from demo.portal import PROFILES, build_site


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m demo", description="示例门户：生成或在本机提供")
    ap.add_argument("command", choices=["build", "serve"])
    ap.add_argument("--profile", choices=PROFILES, default="district")
    ap.add_argument("--epoch", type=int, choices=[0, 1], default=0)
    ap.add_argument("--seed", type=int, default=None, help="随机种子（默认 2026）")
    ap.add_argument("--workers", type=int, default=1, help="并行生成附件的进程数（默认 1）")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--districts", type=int, default=None,
                    help="生成示例城市的前 N 个区（demo/city.yaml；只用于 build）")
    args = ap.parse_args(argv)
    t0, c0 = time.monotonic(), time.process_time()
    if args.districts is not None:
        if args.command != "build":
            ap.error("--districts 只用于 build；提供多个区请用 budgetwatch demo --districts N")
        from demo.city import build_district, districts

        for d in districts(args.districts):
            site = build_district(d, workers=args.workers, epoch=args.epoch)
            print(f"示例门户：{d.name}（{d.code}）{site}（累计用时 {time.monotonic() - t0:.1f} 秒）", file=sys.stderr)
        return 0
    site = build_site(profile=args.profile, epoch=args.epoch, seed=args.seed, workers=args.workers)
    wall = time.monotonic() - t0
    cpu = time.process_time() - c0 + sum(os.times()[2:4])
    print(f"示例门户：{site}（用时 {wall:.1f} 秒，CPU {cpu:.1f} 秒）", file=sys.stderr)
    if args.command == "serve":
        from demo.server import serve_forever

        print(f"http://127.0.0.1:{args.port}/ （Ctrl-C 停止）", file=sys.stderr)
        serve_forever(site, "127.0.0.1", args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""wait_svg.py - draw waitbench's figures: the cost of one wait against N.

    tools/wait_svg.py BENCH-WAIT.json [OUT.svg]     (default build/wait-scaling.svg)

Two panels side by side, N (idle connections) along the bottom: on the left
the descriptors the kernel examined per wait (the ledger's wait_fds /
wait_calls), on the right the instructions per wait (rdtsc under QEMU's
-icount shift=0).  One line per mechanism: select and poll climb with N,
epoll stays flat.  Standard library only; tools/bench/bench_wait.py calls it.
"""

import json
import sys
from pathlib import Path

PANEL_W, PANEL_H, MARGIN = 360, 260, 56
COLOURS = {"select": "#c0392b", "poll": "#e67e22", "epoll": "#1f6fb2"}   # CPU red .. DMA blue, as zcopy_svg
PANELS = [("fds_per_wait", "descriptors examined per wait"),
          ("cycles_per_wait", "instructions per wait (icount)")]


def _panel(rows, key, title, x0):
    ns = sorted({r["n"] for r in rows})
    top = max(r[key] for r in rows) or 1
    sx = lambda n: x0 + MARGIN + (n - ns[0]) / ((ns[-1] - ns[0]) or 1) * (PANEL_W - MARGIN - 10)
    sy = lambda v: 30 + (1 - v / top) * (PANEL_H - 70)
    base = sy(0)
    out = [f'<text x="{x0 + PANEL_W / 2}" y="18" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<line x1="{sx(ns[0])}" y1="{base}" x2="{sx(ns[-1])}" y2="{base}" stroke="black"/>',
           f'<line x1="{sx(ns[0])}" y1="{base}" x2="{sx(ns[0])}" y2="30" stroke="black"/>',
           f'<text x="{sx(ns[0]) - 4}" y="34" text-anchor="end">{top:g}</text>',
           f'<text x="{sx(ns[0]) - 4}" y="{base}" text-anchor="end">0</text>',
           f'<text x="{x0 + PANEL_W / 2}" y="{PANEL_H - 8}" text-anchor="middle">N idle connections (+1 busy)</text>']
    for n in ns:
        out.append(f'<text x="{sx(n)}" y="{base + 16}" text-anchor="middle">{n}</text>')
    for i, (mech, colour) in enumerate(COLOURS.items()):
        pts = sorted((r["n"], r[key]) for r in rows if r["mech"] == mech)
        if not pts:
            continue
        line = " ".join(f"{sx(n):.1f},{sy(v):.1f}" for n, v in pts)
        out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        # A legend in the empty top-left corner (select and poll's lines may coincide).
        ly = 44 + 16 * i
        out.append(f'<line x1="{x0 + MARGIN + 12}" y1="{ly - 4}" x2="{x0 + MARGIN + 32}" y2="{ly - 4}" '
                   f'stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{x0 + MARGIN + 38}" y="{ly}" fill="{colour}">{mech}</text>')
    return out


def wait_svg(rows) -> str:
    w = PANEL_W * len(PANELS)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{PANEL_H}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{PANEL_H}" fill="white"/>']
    for i, (key, title) in enumerate(PANELS):
        out += _panel(rows, key, title, i * PANEL_W)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    report = json.loads(Path(argv[1]).read_text())
    out = Path(argv[2]) if len(argv) > 2 else Path(__file__).resolve().parent.parent / "build" / "wait-scaling.svg"
    out.write_text(wait_svg(report["rows"]))
    print(f"wait_svg: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

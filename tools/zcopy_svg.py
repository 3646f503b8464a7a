#!/usr/bin/python3
"""zcopy_svg.py - draw `zcopy --json`'s runs as diagrams of the data path.

    tools/zcopy_svg.py REPORT.json [OUTDIR]      (default OUTDIR build/demo)

For each run (a path, cold or warm) one SVG, PATH-CACHE.svg: the disk, the
page cache, the user buffer, the socket buffer and the NIC as boxes, in
three layers (user space, kernel, hardware), and one arrow per movement of
payload the ledger counted, marked DMA or CPU with its measured bytes (and
the number of copies for the CPU).  A movement the ledger did not see (a
count of 0: the disk on a warm run, the CPU under gather) has no arrow.
Then index.html: the four paths side by side, cold above warm, and the
table of figures under them.  Standard library only; `make demo` runs it
through tools/zcopy_boot.py after booting zc32.
"""

import html
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import List

W, H = 560, 400
BOX_W, BOX_H = 130, 48
# Where each box sits: (x, y) of its top-left corner; the page cache and
# the disk on the left, the socket buffer and the NIC on the right.
BOXES = {
    "user": (215, 66, "user buffer"),
    "cache": (40, 182, "page cache"),
    "socket": (390, 182, "socket buffer"),
    "disk": (40, 316, "disk"),
    "nic": (390, 316, "NIC"),
}
LAYERS = [("user space", 44, 136), ("kernel", 144, 264), ("hardware", 272, 394)]
COLOURS = {"DMA": "#1f6fb2", "CPU": "#c0392b"}
PATH_TITLES = {"rw": "read + write", "mmap": "mmap + write",
               "copy": "sendfile (copy)", "gather": "sendfile (gather DMA)"}


@dataclass
class Move:
    key: str          # e.g. "cache_to_user"
    kind: str         # "DMA" or "CPU"
    src: str          # a BOXES key
    dst: str
    bytes: int
    ops: int = 0      # CPU copies (0: not known, as for DMA)


def movements(run) -> List[Move]:
    """The payload movements of one run, with the ledger's numbers.  Which
    boxes an arrow joins depends on the path (the ledger's kinds say CPU
    or DMA and who wrote; the path says from where)."""
    c, ops, dma, path = run["copies"], run["copy_ops"], run["dma"], run["path"]
    moves = [Move("disk_to_cache", "DMA", "disk", "cache", dma["disk_to_mem"])]
    if path == "rw":
        moves += [Move("cache_to_user", "CPU", "cache", "user", c["kernel_to_user"], ops["kernel_to_user"]),
                  Move("user_to_socket", "CPU", "user", "socket", c["user_to_kernel"], ops["user_to_kernel"])]
    elif path == "mmap":
        # write() copies from user addresses, which are the page cache's own frames.
        moves += [Move("mapping_to_socket", "CPU", "cache", "socket", c["user_to_kernel"], ops["user_to_kernel"])]
    else:
        moves += [Move("cache_to_socket", "CPU", "cache", "socket", c["kernel_to_kernel"], ops["kernel_to_kernel"])]
    if path == "gather":
        moves += [Move("cache_to_nic", "DMA", "cache", "nic", dma["mem_to_nic"])]
    else:
        moves += [Move("socket_to_nic", "DMA", "socket", "nic", dma["mem_to_nic"])]
    return moves


def svg_name(run) -> str:
    return f"{run['path']}-{run['cache']}.svg"


def _centre(box):
    x, y, _ = BOXES[box]
    return x + BOX_W / 2, y + BOX_H / 2


def _edge_point(box, towards):
    """Where the line from box's centre towards a point leaves the box."""
    cx, cy = _centre(box)
    tx, ty = towards
    dx, dy = tx - cx, ty - cy
    sx = (BOX_W / 2) / abs(dx) if dx else float("inf")
    sy = (BOX_H / 2) / abs(dy) if dy else float("inf")
    s = min(sx, sy)
    return cx + dx * s, cy + dy * s


def _arrow(m: Move) -> str:
    """One arrow between the two boxes' edges, its two-line label beside
    it on the side towards the middle of the picture."""
    a, b = _centre(m.src), _centre(m.dst)
    x1, y1 = _edge_point(m.src, b)
    x2, y2 = _edge_point(m.dst, a)
    colour = COLOURS[m.kind]
    dash = "" if m.kind == "CPU" else ' stroke-dasharray="7 3"'   # DMA dashed: no CPU involved
    lines = [f"{m.kind} {m.bytes:,} B"] + ([f"{m.ops:,} copies"] if m.ops else [])
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    if abs(y2 - y1) < 1:                       # horizontal: above and below the line
        anchor, lx, ly = "middle", mx, my - 8 - 13 * (len(lines) - 1)
    else:                                      # a vertical arrow's label is towards the middle,
        vertical = abs(x2 - x1) < 1            # a slanted one's away from it, a little higher
        anchor = "start" if (mx < W / 2) == vertical else "end"
        lx, ly = (mx + 8 if anchor == "start" else mx - 8), my - (0 if vertical else 10)
    if anchor == "middle" and len(lines) > 1:
        ly = my - 8
        spans = (f'<tspan x="{lx:.0f}" y="{ly:.0f}">{html.escape(lines[0])}</tspan>'
                 f'<tspan x="{lx:.0f}" y="{my + 17:.0f}">{html.escape(lines[1])}</tspan>')
    else:
        spans = "".join(f'<tspan x="{lx:.0f}" dy="{0 if i == 0 else 13}">{html.escape(t)}</tspan>'
                        for i, t in enumerate(lines))
    return (f'<g class="arrow" data-move="{m.key}">'
            f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="{colour}" '
            f'stroke-width="{3 if m.kind == "CPU" else 2.5}" marker-end="url(#head-{m.kind})"{dash}/>'
            f'<text x="{lx:.0f}" y="{ly:.0f}" text-anchor="{anchor}" fill="{colour}" font-size="11">'
            f'{spans}</text></g>')


def _box(key, label, note=""):
    x, y, _ = BOXES[key]
    text_y = y + (22 if note else 29)
    out = (f'<rect class="box" data-box="{key}" x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" '
           f'rx="5" fill="white" stroke="#333"/>'
           f'<text x="{x + BOX_W / 2}" y="{text_y}" text-anchor="middle" font-size="12">{html.escape(label)}</text>')
    if note:
        out += (f'<text x="{x + BOX_W / 2}" y="{text_y + 15}" text-anchor="middle" font-size="8.5" '
                f'fill="#555">{html.escape(note)}</text>')
    return out


def path_svg(run) -> str:
    """The picture of one run, as SVG text."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="sans-serif">',
           '<defs>' + "".join(
               f'<marker id="head-{k}" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" '
               f'refX="11" refY="6" orient="auto"><path d="M0,0 L12,6 L0,12 z" fill="{c}"/></marker>'
               for k, c in COLOURS.items()) + '</defs>',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="8" y="18" font-size="14" font-weight="bold">'
           f'{html.escape(PATH_TITLES.get(run["path"], run["path"]))}, {run["cache"]} cache</text>',
           f'<text x="8" y="35" font-size="11" fill="#333">{run["sent"]:,} bytes sent: '
           f'{run["syscalls"]:,} system calls, {run["switches"]:,} user/kernel switches</text>']
    for name, y0, y1 in LAYERS:
        out.append(f'<rect x="4" y="{y0}" width="{W - 8}" height="{y1 - y0}" fill="#f4f4f4" stroke="#ccc"/>'
                   f'<text x="10" y="{y0 + 14}" font-size="10" fill="#777">{name}</text>')
    faults = run["faults"]["minor"] + run["faults"]["major"]
    notes = {"user": f'{faults:,} page faults ({run["faults"]["major"]:,} major)' if faults else "",
             "socket": ("page refs + " if run["path"] == "gather" else "+ ") +
                       f'{run["headers"]["cpu"]:,} B headers'}
    for key, (x, y, label) in BOXES.items():
        if key == "user" and run["path"] == "mmap":
            label = "page-cache mapping"
        elif key == "user" and run["path"] in ("copy", "gather"):
            label = "(not used)"
        out.append(_box(key, label, notes.get(key, "")))
    if run["path"] == "mmap":              # the mapping: page tables, not a movement
        (ux, uy), (cx, cy) = _centre("user"), _centre("cache")
        out.append(f'<line x1="{ux - BOX_W / 2:.0f}" y1="{uy:.0f}" x2="{cx:.0f}" y2="{cy - BOX_H / 2:.0f}" '
                   f'stroke="#888" stroke-dasharray="2 3"/><text x="{(ux + cx) / 2 - 40:.0f}" y="{uy + 8:.0f}" '
                   f'font-size="9" fill="#777" text-anchor="end">same frames</text>')
    for m in movements(run):
        if m.bytes:
            out.append(_arrow(m))
    out.append('</svg>')
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# The page: pictures, then the table.

def _count(*keys):
    """A cell: the run's integer at run[keys[0]][keys[1]]..., with thousands separators."""
    def cell(run):
        for k in keys:
            run = run[k]
        return f"{run:,}"
    return cell


ROWS = [  # (label, function of a run giving the cell)
    ("system calls", _count("syscalls")),
    ("  of them moving data", _count("calls", "data")),
    ("user/kernel switches", _count("switches")),
    ("CPU copies of payload (bytes)", _count("copies", "total")),
    ("  per payload byte", lambda r: f'{r["copies_per_byte"]:.3f}'),
    ("DMA disk \u2192 memory (bytes)", _count("dma", "disk_to_mem")),
    ("DMA memory \u2192 NIC, payload", _count("dma", "mem_to_nic")),
    ("headers written by the CPU", _count("headers", "cpu")),
    ("context switches", _count("context_switches")),
    ("page faults minor / major", lambda r: f'{r["faults"]["minor"]:,} / {r["faults"]["major"]:,}'),
    ("guest cycles per byte (busy)", lambda r: f'{r["cycles_per_byte"]:.2f}'),
    ("MB/s (guest clock)", lambda r: f'{r["mb_s"]:.1f}'),
    ("MB/s (host clock, at the receiver)", lambda r: f'{r["sent"] / r["receiver"]["seconds"] / 1e6:.1f}'
     if r.get("receiver", {}).get("seconds") else "-"),
    ("receiver: bytes", lambda r: f'{r.get("receiver", {}).get("bytes", 0):,}'),
    ("receiver: sha256", lambda r: r.get("receiver", {}).get("sha256", "-")[:16] + "\u2026"),
]


def _table(runs) -> str:
    head = "".join(f"<th>{html.escape(PATH_TITLES.get(r['path'], r['path']))}</th>" for r in runs)
    body = []
    for label, cell in ROWS:
        cells = "".join(f"<td>{html.escape(cell(r)) if r['ok'] else 'failed'}</td>" for r in runs)
        body.append(f"<tr><th class=l>{html.escape(label)}</th>{cells}</tr>")
    return f"<table><tr><th></th>{head}</tr>{''.join(body)}</table>"


def index_html(report, names) -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>zc32: four ways to send a file"
             f"</title><style>body{{font-family:sans-serif;margin:20px}} img{{margin:4px;border:1px solid #ddd}}"
             f"table{{border-collapse:collapse;margin:8px 0 24px}} td,th{{border:1px solid #ccc;padding:3px 8px;"
             f"text-align:right}} th.l{{text-align:left;font-weight:normal}}</style></head><body>",
             f"<h1>Four ways to send {html.escape(report['file'])} ({report['size']:,} bytes)</h1>",
             f"<p>Measured by zc32's ledger in one boot: <code>zcopy --json</code>, {report['chunk']:,}-byte "
             f"calls, to {html.escape(report['receiver'])}. Blue dashed arrows: DMA by a device; red: copies "
             f"by the CPU. No arrow: the ledger counted nothing there.</p>"]
    for cache in ("cold", "warm"):
        runs = [r for r in report["runs"] if r["cache"] == cache]
        if not runs:
            continue
        parts.append(f"<h2>{cache} cache</h2><div>")
        parts += [f"<img src='{names[id(r)]}' width='{W}' height='{H}' alt='{r['path']} {cache}'>" for r in runs]
        parts.append("</div>" + _table(runs))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_all(report, outdir) -> Path:
    """Every run's SVG and index.html into outdir; returns index.html's path."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    names = {}
    for run in report["runs"]:
        if run["ok"]:
            names[id(run)] = svg_name(run)
            (outdir / svg_name(run)).write_text(path_svg(run))
    for run in report["runs"]:
        names.setdefault(id(run), "")
    index = outdir / "index.html"
    index.write_text(index_html(report, names))
    return index


def main(argv):
    if not 1 <= len(argv) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    report = json.loads(Path(argv[0]).read_text())
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "build" / "demo"
    print(f"zcopy_svg: wrote {write_all(report, out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

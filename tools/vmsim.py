#!/usr/bin/python3
"""vmsim.py - simulate user/tests/wsloop.c's page references under an ideal
FIFO and an ideal second-chance clock, to compare with what the kernel
measured (docs/replacement.md, "Why").

    tools/vmsim.py PAGES FRAMES [HOT,HOT,...]

PAGES is wsloop's array in pages, FRAMES the frames the array gets (on a
32 MiB guest about 6900: the free pages less the reserve, page tables and
reverse-map entries), HOT the hot-set percentages (wsloop's third
argument).  Prints the major faults of the read passes for FIFO and for
clock, with new frames put at the list's tail (zc32's reclaim_add) or just
behind the hand (the textbook clock).  batch is the frames freed per
reclaim call (zc32: reclaim(32) once the free pages reach the reserve).
"""
import sys

def refs(n, hot, passes):
    nhot = n * hot // 100
    for p in range(n):
        yield p, False
    for _ in range(passes):
        for p in range(nhot, n):
            yield p, True
            if nhot:
                yield p % nhot, True

class Ring:
    def __init__(s):
        s.nx = {None: None}; s.pv = {None: None}
    def insert_before(s, at, x):
        p = s.pv[at]; s.nx[p] = x; s.pv[x] = p; s.nx[x] = at; s.pv[at] = x
    def remove(s, x):
        p, q = s.pv.pop(x), s.nx.pop(x); s.nx[p] = q; s.pv[q] = p

def simulate(n, hot, passes, frames, policy, insert="tail", batch=32):
    ring = Ring(); hand = None   # None is the sentinel
    resident = set(); young = {}
    free = frames; major = 0
    for page, counted in refs(n, hot, passes):
        if page in resident:
            young[page] = True
            continue
        if counted:
            major += 1
        if free == 0:
            got = 0
            budget = 2 * len(resident) + 2
            while got < batch and budget > 0:
                budget -= 1
                if hand is None:
                    hand = ring.nx[None]
                pg = hand; hand = ring.nx[hand]
                if policy == "clock" and young[pg]:
                    young[pg] = False
                    continue
                ring.remove(pg); resident.discard(pg); del young[pg]
                got += 1
            free += got
        free -= 1
        resident.add(page); young[page] = True
        ring.insert_before(hand if insert == "hand" else None, page)
    return major

if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n, frames = int(sys.argv[1]), int(sys.argv[2])
    hots = [int(x) for x in sys.argv[3].split(",")] if len(sys.argv) > 3 else [0, 10, 20, 22, 25, 30, 40]
    print(f"n={n} frames={frames}")
    for h in hots:
        print(f"hot {h:2d}: fifo {simulate(n,h,3,frames,'fifo'):6d}  clock(tail) {simulate(n,h,3,frames,'clock','tail'):6d}"
              f"  clock(hand) {simulate(n,h,3,frames,'clock','hand'):6d}", flush=True)

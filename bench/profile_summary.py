"""Summarise a py-spy ``--format raw`` profile: where a process spent its samples.

    py-spy record --nonblocking -d 15 -r 200 -f raw -o worker.txt -p PID
    .venv/bin/python bench/profile_summary.py worker.txt [--top 25] [--match workers/]

Prints each function's inclusive share (samples whose stack contains it) and its self share (samples
where it is the innermost frame), largest first. ``--match`` keeps only frames whose file contains it.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def frames(stack: str) -> list[str]:
    """``func (file:line)`` frames of one collapsed stack, outermost first, as ``func (short file)``."""
    out = []
    for frame in stack.split(";"):
        m = _FRAME.match(frame.strip())
        if not m:
            out.append(frame.strip())
            continue
        path = m["file"]
        for marker in ("site-packages/", "throughput/", "lib/python3.11/"):
            if marker in path:
                path = path.split(marker, 1)[1]
        out.append(f"{m['func']} ({path})")
    return out


def summarise(lines: list[str]) -> tuple[int, Counter, Counter]:
    total, inclusive, self_ = 0, Counter(), Counter()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        fs = frames(stack)
        total += n
        for f in set(fs):
            inclusive[f] += n
        if fs:
            self_[fs[-1]] += n
    return total, inclusive, self_


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("profile")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--match", default="", help="only frames whose file contains this")
    args = p.parse_args(argv)
    with open(args.profile) as f:
        total, inclusive, self_ = summarise(f.readlines())
    print(f"{total} samples")
    for title, counter in (("inclusive", inclusive), ("self", self_)):
        print(f"\n{title}:")
        shown = 0
        for frame, n in counter.most_common():
            if args.match and args.match not in frame:
                continue
            print(f"  {100 * n / max(total, 1):5.1f}%  {frame}")
            shown += 1
            if shown >= args.top:
                break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

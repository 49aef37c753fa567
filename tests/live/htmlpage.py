#!/usr/bin/env python3
"""Read the HTML pages drip watch --html rewrites, for tests/live/run.sh.

usage: htmlpage.py poll ROUNDS READY PAGE...
    Create the file READY (the caller starts the watch then), then read
    every PAGE again and again (every 20 ms) until each shows round
    ROUNDS, or 90 s pass.  Every read must be a whole page: the doctype
    first, '</html>' last, its data and leaks documents valid JSON, its
    round never going back.  Prints per page the rounds it was seen at;
    exit status 1 when a read was not a whole page or a page never got
    to ROUNDS.
usage: htmlpage.py leaks-text PAGE
    Print the text of drip leaks that the page holds (its leaks section).
usage: htmlpage.py leaks-joined PAGE
    Print the joined findings that drip watch's heap page holds (none: nothing).
usage: htmlpage.py files PAGE
    Print the page's summary: one line per snapshot (file, then each
    sample type's total), then 'newest FILE' (what the tables show).
"""
import json
import os
import re
import sys
import time


def script(page, ident):
    m = re.search(r'<script type="application/json" id="%s">(.*?)</script>' % ident, page, re.S)
    return json.loads(m.group(1)) if m else None


def whole(page):
    """The page's data document when page is a whole page, else None."""
    if not page.startswith("<!DOCTYPE html>\n") or not page.endswith("</html>\n"):
        return None
    try:
        data = script(page, "data")
        script(page, "leaks")
    except ValueError:
        return None
    return data


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def poll(rounds, ready, pages):
    open(ready, "w").close()
    seen = {p: [] for p in pages}
    bad = 0
    end = time.time() + 90
    while time.time() < end:
        done = True
        for p in pages:
            if not os.path.exists(p):
                done = False
                continue
            data = whole(read(p))
            if data is None:
                print("FAIL %s: not a whole page" % p)
                bad += 1
                done = False
                continue
            r = data["watch"]["round"]
            if seen[p] and r < seen[p][-1]:
                print("FAIL %s: round %d after %d" % (p, r, seen[p][-1]))
                bad += 1
            if not seen[p] or seen[p][-1] != r:
                seen[p].append(r)
            if r < rounds:
                done = False
        if done:
            break
        time.sleep(0.02)
    for p in pages:
        print("%s: rounds %s" % (os.path.basename(p), " ".join(map(str, seen[p]))))
        if not seen[p] or seen[p][-1] != rounds:
            print("FAIL %s: never showed round %d" % (p, rounds))
            bad += 1
    return 1 if bad else 0


def main():
    cmd = sys.argv[1]
    if cmd == "poll":
        sys.exit(poll(int(sys.argv[2]), sys.argv[3], sys.argv[4:]))
    page = read(sys.argv[2])
    if cmd == "leaks-text":
        leaks = script(page, "leaks")
        sys.stdout.write(leaks["text"] if leaks else "")
    elif cmd == "leaks-joined":
        leaks = script(page, "leaks")
        sys.stdout.write(leaks.get("joined", "") if leaks else "")
    elif cmd == "files":
        data = script(page, "data")
        for s in data["inputs"]:
            print(s["file"], " ".join("%s=%d" % (t["type"], t["total"]) for t in s["types"]))
        print("newest", " ".join(data["files"]))
    else:
        sys.exit("unknown command " + cmd)


main()

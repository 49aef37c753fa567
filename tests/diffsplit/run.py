#!/usr/bin/env python3
"""drip diff's split path (no merged profile) against its merged path
(DRIP_DIFF_MERGED=1), byte for byte: stdout, stderr and exit status, over
pairs of test profiles and many options.

  tests/diffsplit/run.py [--check] TRACE_DRIP [FILES...]

With --check, drip check instead of drip diff (its rules evaluated on
the split inputs, or the merged profile for goroutine rules), over
CHECK_OPTS.

TRACE_DRIP is drip built with -DDRIP_DIFF_TRACE, which writes one line
"drip-diff-trace: split" to stderr when the split path runs; that line is
removed before comparing and counted.  Without FILES the pairs come from
testdata (series, heldout, profiles) and ../shared/pprof-testdata."""
import glob
import itertools
import os
import subprocess
import sys

TRACE = "drip-diff-trace: split\n"

OPTS = [
    [], ["--cum"], ["--nodecount=5"], ["--nodecount=1", "--cum"], ["--nodecount=0"],
    ["--normalize"], ["--normalize", "--cum"], ["--normalize", "--nodecount=3"],
    ["--granularity=lines"], ["--granularity=files"], ["--granularity=filefunctions"],
    ["--granularity=addresses"], ["--granularity=lines", "--cum", "--nodecount=7"],
    ["--noinlines"], ["--noinlines", "--granularity=lines"],
    ["--nodefraction=0", "--edgefraction=0"], ["--nodefraction=0.05"], ["--nodefraction=0.2", "--cum"],
    ["--edgefraction=0.3", "--nodecount=4"],
    ["--sample-index=alloc_space"], ["--sample-index=alloc_objects", "--cum"], ["--sample-index=inuse_objects"],
    ["--sample-index=0"], ["--sample-index=1", "--normalize"],
    ["--format=json"], ["--format=json", "--cum", "--nodecount=4"], ["--format=json", "--normalize"],
    ["--unit=MB"], ["--unit=B", "--granularity=lines"], ["--drop-negative"], ["--all-frames"],
    ["--add-comment=hello"], ["--compact-labels"],
    ["--focus=main"], ["--ignore=runtime"], ["--hide=runtime"], ["--relative-percentages"],
    ["--tagfocus=bytes=1KB:"],
]

CHECK_OPTS = [
    [], ["--max-growth=1%"], ["--max-growth=0", "--min-growth=0"], ["--max-node-growth=1kB", "--max-new-site=1"],
    ["--max-node-growth=0", "--min-growth=0"], ["--max-new-site=0", "--min-growth=0"],
    ["--focus=main", "--max-node-growth=1"], ["--ignore=runtime", "--max-node-growth=1", "--max-new-site=1"],
    ["--max-node-growth=1 focus=^main\\. ignore=Put", "--max-growth=5%"],
    ["--cum", "--max-node-growth=1%"], ["--normalize", "--max-node-growth=1"],
    ["--granularity=lines", "--max-new-site=0", "--max-node-growth=1"], ["--granularity=files", "--max-node-growth=1"],
    ["--granularity=addresses", "--max-node-growth=1"], ["--noinlines", "--max-node-growth=1"],
    ["--sample-index=alloc_space", "--max-node-growth=1"], ["--sample-index=0", "--max-growth=1%"],
    ["--format=json", "--max-node-growth=1", "--max-new-site=1"], ["--format=junit", "--max-node-growth=1"],
    ["--format=github", "--max-node-growth=1"], ["--all-frames", "--max-node-growth=1"],
    ["--max-goroutines=+1"], ["--max-leaked-goroutines=0"], ["--max-node-growth=10MB"], ["--max-growth=1s"],
    ["--hide=runtime", "--max-node-growth=1"],
]
CMD = "diff"


def run(drip, args, env):
    p = subprocess.run([drip, CMD] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=300)
    return p.stdout, p.stderr.decode("utf-8", "replace"), p.returncode


def pairs():
    out = []
    for d in sorted(glob.glob("testdata/series/*/") + glob.glob("testdata/heldout/*/")):
        for kind in ("heap", "goroutine"):
            fs = sorted(glob.glob(d + kind + "_*.pb.gz"))
            if len(fs) < 2:
                continue
            for i in range(0, len(fs) - 1, 3):
                out.append((fs[i], fs[i + 1]))
            out.append((fs[0], fs[-1]))
            out.append((fs[-1], fs[0]))
    prof = sorted(glob.glob("testdata/profiles/*.pb.gz"))
    shared = sorted(glob.glob("../shared/pprof-testdata/inputs/*.pb.gz"))
    big = {"../shared/pprof-testdata/inputs/large.cpu.pb.gz"}
    for a, b in itertools.permutations(prof + [s for s in shared if s not in big], 2):
        out.append((a, b))
    for s in shared + prof:
        out.append((s, s))
    return out


def main():
    global CMD, OPTS
    argv = sys.argv[1:]
    if argv and argv[0] == "--check":
        CMD, OPTS = "check", CHECK_OPTS
        argv = argv[1:]
    drip = argv[0]
    ps = [tuple(argv[i:i + 2]) for i in range(1, len(argv), 2)] if len(argv) > 1 else pairs()
    env_new = dict(os.environ, TZ="UTC")
    env_new.pop("DRIP_DIFF_MERGED", None)
    env_old = dict(env_new, DRIP_DIFF_MERGED="1")
    same = differ = split = 0
    for (a, b), o in itertools.product(ps, OPTS):
        args = o + [a, b]
        n_out, n_err, n_rc = run(drip, args, env_new)
        o_out, o_err, o_rc = run(drip, args, env_old)
        if n_err.startswith(TRACE):
            split += 1
            n_err = n_err[len(TRACE):]
        if TRACE in o_err:
            print("merged run took the split path:", args, flush=True)
            differ += 1
            continue
        if (n_out, n_err, n_rc) == (o_out, o_err, o_rc):
            same += 1
        else:
            differ += 1
            print("DIFFER:", " ".join(args), "rc", n_rc, o_rc, flush=True)
    print(f"diffsplit {CMD}: {same} identical, {differ} different, {split} of them on the split path, {len(ps)} pairs x {len(OPTS)} option sets")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Generate drip's hostile and malformed input files (tests/bad).

Usage: gen.py OUTDIR [--big]
       gen.py OUTDIR --shapes      (the extreme shapes of tests/bad/heavy)
       gen.py fuzz/corpus --seeds   (the fuzzers' extra seeds)

Writes one file per case into OUTDIR, named as in tests/bad/cases, plus the
valid seed profiles for the fuzzers when given --seeds DIR.  Everything is
built here from a tiny hand-written protobuf encoder, so each case is a
readable recipe rather than an opaque binary.  --big adds the cases that
take seconds or a lot of memory (the 1 GiB gzip bomb)."""
import gzip
import os
import random
import struct
import sys
import zlib


# --- protobuf encoding ------------------------------------------------------
def varint(v):
    v &= (1 << 64) - 1  # negative int64 -> two's complement, as protobuf
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wt):
    return varint(field << 3 | wt)


def f_varint(field, v):
    return key(field, 0) + varint(v)


def f_bytes(field, b):
    if isinstance(b, str):
        b = b.encode()
    return key(field, 2) + varint(len(b)) + b


def packed(field, vals):
    return f_bytes(field, b"".join(varint(v) for v in vals))


# --- profile.proto messages ------------------------------------------------
def valtype(t, u):
    return f_varint(1, t) + f_varint(2, u)


def function(id, name, sysname=0, filename=0, start=0):
    return f_varint(1, id) + f_varint(2, name) + f_varint(3, sysname) + f_varint(4, filename) + f_varint(5, start)


def line(fid, ln):
    return f_varint(1, fid) + f_varint(2, ln)


def location(id, lines, mapping=0, address=0):
    m = f_varint(1, id)
    if mapping:
        m += f_varint(2, mapping)
    if address:
        m += f_varint(3, address)
    for fid, ln in lines:
        m += f_bytes(4, line(fid, ln))
    return m


def mapping(id, start=0x400000, limit=0x500000, filename=0):
    return f_varint(1, id) + f_varint(2, start) + f_varint(3, limit) + f_varint(5, filename)


def sample(locs, vals, labels=()):
    m = packed(1, locs) + packed(2, vals)
    for k, s, n in labels:
        lab = f_varint(1, k)
        if s:
            lab += f_varint(2, s)
        else:
            lab += f_varint(3, n)
        m += f_bytes(3, lab)
    return m


class Prof:
    """A small valid heap-like profile that cases then break."""

    def __init__(self):
        self.strings = ["", "space", "bytes", "main.f", "main.g", "main.go"]
        self.types = [valtype(1, 2)]
        self.functions = [function(1, 3, 3, 5, 10), function(2, 4, 4, 5, 20)]
        self.mappings = []
        self.locations = [location(1, [(1, 11)]), location(2, [(2, 21)])]
        self.samples = [sample([1, 2], [100])]
        self.extra = b""
        self.index = {}

    def s(self, text):
        if len(self.index) != len(self.strings):
            self.index = {t: i for i, t in enumerate(self.strings)}
        if text not in self.index:
            self.index[text] = len(self.strings)
            self.strings.append(text)
        return self.index[text]

    def encode(self):
        out = b"".join(f_bytes(1, t) for t in self.types)
        out += b"".join(f_bytes(2, x) for x in self.samples)
        out += b"".join(f_bytes(3, x) for x in self.mappings)
        out += b"".join(f_bytes(4, x) for x in self.locations)
        out += b"".join(f_bytes(5, x) for x in self.functions)
        out += b"".join(f_bytes(6, x) for x in self.strings)
        return out + self.extra


def gz(data, level=6):
    return gzip.compress(data, level, mtime=0)


def cases(big):
    c = {}
    # --- files ---
    c["empty"] = b""
    c["gzip-empty"] = gz(b"")
    # 1 MiB + 1 byte of valid protobuf (one long unknown field 20).
    n = (1 << 20) + 1 - 5 - len(Prof().encode())  # key 2 bytes, length 3
    c["raw-over-limit"] = Prof().encode() + key(20, 2) + varint(n) + b"x" * n
    rng = random.Random(20261128)
    # Random bytes, but starting with a byte no profile.proto can start
    # with (field 0 / wire type 7), so that the message is predictable.
    c["random"] = bytes([0xFF]) + bytes(rng.randrange(256) for _ in range(4095))
    c["text-garbage"] = b"hello, world\nthis is not a profile\n"
    c["gzip-garbage"] = gz(b"\x07" + bytes(rng.randrange(256) for _ in range(4095)))
    good = gz(Prof().encode())
    c["gzip-truncated"] = good[: len(good) // 2]
    c["gzip-header-only"] = good[:10]
    # Corrupt deflate: a reserved block type (BTYPE=11) in the first
    # block header right after the 10-byte gzip header.
    bad = bytearray(good)
    bad[10] = 0x07  # BFINAL=1, BTYPE=11
    c["gzip-bad-block"] = bytes(bad)
    bad = bytearray(good)
    bad[-8] ^= 0xFF  # CRC32 of the trailer
    c["gzip-bad-crc"] = bytes(bad)
    bad = bytearray(good)
    bad[-4] ^= 0x01  # ISIZE of the trailer
    c["gzip-bad-length"] = bytes(bad)
    c["gzip-trailing-garbage"] = good + b"XYZ"
    # 20 bytes (an empty deflate block) whose trailer claims 4 GiB: the
    # claim must not size an allocation (it did: "out of memory").
    c["gzip-lying-isize"] = (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\x03\x00" +
                             struct.pack("<II", 0, 0xFFFFFFF0))
    c["gzip-two-members"] = gz(Prof().encode()[:20]) + gz(Prof().encode()[20:])
    # 16 MiB of zeros: past a --max-size=1M cap.
    c["gzip-bomb-16m"] = gz(b"\0" * (16 << 20), 9)
    if big:
        # Past the default 1 GiB cap: 1 GiB + 1 MiB of zeros.
        co = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = b"\0" * (1 << 20)
        parts = [co.compress(chunk) for _ in range(1025)]
        c["gzip-bomb-1g"] = b"".join(parts) + co.flush()
        # 1 GiB of zeros as two gzip members of 512 MiB (one compressed
        # member, twice): inflated in place, not by doubling a buffer.
        co = zlib.compressobj(9, zlib.DEFLATED, 31)
        half = b"".join(co.compress(chunk) for _ in range(512)) + co.flush()
        c["gzip-two-members-1g"] = half + half

    # --- protobuf wire format ---
    # (The damage comes after a valid start: a file whose first fields
    # are already wrong is "unrecognized profile format", tested above.)
    good = Prof().encode()  # 100 bytes: the damage is at byte 100
    c["pb-wrong-wire-type"] = good + f_varint(1, 5)
    c["pb-overlong-varint"] = good + key(9, 0) + b"\xff" * 10 + b"\x01"
    c["pb-unterminated-varint"] = good + key(9, 0) + b"\xff\xff\xff"
    c["pb-length-past-end"] = good + key(6, 2) + varint(1000) + b"abc"
    c["pb-huge-length"] = good + key(6, 2) + varint((1 << 63) + 5) + b"abc"
    c["pb-bad-key"] = good + b"\xff" * 11
    c["pb-wire-type-7"] = Prof().encode() + bytes([0x0F])
    c["pb-field-zero"] = Prof().encode() + bytes([0x00, 0x01])
    c["pb-truncated-fixed64"] = Prof().encode() + key(20, 1) + b"\1\2\3"
    c["pb-bad-submessage"] = (lambda p: (p.functions.append(b"\x08"), p.encode())[1])(Prof())
    p = Prof()
    p.samples = [key(1, 1) + b"\0" * 8]
    c["pb-sample-wrong-wire-type"] = p.encode()
    # The second location's line (field 4) as a varint; that location
    # starts at byte 6 (sample type) + 9 (sample) + 10 (first location) = 25.
    p = Prof()
    p.locations[1] = f_varint(1, 2) + f_varint(4, 7)
    c["pb-location-wrong-wire-type"] = p.encode()
    p = Prof()
    p.locations[1] = f_varint(1, 2) + f_bytes(4, f_varint(1, 2) + b"\x80")  # line cut in a varint
    c["pb-location-truncated-line"] = p.encode()

    # --- string table ---
    p = Prof()
    p.strings = []
    c["pb-no-string-table"] = p.encode()
    p = Prof()
    p.strings[0] = "nonempty"
    c["pb-string0-nonempty"] = p.encode()
    p = Prof()
    p.functions[1] = function(2, 99, 4, 5, 20)
    c["pb-string-index-range"] = p.encode()
    p = Prof()
    p.functions[1] = function(2, -1, 4, 5, 20)
    c["pb-string-index-negative"] = p.encode()
    p = Prof()
    p.types = [valtype(1, 77)]
    c["pb-type-string-range"] = p.encode()

    # --- ids ---
    p = Prof()
    p.samples = [sample([1, 9], [100])]
    c["pb-dangling-location"] = p.encode()
    p = Prof()
    p.locations.append(location(1, [(2, 5)]))
    c["pb-duplicate-location"] = p.encode()
    p = Prof()
    p.locations[1] = location(0, [(2, 21)])
    c["pb-zero-location"] = p.encode()
    p = Prof()
    p.locations[1] = location(2, [(7, 21)])
    c["pb-dangling-function"] = p.encode()
    p = Prof()
    p.functions[1] = function(1, 4, 4, 5, 20)
    c["pb-duplicate-function"] = p.encode()
    p = Prof()
    p.functions[1] = function(0, 4, 4, 5, 20)
    c["pb-zero-function"] = p.encode()
    p = Prof()
    p.locations[1] = location(2, [(2, 21)], mapping=3)
    c["pb-dangling-mapping"] = p.encode()
    p = Prof()
    p.mappings = [mapping(1), mapping(1, 0x600000, 0x700000)]
    c["pb-duplicate-mapping"] = p.encode()
    p = Prof()
    p.mappings = [mapping(0)]
    c["pb-zero-mapping"] = p.encode()

    # --- values ---
    p = Prof()
    p.samples = [sample([1, 2], [100, 200])]
    c["pb-more-values"] = p.encode()
    p = Prof()
    p.types.append(valtype(p.s("count"), p.s("objects")))
    p.samples = [sample([1, 2], [100])]
    c["pb-fewer-values"] = p.encode()
    p = Prof()
    p.samples = [sample([1, 2], [2**63 - 1]), sample([2], [1])]
    c["pb-sum-overflow"] = p.encode()
    p = Prof()
    p.samples = [sample([1, 2], [-(2**63) + 1]), sample([2], [-2])]
    c["pb-sum-underflow"] = p.encode()
    p = Prof()
    p.samples = [sample([1, 2], [2**62]), sample([2], [-(2**62)]), sample([1], [2**62])]
    c["pb-abs-sum-overflow"] = p.encode()
    p = Prof()
    p.samples = [sample([1, 2], [-(2**63)])]
    c["pb-int64-min"] = p.encode()
    # --- regexes from the file (drop_frames) ---
    p = Prof()
    p.extra = f_varint(7, p.s("((a{255}){255}){255}"))  # gigabytes in glibc's regcomp
    c["pb-drop-frames-explosive"] = p.encode()
    p = Prof()
    p.extra = f_varint(7, p.s("a{1000}" * 101))  # 101,000 copies (glibc: ~200 bytes each)
    c["pb-drop-frames-too-large"] = p.encode()
    p = Prof()
    p.extra = f_varint(7, p.s("(\nx\x1b[2J"))  # invalid, with a newline and an escape
    c["pb-drop-frames-control-chars"] = p.encode()

    # Each fits; their difference (--diff-base) or merge does not.
    p = Prof()
    p.samples = [sample([1, 2], [3 << 61])]
    c["pb-three-quarters-max"] = p.encode()
    p = Prof()
    p.samples = [sample([2], [3 << 61])]
    c["pb-three-quarters-max-other"] = p.encode()

    # --- Go text formats ---
    hh = b"heap profile: 1: 1024 [1: 1024] @ heap/1\n"
    c["heap-no-header"] = b"1: 1024 [1: 1024] @ 0x1\n#\t0x1\tmain.f+0x0\tmain.go:1\n"
    c["heap-bad-record"] = hh + b"xyz\n"
    c["heap-number-overflow"] = b"heap profile: 99999999999999999999: 1024 [1: 1024] @ heap/1\n"
    c["heap-utf8-header"] = b"heap profile: 1: 10\xff24 [1: 1024] @ heap/1\n"
    # 64 MiB on one line, no newline at the end.
    c["heap-huge-line"] = hh + b"a" * (64 << 20)
    c["heap-truncated"] = hh + b"1: 1024 [1: 1024] @ 0x1\n#\t0x1\tmain.f+0x0\tmai"
    c["goroutine1-no-header"] = b"50 @ 0x43a716 0x407dfb\n#\t0x4f52f4\tmain.recvWorker+0x34\tmain.go:56\n"
    c["goroutine1-total-overflow"] = b"goroutine profile: total 99999999999999999999999\n1 @ 0x1\n"
    c["goroutine1-count-overflow"] = b"goroutine profile: total 1\n99999999999999999999 @ 0x1\n#\t0x1\tmain.f+0x0\tmain.go:1\n"
    g2 = b"goroutine 1 [running]:\nmain.main()\n\t/x/main.go:10 +0x1\n\n"
    c["goroutine2-utf8-header"] = b"goroutine \xff [running]:\nmain.main()\n\t/x/main.go:10 +0x1\n"
    c["goroutine2-cut-after-header"] = g2 + b"goroutine 2 [chan receive]:\n"
    c["goroutine2-cut-after-function"] = g2 + b"goroutine 2 [chan receive]:\nmain.worker()\n"
    c["goroutine2-cut-mid-line"] = g2 + b"goroutine 2 [chan receive]:\nmain.worker("
    c["goroutine2-stray-file-line"] = b"goroutine 1 [running]:\n\t/x/main.go:10 +0x1\n"
    # Go 1.27 headers: labels, flags, runtime fields (tests/unit has the grammar)
    c["go127-label-unclosed-brace"] = g2 + b"goroutine 2 [chan receive (leaked)] {endpoint: /api/tasks\nmain.f()\n\ta.go:1\n"
    c["go127-label-bad-escape"] = g2 + b'goroutine 2 [select] {k: "a\\qb"}:\nmain.f()\n\ta.go:1\n'
    c["go127-label-upper-hex"] = g2 + b'goroutine 2 [select] {k: "\\xFF"}:\nmain.f()\n\ta.go:1\n'
    c["go127-label-surrogate"] = g2 + b'goroutine 2 [select] {k: "\\udfff"}:\nmain.f()\n\ta.go:1\n'
    c["go127-label-unterminated"] = g2 + b'goroutine 2 [select] {k: "abc}:\nmain.f()\n\ta.go:1\n'
    c["go127-label-raw-utf8"] = g2 + b'goroutine 2 [select] {k: "\xc3\xa9"}:\nmain.f()\n\ta.go:1\n'
    c["go127-header-bad-gp"] = g2 + b"goroutine 2 gp=0xZZ m=nil [select]:\nmain.f()\n\ta.go:1\n"
    c["go127-header-no-state"] = g2 + b"goroutine 2 [ (leaked)]:\nmain.f()\n\ta.go:1\n"
    c["go127-crash-truncated"] = b"panic: boom\n\ngoroutine 1 gp=0x1 m=0 mp=0x2 [running]:\nmain.main()\n"
    c["go127-crash-no-goroutine"] = b"panic: boom\n\n[signal SIGSEGV: segmentation violation]\n"
    c["go127-ancestor-cut"] = g2 + b"goroutine 2 [select]:\nmain.f()\n\ta.go:1\ncreated by main.g in goroutine 1\n\ta.go:2\n[originating from goroutine 1]:\nmain.g(...)\n"
    c["go127-leak1-bad-total"] = b"goroutineleak profile: total -3\n1 @ 0x1\n"
    return c


def valid(big):
    """Valid but extreme profiles: drip must handle them (exit 0)."""
    v = {}
    # 100,000 distinct frames in one stack.
    n = 100000
    p = Prof()
    p.functions = [function(i, p.s("main.f%d" % i), 0, 5, i) for i in range(1, n + 1)]
    p.locations = [location(i, [(i, i)]) for i in range(1, n + 1)]
    p.samples = [sample(list(range(1, n + 1)), [4096]), sample([n], [1024])]
    v["deep-100k"] = gz(p.encode())
    # Recursion: 100,000 frames alternating between two functions.
    p = Prof()
    p.samples = [sample([1 + (i % 2) for i in range(n)], [512]), sample([1], [512])]
    v["recursion-100k"] = gz(p.encode())
    # Negative and extreme values whose totals still fit in int64.
    p = Prof()
    p.types = [valtype(1, 2), valtype(p.s("count"), p.s("objects"))]
    # |values| add up to exactly INT64_MAX for both types.
    p.samples = [sample([1, 2], [2**61, 3]), sample([2], [-(2**61), -1]), sample([1], [2**62 - 1, 2**63 - 5])]
    v["extreme-values"] = gz(p.encode())
    # Numeric labels of -2^63 and 2^63-1 (pprof prints the sign; the
    # negation drip did was undefined behaviour).
    p = Prof()
    p.samples = [sample([1, 2], [100], [(p.s("bytes"), 0, -(2**63)), (p.s("n"), 0, -(2**63))]),
                 sample([2], [5], [(p.s("bytes"), 0, 2**63 - 1)])]
    v["label-int64-min"] = gz(p.encode())
    # Go text with bytes that are not UTF-8 in names: kept as bytes.
    v["heap-utf8-name"] = b"heap profile: 1: 1024 [1: 1024] @ heap/1\n1: 1024 [1: 1024] @ 0x1\n#\t0x1\tmain.\xff\xfe+0x0\tmain.go:1\n"
    v["goroutine2-utf8-name"] = b"goroutine 1 [running]:\nmain.m\xffain()\n\t/x/main.go:10 +0x1\n"
    # A record with 1,000,000 addresses on one 4 MB line.
    v["heap-long-stack-line"] = b"heap profile: 1: 1024 [1: 1024] @ heap/1\n1: 1024 [1: 1024] @" + b" 0x1" * 1000000 + b"\n"
    return v


def shapes():
    """Valid inputs of one extreme shape each, small on disk: every command
    must finish them in about O(n log n) of their size (tests/bad/heavy
    runs them under timeout and ulimit; a quadratic step takes hours)."""
    v = {}
    # One sample with 32,769 distinct string labels (graphviz's nodelets
    # crashed), and one with 1,000,000 copies of one label (traces was
    # quadratic in labels per sample).
    p = Prof()
    p.samples = [sample([1, 2], [100], [(p.s("k%d" % i), p.s("v%d" % i), 0) for i in range(32769)])]
    v["shape-labels-32k"] = gz(p.encode())
    p = Prof()
    lab = f_bytes(3, f_varint(1, 1) + f_varint(2, 3))
    p.samples = [packed(1, [1, 2]) + packed(2, [100]) + lab * 1000000]
    v["shape-labels-1m"] = gz(p.encode(), 9)
    # One sample with 1,000,000 copies of one numeric label.
    p = Prof()
    lab = f_bytes(3, f_varint(1, p.s("bytes")) + f_varint(3, 4096))
    p.samples = [packed(1, [1, 2]) + packed(2, [100]) + lab * 1000000]
    v["shape-numeric-1m"] = gz(p.encode(), 9)
    # A 16 MiB function name, a 64 MiB label value, a 16 MiB file name.
    p = Prof()
    p.strings[3] = "main." + "f" * (16 << 20)
    v["shape-name-16m"] = gz(p.encode(), 9)
    p = Prof()
    p.samples = [sample([1, 2], [100], [(p.s("k"), p.s("v" * (64 << 20)), 0)])]
    v["shape-label-64m"] = gz(p.encode(), 9)
    p = Prof()
    p.strings[5] = "/src/" + "d" * (16 << 20) + ".go"
    v["shape-file-16m"] = gz(p.encode(), 9)
    # 1,000,000 frames alternating between two functions in one stack
    # (100,000 distinct frames: deep-100k).
    p = Prof()
    p.samples = [sample([1 + (i % 2) for i in range(1000000)], [512]), sample([1], [512])]
    v["shape-recursion-1m"] = gz(p.encode(), 9)
    # Goroutine dumps: 300,000 goroutines in one group, 100,000 in
    # distinct groups, one goroutine 200,000 frames deep.
    g = b"goroutine %d [chan receive, 5 minutes]:\nmain.worker(0xc000010000)\n\t/src/main.go:10 +0x1d\ncreated by main.main in goroutine 1\n\t/src/main.go:5 +0x2a\n\n"
    v["shape-goroutines-300k"] = gz(b"".join(g % i for i in range(1, 300001)), 9)
    v["shape-goroutines-distinct-100k"] = gz(b"".join(
        b"goroutine %d [select]:\nmain.w%d()\n\t/src/w.go:%d +0x1\n\n" % (i, i, i) for i in range(1, 100001)))
    v["shape-goroutine-deep-200k"] = gz(b"goroutine 1 [running]:\n" + b"".join(
        b"main.f%d()\n\t/src/f.go:%d +0x1\n" % (i, i) for i in range(200000)), 9)
    # Go 1.27 header labels: one goroutine with 100,000 labels, one with a
    # 16 MiB label value.
    v["shape-goroutine-labels-100k"] = (b"goroutine 1 [select] {" + b", ".join(b"k%d: v%d" % (i, i) for i in range(100000)) +
                                        b"}:\nmain.f()\n\t/src/f.go:1 +0x1\n")
    v["shape-goroutine-label-16m"] = gz(b"goroutine 1 [select] {k: " + b"v" * (16 << 20) + b"}:\nmain.f()\n\t/src/f.go:1 +0x1\n", 9)
    # drop_frames that glibc's regexec takes quadratic time on, with a
    # 1 MiB function name: (a|aa)*c (pprof anchors it: ^(...)$).
    p = Prof()
    p.strings[3] = "a" * (1 << 20)
    p.extra = f_varint(7, p.s("(a|aa)*c"))
    v["shape-drop-frames-redos"] = gz(p.encode(), 9)
    # A function name of 100,000 dots (one DOT label line per part).
    p = Prof()
    p.strings[3] = "a." * 100000
    v["shape-name-dots-100k"] = gz(p.encode(), 9)
    # Heap text (debug=1): a 16 MiB function name.
    v["shape-heaptext-name-16m"] = gz(b"heap profile: 1: 1024 [1: 1024] @ heap/1\n1: 1024 [1: 1024] @ 0x1\n#\t0x1\tmain." +
                                      b"f" * (16 << 20) + b"+0x0\tmain.go:1\n", 9)
    return v


def rich():
    """A small valid profile using every Profile field, as a fuzz seed."""
    p = Prof()
    p.types = [valtype(p.s("alloc_objects"), p.s("count")), valtype(p.s("alloc_space"), p.s("bytes"))]
    p.mappings = [mapping(1, filename=p.s("/bin/app")), mapping(2, 0x7F0000, 0x7F8000, p.s("libc.so"))]
    p.locations = [location(1, [(1, 11), (2, 21)], mapping=1, address=0x401000),
                   location(2, [(2, 22)], mapping=1, address=0x402000),
                   location(3, [(3, 5)], mapping=2, address=0x7F1000)]
    p.functions.append(function(3, p.s("runtime.malg"), 0, p.s("proc.go"), 1))
    p.samples = [sample([1, 2], [3, 3072], [(p.s("bytes"), 0, 1024), (p.s("handler"), p.s("/api"), 0)]),
                 sample([3, 1, 2], [1, 512]), sample([2], [-1, -512])]
    p.extra = (f_varint(7, p.s("runtime\\..*")) + f_varint(9, 1700000000000000000) + f_varint(10, 30000000000) +
               f_bytes(11, valtype(p.s("space"), p.s("bytes"))) + f_varint(12, 524288) +
               f_varint(13, p.s("a comment")) + f_varint(14, p.s("alloc_space")))
    return p.encode()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    big = "--big" in sys.argv[2:]
    if "--seeds" in sys.argv[2:]:
        # Seeds for the fuzzers (fuzz/corpus): raw protobuf and gzipped.
        for d in ("pprof", "load", "gzip"):
            os.makedirs(os.path.join(out, d), exist_ok=True)
        with open(os.path.join(out, "pprof", "rich.pb"), "wb") as f:
            f.write(rich())
        with open(os.path.join(out, "load", "rich.pb.gz"), "wb") as f:
            f.write(gz(rich()))
        with open(os.path.join(out, "gzip", "two-members.gz"), "wb") as f:
            f.write(gz(b"abc") + gz(b"def") + b"\0\0")
        return
    os.makedirs(out, exist_ok=True)
    items = list(cases(big).items()) + list(valid(big).items())
    if "--shapes" in sys.argv[2:]:
        items = list(shapes().items())
    for name, data in items:
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

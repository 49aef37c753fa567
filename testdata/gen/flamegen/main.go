// flamegen writes a synthetic Go heap profile (profile.proto, gzipped)
// with N samples whose stacks are all distinct, for drip flame's tests
// and benchmarks.  It encodes the protobuf by hand (stdlib only).
//
//	flamegen -n 1000000 -o big.pb.gz         # 1M distinct stacks
//	flamegen -n 40 -variant base -o base.pb.gz
//	flamegen -n 40 -variant new -o new.pb.gz # some stacks grew/shrank/vanished
//
// Stacks: the first 6 frames follow the decimal digits of the sample
// number (a tree with fan-out 10, so stacks share prefixes as real ones
// do), then 2..21 more frames picked by a seeded PRNG.  Every 4th
// location holds an inlined call (two lines).  Variant "new" multiplies
// the values of samples with i%5==0 by 3, halves those with i%11==0, and
// drops those with i%7==0 (they exist only in "base").
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
)

type enc struct{ b []byte }

func (e *enc) varint(v uint64) {
	for v >= 0x80 {
		e.b = append(e.b, byte(v)|0x80)
		v >>= 7
	}
	e.b = append(e.b, byte(v))
}
func (e *enc) key(field, wire int) { e.varint(uint64(field<<3 | wire)) }
func (e *enc) u64(field int, v uint64) {
	if v != 0 {
		e.key(field, 0)
		e.varint(v)
	}
}
func (e *enc) bytes(field int, b []byte) {
	e.key(field, 2)
	e.varint(uint64(len(b)))
	e.b = append(e.b, b...)
}
func (e *enc) packed(field int, vs []uint64) {
	var p enc
	for _, v := range vs {
		p.varint(v)
	}
	e.bytes(field, p.b)
}

var strs = map[string]int{"": 0}
var strList = []string{""}

func str(s string) uint64 {
	if i, ok := strs[s]; ok {
		return uint64(i)
	}
	strs[s] = len(strList)
	strList = append(strList, s)
	return uint64(len(strList) - 1)
}

var pkgs = []string{"main", "runtime", "github.com/acme/shop/cart", "github.com/acme/shop/db",
	"encoding/json", "net/http", "bytes", "strings", "sync", "github.com/acme/shop/api"}

func funcName(level, k int) string {
	p := pkgs[(level*7+k*3)%len(pkgs)]
	if k%3 == 0 {
		return fmt.Sprintf("%s.(*T%d).M%d", p, level, k)
	}
	return fmt.Sprintf("%s.F%d_%d", p, level, k)
}

type rng uint64

func (r *rng) next() uint64 {
	*r ^= *r << 13
	*r ^= *r >> 7
	*r ^= *r << 17
	return uint64(*r)
}

func main() {
	n := flag.Int("n", 1000, "samples (distinct stacks), at most 1000000")
	out := flag.String("o", "flame.pb.gz", "output file")
	variant := flag.String("variant", "base", "base or new")
	seed := flag.Uint64("seed", 1, "PRNG seed")
	flag.Parse()
	if *n < 1 || *n > 1000000 {
		fmt.Fprintln(os.Stderr, "flamegen: -n must be 1..1000000")
		os.Exit(2)
	}
	funcIDs := map[string]uint64{}
	var funcs enc
	fn := func(name string) uint64 {
		if id, ok := funcIDs[name]; ok {
			return id
		}
		id := uint64(len(funcIDs) + 1)
		funcIDs[name] = id
		var f enc
		f.u64(1, id)
		f.u64(2, str(name))
		f.u64(3, str(name))
		f.u64(4, str("acme/"+name[:1]+"/file.go"))
		f.u64(5, 10)
		funcs.bytes(5, f.b)
		return id
	}
	type lkey struct{ level, k int }
	locIDs := map[lkey]uint64{}
	var locs enc
	loc := func(level, k int) uint64 {
		key := lkey{level, k}
		if id, ok := locIDs[key]; ok {
			return id
		}
		id := uint64(len(locIDs) + 1)
		locIDs[key] = id
		var l enc
		l.u64(1, id)
		l.u64(2, 1)
		l.u64(3, 0x400000+id*16)
		if id%4 == 0 { // inlined callee first, then its caller
			var ln enc
			ln.u64(1, fn(fmt.Sprintf("%s.inl%d", pkgs[k%len(pkgs)], k)))
			ln.u64(2, uint64(100+level))
			l.bytes(4, ln.b)
		}
		var ln enc
		ln.u64(1, fn(funcName(level, k)))
		ln.u64(2, uint64(20+k))
		l.bytes(4, ln.b)
		locs.bytes(4, l.b)
		return id
	}
	var p enc
	for _, t := range [][2]string{{"alloc_objects", "count"}, {"alloc_space", "bytes"}, {"inuse_objects", "count"}, {"inuse_space", "bytes"}} {
		var vt enc
		vt.u64(1, str(t[0]))
		vt.u64(2, str(t[1]))
		p.bytes(1, vt.b)
	}
	r := rng(*seed*0x9e3779b97f4a7c15 | 1)
	for i := 0; i < *n; i++ {
		var stack []uint64 // root first while building
		d := i
		for level := 0; level < 6; level++ {
			digit := (i / pow10(5-level)) % 10
			stack = append(stack, loc(level, digit+10*(d%3)))
			d /= 10
		}
		tail := 2 + int(r.next()%20)
		for j := 0; j < tail; j++ {
			stack = append(stack, loc(6+j, int(r.next()%7)))
		}
		objs := int64(1 + r.next()%8)
		size := int64(16 << (r.next() % 8))
		inuse := objs / 2
		if *variant == "new" {
			if i%7 == 0 {
				continue
			}
			if i%5 == 0 {
				objs, inuse = objs*3, inuse*3
			}
			if i%11 == 0 {
				objs, inuse = objs/2, inuse/2
			}
		}
		ids := make([]uint64, len(stack))
		for j := range stack {
			ids[j] = stack[len(stack)-1-j] // leaf first
		}
		var s enc
		s.packed(1, ids)
		s.packed(2, []uint64{uint64(objs), uint64(objs * size), uint64(inuse), uint64(inuse * size)})
		p.bytes(2, s.b)
	}
	var m enc
	m.u64(1, 1)
	m.u64(2, 0x400000)
	m.u64(3, 0x4000000)
	m.u64(5, str("/usr/bin/flamegen-app"))
	m.u64(7, 1)
	m.u64(8, 1)
	m.u64(9, 1)
	m.u64(10, 1)
	p.bytes(3, m.b)
	p.b = append(p.b, locs.b...)
	p.b = append(p.b, funcs.b...)
	var pt enc
	pt.u64(1, str("space"))
	pt.u64(2, str("bytes"))
	for _, s := range strList {
		p.bytes(6, []byte(s))
	}
	p.u64(9, 1700000000000000000)
	p.bytes(11, pt.b)
	p.u64(12, 524288)
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "flamegen:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(f)
	z := gzip.NewWriter(w)
	z.Write(p.b)
	z.Close()
	w.Flush()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "flamegen:", err)
		os.Exit(1)
	}
}

func pow10(k int) int {
	r := 1
	for ; k > 0; k-- {
		r *= 10
	}
	return r
}

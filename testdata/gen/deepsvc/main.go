// Command deepsvc writes heap profiles shaped like a real Go service's, for
// drip's benchmark (make bench): stacks 25 to 30 frames deep, about 10,000
// locations, the runtime's numeric "bytes" label on every sample, and one
// sample per distinct call path (runtime.MemProfileRate = 1), a few
// hundred thousand of them.  It is not used by the tests and its output
// is not committed.
//
// Each request goes through seven fixed frames (runtime.main, main.main,
// a server loop, connection handling, two middlewares, a router), then
// through 17 to 22 layers of generated handlers (funcs.go, written by
// genfuncs.sh), one of 20 call sites per layer chosen by the request's
// digits, and allocates in the last one through an inlined helper: a
// byte buffer, a record or a map.  Two thirds of the allocations stay
// live.  With -snapshots S, the program writes S heap profiles: after
// the first, every round serves 1% more requests, of which the ones
// on a few "leaking" paths are all kept, so a series of snapshots shows
// those sites growing.
//
//	sh genfuncs.sh > funcs.go    # in a copy of this folder, with a go.mod
//	go build -o deepsvc . && ./deepsvc -n 400000 -o heap.pb.gz
//	./deepsvc -n 400000 -snapshots 16 -o 'heap_%02d.pb.gz'
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
)

type request struct {
	id    uint64
	depth int
	size  int
	digit [layers]uint8
	leaky bool
}

type record struct {
	id   uint64
	name string
	tags []string
	data []byte
}

var kept []interface{}

func (r *request) keep(v interface{}) {
	if r.leaky || r.id%3 != 0 {
		kept = append(kept, v)
	}
}

// The allocation helpers are small enough to be inlined: each allocation
// site is a location with two lines, as in real profiles.
func newBuffer(n int) []byte { return make([]byte, n) }

func newRecord(n int) *record { return &record{data: make([]byte, n/2)} }

func newIndex(n int) map[uint64]int { return make(map[uint64]int, n/64+1) }

func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

var seed uint64

// fill derives request i's path: its depth (the last of 17..22 layers), a digit per
// layer and an allocation size.
func (r *request) fill(i uint64) {
	h := mix(i ^ seed)
	r.id = i
	r.depth = 16 + int(h%6)
	for l := 0; l < layers; l++ {
		h = mix(h + uint64(l))
		r.digit[l] = uint8(h % branches)
	}
	r.size = 16 + int(mix(h)%250)*8
	// about 1 in 50 paths leak: their allocations are all kept
	r.leaky = r.digit[0] == 3 && r.digit[1] < 5
}

//go:noinline
func route(r *request) { entry[r.digit[layers-1]%width](r, 0) }

//go:noinline
func logging(r *request) { route(r) }

//go:noinline
func authenticate(r *request) { logging(r) }

//go:noinline
func serveConn(r *request) { authenticate(r) }

//go:noinline
func serve(from, to uint64) {
	var r request
	for i := from; i < to; i++ {
		r.fill(i)
		serveConn(&r)
	}
}

func write(name string) {
	runtime.GC()
	runtime.GC()
	f, err := os.Create(name)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	n := flag.Uint64("n", 400000, "requests served before the first profile")
	snaps := flag.Int("snapshots", 1, "number of profiles to write (-o is then a printf pattern)")
	out := flag.String("o", "heap.pb.gz", "output file")
	flag.Uint64Var(&seed, "seed", 0, "vary the paths (a different service run)")
	flag.Parse()
	if *snaps > 1 && !strings.Contains(*out, "%") {
		log.Fatal("-snapshots needs a pattern such as heap_%02d.pb.gz in -o")
	}
	runtime.MemProfileRate = 1
	next := uint64(0)
	for s := 0; s < *snaps; s++ {
		to := *n
		if s > 0 {
			to = next + *n/100
		}
		serve(next, to)
		next = to
		name := *out
		if *snaps > 1 {
			name = fmt.Sprintf(*out, s)
		}
		write(name)
	}
	runtime.KeepAlive(kept)
}

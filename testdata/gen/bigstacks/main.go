// Command bigstacks writes a real Go heap profile (runtime.MemProfileRate = 1)
// with a chosen number of distinct allocation stacks, for drip's benchmark
// (make bench).  It is not used by the tests and its output is not committed.
//
// Allocation number i (0 <= i < N) goes through a chain of eight frames
// m0..m7 and then a path of 4 to 6 functions out of 64 (f00..f63, written
// by genfuncs.sh): the four base-64 digits of i, then i%3 extra f00 frames.
// Different i give different paths, hence N distinct stacks, each with one
// allocation of 16+((i+shift)%61)*8 (+0..3) bytes; two thirds of them stay live.
//
//	go run ./bigstacks -stacks 1000000 -o heap_1m.pb.gz
package main

import (
	"flag"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
)

var kept [][]byte
var cur, shift int

func size(path []int) int { return 16 + ((cur+shift)%61)*8 }

func keep(path []int, b []byte) {
	if cur%3 != 0 {
		kept = append(kept, b)
	}
}

//go:noinline
func run(n int) {
	path := make([]int, 0, 8)
	for i := 0; i < n; i++ {
		cur = i
		path = path[:0]
		path = append(path, (i>>18)&63, (i>>12)&63, (i>>6)&63, i&63)
		for k := 0; k < i%3; k++ {
			path = append(path, 0)
		}
		m0(path)
	}
}

func main() {
	n := flag.Int("stacks", 100000, "number of distinct allocation stacks (at most 16777216)")
	out := flag.String("o", "heap.pb.gz", "output file")
	flag.IntVar(&shift, "shift", 0, "vary the allocation sizes (for a second snapshot to diff against)")
	flag.Parse()
	if *n < 1 || *n > 1<<24 {
		log.Fatal("-stacks must be in 1..16777216")
	}
	runtime.MemProfileRate = 1
	kept = make([][]byte, 0, *n)
	run(*n)
	runtime.GC()
	runtime.GC()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	runtime.KeepAlive(kept)
}

// Command heap10k writes heap_10k.pb.gz: a heap profile (MemProfileRate=1)
// with about 10,000 distinct allocation stacks. Each stack is a path of
// of length 4 to 6 through ten functions f0..f9 (10^4 paths: the digits of
// 0..9999 plus n%3 extra frames), chosen via a switch,
// so every path yields a different call stack; the leaf allocation size
// depends on the path.
package main

import (
	"flag"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
)

var kept [][]byte

//go:noinline
func leaf(path []int) {
	n := 0
	for _, p := range path {
		n = n*10 + p
	}
	b := make([]byte, 16+(n%61)*16)
	if n%3 != 0 {
		kept = append(kept, b) // two thirds stay live
	}
}

//go:noinline
func step(path []int, i int) {
	if i == len(path) {
		leaf(path)
		return
	}
	switch path[i] {
	case 0:
		f0(path, i+1)
	case 1:
		f1(path, i+1)
	case 2:
		f2(path, i+1)
	case 3:
		f3(path, i+1)
	case 4:
		f4(path, i+1)
	case 5:
		f5(path, i+1)
	case 6:
		f6(path, i+1)
	case 7:
		f7(path, i+1)
	case 8:
		f8(path, i+1)
	case 9:
		f9(path, i+1)
	}
}

//go:noinline
func f0(path []int, i int) { step(path, i) }

//go:noinline
func f1(path []int, i int) { step(path, i) }

//go:noinline
func f2(path []int, i int) { step(path, i) }

//go:noinline
func f3(path []int, i int) { step(path, i) }

//go:noinline
func f4(path []int, i int) { step(path, i) }

//go:noinline
func f5(path []int, i int) { step(path, i) }

//go:noinline
func f6(path []int, i int) { step(path, i) }

//go:noinline
func f7(path []int, i int) { step(path, i) }

//go:noinline
func f8(path []int, i int) { step(path, i) }

//go:noinline
func f9(path []int, i int) { step(path, i) }

func main() {
	out := flag.String("o", "heap_10k.pb.gz", "output file")
	flag.Parse()
	runtime.MemProfileRate = 1
	kept = make([][]byte, 0, 10000)
	for n := 0; n < 10000; n++ {
		// the four decimal digits of n, then n%3 more frames (depth 4..6)
		path := []int{n / 1000, n / 100 % 10, n / 10 % 10, n % 10}
		for k := 0; k < n%3; k++ {
			path = append(path, (n+k)%10)
		}
		step(path, 0)
	}
	runtime.GC()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

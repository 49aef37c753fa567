// Command leaks3 writes heap series at Go's default MemProfileRate for
// scenarios written AFTER drip's sampled-count rule (--max-p 0.005) was
// fixed: a held-out check that it generalises.  Same layout as
// gen/sampled: heap_NNN.pb.gz and heap_NNN.debug1.txt after runtime.GC().
//
// Leaks:
//
//	audit-leak   main.audit appends a 256 B record per request to a
//	             global slice never truncated (~2500 a step).
//	parked-leak  main.parkWithBuffer: a goroutine per request blocked
//	             forever holding an 8 KiB buffer (60 a step).
//	intern-leak  main.intern keeps every request id string in a map
//	             (~6000 unique 48 B ids a step).
//
// Healthy:
//
//	ring        main.(*ring).push overwrites a ring of 2048 x 1 KiB.
//	batch       main.buildBatch holds 500-3000 x 2 KiB until the next step.
//	ttl-cache   main.(*ttl).set: entries of 768 B expire three steps on.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
)

var (
	rnd     *rand.Rand
	records [][]byte
	held    [][]byte
	ids     = map[string]string{}
	block   = make(chan struct{})
)

//go:noinline
func audit(i int) { records = append(records, make([]byte, 256)) }

//go:noinline
func parkWithBuffer() {
	buf := make([]byte, 8192)
	<-block
	buf[0]++
}

//go:noinline
func intern(s string) string {
	if v, ok := ids[s]; ok {
		return v
	}
	ids[s] = s
	return s
}

type ring struct {
	slots [][]byte
	next  int
}

//go:noinline
func (r *ring) push() {
	r.slots[r.next%len(r.slots)] = make([]byte, 1024)
	r.next++
}

//go:noinline
func buildBatch(n int) {
	held = held[:0]
	for i := 0; i < n; i++ {
		held = append(held, make([]byte, 2048))
	}
}

type ttl struct{ byStep map[int][][]byte }

//go:noinline
func (t *ttl) set(step int) { t.byStep[step] = append(t.byStep[step], make([]byte, 768)) }

func vary(n int) int { return n*8/10 + rnd.Intn(n*4/10+1) }

func write(path string, debugLevel int) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, debugLevel); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	scenario := flag.String("scenario", "", "scenario")
	out := flag.String("out", ".", "output directory")
	n := flag.Int("n", 6, "snapshots")
	seed := flag.Int64("seed", 1, "seed")
	flag.Parse()
	rnd = rand.New(rand.NewSource(*seed))
	var step func(int)
	switch *scenario {
	case "audit-leak":
		step = func(int) {
			for i, m := 0, vary(2500); i < m; i++ {
				audit(i)
			}
		}
	case "parked-leak":
		step = func(int) {
			for i, m := 0, vary(60); i < m; i++ {
				go parkWithBuffer()
			}
			runtime.Gosched()
		}
	case "intern-leak":
		k := 0
		step = func(int) {
			for i, m := 0, vary(6000); i < m; i++ {
				k++
				intern(fmt.Sprintf("req-%040d", k))
			}
		}
	case "ring":
		r := &ring{slots: make([][]byte, 2048)}
		step = func(int) {
			for i, m := 0, vary(3000); i < m; i++ {
				r.push()
			}
		}
	case "batch":
		step = func(int) { buildBatch(500 + rnd.Intn(2501)) }
	case "ttl-cache":
		t := &ttl{byStep: map[int][][]byte{}}
		step = func(s int) {
			delete(t.byStep, s-3)
			for i, m := 0, vary(1200); i < m; i++ {
				t.set(s)
			}
		}
	default:
		log.Fatalf("unknown scenario %q", *scenario)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < *n; i++ {
		for j := 0; j < 2000; j++ {
			_ = strconv.Itoa(j)
		}
		step(i)
		runtime.GC()
		old := debug.SetGCPercent(-1)
		write(filepath.Join(*out, fmt.Sprintf("heap_%03d.pb.gz", i)), 0)
		write(filepath.Join(*out, fmt.Sprintf("heap_%03d.debug1.txt", i)), 1)
		debug.SetGCPercent(old)
	}
}

// Command leaks2 makes held-out leak series for `drip leaks`: leaks and
// healthy programs unlike those of gen/leaks, used to check that the
// verdict rules were not tuned to that one program.  Same snapshot
// layout as gen/leaks (heap and goroutine profiles in every format, one
// snapshot after each step; GC before each snapshot).
//
// Scenarios (expected first suspect / none):
//
//	mutex-leak       main.mutexWaiter: 5 goroutines a step block forever on a
//	                 mutex that is never unlocked (semacquire).
//	select-leak      main.selectWaiter.func1: 3 goroutines a step wait in a
//	                 select on channels nobody uses, each with a unique
//	                 pprof label (request id).
//	buffer-leak      bytes.growSlice: bytes.Buffers grown by main.render and
//	                 kept forever (the allocation site is in the standard
//	                 library, as pprof's flat view shows it).
//	slow-leak        main.slowPut: 160 KiB a step into a map, at Go's default
//	                 MemProfileRate (512 KiB): a noisy, slow leak.
//	warmup-healthy   main.(*lru).Put fills a bounded cache (cap 2000 entries
//	                 of 512 B) during the first two steps, then only evicts.
//	pool-healthy     main.poolWorker: a worker pool that grows to 12 workers
//	                 over the first three steps, then stays.
//	churn-healthy    main.buildWorkingSet: a live set rebuilt every step with a
//	                 random size (1-4 MiB).
//	inflight-healthy main.inflight: a random number (0-9) of goroutines parked
//	                 in chan receive at each snapshot, released after it.
package main

import (
	"bytes"
	"context"
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
	"sync"
	"time"
)

var (
	held     sync.Mutex
	buffers  []*bytes.Buffer
	slowMap  = map[int][]byte{}
	workset  [][]byte
	release  chan struct{}
	poolSize int
	sink     int
)

//go:noinline
func mutexWaiter() {
	held.Lock()
	held.Unlock()
}

//go:noinline
func selectWaiter(id int) {
	a, b := make(chan int), make(chan int)
	pprof.Do(context.Background(), pprof.Labels("request", strconv.Itoa(id)), func(context.Context) {
		select {
		case <-a:
		case <-b:
		}
	})
}

//go:noinline
func render(i int) *bytes.Buffer {
	var b bytes.Buffer
	for k := 0; k < 64; k++ {
		fmt.Fprintf(&b, "line %d of report %d: %s\n", k, i, "................................................................")
	}
	return &b
}

//go:noinline
func slowPut(k int) {
	slowMap[k] = make([]byte, 160<<10)
}

type lru struct {
	keys []int
	m    map[int][]byte
	cap  int
}

//go:noinline
func (c *lru) Put(k int) {
	if len(c.keys) >= c.cap {
		delete(c.m, c.keys[0])
		c.keys = c.keys[1:]
	}
	c.keys = append(c.keys, k)
	c.m[k] = make([]byte, 512)
}

//go:noinline
func poolWorker(jobs chan int) {
	for j := range jobs {
		sink += j
	}
}

//go:noinline
func buildWorkingSet(rng *rand.Rand) {
	n := 1 + rng.Intn(4)
	workset = nil
	for i := 0; i < n*256; i++ {
		workset = append(workset, make([]byte, 4096))
	}
}

//go:noinline
func inflight(c chan struct{}, wg *sync.WaitGroup) {
	wg.Done()
	<-c
}

func writeProfile(path, name string, debugLevel int) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, debugLevel); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func snapshot(dir string, i int) {
	runtime.GC()
	old := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(old)
	p := func(s string) string { return filepath.Join(dir, fmt.Sprintf(s, i)) }
	writeProfile(p("heap_%03d.pb.gz"), "heap", 0)
	writeProfile(p("heap_%03d.debug1.txt"), "heap", 1)
	writeProfile(p("goroutine_%03d.pb.gz"), "goroutine", 0)
	writeProfile(p("goroutine_%03d.debug1.txt"), "goroutine", 1)
	writeProfile(p("goroutine_%03d.debug2.txt"), "goroutine", 2)
}

func main() {
	scenario := flag.String("scenario", "", "scenario name (see package doc)")
	out := flag.String("out", ".", "output directory")
	n := flag.Int("n", 6, "number of snapshots")
	rate := flag.Int("rate", 65536, "runtime.MemProfileRate")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	runtime.MemProfileRate = *rate
	rng := rand.New(rand.NewSource(*seed))
	held.Lock()
	cache := &lru{m: map[int][]byte{}, cap: 2000}
	jobs := make(chan int)
	key := 0

	var step func(int)
	switch *scenario {
	case "mutex-leak":
		step = func(int) {
			for k := 0; k < 5; k++ {
				go mutexWaiter()
			}
		}
	case "select-leak":
		step = func(int) {
			for k := 0; k < 3; k++ {
				key++
				go selectWaiter(key)
			}
		}
	case "buffer-leak":
		step = func(int) {
			for k := 0; k < 40; k++ {
				key++
				buffers = append(buffers, render(key))
			}
		}
	case "slow-leak":
		runtime.MemProfileRate = 512 << 10
		step = func(int) {
			key++
			slowPut(key)
		}
	case "warmup-healthy":
		step = func(int) {
			for k := 0; k < 1000; k++ {
				key++
				cache.Put(key)
			}
		}
	case "pool-healthy":
		step = func(int) {
			for k := 0; k < 4 && poolSize < 12; k++ {
				poolSize++
				go poolWorker(jobs)
			}
			for k := 0; k < 100; k++ {
				jobs <- k
			}
		}
	case "churn-healthy":
		step = func(int) { buildWorkingSet(rng) }
	case "inflight-healthy":
		step = func(int) {
			if release != nil {
				close(release)
			}
			release = make(chan struct{})
			var wg sync.WaitGroup
			m := rng.Intn(10)
			wg.Add(m)
			for k := 0; k < m; k++ {
				go inflight(release, &wg)
			}
			wg.Wait()
		}
	default:
		log.Fatalf("unknown scenario %q", *scenario)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < *n; i++ {
		step(i)
		time.Sleep(10 * time.Millisecond) // let new goroutines park
		snapshot(*out, i)
	}
}

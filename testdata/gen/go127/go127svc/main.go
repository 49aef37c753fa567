// Command go127svc writes what Go 1.27 writes, for drip's parsers:
// goroutine and goroutineleak profiles in all three forms, heap profiles,
// labelled goroutines, goroutines the GC proves leaked, and crash
// tracebacks. It is its own module at `go 1.27`, so the runtime prints pprof
// labels in debug=2 goroutine headers (GODEBUG tracebacklabels=1 is the
// default only for modules at go 1.27 and later).
//
// Modes (-mode):
//
//	snapshot  labelled and leaked goroutines of every kind, then writes into
//	          -out: goroutine.{pb.gz,debug1.txt,debug2.txt},
//	          goroutineleak.{pb.gz,debug1.txt,debug2.txt},
//	          heap.{pb.gz,debug1.txt}. Runs under any GODEBUG, e.g.
//	          tracebackancestors=N (regen writes ancestors.debug2.txt so).
//	series    -scenario goleak|heapleak|healthy, -n snapshots into -out:
//	          NNN_{heap,goroutine,goroutineleak}.* as above.
//	crash     labelled goroutines, then a panic: run with GOTRACEBACK=all or
//	          system and capture stderr (panic text, gp=/m= headers,
//	          fp= sp= pc=, "exit status 2" from go run).
//	deep      deep recursion, a goroutine started at the bottom, then a
//	          panic: "...N frames elided..." (and, under
//	          tracebackancestors, "...additional frames elided...").
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"
)

// Reachable from a global: the GC can never prove these goroutines leaked.
var (
	keepCh   = make(chan int)
	keepMu   sync.Mutex
	retained [][]byte
	started  sync.WaitGroup
)

// labelSets exercise the runtime's quoting: plain tokens stay bare; spaces,
// braces, quotes, commas, colons, control characters, non-ASCII and invalid
// UTF-8 are quoted with \n \t \" \\ \xNN \uNNNN \UNNNNNNNN escapes; an
// empty value prints as nothing.
var labelSets = [][]string{
	{"endpoint", "/api/tasks", "tenant", "acme.io", "worker_id", "7"},
	{"endpoint", "/api/v2/items {id}", "query", `name="x", tag=y`, "region", "eu-west"},
	{"user name", "Zoë Ångström", "emoji", "🚀 launch", "path", `C:\tmp\new`},
	{"ctl", "a\tb\nc\rd\x7f", "bad utf8", "x\xffy", "empty", ""},
	{"job", "nightly: {batch}", "k:v", "a, b: c}"},
}

func labelled(i int, f func()) {
	started.Add(1)
	go pprof.Do(context.Background(), pprof.Labels(labelSets[i%len(labelSets)]...), func(context.Context) {
		started.Done()
		f()
	})
}

// Leaks of several kinds: each goroutine blocks on something nothing else
// can reach, so the goroutineleak GC proves it can never run again.
//
//go:noinline
func leakRecv() { ch := make(chan int); started.Done(); <-ch }

//go:noinline
func leakSend() { ch := make(chan int); started.Done(); ch <- 1 }

//go:noinline
func leakSelect() {
	a, b := make(chan int), make(chan string)
	started.Done()
	select {
	case <-a:
	case b <- "x":
	}
}

//go:noinline
func leakMutex() {
	var mu sync.Mutex
	mu.Lock()
	started.Done()
	mu.Lock()
}

//go:noinline
func leakCond() {
	c := sync.NewCond(&sync.Mutex{})
	c.L.Lock()
	started.Done()
	c.Wait()
}

//go:noinline
func leakNilChan() { var ch chan int; started.Done(); <-ch }

//go:noinline
func leakWaitGroup() { var wg sync.WaitGroup; wg.Add(1); started.Done(); wg.Wait() }

//go:noinline
func healthyWaiter() { started.Done(); <-keepCh }

//go:noinline
func healthyLocker() { started.Done(); keepMu.Lock(); keepMu.Unlock() }

//go:noinline
func healthySleeper() { started.Done(); time.Sleep(time.Hour) }

// handleRequest is the labelled "service" path: each request leaks one
// goroutine in leakyHandler (goleak) or finishes cleanly (healthy).
//
//go:noinline
func handleRequest(leak bool, i int) {
	labelled(i, func() {
		if leak {
			leakyHandler()
		} else {
			healthyHandler()
		}
	})
}

//go:noinline
func leakyHandler() {
	ch := make(chan []byte)
	started.Add(1)
	go func() { started.Done(); buf := <-ch; _ = buf }()
	// the handler times out and returns without sending: the child leaks
}

//go:noinline
func healthyHandler() {
	ch := make(chan []byte, 1)
	done := make(chan struct{})
	go func() { <-ch; close(done) }()
	ch <- make([]byte, 64)
	<-done
}

// cacheStore grows for heapleak: entries are never evicted.
var cache = map[int][]byte{}

//go:noinline
func cacheStore(i int) { cache[i] = make([]byte, 256<<10) }

//go:noinline
func transient() []byte { b := make([]byte, 32<<10); b[0] = 1; return b }

func startAll() {
	for _, f := range []func(){leakRecv, leakRecv, leakSend, leakSelect, leakMutex, leakCond, leakNilChan, leakWaitGroup} {
		started.Add(1)
		go f()
	}
	for i := 0; i < 3; i++ {
		started.Add(1)
		go healthyWaiter()
	}
	keepMu.Lock() // healthyLocker waits on a reachable mutex
	started.Add(2)
	go healthyLocker()
	go healthySleeper()
	for i := range labelSets {
		labelled(i, func() { <-keepCh })                   // reachable: not leaked
		labelled(i, func() { ch := make(chan int); <-ch }) // leaked, labelled
	}
	started.Wait()
	time.Sleep(50 * time.Millisecond) // let them all park
}

func write(dir, name string, f func(*os.File) error) {
	out, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	if err := f(out); err != nil {
		log.Fatal(err)
	}
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
}

func snapshot(dir, prefix string) {
	runtime.GC()
	old := debug.SetGCPercent(-1)
	for _, p := range []string{"goroutineleak", "goroutine", "heap"} {
		for _, d := range []int{0, 1, 2} {
			if p == "heap" && d == 2 {
				continue
			}
			name := fmt.Sprintf("%s%s.debug%d.txt", prefix, p, d)
			if d == 0 {
				name = prefix + p + ".pb.gz"
			}
			write(dir, name, func(w *os.File) error { return pprof.Lookup(p).WriteTo(w, d) })
		}
	}
	debug.SetGCPercent(old)
}

//go:noinline
func recurse(n int) int {
	if n == 0 {
		// with GODEBUG=tracebackancestors=N the child's ancestor block
		// is cut at 50 frames: "...additional frames elided..."
		started.Add(1)
		go healthyWaiter()
		started.Wait()
		time.Sleep(10 * time.Millisecond)
		panic(fmt.Sprintf("deep recursion reached the bottom: %q", "go127svc"))
	}
	return recurse(n-1) + 1
}

//go:noinline
func crash(msg string) { panic(fmt.Errorf("go127svc: %s", msg)) }

func main() {
	mode := flag.String("mode", "snapshot", "snapshot|series|crash|deep")
	out := flag.String("out", ".", "output directory")
	scenario := flag.String("scenario", "goleak", "series: goleak|heapleak|healthy")
	n := flag.Int("n", 5, "series: snapshots")
	flag.Parse()
	runtime.MemProfileRate = 4096
	if *mode == "series" {
		runtime.MemProfileRate = 64 << 10
	}
	switch *mode {
	case "snapshot":
		for i := 0; i < 50; i++ {
			retained = append(retained, transient())
		}
		startAll()
		snapshot(*out, "")
	case "series":
		for step := 0; step < *n; step++ {
			for i := 0; i < 8; i++ {
				switch *scenario {
				case "goleak":
					handleRequest(true, step*8+i)
				case "heapleak":
					handleRequest(false, step*8+i)
					cacheStore(step*8 + i)
				case "healthy":
					handleRequest(false, step*8+i)
				default:
					log.Fatalf("unknown scenario %q", *scenario)
				}
				_ = transient()
			}
			started.Wait()
			time.Sleep(20 * time.Millisecond)
			snapshot(*out, fmt.Sprintf("%03d_", step))
		}
	case "crash":
		startAll()
		labelled(0, func() { crash("cannot serve /api/tasks: queue {full}") })
		select {}
	case "deep":
		recurse(200)
	default:
		log.Fatalf("unknown mode %q", *mode)
	}
}

// Command leaks4 writes heap series for scenarios written AFTER drip's
// sampled-heap rule was changed to "steady slope (t >= 4) and sampled
// counts P <= 0.02 under churn or >= 3 sampling sd" (2026-12-02): a
// held-out check of that rule.  Same layout as gen/sampled and
// gen/leaks3: heap_NNN.pb.gz and heap_NNN.debug1.txt after runtime.GC(),
// at Go's default MemProfileRate unless -rate is given (-rate 1: every
// allocation).
//
// Leaks (the function a user would fix):
//
//	subscriber-leak  main.subscribe adds a subscriber (a struct and its
//	                 buffered channel, ~300 B) per request to a global
//	                 list and never removes it (~1500 a step).
//	callback-leak    main.register keeps a closure holding a 1 KiB
//	                 buffer per request in a map keyed by request id,
//	                 never deleted (~300 a step).
//	log-leak         main.remember appends a 200 B line built with
//	                 strings.Builder to a global slice (~2500 a step).
//
// Healthy:
//
//	random-evict     main.(*store).put: 3000 x 1 KiB entries, a random
//	                 one replaced when full (1500 puts a step).
//	sawtooth         main.(*batcher).add: 1000 x 512 B a step, flushed
//	                 (dropped) every third step.
//	queue            main.(*queue).push/pop: a FIFO of 2 KiB jobs whose
//	                 depth wanders between 200 and 2000.
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
	"strings"
)

var (
	rnd         *rand.Rand
	subscribers []*subscriber
	callbacks   = map[string]func() int{}
	lines       []string
)

type subscriber struct {
	id    int
	topic string
	ch    chan [32]byte
}

//go:noinline
func subscribe(id int) {
	subscribers = append(subscribers, &subscriber{id: id, topic: "orders", ch: make(chan [32]byte, 4)})
}

//go:noinline
func register(id string) {
	buf := make([]byte, 1024)
	callbacks[id] = func() int { return len(buf) }
}

//go:noinline
func remember(i int) {
	var b strings.Builder
	b.Grow(200)
	for b.Len() < 190 {
		b.WriteString("event ")
		b.WriteString(strconv.Itoa(i))
	}
	lines = append(lines, b.String())
}

type store struct{ m map[int][]byte }

//go:noinline
func (s *store) put(k int) {
	if len(s.m) >= 3000 {
		for victim := range s.m {
			delete(s.m, victim)
			break
		}
	}
	s.m[k] = make([]byte, 1024)
}

type batcher struct{ pending [][]byte }

//go:noinline
func (b *batcher) add() { b.pending = append(b.pending, make([]byte, 512)) }

type queue struct{ jobs [][]byte }

//go:noinline
func (q *queue) push() { q.jobs = append(q.jobs, make([]byte, 2048)) }

//go:noinline
func (q *queue) pop() { q.jobs[0] = nil; q.jobs = q.jobs[1:] }

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
	rate := flag.Int("rate", 0, "runtime.MemProfileRate (0: Go's default)")
	flag.Parse()
	if *rate > 0 {
		runtime.MemProfileRate = *rate
	}
	rnd = rand.New(rand.NewSource(*seed))
	var step func(int)
	req := 0
	switch *scenario {
	case "subscriber-leak":
		step = func(int) {
			for i, m := 0, vary(1500); i < m; i++ {
				req++
				subscribe(req)
			}
		}
	case "callback-leak":
		step = func(int) {
			for i, m := 0, vary(300); i < m; i++ {
				req++
				register("req-" + strconv.Itoa(req))
			}
		}
	case "log-leak":
		step = func(int) {
			for i, m := 0, vary(2500); i < m; i++ {
				req++
				remember(req)
			}
		}
	case "random-evict":
		s := &store{m: map[int][]byte{}}
		step = func(int) {
			for i, m := 0, vary(1500); i < m; i++ {
				req++
				s.put(req)
			}
		}
		// at its bound before the first snapshot
		for i := 0; i < 3000; i++ {
			req++
			s.put(req)
		}
	case "sawtooth":
		b := &batcher{}
		step = func(s int) {
			if s%3 == 0 {
				b.pending = nil
			}
			for i, m := 0, vary(1000); i < m; i++ {
				b.add()
			}
		}
	case "queue":
		q := &queue{}
		depth := 1000
		step = func(int) {
			target := depth + rnd.Intn(801) - 400
			if target < 200 {
				target = 200
			}
			if target > 2000 {
				target = 2000
			}
			// a step's work: 1500 jobs in, enough out to reach target
			for i := 0; i < 1500; i++ {
				q.push()
			}
			for len(q.jobs) > target {
				q.pop()
			}
			depth = target
		}
	default:
		log.Fatalf("unknown scenario %q", *scenario)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < *n; i++ {
		for j := 0; j < 2000; j++ {
			_ = fmt.Sprint(j)
		}
		step(i)
		runtime.GC()
		old := debug.SetGCPercent(-1)
		write(filepath.Join(*out, fmt.Sprintf("heap_%03d.pb.gz", i)), 0)
		write(filepath.Join(*out, fmt.Sprintf("heap_%03d.debug1.txt", i)), 1)
		debug.SetGCPercent(old)
	}
}

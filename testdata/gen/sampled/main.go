// Command sampled runs one heap scenario at Go's DEFAULT MemProfileRate
// (512 KiB; -rate changes it, -rate 1 records every allocation) and
// writes a series of heap snapshots into -out:
//
//	heap_NNN.pb.gz, heap_NNN.debug1.txt     for NNN = 000 .. n-1
//
// one after each step of simulated work, each after runtime.GC() with the
// GC kept off while both files are written.  -seed varies the amount of
// work per step (+-20%); the sampling itself is the runtime's own and
// differs from run to run.  -nogc K skips the runtime.GC() before
// snapshot K (the profile is then stale: NumGC does not change).
//
// Every scenario also does the same background work each step: a stable
// live set (main.loadConfig, built once) and per-request garbage
// (main.handleRequest).
//
// Leaking scenarios (the site a user would fix, per manifest.tsv):
//
//	body-leak    main.fetchNoClose: HTTP GETs whose resp.Body is never
//	             closed; each strands a connection with 4 KiB bufio
//	             buffers on both ends (bufio.NewReaderSize ~1 MB -> 6 MB).
//	ticker-leak  main.pollWithTicker: a time.NewTicker per request, never
//	             stopped (the runtime's timer heap keeps it forever).
//	map-leak     main.(*registry).add: a map of sessions that is never
//	             pruned, ~4000 x 112 B a step.
//
// Healthy twins (no suspect expected):
//
//	body-healthy   main.fetchClose: same GETs, body drained and closed.
//	ticker-healthy main.pollWithTicker with Stop.
//	cache-bound    main.(*lru).put: 4000 x 1 KiB entries, at its bound from
//	               before the first snapshot; 2000 replaced every step.
//	pool           main.poolRequest: 4 KiB buffers from a sync.Pool.
//	garbage        main.buildResponse: 2-8 KiB per request, all garbage.
//	warming        main.(*lru).put: a cache of 3000 x 1 KiB filling 1500 a
//	               step until its bound (reached at the second snapshot).
//	cache-slow     main.(*lru).put: 4000 x 1 KiB at its bound, only ~300
//	               replaced a step (sampled entries persist for long).
//	inflight       main.serveSlow: 100-700 requests in flight at each
//	               snapshot, each holding 4 KiB, released after it.
//	session-ttl    main.(*ttlStore).add: ~1500 sessions of 512 B a step,
//	               each expiring two steps later (a sliding window).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net/http"
	"net/http/httptest"
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
	config map[string][]byte
	sink   []byte
	rnd    *rand.Rand
)

//go:noinline
func loadConfig() {
	config = make(map[string][]byte)
	for i := 0; i < 256; i++ {
		config["key-"+strconv.Itoa(i)] = make([]byte, 4096)
	}
}

//go:noinline
func handleRequest(i int) {
	b := make([]byte, 0, 1024)
	b = append(b, "GET /index.html?id="...)
	b = strconv.AppendInt(b, int64(i), 10)
	sink = b
}

func background() {
	for i := 0; i < 2000; i++ {
		handleRequest(i)
	}
}

// vary returns n +- 20%.
func vary(n int) int { return n*8/10 + rnd.Intn(n*4/10+1) }

// ---- HTTP bodies ----

var leaked []*http.Response

//go:noinline
func fetchNoClose(c *http.Client, url string) {
	resp, err := c.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	leaked = append(leaked, resp) // the body is never read nor closed
}

//go:noinline
func fetchClose(c *http.Client, url string) {
	resp, err := c.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// ---- tickers ----

//go:noinline
func pollWithTicker(stop bool) {
	t := time.NewTicker(time.Hour)
	if stop {
		t.Stop()
	}
}

// ---- map ----

type session struct {
	id      int64
	user    [64]byte
	created time.Time
	hits    int
}

type registry struct{ m map[int64]*session }

//go:noinline
func (r *registry) add(id int64) {
	r.m[id] = &session{id: id, created: time.Unix(id, 0)}
}

// ---- caches ----

type lru struct {
	max   int
	m     map[int][]byte
	order []int
}

//go:noinline
func (c *lru) put(k int) {
	if _, ok := c.m[k]; ok {
		return
	}
	if len(c.order) >= c.max {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[k] = make([]byte, 1024)
	c.order = append(c.order, k)
}

// ---- pool / garbage ----

var bufPool = sync.Pool{New: func() interface{} { return newPoolBuf() }}

//go:noinline
func newPoolBuf() []byte { return make([]byte, 4096) }

//go:noinline
func poolRequest(i int) {
	b := bufPool.Get().([]byte)
	b[i%len(b)]++
	bufPool.Put(b)
}

//go:noinline
func buildResponse(i int) {
	b := make([]byte, 2048+rnd.Intn(6144))
	b[0] = byte(i)
	sink = b
}

// ---- in-flight requests, sessions with a TTL ----

var inflight []chan struct{}

//go:noinline
func serveSlow(done chan struct{}, ready chan struct{}) {
	buf := make([]byte, 4096)
	ready <- struct{}{}
	<-done
	buf[0]++
}

type ttlStore struct {
	byStep map[int][][]byte
}

//go:noinline
func (t *ttlStore) add(step int) {
	t.byStep[step] = append(t.byStep[step], make([]byte, 512))
}

// ---- driver ----

func writeProfile(path string, debugLevel int) {
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

func snapshot(dir string, i int, gc bool) {
	if gc {
		runtime.GC()
	}
	old := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(old)
	p := func(s string) string { return filepath.Join(dir, fmt.Sprintf(s, i)) }
	writeProfile(p("heap_%03d.pb.gz"), 0)
	writeProfile(p("heap_%03d.debug1.txt"), 1)
}

func main() {
	scenario := flag.String("scenario", "", "scenario name (see package doc)")
	out := flag.String("out", ".", "output directory")
	n := flag.Int("n", 6, "number of snapshots")
	rate := flag.Int("rate", 0, "runtime.MemProfileRate (0: Go's default)")
	seed := flag.Int64("seed", 1, "seed for the amount of work per step")
	nogc := flag.Int("nogc", -1, "skip runtime.GC() before this snapshot")
	flag.Parse()
	if *rate > 0 {
		runtime.MemProfileRate = *rate
	}
	rnd = rand.New(rand.NewSource(*seed))
	loadConfig()

	var step func(int)
	switch *scenario {
	case "body-leak", "body-healthy":
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Item", "1")
			io.WriteString(w, "ok\n")
		}))
		defer srv.Close()
		tr := &http.Transport{MaxIdleConnsPerHost: 4}
		c := &http.Client{Transport: tr}
		step = func(int) {
			for i, k := 0, vary(130); i < k; i++ {
				if *scenario == "body-leak" {
					fetchNoClose(c, srv.URL)
				} else {
					fetchClose(c, srv.URL)
				}
			}
			time.Sleep(50 * time.Millisecond) // let connection goroutines settle
		}
	case "ticker-leak", "ticker-healthy":
		step = func(int) {
			for i, k := 0, vary(1500); i < k; i++ {
				pollWithTicker(*scenario == "ticker-healthy")
			}
		}
	case "map-leak":
		r := &registry{m: map[int64]*session{}}
		id := int64(0)
		step = func(int) {
			for i, k := 0, vary(4000); i < k; i++ {
				id++
				r.add(id)
			}
		}
	case "cache-bound":
		c := &lru{max: 4000, m: map[int][]byte{}}
		k := 0
		for ; k < 4000; k++ {
			c.put(k)
		}
		step = func(int) {
			for i, m := 0, vary(2000); i < m; i++ {
				k++
				c.put(k)
			}
		}
	case "warming":
		c := &lru{max: 3000, m: map[int][]byte{}}
		k := 0
		step = func(int) {
			for i, m := 0, vary(1500); i < m; i++ {
				k++
				c.put(k)
			}
		}
	case "cache-slow":
		c := &lru{max: 4000, m: map[int][]byte{}}
		k := 0
		for ; k < 4000; k++ {
			c.put(k)
		}
		step = func(int) {
			for i, m := 0, vary(300); i < m; i++ {
				k++
				c.put(k)
			}
		}
	case "inflight":
		step = func(int) {
			for _, d := range inflight {
				close(d)
			}
			inflight = inflight[:0]
			ready := make(chan struct{})
			for i, m := 0, 100+rnd.Intn(601); i < m; i++ {
				d := make(chan struct{})
				inflight = append(inflight, d)
				go serveSlow(d, ready)
				<-ready
			}
		}
	case "session-ttl":
		t := &ttlStore{byStep: map[int][][]byte{}}
		step = func(s int) {
			delete(t.byStep, s-2)
			for i, m := 0, vary(1500); i < m; i++ {
				t.add(s)
			}
		}
	case "pool":
		step = func(int) {
			for i, m := 0, vary(5000); i < m; i++ {
				poolRequest(i)
			}
		}
	case "garbage":
		step = func(int) {
			for i, m := 0, vary(5000); i < m; i++ {
				buildResponse(i)
			}
		}
	default:
		log.Fatalf("unknown scenario %q", *scenario)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < *n; i++ {
		background()
		step(i)
		snapshot(*out, i, i != *nogc)
	}
	_ = bufio.NewReader
}

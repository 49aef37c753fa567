// Command leaks5 runs a small HTTP service on loopback under load from its
// own client and writes a heap and a goroutine series of it, for scenarios
// written AFTER drip's leak rules were fixed (2026-12-03): a held-out check
// of them on service-shaped series (net/http's own allocations and
// goroutines around the leak), the way a user would take them: one
// snapshot a step, heap after runtime.GC() (as /debug/pprof/heap?gc=1),
// at Go's default MemProfileRate unless -rate is given.
//
// Files: heap_NNN.pb.gz, heap_NNN.debug1.txt, goroutine_NNN.pb.gz,
// goroutine_NNN.debug2.txt.
//
// Leaks (the function a user would fix):
//
//	pinned-token   main.handleUpload reads each body into a fresh 32 KiB
//	               buffer and keeps buf[:16] as a token in a global map:
//	               the whole buffer stays (~40 requests a step).
//	page-cache     main.(*pageCache).render caches a 4 KiB page per URL,
//	               and every URL carries the user id: never a hit, never
//	               evicted (~300 a step).
//	abandoned-send main.handleQuery starts main.compute and returns after
//	               a short timeout; compute then blocks forever sending on
//	               the unbuffered result channel, holding its 2 KiB
//	               scratch buffer (~30 a step).
//	ctx-children   main.handleTrace derives context.WithCancel from the
//	               server's long-lived context and never cancels it: the
//	               parent keeps every child (~3000 a step).
//
// Healthy:
//
//	lru            the page cache bounded at 1500 pages, the oldest
//	               evicted, warmed to its bound before the first snapshot;
//	               users come back (4000 of them).
//	bursty         a random number of requests a step (50 to 2000), each
//	               building and dropping a 1-16 KiB response.
//	ttl            sessions of 1 KiB that expire two steps after they
//	               were made, a random number made a step.
//	longpoll       0 to 40 long-poll requests parked in the handler at
//	               each snapshot, released after it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	rnd      *rand.Rand
	tokensMu sync.Mutex
	tokens   = map[int][]byte{}
	serverCx context.Context
)

//go:noinline
func handleUpload(w http.ResponseWriter, r *http.Request) {
	buf := make([]byte, 32<<10)
	n, _ := io.ReadFull(r.Body, buf)
	id, _ := strconv.Atoi(r.URL.Query().Get("id"))
	tokensMu.Lock()
	tokens[id] = buf[:16] // pins the whole 32 KiB buffer
	tokensMu.Unlock()
	fmt.Fprintf(w, "stored %d bytes\n", n)
}

type pageCache struct {
	mu    sync.Mutex
	max   int
	pages map[string][]byte
	order []string // least recently used first
}

//go:noinline
func (c *pageCache) render(key string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pages[key]; ok {
		return p
	}
	p := make([]byte, 4096)
	copy(p, "<html>"+key)
	c.pages[key] = p
	c.order = append(c.order, key)
	if c.max > 0 && len(c.pages) > c.max {
		victim := c.order[0]
		c.order = c.order[1:]
		delete(c.pages, victim)
	}
	return p
}

var cache *pageCache

func handlePage(w http.ResponseWriter, r *http.Request) {
	w.Write(cache.render(r.URL.Path + "?" + r.URL.RawQuery)[:64])
}

//go:noinline
func compute(n int, out chan<- int) {
	scratch := make([]byte, 2048)
	for i := range scratch {
		scratch[i] = byte(n + i)
	}
	if n%3 == 0 {
		time.Sleep(20 * time.Millisecond) // slower than the handler waits
	}
	out <- int(scratch[n%2048]) // blocks forever once the handler gave up
}

func handleQuery(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	out := make(chan int)
	go compute(n, out)
	select {
	case v := <-out:
		fmt.Fprintln(w, v)
	case <-time.After(5 * time.Millisecond):
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

//go:noinline
func handleTrace(w http.ResponseWriter, r *http.Request) {
	ctx, _ := context.WithCancel(serverCx) //nolint: the leak
	fmt.Fprintln(w, ctx.Err() == nil)
}

//go:noinline
func handleBurst(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	var b strings.Builder
	b.Grow(n)
	for b.Len() < n {
		b.WriteString("payload ")
	}
	io.WriteString(w, b.String()[:16])
}

type session struct {
	step int
	data []byte
}

var (
	sessMu   sync.Mutex
	sessions = map[int]*session{}
	curStep  int
)

//go:noinline
func handleLogin(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.URL.Query().Get("id"))
	sessMu.Lock()
	sessions[id] = &session{step: curStep, data: make([]byte, 1024)}
	sessMu.Unlock()
	fmt.Fprintln(w, "ok")
}

func expireSessions(step int) {
	sessMu.Lock()
	for id, s := range sessions {
		if step-s.step >= 2 {
			delete(sessions, id)
		}
	}
	sessMu.Unlock()
}

var release = make(chan struct{})

//go:noinline
func handlePoll(w http.ResponseWriter, r *http.Request) {
	buf := make([]byte, 4096)
	<-release
	w.Write(buf[:8])
}

var rndMu sync.Mutex

// rint: rnd.Intn for the client's workers (a rand.Rand is not safe for
// concurrent use).
func rint(n int) int {
	rndMu.Lock()
	defer rndMu.Unlock()
	return rnd.Intn(n)
}

var counter int64

// next: a request number unique across the workers.
func next() int { return int(atomic.AddInt64(&counter, 1)) }

func vary(n int) int { return n*8/10 + rint(n*4/10+1) }

func writeProfile(name, path string, debugLevel int) {
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
	var cancel context.CancelFunc
	serverCx, cancel = context.WithCancel(context.Background())
	defer cancel()

	mux := http.NewServeMux()
	mux.HandleFunc("/upload", handleUpload)
	mux.HandleFunc("/page/", handlePage)
	mux.HandleFunc("/query", handleQuery)
	mux.HandleFunc("/trace", handleTrace)
	mux.HandleFunc("/burst", handleBurst)
	mux.HandleFunc("/login", handleLogin)
	mux.HandleFunc("/poll", handlePoll)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, mux)
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	get := func(path string) {
		resp, err := client.Get(base + path)
		if err != nil {
			log.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	// parallel requests, as real clients send them
	par := func(k int, f func(i int)) {
		var wg sync.WaitGroup
		work := make(chan int)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					f(i)
				}
			}()
		}
		for i := 0; i < k; i++ {
			work <- i
		}
		close(work)
		wg.Wait()
	}
	var step func(s int)
	switch *scenario {
	case "pinned-token":
		step = func(int) {
			par(vary(40), func(int) {
				resp, err := client.Post(base+"/upload?id="+strconv.Itoa(next()), "text/plain",
					strings.NewReader(strings.Repeat("x", 1000)))
				if err != nil {
					log.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			})
		}
	case "page-cache", "lru":
		cache = &pageCache{pages: map[string][]byte{}}
		if *scenario == "lru" {
			cache.max = 1500
			// warm: at its bound before the first snapshot
			for u := 0; u < 2000; u++ {
				cache.render("/page/home?user=" + strconv.Itoa(u))
			}
		}
		step = func(int) {
			par(vary(300), func(int) {
				// page-cache: a new user each request; lru: users come back
				u := next()
				if *scenario == "lru" {
					u = rint(4000)
				}
				get("/page/home?user=" + strconv.Itoa(u))
			})
		}
	case "abandoned-send":
		step = func(int) {
			par(vary(90), func(i int) { get("/query?n=" + strconv.Itoa(i)) })
		}
	case "ctx-children":
		step = func(int) {
			par(vary(3000), func(int) { get("/trace") })
		}
	case "bursty":
		step = func(int) {
			k := 50 + rint(1951)
			par(k, func(int) { get("/burst?n=" + strconv.Itoa(1024+rint(15*1024))) })
		}
	case "ttl":
		step = func(s int) {
			sessMu.Lock()
			curStep = s
			sessMu.Unlock()
			expireSessions(s)
			par(200+rint(1200), func(int) { get("/login?id=" + strconv.Itoa(next())) })
		}
	case "longpoll":
		step = func(int) {
			close(release) // the previous step's polls return
			release = make(chan struct{})
			k := rint(41)
			for i := 0; i < k; i++ {
				go get("/poll")
			}
			par(200, func(int) { get("/burst?n=2048") })
			time.Sleep(50 * time.Millisecond) // the polls reach the handler
		}
	default:
		log.Fatalf("unknown scenario %q", *scenario)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < *n; i++ {
		step(i)
		time.Sleep(30 * time.Millisecond) // in-flight work settles
		runtime.GC()
		old := debug.SetGCPercent(-1)
		writeProfile("heap", filepath.Join(*out, fmt.Sprintf("heap_%03d.pb.gz", i)), 0)
		writeProfile("heap", filepath.Join(*out, fmt.Sprintf("heap_%03d.debug1.txt", i)), 1)
		writeProfile("goroutine", filepath.Join(*out, fmt.Sprintf("goroutine_%03d.pb.gz", i)), 0)
		writeProfile("goroutine", filepath.Join(*out, fmt.Sprintf("goroutine_%03d.debug2.txt", i)), 2)
		debug.SetGCPercent(old)
		time.Sleep(20 * time.Millisecond) // distinct profile times
	}
}

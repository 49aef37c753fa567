// Command leaks runs one leak scenario (or its healthy twin) and writes a
// series of snapshots into -out:
//
//	heap_NNN.pb.gz, heap_NNN.debug1.txt,
//	goroutine_NNN.pb.gz, goroutine_NNN.debug1.txt, goroutine_NNN.debug2.txt
//
// for NNN = 000 .. n-1, one snapshot after each step of simulated work.
// MemProfileRate is 65536 (-rate); coarser rates keep the
// text files small, since most records come from the profile writer itself. Before each snapshot the program runs
// runtime.GC() and keeps the GC off while writing, so the five files of
// one snapshot describe the same moment.
//
// Every scenario also does the same background work each step (a stable
// live set built once by main.loadConfig, and transient garbage from
// main.handleRequest), so the leaking site has to be found among others.
//
// Scenarios (leaky / healthy twin):
//
//	goroutine-leak    main.leakyWorker goroutines block forever on a never-closed
//	                  channel; 8 more every step.
//	goroutine-healthy main.healthyWorker: same work, stopped via context
//	                  cancellation; goroutine count stays flat.
//	http-leak         main.leakyFetch POSTs a 64 KiB payload to an httptest
//	                  server on 127.0.0.1 and never closes resp.Body: each call
//	                  strands a connection (2 client + 1 server goroutines, bufio
//	                  buffers) and keeps its request, payload included, alive.
//	http-healthy      main.healthyFetch: same, but drains and closes the body
//	                  (defer resp.Body.Close()); connections are reused.
//	cache-leak        main.(*leakyCache).Put: map cache without eviction.
//	cache-healthy     main.(*boundedCache).Put: evicts the oldest entry past 256.
//	log-leak          main.appendLog appends to a map of per-request logs that
//	                  is never truncated.
//	log-healthy       same main.appendLog, but main.rotateLogs truncates the map
//	                  every step.
//	subslice-leak     main.keepHeader reads a 64 KiB message and returns
//	                  buf[:16], pinning the whole buffer.
//	subslice-healthy  main.copyHeader copies the 16 header bytes instead.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
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
	config  map[string][]byte
	sink    []byte
	retain  []interface{}
	counter int
)

// loadConfig builds a stable live set once.
//
//go:noinline
func loadConfig() {
	config = make(map[string][]byte)
	for i := 0; i < 64; i++ {
		config["key-"+strconv.Itoa(i)] = make([]byte, 2048)
	}
}

// handleRequest produces only garbage.
//
//go:noinline
func handleRequest(i int) {
	b := make([]byte, 0, 1024)
	b = append(b, "GET /index.html?id="...)
	b = strconv.AppendInt(b, int64(i), 10)
	sink = b
}

func background() {
	for i := 0; i < 200; i++ {
		handleRequest(i)
	}
}

// ---- goroutines ----

//go:noinline
func leakyWorker(in <-chan int, out chan<- int) {
	scratch := make([]byte, 4096)
	for v := range in { // in is never closed
		scratch[v%len(scratch)]++
		out <- v * 2
	}
	sink = scratch
}

//go:noinline
func healthyWorker(ctx context.Context, wg *sync.WaitGroup, in <-chan int, out chan<- int) {
	defer wg.Done()
	scratch := make([]byte, 4096)
	for {
		select {
		case v := <-in:
			scratch[v%len(scratch)]++
			out <- v * 2
		case <-ctx.Done():
			sink = scratch
			return
		}
	}
}

//go:noinline
func runBatchLeaky(workers, jobs int) int {
	in, out := make(chan int), make(chan int, jobs)
	for i := 0; i < workers; i++ {
		go leakyWorker(in, out)
	}
	for j := 0; j < jobs; j++ {
		in <- j
	}
	sum := 0
	for j := 0; j < jobs; j++ {
		sum += <-out
	}
	return sum // forgot close(in): the workers stay blocked forever
}

//go:noinline
func runBatchHealthy(workers, jobs int) int {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	in, out := make(chan int), make(chan int, jobs)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go healthyWorker(ctx, &wg, in, out)
	}
	for j := 0; j < jobs; j++ {
		in <- j
	}
	sum := 0
	for j := 0; j < jobs; j++ {
		sum += <-out
	}
	cancel()
	wg.Wait()
	return sum
}

// ---- http ----

//go:noinline
func serveItem(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	w.Header().Set("X-Item", strconv.Itoa(counter))
	w.Write(bytes.Repeat([]byte("x"), 2048))
}

//go:noinline
func leakyFetch(c *http.Client, url string) string {
	payload := make([]byte, 64<<10)
	resp, err := c.Post(url, "application/octet-stream", bytes.NewReader(payload))
	if err != nil {
		log.Fatal(err)
	}
	// BUG: resp.Body is never closed (nor read to EOF).
	return resp.Header.Get("X-Item")
}

//go:noinline
func healthyFetch(c *http.Client, url string) string {
	payload := make([]byte, 64<<10)
	resp, err := c.Post(url, "application/octet-stream", bytes.NewReader(payload))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.Header.Get("X-Item")
}

// ---- caches ----

type leakyCache struct{ m map[string][]byte }

//go:noinline
func (c *leakyCache) Put(k string, v []byte) {
	// (not make+copy: the compiler turns that into runtime.makeslicecopy,
	// whose heap-profile stacks lose the calling frame in Go 1.19)
	cp := append(make([]byte, 0, len(v)), v...)
	c.m[k] = cp
}

type boundedCache struct {
	m     map[string][]byte
	order []string
	max   int
}

//go:noinline
func (c *boundedCache) Put(k string, v []byte) {
	if _, ok := c.m[k]; !ok && len(c.order) >= c.max {
		oldest := c.order[0]
		c.order = c.order[1:]
		delete(c.m, oldest)
	}
	// (not make+copy: the compiler turns that into runtime.makeslicecopy,
	// whose heap-profile stacks lose the calling frame in Go 1.19)
	cp := append(make([]byte, 0, len(v)), v...)
	c.m[k] = cp
	c.order = append(c.order, k)
}

// ---- logs ----

type logEntry struct {
	at   int64
	text string
}

var logs = map[string][]logEntry{}

//go:noinline
func appendLog(req int, msg string) {
	key := "req-" + strconv.Itoa(req)
	logs[key] = append(logs[key], logEntry{at: int64(req), text: "[" + key + "] " + msg + " " + time.Duration(req).String()})
}

//go:noinline
func rotateLogs() { logs = map[string][]logEntry{} }

// ---- sub-slices ----

type message struct{ r io.Reader }

func newMessage(i int) message {
	return message{r: io.LimitReader(zeros{}, 64<<10)}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0
	}
	return len(p), nil
}

var headers [][]byte

//go:noinline
func keepHeader(r io.Reader) []byte {
	buf := make([]byte, 64<<10)
	io.ReadFull(r, buf)
	return buf[:16] // pins all 64 KiB
}

//go:noinline
func copyHeader(r io.Reader) []byte {
	buf := make([]byte, 64<<10)
	io.ReadFull(r, buf)
	h := make([]byte, 16)
	copy(h, buf)
	return h
}

// ---- driver ----

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
	flag.Parse()
	runtime.MemProfileRate = *rate

	var step func(int)
	switch *scenario {
	case "goroutine-leak":
		step = func(int) { counter += runBatchLeaky(8, 64) }
	case "goroutine-healthy":
		step = func(int) { counter += runBatchHealthy(8, 64) }
	case "http-leak", "http-healthy":
		srv := httptest.NewServer(http.HandlerFunc(serveItem))
		defer srv.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		fetch := leakyFetch
		if *scenario == "http-healthy" {
			fetch = healthyFetch
		}
		step = func(int) {
			for i := 0; i < 3; i++ {
				if fetch(client, srv.URL+"/item") == "" {
					log.Fatal("no X-Item header")
				}
			}
			time.Sleep(20 * time.Millisecond) // let connection goroutines settle
		}
	case "cache-leak":
		c := &leakyCache{m: map[string][]byte{}}
		val := make([]byte, 1024)
		step = func(s int) {
			for i := 0; i < 500; i++ {
				c.Put("user:"+strconv.Itoa(s*500+i), val)
			}
		}
	case "cache-healthy":
		c := &boundedCache{m: map[string][]byte{}, max: 256}
		val := make([]byte, 1024)
		step = func(s int) {
			for i := 0; i < 500; i++ {
				c.Put("user:"+strconv.Itoa(s*500+i), val)
			}
		}
	case "log-leak", "log-healthy":
		step = func(s int) {
			if *scenario == "log-healthy" {
				rotateLogs()
			}
			for i := 0; i < 3000; i++ {
				appendLog(s*300+i%300, "handled request with status 200 OK")
			}
		}
	case "subslice-leak", "subslice-healthy":
		get := keepHeader
		if *scenario == "subslice-healthy" {
			get = copyHeader
			headers = headers[:0:0]
		}
		step = func(s int) {
			for i := 0; i < 8; i++ {
				headers = append(headers, get(newMessage(i).r))
			}
			if *scenario == "subslice-healthy" && len(headers) > 48 {
				headers = append([][]byte(nil), headers[len(headers)-48:]...)
			}
		}
	default:
		log.Fatalf("unknown -scenario %q", *scenario)
	}

	loadConfig()
	for i := 0; i < *n; i++ {
		background()
		step(i)
		snapshot(*out, i)
	}
	runtime.KeepAlive(retain)
}

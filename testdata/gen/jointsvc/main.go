// Command jointsvc is a small leaking HTTP service for `drip leaks` over
// heap AND goroutine series of one process (the joined finding) and for
// `--by=KEY` (trends per pprof label value).
//
// It serves three endpoints on 127.0.0.1 and calls them itself, with
// every request's handler run under pprof labels endpoint=PATH and
// tenant=T (T cycles through acme, globex, initech), so goroutines the
// handlers start carry those labels:
//
//	/api/tasks    startJob: a 64 KiB buffer and a goroutine
//	              (main.startJob.func1) that waits on the job's done
//	              channel; the handler never closes it: LEAK, -tasks
//	              goroutines and -tasks x 64 KiB per round.
//	/api/reports  the same startJob, but every job is closed before the
//	              next round and a random 0..-reports of them are still
//	              open at each snapshot: healthy in-flight work in the
//	              same goroutine group and heap site as the leak.
//	/api/users    per-request garbage (JSON of 2-8 KiB) and a bounded
//	              cache (main.(*cache).put, at most 150 entries of
//	              1 KiB, full after the first round): healthy.
//
// With -lib both job endpoints call startLibJob instead: the job's
// 64 KiB buffer is a bufio.Reader's (bufio.NewReaderSize, a library's
// allocation site whose owner is main.startLibJob) and its waiter is
// main.startLibJob.func1.
//
// After each round: runtime.GC(), then heap_NNN.pb.gz and
// goroutine_NNN.pb.gz (proto, debug=0) in -out, and a line of truth.tsv:
// round, leaked goroutines so far, leaked buffer bytes so far, report
// jobs open at the snapshot, cache entries.  MemProfileRate is Go's
// default (512 KiB) unless -rate is given.
package main

import (
	"bufio"
	"context"
	"encoding/json"
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
	"runtime/pprof"
	"sync"
	"time"
)

type job struct {
	buf  []byte
	done chan struct{}
}

var (
	mu      sync.Mutex
	open    []*job // report jobs not closed yet
	leaked  []*job // task jobs: never closed (kept so the buffers stay live, as the goroutines do)
	users   = newCache(150)
	tenants = []string{"acme", "globex", "initech"}
)

// startJob allocates the job's buffer and starts its waiter.
//
//go:noinline
func startJob(n int) *job {
	j := &job{buf: make([]byte, n), done: make(chan struct{})}
	for i := range j.buf {
		j.buf[i] = byte(i)
	}
	go func() {
		<-j.done
		j.buf = nil
	}()
	return j
}

// startLibJob is startJob with the buffer a bufio.Reader's, kept by
// the waiter (-lib).
//
//go:noinline
func startLibJob(n int) *job {
	rd := bufio.NewReaderSize(nil, n)
	j := &job{done: make(chan struct{})}
	go func() {
		<-j.done
		rd.Reset(nil)
	}()
	return j
}

var lib bool // -lib

func handleTasks(w http.ResponseWriter, r *http.Request) {
	var j *job
	if lib {
		j = startLibJob(64 << 10)
	} else {
		j = startJob(64 << 10)
	}
	mu.Lock()
	leaked = append(leaked, j) // BUG: nobody ever closes j.done
	mu.Unlock()
	io.WriteString(w, "queued\n")
}

func handleReports(w http.ResponseWriter, r *http.Request) {
	var j *job
	if lib {
		j = startLibJob(64 << 10)
	} else {
		j = startJob(64 << 10)
	}
	mu.Lock()
	open = append(open, j)
	mu.Unlock()
	io.WriteString(w, "report started\n")
}

type cache struct {
	max   int
	keys  []int
	items map[int][]byte
}

func newCache(max int) *cache { return &cache{max: max, items: map[int][]byte{}} }

//go:noinline
func (c *cache) put(k int) {
	if _, ok := c.items[k]; ok {
		return
	}
	if len(c.keys) >= c.max {
		delete(c.items, c.keys[0])
		c.keys = c.keys[1:]
	}
	c.keys = append(c.keys, k)
	c.items[k] = make([]byte, 1024)
}

func handleUsers(w http.ResponseWriter, r *http.Request) {
	n := 2048 + rand.Intn(6144)
	page := make([]string, n/16)
	for i := range page {
		page[i] = "user"
	}
	mu.Lock()
	users.put(rand.Int())
	mu.Unlock()
	json.NewEncoder(w).Encode(page)
}

// labelled runs h under the pprof labels endpoint and tenant, so that
// the goroutines h starts carry them too.
func labelled(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := r.URL.Query().Get("tenant")
		pprof.Do(r.Context(), pprof.Labels("endpoint", r.URL.Path, "tenant", t), func(context.Context) {
			h(w, r)
		})
	}
}

func write(dir, name string, p *pprof.Profile) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	if err := p.WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	out := flag.String("out", ".", "output folder")
	rounds := flag.Int("n", 8, "rounds (snapshots)")
	tasks := flag.Int("tasks", 20, "leaking /api/tasks requests per round")
	reports := flag.Int("reports", 30, "/api/reports requests per round")
	nusers := flag.Int("users", 200, "/api/users requests per round")
	rate := flag.Int("rate", 0, "runtime.MemProfileRate (0: Go's default)")
	seed := flag.Int64("seed", 1, "random seed")
	flag.BoolVar(&lib, "lib", false, "jobs by startLibJob: the buffer is a bufio.Reader's")
	flag.Parse()
	if *rate > 0 {
		runtime.MemProfileRate = *rate
	}
	rand.Seed(*seed)

	mux := http.NewServeMux()
	mux.HandleFunc("/api/tasks", labelled(handleTasks))
	mux.HandleFunc("/api/reports", labelled(handleReports))
	mux.HandleFunc("/api/users", labelled(handleUsers))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, mux)
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	get := func(path string, i int) {
		resp, err := client.Get(fmt.Sprintf("%s%s?tenant=%s", base, path, tenants[i%len(tenants)]))
		if err != nil {
			log.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	truth, err := os.Create(filepath.Join(*out, "truth.tsv"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(truth, "round\tleaked_goroutines\tleaked_bytes\treports_open\tcache_entries\n")
	for r := 0; r < *rounds; r++ {
		// close the report jobs of the previous round
		mu.Lock()
		for _, j := range open {
			close(j.done)
		}
		open = nil
		mu.Unlock()
		// a request mix in random order
		var reqs []string
		for i := 0; i < *tasks; i++ {
			reqs = append(reqs, "/api/tasks")
		}
		nrep := rand.Intn(*reports + 1)
		for i := 0; i < nrep; i++ {
			reqs = append(reqs, "/api/reports")
		}
		for i := 0; i < *nusers; i++ {
			reqs = append(reqs, "/api/users")
		}
		rand.Shuffle(len(reqs), func(a, b int) { reqs[a], reqs[b] = reqs[b], reqs[a] })
		for i, p := range reqs {
			get(p, i)
		}
		time.Sleep(50 * time.Millisecond) // let closed waiters exit
		runtime.GC()
		mu.Lock()
		nl, no, nc := len(leaked), len(open), len(users.keys)
		mu.Unlock()
		write(*out, fmt.Sprintf("heap_%03d.pb.gz", r), pprof.Lookup("heap"))
		write(*out, fmt.Sprintf("goroutine_%03d.pb.gz", r), pprof.Lookup("goroutine"))
		fmt.Fprintf(truth, "%d\t%d\t%d\t%d\t%d\n", r, nl, nl*(64<<10), no, nc)
		time.Sleep(200 * time.Millisecond)
	}
	truth.Close()
}

// Command jointheld makes held-out series for drip's joined heap and
// goroutine findings: programs written AFTER the join rule (leaks_join.h)
// was fixed, of shapes unlike gen/jointsvc's, to see whether the rule
// generalises.  Each writes, after runtime.GC() each round, heap_NNN.pb.gz
// (Go's default MemProfileRate), goroutine_NNN.pb.gz (proto) and
// goroutine_NNN.debug2.txt (debug=2, which names each goroutine's
// creator), and truth.tsv (its own counts).
//
// Scenarios:
//
//	body-leak    a client that never closes response bodies: each request
//	             keeps a connection, its two goroutines
//	             (net/http.(*persistConn).readLoop, writeLoop, created by
//	             net/http.(*Transport).dialConn) and 4 KiB bufio buffers
//	             allocated in dialConn.  Expected: a finding joining the
//	             conn goroutines with bufio.NewReaderSize/NewWriterSize.
//	hub-leak     a pub/sub hub whose subscribers never unsubscribe: each
//	             subscription a 64 KiB channel buffer (main.(*hub).subscribe)
//	             and a pump goroutine (main.(*hub).pump, created by
//	             subscribe).  Expected: a finding joining them.
//	two-leaks    two unrelated leaks in main.main's loop: goroutines
//	             (main.watcher, created by main.main) parked on a timer
//	             channel that never fires, and an audit log (main.audit)
//	             appended to forever.  Both grow in step, but they share
//	             nothing: expected no finding (both series have a suspect).
//	pool-healthy a bounded worker pool (8 workers) and jobs holding 32 KiB
//	             each, done before the snapshot, with a random number of
//	             extra short-lived goroutines in flight.  Expected: no
//	             suspect, no finding.
package main

import (
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

var (
	keep    []interface{}
	auditLg [][]byte
	sink    int
)

// ---- body-leak ----

func bodyLeak(rounds func(func(int)), per int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello, world\n")
	}))
	url := "http://" + ln.Addr().String() + "/"
	// a new Transport per request, as some client code does: every
	// request dials its own connection
	rounds(func(int) {
		for i := 0; i < per; i++ {
			c := &http.Client{Transport: &http.Transport{}}
			resp, err := c.Get(url)
			if err != nil {
				log.Fatal(err)
			}
			keep = append(keep, resp) // BUG: resp.Body never closed
		}
	})
}

// ---- hub-leak ----

type event struct {
	topic string
	data  [240]byte
}

type hub struct {
	mu   sync.Mutex
	subs map[int]chan event
	next int
}

//go:noinline
func (h *hub) subscribe() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan event, 256)
	h.next++
	h.subs[h.next] = ch
	go h.pump(ch)
	return h.next
}

func (h *hub) pump(ch chan event) {
	for ev := range ch {
		sink += len(ev.topic)
	}
}

func hubLeak(rounds func(func(int)), per int) {
	h := &hub{subs: map[int]chan event{}}
	rounds(func(int) {
		for i := 0; i < per; i++ {
			h.subscribe() // BUG: never unsubscribed
		}
	})
}

// ---- two-leaks ----

func watcher(c <-chan time.Time) {
	<-c
}

//go:noinline
func audit(n int) {
	auditLg = append(auditLg, make([]byte, n))
}

func twoLeaks(rounds func(func(int)), per int) {
	rounds(func(int) {
		for i := 0; i < per; i++ {
			go watcher(time.After(24 * time.Hour))
			audit(48 << 10)
		}
	})
}

// ---- pool-healthy ----

//go:noinline
func work(n int) int {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return int(b[n-1])
}

func poolHealthy(rounds func(func(int)), per int) {
	jobs := make(chan int, 64)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		go func() {
			for n := range jobs {
				sink += work(n)
				wg.Done()
			}
		}()
	}
	release := make(chan struct{})
	rounds(func(int) {
		close(release)
		release = make(chan struct{})
		for i := 0; i < per; i++ {
			wg.Add(1)
			jobs <- 32 << 10
		}
		wg.Wait()
		// a random number of short-lived goroutines in flight
		for i := rand.Intn(per); i > 0; i-- {
			r := release
			go func() { <-r }()
		}
	})
}

func write(dir, name string, p *pprof.Profile, debug int) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	if err := p.WriteTo(f, debug); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	scenario := flag.String("scenario", "", "body-leak, hub-leak, two-leaks, pool-healthy")
	out := flag.String("out", ".", "output folder")
	n := flag.Int("n", 8, "rounds")
	per := flag.Int("per", 20, "leaks (or jobs) per round")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	rand.Seed(*seed)
	truth, err := os.Create(filepath.Join(*out, "truth.tsv"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(truth, "round\tgoroutines\n")
	rounds := func(step func(int)) {
		for r := 0; r < *n; r++ {
			step(r)
			time.Sleep(20 * time.Millisecond)
			runtime.GC()
			write(*out, fmt.Sprintf("heap_%03d.pb.gz", r), pprof.Lookup("heap"), 0)
			write(*out, fmt.Sprintf("goroutine_%03d.pb.gz", r), pprof.Lookup("goroutine"), 0)
			write(*out, fmt.Sprintf("goroutine_%03d.debug2.txt", r), pprof.Lookup("goroutine"), 2)
			fmt.Fprintf(truth, "%d\t%d\n", r, runtime.NumGoroutine())
			time.Sleep(100 * time.Millisecond)
		}
	}
	switch *scenario {
	case "body-leak":
		bodyLeak(rounds, *per)
	case "hub-leak":
		hubLeak(rounds, *per)
	case "two-leaks":
		twoLeaks(rounds, *per)
	case "pool-healthy":
		poolHealthy(rounds, *per)
	default:
		log.Fatalf("unknown scenario %q", *scenario)
	}
	truth.Close()
}

// Command heapsvc simulates a small service and writes heap/allocs profiles.
//
// Usage:
//
//	heapsvc -out DIR            # MemProfileRate=1: heap.pb.gz, heap.debug1.txt,
//	                            # allocs.pb.gz, heap_t0.pb.gz, heap_t1.pb.gz
//	heapsvc -sampled -out DIR   # default MemProfileRate (512 KiB):
//	                            # heap_sampled.pb.gz, heap_sampled.debug1.txt
//
// Allocation sites (all keep part of what they allocate live in globals):
//   - newTag: tiny inlinable func (Locations with several Lines)
//   - (*Server).handle: method on a struct pointer
//   - (*Server).Start.func1: a closure
//   - Server.sessions: a map that grows (runtime.mapassign/hashGrow)
//   - getBuf / sync.Pool of []byte buffers (bufPool.New closure = main.init.func1)
//   - ingestLoop: runs in its own goroutine and allocates
//   - buildTree: recursion a few levels deep
//   - between t0 and t1: (*Server).handle grows, sessions grows, evictOld frees
//     most of the parse results (shrinks), lateFeature is new, buildTree's
//     tree is dropped (inuse disappears).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"sync"
)

type tag struct {
	name  string
	value int
}

// newTag is small enough to be inlined into its callers.
func newTag(name string, v int) *tag { return &tag{name: name, value: v} }

type request struct {
	id      int
	path    string
	payload []byte
	tags    []*tag
}

type session struct {
	id    int
	user  string
	hits  int
	attrs map[string]string
}

type Server struct {
	mu       sync.Mutex
	sessions map[int]*session
	handled  []*request
	results  [][]byte
}

var (
	bufPool = sync.Pool{New: func() interface{} { b := make([]byte, 4096); return &b }}

	keptBufs    []*[]byte
	keptTags    []*tag
	keptIngest  [][]byte
	keptTree    *node
	keptLate    []map[string]int
	keptClosure []string
	garbage     [][]byte
	sink        interface{}
)

func getBuf() *[]byte  { return bufPool.Get().(*[]byte) }
func putBuf(b *[]byte) { bufPool.Put(b) }

// handle is a method on *Server that allocates a request (with inlined newTag calls).
//
//go:noinline
func (s *Server) handle(id int, path string) *request {
	r := &request{id: id, path: path, payload: make([]byte, 512)}
	r.tags = append(r.tags, newTag("path", id), newTag("user", id*3))
	keptTags = append(keptTags, newTag("handled", id))
	s.mu.Lock()
	s.handled = append(s.handled, r)
	s.mu.Unlock()
	// transient garbage: only shows up in alloc_*
	sink = make([]byte, 2048)
	return r
}

//go:noinline
func (s *Server) touchSession(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[id]
	if !ok {
		ss = &session{id: id, user: "user-" + strconv.Itoa(id), attrs: map[string]string{}}
		s.sessions[id] = ss
	}
	ss.hits++
}

// Start runs a closure over n items; the closure allocates.
//
//go:noinline
func (s *Server) Start(n int) {
	format := func(i int) string {
		return fmt.Sprintf("job-%06d-%s", i, "queued-for-processing")
	}
	for i := 0; i < n; i++ {
		keptClosure = append(keptClosure, format(i))
	}
}

// parse borrows a pooled buffer and keeps a result copy.
//
//go:noinline
func (s *Server) parse(i int) {
	b := getBuf()
	buf := (*b)[:0]
	buf = append(buf, "header:value;"...)
	buf = strconv.AppendInt(buf, int64(i), 10)
	res := make([]byte, 256)
	copy(res, buf)
	s.mu.Lock()
	s.results = append(s.results, res)
	s.mu.Unlock()
	if i%4 == 0 {
		keptBufs = append(keptBufs, b) // never returned to the pool
	} else {
		putBuf(b)
	}
}

// ingestLoop runs in its own goroutine.
func ingestLoop(n int, done chan<- struct{}) {
	for i := 0; i < n; i++ {
		rec := make([]byte, 1024)
		rec[0] = byte(i)
		keptIngest = append(keptIngest, rec)
		garbage = append(garbage[:0], make([]byte, 8192))
	}
	close(done)
}

type node struct {
	next  *node
	leafs []*node
	data  [512]byte
	depth int
}

// buildTree calls itself depth levels deep (one recursive call site, so
// depth+1 distinct stacks); every level allocates a node and a few leaves.
//
//go:noinline
func buildTree(depth int) *node {
	n := &node{depth: depth}
	for i := 0; i < 8; i++ {
		n.leafs = append(n.leafs, &node{depth: -1})
	}
	if depth > 0 {
		n.next = buildTree(depth - 1)
	}
	return n
}

// lateFeature is only called between the t0 and t1 snapshots.
//
//go:noinline
func lateFeature(n int) {
	for i := 0; i < n; i++ {
		m := make(map[string]int, 16)
		m["k"+strconv.Itoa(i)] = i
		keptLate = append(keptLate, m)
	}
}

// evictOld frees most of the parse results.
//
//go:noinline
func (s *Server) evictOld(keep int) {
	s.mu.Lock()
	s.results = append([][]byte(nil), s.results[len(s.results)-keep:]...)
	s.mu.Unlock()
}

func phase(s *Server, base, n int) {
	for i := base; i < base+n; i++ {
		s.handle(i, "/api/v1/items")
		s.touchSession(i % (n / 2))
		s.parse(i)
	}
	done := make(chan struct{})
	go ingestLoop(n/2, done)
	<-done
}

func write(dir, name string, p string, debugLevel int) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if debugLevel == 0 {
		// WriteTo with debug=0 already gzips.
		if err := pprof.Lookup(p).WriteTo(f, 0); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := pprof.Lookup(p).WriteTo(f, debugLevel); err != nil {
		log.Fatal(err)
	}
}

// snapshot collects garbage, then writes the given profiles with the GC
// disabled so that all of them show the same heap state.
func snapshot(dir string, files ...string) {
	runtime.GC()
	old := debug.SetGCPercent(-1)
	for i := 0; i < len(files); i += 3 {
		lvl, _ := strconv.Atoi(files[i+2])
		write(dir, files[i], files[i+1], lvl)
	}
	debug.SetGCPercent(old)
}

func main() {
	out := flag.String("out", ".", "output directory")
	sampled := flag.Bool("sampled", false, "use the default MemProfileRate and write heap_sampled.*")
	flag.Parse()
	scale := 1
	if *sampled {
		runtime.MemProfileRate = 512 * 1024
		scale = 12
	} else {
		runtime.MemProfileRate = 1
	}

	s := &Server{sessions: make(map[int]*session)}
	s.Start(200 * scale)
	phase(s, 0, 2000*scale)
	keptTree = buildTree(6 + scale/8)

	if *sampled {
		snapshot(*out,
			"heap_sampled.pb.gz", "heap", "0",
			"heap_sampled.debug1.txt", "heap", "1")
		return
	}
	snapshot(*out, "heap_t0.pb.gz", "heap", "0")

	// Between t0 and t1: handle/sessions/parse grow, evictOld shrinks
	// parse results, lateFeature appears, the tree is dropped.
	phase(s, 2000, 3000)
	s.evictOld(500)
	lateFeature(300)
	keptTree = nil

	snapshot(*out,
		"heap.pb.gz", "heap", "0",
		"heap.debug1.txt", "heap", "1",
		"allocs.pb.gz", "allocs", "0")
	// heap_t1.pb.gz is a byte copy of heap.pb.gz (same moment).
	b, err := os.ReadFile(filepath.Join(*out, "heap.pb.gz"))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "heap_t1.pb.gz"), b, 0o644); err != nil {
		log.Fatal(err)
	}
	runtime.KeepAlive(s)
}

// Command manylabels writes a small pprof profile whose first sample
// carries thousands of labels: string labels under a few keys,
// interleaved, numeric labels under a key with a unit given on only some
// of its labels (pprof takes the first non-empty one), under "request"
// (no unit: pprof says bytes) and under many distinct keys.  drip's
// traces, tags and tag filters once did a scan of all labels per label
// (quadratic); the goldens made from this file by `go tool pprof` check
// that the linear versions group, order and format the same way.
// The protobuf is written by hand (stdlib only).
//
//	go run ./manylabels -o ../profiles/manylabels.pb.gz
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
)

type msg struct{ bytes.Buffer }

func (m *msg) varint(v uint64) {
	for v >= 0x80 {
		m.WriteByte(byte(v) | 0x80)
		v >>= 7
	}
	m.WriteByte(byte(v))
}

func (m *msg) key(field, wt int) { m.varint(uint64(field<<3 | wt)) }

func (m *msg) uint(field int, v uint64) {
	m.key(field, 0)
	m.varint(v)
}

func (m *msg) bytes(field int, b []byte) {
	m.key(field, 2)
	m.varint(uint64(len(b)))
	m.Write(b)
}

func (m *msg) packed(field int, vs ...int64) {
	var p msg
	for _, v := range vs {
		p.varint(uint64(v))
	}
	m.bytes(field, p.Bytes())
}

var strs = []string{""}
var index = map[string]int{"": 0}

func str(s string) uint64 {
	if i, ok := index[s]; ok {
		return uint64(i)
	}
	index[s] = len(strs)
	strs = append(strs, s)
	return uint64(len(strs) - 1)
}

func label(key, s string, num int64, unit string) []byte {
	var l msg
	l.uint(1, str(key))
	if s != "" {
		l.uint(2, str(s))
	} else {
		l.uint(3, uint64(num))
	}
	if unit != "" {
		l.uint(4, str(unit))
	}
	return l.Bytes()
}

func valueType(t, u string) []byte {
	var v msg
	v.uint(1, str(t))
	v.uint(2, str(u))
	return v.Bytes()
}

func main() {
	out := flag.String("o", "manylabels.pb.gz", "output file")
	n := flag.Int("n", 3000, "labels on the first sample")
	flag.Parse()
	var p msg
	p.bytes(1, valueType("objects", "count"))
	p.bytes(1, valueType("space", "bytes"))
	fns := []string{"main.main", "main.serve", "main.alloc"}
	for i, name := range fns {
		var f, l, ln msg
		f.uint(1, uint64(i+1))
		f.uint(2, str(name))
		f.uint(4, str("main.go"))
		p.bytes(5, f.Bytes())
		ln.uint(1, uint64(i+1))
		ln.uint(2, uint64(10*(i+1)))
		l.uint(1, uint64(i+1))
		l.bytes(4, ln.Bytes())
		p.bytes(4, l.Bytes())
	}
	// sample 1: many labels
	var s msg
	s.packed(1, 3, 2, 1)
	s.packed(2, 7, 7000)
	for i := 0; i < *n; i++ {
		switch i % 6 {
		case 0:
			s.bytes(3, label(fmt.Sprintf("k%d", i%4), fmt.Sprintf("v%d", (i*7)%13), 0, ""))
		case 1:
			unit := ""
			if i%5 == 1 && i > 100 {
				unit = []string{"kilobytes", "bytes", "seconds"}[i%3]
			}
			s.bytes(3, label("size", "", int64(i), unit))
		case 2:
			s.bytes(3, label("request", "", int64(i*1000), ""))
		case 3:
			s.bytes(3, label(fmt.Sprintf("key%05d", i), fmt.Sprintf("x%d", i), 0, ""))
		case 4:
			s.bytes(3, label(fmt.Sprintf("n%04d", i%97), "", int64(i), ""))
		case 5:
			s.bytes(3, label("endpoint", fmt.Sprintf("/api/%d", i%3), 0, ""))
		}
	}
	p.bytes(2, s.Bytes())
	// sample 2: a few labels of the same keys, other values
	var t msg
	t.packed(1, 3, 1)
	t.packed(2, 2, 512)
	t.bytes(3, label("endpoint", "/api/0", 0, ""))
	t.bytes(3, label("size", "", 4096, ""))
	t.bytes(3, label("k1", "v9", 0, ""))
	t.bytes(3, label("k1", "v2", 0, ""))
	p.bytes(2, t.Bytes())
	p.bytes(11, valueType("space", "bytes"))
	p.uint(12, 1)
	for _, x := range strs {
		p.bytes(6, []byte(x))
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(p.Bytes())
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, z.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// Package index remembers every key it has seen.
package index

import "strconv"

// Index is a set of keys.
type Index struct{ seen map[string]int64 }

// Add notes a key.
func (ix *Index) Add(id int) {
	if ix.seen == nil {
		ix.seen = make(map[string]int64)
	}
	ix.seen["key-"+strconv.Itoa(id)] = int64(id) // LEAK index
}

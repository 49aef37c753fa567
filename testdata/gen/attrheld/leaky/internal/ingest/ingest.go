// Package ingest decodes event batches and keeps them all.
package ingest

import (
	"encoding/json"
	"fmt"
)

// Event is one decoded event.
type Event struct {
	ID    int      `json:"id"`
	Kind  string   `json:"kind"`
	Tags  []string `json:"tags"`
	Value float64  `json:"value"`
}

// Loader keeps every batch it loads.
type Loader struct{ all [][]Event }

// Load decodes one batch of n events.
func (l *Loader) Load(first, n int) error {
	src := []byte("[")
	for i := 0; i < n; i++ {
		if i > 0 {
			src = append(src, ',')
		}
		src = append(src, fmt.Sprintf(`{"id":%d,"kind":"order-%d","tags":["a%d","b%d"],"value":%d.5}`,
			first+i, first+i, i, i, i)...)
	}
	src = append(src, ']')
	var batch []Event
	if err := json.Unmarshal(src, &batch); err != nil { // LEAK ingest
		return err
	}
	l.all = append(l.all, batch)
	return nil
}

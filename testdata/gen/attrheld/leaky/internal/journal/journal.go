// Package journal keeps a text journal of events (never truncated).
package journal

import (
	"fmt"
	"strings"
)

// Journal is the event journal.
type Journal struct{ b strings.Builder }

// Record appends one event line.
func (j *Journal) Record(id int, what string) {
	line := fmt.Sprintf("%08d %s %s\n", id, what, strings.Repeat("x", 200))
	j.b.WriteString(line) // LEAK journal
}

// Len is the journal's length in bytes.
func (j *Journal) Len() int { return j.b.Len() }

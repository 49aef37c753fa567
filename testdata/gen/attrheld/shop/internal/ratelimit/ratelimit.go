// Package ratelimit keeps a buffered reader per client it has seen.
package ratelimit

import (
	"bufio"
	"strings"
)

// Limiter is the per-client state.
type Limiter struct{ readers []*bufio.Reader }

// Seen notes a client.
func (l *Limiter) Seen(client string) {
	l.readers = append(l.readers, bufio.NewReaderSize(strings.NewReader(client), 2048)) // LEAK ratelimit
}

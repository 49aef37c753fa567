// Package kvlib is a stand-in for a dependency named without a dot (pulled
// in by a replace directive, as in-house libraries often are): an
// append-only record log kept in memory.
package kvlib

import "bytes"

// Log is an append-only log of records.
type Log struct{ buf bytes.Buffer }

// Append adds one record.
func (l *Log) Append(rec []byte) {
	l.buf.Write(rec)
	l.buf.WriteByte('\n')
}

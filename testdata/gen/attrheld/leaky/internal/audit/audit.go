// Package audit writes an audit trail through kvlib.
package audit

import (
	"fmt"

	"kvlib"
)

// Trail is the audit trail.
type Trail struct{ log kvlib.Log }

// Write records one audit entry.
func (t *Trail) Write(id int, who string) {
	rec := []byte(fmt.Sprintf("id=%d who=%s pad=%0300d", id, who, id))
	t.log.Append(rec) // LEAK audit
}

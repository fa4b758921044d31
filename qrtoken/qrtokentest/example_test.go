package qrtokentest_test

import (
	"testing"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/qrtoken/qrtokentest"
)

// A host that shares one replay guard between its gate readers (for example on Redis)
// runs the conformance suite against its adapter from its own tests. newGuard must
// return an empty guard each time.
func ExampleReplayGuard() {
	// In the host's adapter_test.go:
	_ = func(t *testing.T) {
		qrtokentest.ReplayGuard(t, func(t *testing.T) qrtoken.ReplayGuard {
			return qrtoken.NewMemoryReplayGuard() // the host's own guard here
		})
	}
}

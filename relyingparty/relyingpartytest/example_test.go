package relyingpartytest_test

import (
	"testing"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/relyingparty/relyingpartytest"
)

// A host's consent and hand-off stores (a database, Redis) run the suites from their own
// tests; the in-memory defaults stand in here. The example is compiled, and the same calls
// run in this package's tests.
func Example() {
	_ = func(t *testing.T) {
		relyingpartytest.RunConsentStore(t, func(*testing.T) relyingparty.ConsentStore { return relyingparty.NewMemoryConsentStore() })
		relyingpartytest.RunHandoffStore(t, func(*testing.T) relyingparty.HandoffStore { return relyingparty.NewMemoryHandoffStore() })
	}
}

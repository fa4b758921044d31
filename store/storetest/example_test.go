package storetest_test

import (
	"testing"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/store/storetest"
)

// An adapter's own test file runs the suites against it: each constructor is called once
// per subtest and must return an empty store (or one under a fresh prefix). Here the
// in-memory defaults stand in for the host's adapter; the example is compiled, and the
// same calls run in package store's tests.
func Example() {
	_ = func(t *testing.T) {
		storetest.RunReplayGuard(t, func(*testing.T) store.ReplayGuard { return store.NewMemoryReplayGuard() })
		storetest.RunAttemptStore(t, func(*testing.T) store.AttemptStore { return store.NewMemoryAttemptStore() })
		storetest.RunDifferential(t, store.NewMemoryReplayGuard(), store.NewMemoryAttemptStore())
	}
}

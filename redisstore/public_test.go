package redisstore

import (
	"testing"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/store/storetest"
)

// A *Store is accepted wherever the public packages take a replay guard or attempt store,
// and its AskedStore wherever package quiz takes an asked store.
var (
	_ store.ReplayGuard  = (*Store)(nil)
	_ store.AttemptStore = (*Store)(nil)
	_ quiz.AskedStore    = (*AskedStore)(nil)
)

// TestPublicConformance runs the core's one conformance suite, the one a host outside the
// module would run against its own adapter.
func TestPublicConformance(t *testing.T) {
	s, _ := newTestStore(t)
	t.Run("ReplayGuard", func(t *testing.T) {
		storetest.RunReplayGuard(t, func(*testing.T) store.ReplayGuard { return s })
	})
	t.Run("AttemptStore", func(t *testing.T) {
		storetest.RunAttemptStore(t, func(*testing.T) store.AttemptStore { return s })
	})
}

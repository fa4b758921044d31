package redisstore

import (
	"testing"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/qrtoken/qrtokentest"
	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/verify/review/reviewtest"
)

// A *Store is accepted wherever the public packages take a replay guard or attempt store.
var (
	_ liveness.ReplayGuard  = (*Store)(nil)
	_ liveness.AttemptStore = (*Store)(nil)
	_ quiz.ReplayGuard      = (*Store)(nil)
	_ quiz.AttemptStore     = (*Store)(nil)
	_ qrtoken.ReplayGuard   = (*Store)(nil)
	_ review.AttemptStore   = (*Store)(nil)
)

// TestPublicConformance runs the public packages' conformance wrappers, the ones a host
// outside the module would run against its own adapter.
func TestPublicConformance(t *testing.T) {
	s, _ := newTestStore(t)
	t.Run("liveness/ReplayGuard", func(t *testing.T) {
		livenesstest.ReplayGuard(t, func(*testing.T) liveness.ReplayGuard { return s })
	})
	t.Run("liveness/AttemptStore", func(t *testing.T) {
		livenesstest.AttemptStore(t, func(*testing.T) liveness.AttemptStore { return s })
	})
	t.Run("quiz/ReplayGuard", func(t *testing.T) {
		quiztest.ReplayGuard(t, func(*testing.T) quiz.ReplayGuard { return s })
	})
	t.Run("quiz/AttemptStore", func(t *testing.T) {
		quiztest.AttemptStore(t, func(*testing.T) quiz.AttemptStore { return s })
	})
	t.Run("qrtoken/ReplayGuard", func(t *testing.T) {
		qrtokentest.ReplayGuard(t, func(*testing.T) qrtoken.ReplayGuard { return s })
	})
	t.Run("review/AttemptStore", func(t *testing.T) {
		reviewtest.AttemptStore(t, func(*testing.T) review.AttemptStore { return s })
	})
}

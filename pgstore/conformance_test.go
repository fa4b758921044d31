package pgstore

import (
	"testing"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/relyingparty/relyingpartytest"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/store/storetest"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/verify/review/reviewtest"
	"github.com/trustid/trustid/wallet"
	"github.com/trustid/trustid/wallet/wallettest"
)

func TestReplayGuardConformance(t *testing.T) {
	storetest.RunReplayGuard(t, func(t *testing.T) store.ReplayGuard { s, _ := newStore(t); return s })
}

func TestAttemptStoreConformance(t *testing.T) {
	storetest.RunAttemptStore(t, func(t *testing.T) store.AttemptStore { s, _ := newStore(t); return s })
}

func TestAskedStoreConformance(t *testing.T) {
	quiztest.AskedStore(t, func(t *testing.T) quiz.AskedStore { s, _ := newStore(t); return s.AskedStore() })
}

func TestWalletStoreConformance(t *testing.T) {
	wallettest.Store(t, func(t *testing.T) wallet.Store { s, _ := newStore(t); return s.WalletStore() })
}

func TestReviewStoreConformance(t *testing.T) {
	reviewtest.Store(t, func(t *testing.T) review.Store {
		s, _ := newStore(t)
		r, err := s.ReviewStore()
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
}

func TestLivenessConsentStoreConformance(t *testing.T) {
	pgDSN(t) // skip here, not inside the suite's subtests, when there is no database
	livenesstest.RunConsentStore(t, func() liveness.ConsentStore {
		s, _ := newStore(t)
		c, err := s.LivenessConsentStore()
		if err != nil {
			t.Fatal(err)
		}
		return c
	})
}

func TestRelyingPartyConsentStoreConformance(t *testing.T) {
	relyingpartytest.RunConsentStore(t, func(t *testing.T) relyingparty.ConsentStore {
		s, _ := newStore(t)
		c, err := s.RelyingPartyConsentStore()
		if err != nil {
			t.Fatal(err)
		}
		return c
	})
}

func TestHandoffStoreConformance(t *testing.T) {
	relyingpartytest.RunHandoffStore(t, func(t *testing.T) relyingparty.HandoffStore {
		s, _ := newStore(t)
		h, err := s.HandoffStore()
		if err != nil {
			t.Fatal(err)
		}
		return h
	})
}

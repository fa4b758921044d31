package review_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/trustid/trustid/store"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

var t0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// clock is a fixed, manually advanced clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// decisionChecker returns a fixed decision.
func decisionChecker(o verify.Outcome, reasons ...verify.Reason) review.AutoChecker {
	return review.AutoCheckFunc(func(context.Context, *review.Application, *verify.Decision) (verify.Decision, error) {
		return verify.Decision{Outcome: o, Level: verify.LevelRealName, Reasons: reasons}, nil
	})
}

type env struct {
	desk     *review.Desk
	clock    *clock
	notifier *review.MemoryNotifier
	store    *review.MemoryStore
}

func newEnv(t testing.TB, mod func(*review.Config)) *env {
	t.Helper()
	e := &env{clock: &clock{now: t0}, notifier: review.NewMemoryNotifier(), store: review.NewMemoryStore()}
	cfg := review.Config{
		Store:     e.store,
		Notifier:  e.notifier,
		Now:       e.clock.Now,
		Reviewers: []review.Reviewer{{ID: "r1", Capacity: 5}, {ID: "r2", Capacity: 5}},
	}
	if mod != nil {
		mod(&cfg)
	}
	d, err := review.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.desk = d
	return e
}

func material(kind string) review.Material {
	return review.Material{Kind: kind, Ref: "bucket/" + kind, Digest: sha256.Sum256([]byte(kind))}
}

// application builds an application. The identity is synthetic: a GB 11643 number
// with a valid check character for a fictitious person, not a real record.
func application(ref string) review.Application {
	return review.Application{
		Applicant: ref,
		Type:      review.CertPersonal,
		Claimed:   review.Identity{Name: "王小明", Number: "11010519491231002X"},
		Materials: []review.Material{material("id-card-front"), material("id-card-back")},
	}
}

func actions(c *review.Case) []string {
	var out []string
	for _, r := range c.History {
		out = append(out, r.Action)
	}
	return out
}

func mustApply(t testing.TB, e *env, ref string) *review.Case {
	t.Helper()
	c, err := e.desk.Apply(context.Background(), application(ref))
	if err != nil {
		t.Fatalf("Apply(%s): %v", ref, err)
	}
	return c
}

// lockout returns the reason and retry time of a lock-out refusal: an *review.Error
// wrapping a *store.LockedOutError and matching store.ErrLockedOut. ok is false for any
// other error.
func lockout(err error) (reason review.Reason, retryAt time.Time, ok bool) {
	var e *review.Error
	var lo *store.LockedOutError
	if !errors.Is(err, store.ErrLockedOut) || !errors.As(err, &e) || !errors.As(err, &lo) {
		return "", time.Time{}, false
	}
	return e.Reason, lo.RetryAt, true
}

package review_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify/review"
)

// TestErrorIsMapsReasonToSentinel checks that each Reason matches its sentinel and no
// other, and that the lock-outs match store.ErrLockedOut only through the
// *store.LockedOutError they wrap.
func TestErrorIsMapsReasonToSentinel(t *testing.T) {
	sentinels := map[review.Reason]error{
		review.ReasonInvalidArgument:    review.ErrInvalidArgument,
		review.ReasonNotFound:           review.ErrNotFound,
		review.ReasonIllegalTransition:  review.ErrIllegalTransition,
		review.ReasonTooManyDrafts:      review.ErrTooManyDrafts,
		review.ReasonNotAssigned:        review.ErrNotAssigned,
		review.ReasonNoReviewer:         review.ErrNoReviewer,
		review.ReasonIneligibleReviewer: review.ErrIneligibleReviewer,
		review.ReasonChainBroken:        review.ErrChainBroken,
		review.ReasonNotAuthentic:       review.ErrNotAuthentic,
		review.ReasonUnavailable:        review.ErrUnavailable,
		review.ReasonConflict:           store.ErrConflict,
	}
	all := []error{store.ErrLockedOut}
	for _, s := range sentinels {
		all = append(all, s)
	}
	for r, want := range sentinels {
		err := error(&review.Error{Reason: r})
		for _, s := range all {
			if got := errors.Is(err, s); got != (s == want) {
				t.Errorf("errors.Is(Error{Reason: %s}, %v) = %v, want %v", r, s, got, s == want)
			}
		}
	}
	for _, r := range []review.Reason{review.ReasonRateLimited, review.ReasonCoolingOff} {
		bare := &review.Error{Reason: r}
		for _, s := range all {
			if errors.Is(bare, s) {
				t.Errorf("errors.Is(Error{Reason: %s} without Err, %v) = true, want false", r, s)
			}
		}
		at := t0.Add(time.Hour)
		wrapped := &review.Error{Reason: r, Err: &store.LockedOutError{RetryAt: at}}
		if reason, retryAt, ok := lockout(wrapped); !ok || reason != r || !retryAt.Equal(at) {
			t.Errorf("lock-out %s: lockout() = %s, %v, %v; want %s, %v, true", r, reason, retryAt, ok, r, at)
		}
	}
}

// failingStore fails every call with err.
type failingStore struct{ err error }

func (f failingStore) Get(context.Context, string) (*review.Case, error) { return nil, f.err }
func (f failingStore) Put(context.Context, *review.Case) (uint64, error) { return 0, f.err }
func (f failingStore) PutAssigned(context.Context, *review.Case, int) (uint64, error) {
	return 0, f.err
}
func (f failingStore) List(context.Context, review.Query) ([]*review.Case, error) {
	return nil, f.err
}

func TestHostStoreFailureIsUnavailable(t *testing.T) {
	ctx := context.Background()
	hostErr := errors.New("connection refused")
	e := newEnv(t, func(c *review.Config) { c.Store = failingStore{hostErr}; c.RejectCooloff = -1 })
	calls := map[string]func() error{
		"Apply":    func() error { _, err := e.desk.Apply(ctx, application("app-1")); return err },
		"Draft":    func() error { _, err := e.desk.Draft(ctx, application("app-1")); return err },
		"Case":     func() error { _, err := e.desk.Case(ctx, "rv-x"); return err },
		"Approve":  func() error { _, err := e.desk.Approve(ctx, "r1", "rv-x", nil); return err },
		"Progress": func() error { _, err := e.desk.Progress(ctx, "app-1", "rv-x"); return err },
		"Sweep":    func() error { _, err := e.desk.Sweep(ctx, t0); return err },
	}
	for name, call := range calls {
		err := call()
		var re *review.Error
		if !errors.Is(err, review.ErrUnavailable) || !errors.Is(err, hostErr) || !errors.As(err, &re) || re.Field != "Store" {
			t.Errorf("%s with a failing store: error = %v, want unavailable (Store) wrapping the host's error", name, err)
		}
	}
}

// conflictingStore is a MemoryStore whose Put always loses the race, as if another
// writer saved first every time; it counts the Puts of existing cases.
type conflictingStore struct {
	*review.MemoryStore
	puts atomic.Int64
}

func (s *conflictingStore) Put(ctx context.Context, c *review.Case) (uint64, error) {
	if c.Version == 0 {
		return s.MemoryStore.Put(ctx, c)
	}
	s.puts.Add(1)
	return 0, store.ErrConflict
}

// TestMaxRetries checks that a write losing every race is retried Config.MaxRetries
// times (3 by default) and then fails with an error matching store.ErrConflict.
func TestMaxRetries(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ maxRetries, wantPuts int }{{0, 4}, {1, 2}, {5, 6}} {
		s := &conflictingStore{MemoryStore: review.NewMemoryStore()}
		e := newEnv(t, func(c *review.Config) { c.Store = s; c.MaxRetries = tt.maxRetries })
		c, err := e.desk.Draft(ctx, application("app-1"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.desk.Withdraw(ctx, "app-1", c.ID)
		var re *review.Error
		if !errors.Is(err, store.ErrConflict) || !errors.As(err, &re) || re.Reason != review.ReasonConflict {
			t.Errorf("MaxRetries %d: Withdraw error = %v, want a conflict matching store.ErrConflict", tt.maxRetries, err)
		}
		if got := s.puts.Load(); got != int64(tt.wantPuts) {
			t.Errorf("MaxRetries %d: %d Puts, want %d (one try and the retries)", tt.maxRetries, got, tt.wantPuts)
		}
	}
	if _, err := review.New(review.Config{MaxRetries: -1}); !errors.Is(err, review.ErrInvalidArgument) {
		t.Errorf("New(MaxRetries -1) error = %v, want ErrInvalidArgument", err)
	}
}

// TestReturnedVersionIsStoredVersion checks E6 from the Desk's side: the case a method
// returns carries the version it is stored at, so it can be compared with a later Get.
func TestReturnedVersionIsStoredVersion(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	d, err := e.desk.Draft(ctx, application("app-1"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != 1 {
		t.Errorf("Draft returned Version %d, want 1 (stored once)", d.Version)
	}
	c, err := e.desk.Submit(ctx, "app-1", d.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := e.desk.Case(ctx, c.ID)
	if err != nil || stored.Version != c.Version || c.Version <= d.Version {
		t.Errorf("Submit returned Version %d, stored %d (%v); want equal and above %d", c.Version, stored.Version, err, d.Version)
	}
}

// TestInvalidArgumentNamesField checks that argument errors name the field (never its
// value), so an integrator can see which one to fix.
func TestInvalidArgumentNamesField(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	noDigest := application("app-1")
	noDigest.Materials[1].Digest = review.Digest{}
	longRef := application(strings.Repeat("a", 129))
	tests := []struct {
		name string
		app  review.Application
		want string
	}{
		{"missing digest", noDigest, "Materials[1].Digest"},
		{"long applicant reference", longRef, "Applicant"},
		{"no materials", review.Application{Applicant: "app-1", Type: review.CertPersonal}, "Materials"},
		{"no type", review.Application{Applicant: "app-1", Materials: noDigest.Materials[:1]}, "Type"},
	}
	for _, tt := range tests {
		_, err := e.desk.Apply(ctx, tt.app)
		var re *review.Error
		if !errors.Is(err, review.ErrInvalidArgument) || !errors.As(err, &re) {
			t.Errorf("Apply(%s) error = %v, want ErrInvalidArgument", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, re.Field); diff != "" {
			t.Errorf("Apply(%s) error field mismatch (-want +got):\n%s", tt.name, diff)
		}
		if strings.Contains(err.Error(), "aaaa") || strings.Contains(err.Error(), "王") {
			t.Errorf("Apply(%s) error %q holds input", tt.name, err)
		}
	}
}

// TestNilErrorIsSafe: a nil *Error (E9) prints, matches nothing and unwraps to nil.
func TestNilErrorIsSafe(t *testing.T) {
	var e *review.Error
	if got := e.Error(); got != "review: <nil>" {
		t.Errorf("(*Error)(nil).Error() = %q, want %q", got, "review: <nil>")
	}
	if e.Is(review.ErrInvalidArgument) || e.Unwrap() != nil {
		t.Errorf("(*Error)(nil) matches a sentinel or unwraps to something")
	}
}

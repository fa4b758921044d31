package review_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

func TestRateLimitConcurrentSubmissions(t *testing.T) {
	ctx := context.Background()
	const limit, goroutines = 3, 40
	e := newEnv(t, func(c *review.Config) {
		c.ApplicationLimit = store.AttemptRule{Limit: limit, Window: 24 * time.Hour}
		c.MaxDrafts = goroutines
		c.Reviewers = []review.Reviewer{{ID: "r1", Capacity: goroutines}}
	})
	// Drafts first (not counted), then all submissions at once.
	ids := make([]string, goroutines)
	for i := range ids {
		c, err := e.desk.Draft(ctx, application("app-busy"))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted, limited := 0, 0
	var retryAt time.Time
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.desk.Submit(ctx, "app-busy", id)
			mu.Lock()
			defer mu.Unlock()
			reason, at, locked := lockout(err)
			switch {
			case err == nil:
				accepted++
			case locked && reason == review.ReasonRateLimited:
				limited++
				retryAt = at
			default:
				t.Errorf("Submit error = %v", err)
			}
		}()
	}
	wg.Wait()
	if accepted != limit || limited != goroutines-limit {
		t.Errorf("accepted %d, limited %d; want exactly %d and %d", accepted, limited, limit, goroutines-limit)
	}
	if !retryAt.Equal(t0.Add(24 * time.Hour)) {
		t.Errorf("RetryAt = %v, want end of window %v", retryAt, t0.Add(24*time.Hour))
	}
	// Another applicant is not affected; after the window the busy one may apply.
	mustApply(t, e, "app-other")
	e.clock.Advance(24 * time.Hour)
	for _, id := range ids {
		c, err := e.desk.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.State == review.StateDraft {
			if _, err := e.desk.Submit(ctx, "app-busy", id); err != nil {
				t.Errorf("Submit after the window: %v", err)
			}
			break
		}
	}
}

func TestCooloffAfterRejection(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *review.Config) { c.RejectCooloff = 48 * time.Hour })
	c := mustApply(t, e, "app-1")
	rejectedAt := e.clock.Advance(time.Hour)
	if _, err := e.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{verify.ReasonNameMismatch}, "名字写错了"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		advance time.Duration
		do      func() error
		want    review.Reason
	}{
		{"reapply at once", 0, func() error { _, err := e.desk.Reapply(ctx, c.ID, application("app-1")); return err }, review.ReasonCoolingOff},
		{"new application at once", 0, func() error { _, err := e.desk.Apply(ctx, application("app-1")); return err }, review.ReasonCoolingOff},
		{"one second early", 48*time.Hour - time.Second, func() error { _, err := e.desk.Reapply(ctx, c.ID, application("app-1")); return err }, review.ReasonCoolingOff},
		{"on time", time.Second, func() error { _, err := e.desk.Reapply(ctx, c.ID, application("app-1")); return err }, ""},
	}
	for _, tt := range tests {
		e.clock.Advance(tt.advance)
		err := tt.do()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: error = %v, want nil", tt.name, err)
			}
			continue
		}
		if reason, at, ok := lockout(err); !ok || reason != tt.want || !at.Equal(rejectedAt.Add(48*time.Hour)) {
			t.Errorf("%s: error = %v, want a %s lock-out with RetryAt %v", tt.name, err, tt.want, rejectedAt.Add(48*time.Hour))
		}
	}
	got, _ := e.desk.Case(ctx, c.ID)
	if got.Attempt != 2 || got.State != review.StateInReview || got.Note != "" || len(got.Reasons) != 0 {
		t.Errorf("after re-application: attempt %d state %v note %q reasons %v; want 2, in_review, cleared",
			got.Attempt, got.State, got.Note, got.Reasons)
	}
	// The cool-off refusals did not use up rate-limit attempts: 2 of the default 5 used.
	for range 3 {
		if _, err := e.desk.Apply(ctx, application("app-1")); err != nil {
			t.Fatalf("Apply within the limit: %v", err)
		}
	}
	if _, err := e.desk.Apply(ctx, application("app-1")); !errors.Is(err, store.ErrLockedOut) {
		t.Errorf("sixth application error = %v, want one matching store.ErrLockedOut", err)
	}
}

// TestApprovalDoesNotResetLimit pins the documented choice that ApplicationLimit counts
// applications whatever their outcome: an approval leaves the count as it was.
func TestApprovalDoesNotResetLimit(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *review.Config) {
		c.ApplicationLimit = store.AttemptRule{Limit: 2, Window: 24 * time.Hour}
	})
	c := mustApply(t, e, "app-1")
	if _, err := e.desk.Approve(ctx, c.Reviewer, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	org := application("app-1")
	org.Type = review.CertOrganisation
	if _, err := e.desk.Apply(ctx, org); err != nil {
		t.Fatalf("second application: %v", err)
	}
	_, err := e.desk.Apply(ctx, org)
	if reason, at, ok := lockout(err); !ok || reason != review.ReasonRateLimited || !at.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("third application after an approval: error = %v, want a rate_limited lock-out with RetryAt %v", err, t0.Add(24*time.Hour))
	}
}

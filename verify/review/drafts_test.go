package review_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// caseStates lists the states of an applicant's cases in ID order.
func caseStates(t *testing.T, e *env, ref string) []string {
	t.Helper()
	cs, err := e.store.List(context.Background(), review.Query{Applicant: ref})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.State.String())
	}
	slices.Sort(out)
	return out
}

// TestRefusedApplyLeavesNoCase checks that Apply checks the cool-off and the rate limit
// before it creates anything: a refused application leaves no draft behind.
func TestRefusedApplyLeavesNoCase(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		cfg     func(*review.Config)
		prepare func(t *testing.T, e *env)
		want    review.Reason
		states  []string
	}{
		{"rate limited", func(c *review.Config) {
			c.ApplicationLimit = store.AttemptRule{Limit: 1, Window: 24 * time.Hour}
		}, func(t *testing.T, e *env) { mustApply(t, e, "app-1") },
			review.ReasonRateLimited, []string{"in_review"}},
		{"cooling off", nil, func(t *testing.T, e *env) {
			c := mustApply(t, e, "app-1")
			if _, err := e.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialInvalid}, ""); err != nil {
				t.Fatal(err)
			}
		}, review.ReasonCoolingOff, []string{"rejected"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.cfg)
			tt.prepare(t, e)
			for i := range 4 {
				c, err := e.desk.Apply(ctx, application("app-1"))
				if reason, _, ok := lockout(err); !ok || reason != tt.want || c != nil {
					t.Errorf("Apply %d = %v, %v; want nil and a %s lock-out", i+2, c, err, tt.want)
				}
			}
			if diff := cmp.Diff(tt.states, caseStates(t, e, "app-1")); diff != "" {
				t.Errorf("applicant's cases after refused applications mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDraftCap checks that an applicant cannot pile up drafts: Draft is refused beyond
// Config.MaxDrafts open drafts, a submitted or withdrawn draft frees its place, and
// Apply and other applicants are not affected.
func TestDraftCap(t *testing.T) {
	ctx := context.Background()
	draft := func(e *env, ref string) (*review.Case, error) { return e.desk.Draft(ctx, application(ref)) }
	tests := []struct {
		name string
		cfg  func(*review.Config)
		cap  int
		// free frees one place (or does not) given the drafts created so far.
		free   func(t *testing.T, e *env, drafts []*review.Case)
		states []string
	}{
		{"default, submit frees", nil, 3, func(t *testing.T, e *env, ds []*review.Case) {
			if _, err := e.desk.Submit(ctx, "app-1", ds[0].ID); err != nil {
				t.Fatal(err)
			}
		}, []string{"draft", "draft", "draft", "in_review"}},
		{"configured, withdraw frees", func(c *review.Config) { c.MaxDrafts = 1 }, 1, func(t *testing.T, e *env, ds []*review.Case) {
			if _, err := e.desk.Withdraw(ctx, "app-1", ds[0].ID); err != nil {
				t.Fatal(err)
			}
		}, []string{"draft", "withdrawn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.cfg)
			var drafts []*review.Case
			for range tt.cap {
				c, err := draft(e, "app-1")
				if err != nil {
					t.Fatalf("Draft within the cap: %v", err)
				}
				drafts = append(drafts, c)
			}
			for range 3 {
				if c, err := draft(e, "app-1"); !errors.Is(err, review.ErrTooManyDrafts) || c != nil {
					t.Errorf("Draft beyond the cap = %v, %v; want ErrTooManyDrafts", c, err)
				}
			}
			// Another applicant has places of their own.
			if _, err := draft(e, "app-2"); err != nil {
				t.Errorf("Draft by another applicant: %v", err)
			}
			tt.free(t, e, drafts)
			if _, err := draft(e, "app-1"); err != nil {
				t.Errorf("Draft after freeing a place: %v", err)
			}
			if c, err := draft(e, "app-1"); !errors.Is(err, review.ErrTooManyDrafts) || c != nil {
				t.Errorf("Draft beyond the cap again = %v, %v; want ErrTooManyDrafts", c, err)
			}
			if diff := cmp.Diff(tt.states, caseStates(t, e, "app-1")); diff != "" {
				t.Errorf("applicant's cases mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplyNotBlockedByDrafts checks that Apply leaves no draft of its own, so an
// applicant with a full set of drafts can still apply within the rate limit.
func TestApplyNotBlockedByDrafts(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *review.Config) { c.MaxDrafts = 1 })
	if _, err := e.desk.Draft(ctx, application("app-1")); err != nil {
		t.Fatal(err)
	}
	c := mustApply(t, e, "app-1")
	mustApply(t, e, "app-1")
	if diff := cmp.Diff([]string{"submit", "check", "assign"}, actions(c)[1:]); diff != "" || actions(c)[0] != "draft" {
		t.Errorf("Apply audit actions %v, want draft, submit, check, assign (-want +got):\n%s", actions(c), diff)
	}
	if err := review.VerifyChain(c.History); err != nil {
		t.Errorf("VerifyChain(history) = %v", err)
	}
	if diff := cmp.Diff([]string{"draft", "in_review", "in_review"}, caseStates(t, e, "app-1")); diff != "" {
		t.Errorf("applicant's cases mismatch (-want +got):\n%s", diff)
	}
}

// TestDraftCapConcurrent attacks the cap with concurrent Drafts: exactly MaxDrafts
// succeed.
func TestDraftCapConcurrent(t *testing.T) {
	ctx := context.Background()
	const maxDrafts, goroutines = 3, 32
	e := newEnv(t, func(c *review.Config) { c.MaxDrafts = maxDrafts })
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, refused := 0, 0
	for range goroutines {
		wg.Go(func() {
			_, err := e.desk.Draft(ctx, application("app-1"))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				created++
			case errors.Is(err, review.ErrTooManyDrafts):
				refused++
			default:
				t.Errorf("Draft error = %v", err)
			}
		})
	}
	wg.Wait()
	if created != maxDrafts || refused != goroutines-maxDrafts {
		t.Errorf("created %d, refused %d; want exactly %d and %d", created, refused, maxDrafts, goroutines-maxDrafts)
	}
	if n := len(caseStates(t, e, "app-1")); n != maxDrafts {
		t.Errorf("store holds %d cases, want %d", n, maxDrafts)
	}
}

package reviewtest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trustid/trustid/store"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/verify/review/reviewtest"
)

func TestMemoryStore(t *testing.T) {
	reviewtest.Store(t, func(t *testing.T) review.Store { return review.NewMemoryStore() })
}

// ExampleChecker closes clear cases without a reviewer, using the fixed checker.
func ExampleChecker() {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for _, o := range []verify.Outcome{verify.OutcomePass, verify.OutcomeFail, verify.OutcomeReview} {
		desk, err := review.New(review.Config{
			Checker:     reviewtest.Checker(o, verify.ReasonNameMismatch),
			AutoApprove: true,
			AutoReject:  true,
			Reviewers:   []review.Reviewer{{ID: "r1", Capacity: 1}},
			Now:         func() time.Time { return now },
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		c, err := desk.Apply(context.Background(), review.Application{
			Applicant: "acct-1", Type: review.CertPersonal,
			Materials: []review.Material{reviewtest.Material("id-card-front")},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(o, "→", c.State, c.Reviewer, c.Reasons)
	}
	// Output:
	// pass → approved  []
	// fail → rejected  [name_mismatch]
	// review → in_review r1 []
}

// brokenStore keeps cases in a map and breaks one rule of the Store contract, to show
// that the suite notices.
type brokenStore struct {
	mu    sync.Mutex
	cases map[string]*review.Case
	flaw  string
}

func (b *brokenStore) Get(_ context.Context, id string) (*review.Case, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.cases[id]
	if !ok {
		return nil, review.ErrNotFound
	}
	return c.Clone(), nil
}

func (b *brokenStore) Put(_ context.Context, c *review.Case) (uint64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	old, ok := b.cases[c.ID]
	n := c.Clone()
	switch b.flaw {
	case "version-is-next":
		// The convention review had before E6: Version is the version being written
		// (1 for a new case), and the store checks it against stored+1.
		if (!ok && c.Version != 1) || (ok && old.Version != c.Version-1) {
			return 0, store.ErrConflict
		}
	case "own-conflict-error":
		if (!ok && c.Version != 0) || (ok && old.Version != c.Version) {
			return 0, errors.New("stale write")
		}
		n.Version++
	case "sets-argument":
		if (!ok && c.Version != 0) || (ok && old.Version != c.Version) {
			return 0, store.ErrConflict
		}
		c.Version++
		n.Version++
	}
	b.cases[c.ID] = n
	return n.Version, nil
}

func (b *brokenStore) List(_ context.Context, q review.Query) ([]*review.Case, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []*review.Case
	for _, c := range b.cases {
		if q.Match(c) {
			out = append(out, c.Clone())
		}
	}
	slices.SortFunc(out, func(a, b *review.Case) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// TestSuiteCatchesBrokenAdapters runs the suite, in a child test process, against
// adapters that each break one rule, and requires the suite to fail with the matching
// complaint.
func TestSuiteCatchesBrokenAdapters(t *testing.T) {
	if flaw := os.Getenv("REVIEWTEST_FLAW"); flaw != "" {
		reviewtest.Store(t, func(*testing.T) review.Store {
			return &brokenStore{cases: map[string]*review.Case{}, flaw: flaw}
		})
		return
	}
	for flaw, complaint := range map[string]string{
		"version-is-next":    "Put(new case, Version 0) error = version conflict",
		"own-conflict-error": "want one matching store.ErrConflict",
		"sets-argument":      "Put changed its argument's Version",
	} {
		t.Run(flaw, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSuiteCatchesBrokenAdapters$", "-test.count=1")
			cmd.Env = append(os.Environ(), "REVIEWTEST_FLAW="+flaw)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed an adapter with flaw %q:\n%s", flaw, out)
			}
			if !strings.Contains(string(out), complaint) {
				t.Errorf("the suite failed, but without %q:\n%s", complaint, out)
			}
		})
	}
}

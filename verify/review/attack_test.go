package review_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify/review"
)

// slowStore is the in-memory store behind a network: every call takes latency longer,
// which widens the window between counting a reviewer's load and writing the case.
type slowStore struct {
	mem     *review.MemoryStore
	latency time.Duration
}

func (s slowStore) Get(ctx context.Context, id string) (*review.Case, error) {
	time.Sleep(s.latency)
	return s.mem.Get(ctx, id)
}

func (s slowStore) Put(ctx context.Context, c *review.Case) (uint64, error) {
	time.Sleep(s.latency)
	return s.mem.Put(ctx, c)
}

func (s slowStore) PutAssigned(ctx context.Context, c *review.Case, capacity int) (uint64, error) {
	time.Sleep(s.latency)
	return s.mem.PutAssigned(ctx, c, capacity)
}

func (s slowStore) List(ctx context.Context, q review.Query) ([]*review.Case, error) {
	time.Sleep(s.latency)
	return s.mem.List(ctx, q)
}

func (s slowStore) Count(ctx context.Context, q review.Query) (int, error) {
	time.Sleep(s.latency)
	return s.mem.Count(ctx, q)
}

// TestCapacityUnderConcurrentApply: 32 applications at once, through one Desk or two
// Desks sharing a store with 1 ms latency, for one or two reviewers with capacity 1.
// Each reviewer gets exactly one case (with two, the applications that lose r1's slot
// go to r2); the others wait unassigned in StateChecking (the documented behaviour when
// no reviewer is free) and a Sweep assigns the next one once a reviewer decided.
func TestCapacityUnderConcurrentApply(t *testing.T) {
	const applications = 32
	for _, tc := range []struct{ desks, reviewers int }{{1, 1}, {2, 1}, {2, 2}} {
		desks := tc.desks
		var roster []review.Reviewer
		for i := range tc.reviewers {
			roster = append(roster, review.Reviewer{ID: fmt.Sprint("r", i+1), Capacity: 1})
		}
		t.Run(fmt.Sprintf("desks=%d,reviewers=%d", desks, tc.reviewers), func(t *testing.T) {
			ctx := context.Background()
			mem := review.NewMemoryStore()
			shared := slowStore{mem: mem, latency: time.Millisecond}
			attempts := store.NewMemoryAttemptStore()
			clk := &clock{now: t0}
			var ds []*review.Desk
			for range desks {
				d, err := review.New(review.Config{
					Store: shared, AttemptStore: attempts, Now: clk.Now,
					Reviewers: roster,
				})
				if err != nil {
					t.Fatal(err)
				}
				ds = append(ds, d)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range applications {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if _, err := ds[i%desks].Apply(ctx, application(fmt.Sprint("app-", i))); err != nil {
						t.Errorf("Apply error = %v, want nil (the case waits for a reviewer)", err)
					}
				}()
			}
			close(start)
			wg.Wait()

			load := func(r string) []*review.Case {
				t.Helper()
				cs, err := mem.List(ctx, review.Query{Reviewer: r, States: []review.State{review.StateInReview, review.StateResubmitted}})
				if err != nil {
					t.Fatal(err)
				}
				return cs
			}
			for _, r := range roster {
				if n := len(load(r.ID)); n != 1 {
					t.Errorf("%d concurrent applications: reviewer %s with capacity 1 holds %d cases, want 1", applications, r.ID, n)
				}
			}
			assigned := load("r1")
			if len(assigned) != 1 {
				t.FailNow()
			}
			waiting, err := mem.List(ctx, review.Query{States: []review.State{review.StateChecking}})
			if err != nil {
				t.Fatal(err)
			}
			if len(waiting) != applications-len(roster) {
				t.Errorf("%d cases wait in checking, want %d", len(waiting), applications-len(roster))
			}
			for _, c := range waiting {
				if c.Reviewer != "" {
					t.Errorf("waiting case %s has reviewer %q, want none", c.ID, c.Reviewer)
				}
			}

			// The reviewer decides; concurrent sweeps of every desk assign one more.
			if _, err := ds[0].Approve(ctx, "r1", assigned[0].ID, nil); err != nil {
				t.Fatal(err)
			}
			var reps sync.WaitGroup
			for _, d := range ds {
				reps.Add(1)
				go func() {
					defer reps.Done()
					if _, err := d.Sweep(ctx, clk.Now()); err != nil {
						t.Errorf("Sweep error = %v", err)
					}
				}()
			}
			reps.Wait()
			if n := len(load("r1")); n != 1 {
				t.Errorf("after one approval and concurrent sweeps: reviewer r1 holds %d cases, want 1", n)
			}
		})
	}
}

// failingAttempts is an AttemptStore that fails every call.
type failingAttempts struct{}

func (failingAttempts) Take(context.Context, string, time.Time, store.AttemptRule) (store.AttemptResult, error) {
	return store.AttemptResult{}, errors.New("attempt store down")
}

func (failingAttempts) Reset(context.Context, string) error { return errors.New("attempt store down") }

// TestApplicationFieldLimits: every field of an application has a byte (or count)
// limit. One over it is refused as invalid_argument naming the field, before the Store
// or the AttemptStore is touched (both fail every call here, so any access would be
// reported as unavailable instead); exactly at it is accepted.
func TestApplicationFieldLimits(t *testing.T) {
	ctx := context.Background()
	many := make([]review.Material, review.MaxMaterials+1)
	for i := range many {
		many[i] = material(fmt.Sprint("m", i))
	}
	tests := []struct {
		name      string
		set       func(a *review.Application, n int)
		limit     int
		field     string
		materials bool // the field is a material's, also checked by Resubmit
	}{
		{"applicant", func(a *review.Application, n int) { a.Applicant = strings.Repeat("a", n) },
			review.MaxApplicantBytes, "Applicant", false},
		{"claimed name", func(a *review.Application, n int) {
			a.Claimed.Name = strings.Repeat("名", n/3) + strings.Repeat("x", n%3)
		}, review.MaxNameBytes, "Claimed.Name", false},
		{"claimed number", func(a *review.Application, n int) { a.Claimed.Number = strings.Repeat("9", n) },
			review.MaxNumberBytes, "Claimed.Number", false},
		{"materials", func(a *review.Application, n int) { a.Materials = many[:n] },
			review.MaxMaterials, "Materials", true},
		{"material kind", func(a *review.Application, n int) { a.Materials[1].Kind = strings.Repeat("k", n) },
			review.MaxMaterialKindBytes, "Materials[1].Kind", true},
		{"material ref", func(a *review.Application, n int) { a.Materials[1].Ref = strings.Repeat("r", n) },
			review.MaxMaterialRefBytes, "Materials[1].Ref", true},
	}
	down := newEnv(t, func(c *review.Config) {
		c.Store, c.AttemptStore = failingStore{errors.New("store down")}, failingAttempts{}
	})
	for _, tt := range tests {
		over := application("app-1")
		tt.set(&over, tt.limit+1)
		calls := map[string]func() error{
			"Apply":   func() error { _, err := down.desk.Apply(ctx, over); return err },
			"Draft":   func() error { _, err := down.desk.Draft(ctx, over); return err },
			"Reapply": func() error { _, err := down.desk.Reapply(ctx, "rv-x", over); return err },
		}
		if tt.materials {
			calls["Resubmit"] = func() error { _, err := down.desk.Resubmit(ctx, "app-1", "rv-x", over.Materials); return err }
		}
		for call, do := range calls {
			err := do()
			var re *review.Error
			if !errors.As(err, &re) || re.Reason != review.ReasonInvalidArgument || !errors.Is(err, review.ErrInvalidArgument) {
				t.Errorf("%s with %s one over its limit %d: error = %v, want invalid_argument before any host call", call, tt.name, tt.limit, err)
				continue
			}
			if diff := cmp.Diff(tt.field, re.Field); diff != "" {
				t.Errorf("%s with %s over its limit: Field mismatch (-want +got):\n%s", call, tt.name, diff)
			}
			if strings.Contains(err.Error(), "名") || strings.Contains(err.Error(), "999") {
				t.Errorf("%s with %s over its limit: error %q holds the value", call, tt.name, err)
			}
		}
		at := application("app-1")
		tt.set(&at, tt.limit)
		e := newEnv(t, nil)
		if _, err := e.desk.Apply(ctx, at); err != nil {
			t.Errorf("Apply with %s at its limit %d: error = %v, want accepted", tt.name, tt.limit, err)
		}
	}
}

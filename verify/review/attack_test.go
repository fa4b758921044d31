package review_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

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
// Desks sharing a store with 1 ms latency, for one reviewer with capacity 1. The
// reviewer gets exactly one case; the others wait unassigned in StateChecking (the
// documented behaviour when no reviewer is free) and a Sweep assigns the next one once
// the reviewer decided.
func TestCapacityUnderConcurrentApply(t *testing.T) {
	const applications = 32
	for _, desks := range []int{1, 2} {
		t.Run(fmt.Sprintf("desks=%d", desks), func(t *testing.T) {
			ctx := context.Background()
			mem := review.NewMemoryStore()
			shared := slowStore{mem: mem, latency: time.Millisecond}
			attempts := store.NewMemoryAttemptStore()
			clk := &clock{now: t0}
			var ds []*review.Desk
			for range desks {
				d, err := review.New(review.Config{
					Store: shared, AttemptStore: attempts, Now: clk.Now,
					Reviewers: []review.Reviewer{{ID: "r1", Capacity: 1}},
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

			load := func() []*review.Case {
				t.Helper()
				cs, err := mem.List(ctx, review.Query{Reviewer: "r1", States: []review.State{review.StateInReview, review.StateResubmitted}})
				if err != nil {
					t.Fatal(err)
				}
				return cs
			}
			assigned := load()
			if len(assigned) != 1 {
				t.Fatalf("%d concurrent applications: reviewer r1 with capacity 1 holds %d cases, want 1", applications, len(assigned))
			}
			waiting, err := mem.List(ctx, review.Query{States: []review.State{review.StateChecking}})
			if err != nil {
				t.Fatal(err)
			}
			if len(waiting) != applications-1 {
				t.Errorf("%d cases wait in checking, want %d", len(waiting), applications-1)
			}
			for _, c := range waiting {
				if c.Reviewer != "" {
					t.Errorf("waiting case %s has reviewer %q, want none", c.ID, c.Reviewer)
				}
			}

			// The reviewer decides; concurrent sweeps of every desk assign one more.
			if _, err := ds[0].Approve(ctx, "r1", assigned[0].ID); err != nil {
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
			if n := len(load()); n != 1 {
				t.Errorf("after one approval and concurrent sweeps: reviewer r1 holds %d cases, want 1", n)
			}
		})
	}
}

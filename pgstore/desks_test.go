package pgstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustid/trustid/verify/review"
)

// twoDesks returns two review stores on one migrated schema through two pools, as two
// servers of one deployment have them.
func twoStores(t *testing.T) (*ReviewStore, *ReviewStore) {
	t.Helper()
	schema := newSchema(t)
	var out [2]*ReviewStore
	for i := range out {
		pool := newPool(t, schema)
		if err := Migrate(context.Background(), pool); err != nil {
			t.Fatal(err)
		}
		s, err := New(Config{Pool: pool, IndexKey: testIndexKey, Keys: testKeys})
		if err != nil {
			t.Fatal(err)
		}
		if out[i], err = s.ReviewStore(); err != nil {
			t.Fatal(err)
		}
	}
	return out[0], out[1]
}

// TestTwoDesksNeverExceedCapacity: two Desks, each on its own pool, take 24
// applications at once for one reviewer of capacity 3; exactly 3 cases are assigned.
func TestTwoDesksNeverExceedCapacity(t *testing.T) {
	a, b := twoStores(t)
	now := func() time.Time { return journeyNow }
	const capacity, n = 3, 24
	reviewer := review.Reviewer{ID: "r1", Capacity: capacity}
	desks := []*review.Desk{
		newDesk(t, a, now, review.NewMemoryNotifier(), reviewer),
		newDesk(t, b, now, review.NewMemoryNotifier(), reviewer),
	}
	ctx := context.Background()
	var assigned atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			c, err := desks[i%2].Apply(ctx, reviewApplication(fmt.Sprint("acct-", i)))
			if err != nil {
				t.Errorf("Apply error = %v", err)
				return
			}
			if c.Reviewer != "" {
				assigned.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	load, err := a.Count(ctx, review.Query{Reviewer: "r1", States: []review.State{review.StateInReview, review.StateResubmitted}})
	if err != nil {
		t.Fatal(err)
	}
	if assigned.Load() != capacity || load != capacity {
		t.Errorf("%d applications on two desks for a reviewer of capacity %d: %d assigned, load %d; want %d and %d",
			n, capacity, assigned.Load(), load, capacity, capacity)
	}
	all, err := b.Count(ctx, review.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if all != n {
		t.Errorf("%d cases stored, want %d", all, n)
	}
}

// countingNotifier fails while fail is set and otherwise counts deliveries per key.
type countingNotifier struct {
	fail atomic.Bool
	mu   sync.Mutex
	sent map[string]int
}

func (c *countingNotifier) Notify(_ context.Context, n review.Notice) error {
	if c.fail.Load() {
		return errors.New("notifier down")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent[n.Key]++
	return nil
}

// TestTwoDesksDeliverOnce: notices whose first delivery failed are delivered by Sweeps
// that run at once on two Desks over two pools; each notice reaches the notifier exactly
// once.
func TestTwoDesksDeliverOnce(t *testing.T) {
	a, b := twoStores(t)
	var clock atomic.Int64
	clock.Store(journeyNow.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	notifier := &countingNotifier{sent: make(map[string]int)}
	notifier.fail.Store(true)
	da := newDesk(t, a, now, notifier)
	db := newDesk(t, b, now, notifier)
	ctx := context.Background()
	const n = 12
	for i := range n {
		if _, err := da.Apply(ctx, reviewApplication(fmt.Sprint("acct-", i))); err != nil {
			t.Fatal(err)
		}
	}
	if len(notifier.sent) != 0 {
		t.Fatalf("delivered %d notices while the notifier was down", len(notifier.sent))
	}
	notifier.fail.Store(false)
	clock.Add(int64(2 * time.Minute))
	var wg sync.WaitGroup
	for round := range 3 {
		for _, d := range []*review.Desk{da, db, da, db} {
			wg.Go(func() {
				if _, err := d.Sweep(ctx, now()); err != nil {
					t.Errorf("Sweep (round %d) error = %v", round, err)
				}
			})
		}
		wg.Wait()
	}
	if len(notifier.sent) != n {
		t.Errorf("%d notices delivered, want %d", len(notifier.sent), n)
	}
	for key, times := range notifier.sent {
		if times != 1 {
			t.Errorf("notice %s delivered %d times, want once", key, times)
		}
	}
}

// Package storetest is the conformance suite for implementations of the store contracts
// ([store.ReplayGuard], [store.AttemptStore]). An adapter (Redis, a database) runs it against
// itself to show that it keeps the contract the in-memory defaults keep.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
)

// Run checks g's behaviour. newGuard is called once per subtest and must return an empty
// guard; subtests use distinct keys, so an adapter may also share one backend between them.
func RunReplayGuard(t *testing.T, newGuard func(t *testing.T) store.ReplayGuard) {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	prefix := fmt.Sprintf("replaytest/%d/", time.Now().UnixNano())

	t.Run("FirstThenReplay", func(t *testing.T) {
		g := newGuard(t)
		key := prefix + "first"
		exp := base.Add(time.Minute)
		for i, want := range []bool{true, false, false} {
			got, err := g.Claim(ctx, key, base.Add(time.Duration(i)*time.Second), exp)
			if err != nil {
				t.Fatalf("Claim #%d: %v", i, err)
			}
			if got != want {
				t.Fatalf("Claim #%d = %v, want %v", i, got, want)
			}
		}
	})

	t.Run("KeysIndependent", func(t *testing.T) {
		g := newGuard(t)
		exp := base.Add(time.Minute)
		for _, k := range []string{"a", "b", "c"} {
			got, err := g.Claim(ctx, prefix+"indep/"+k, base, exp)
			if err != nil || !got {
				t.Fatalf("Claim(%q) = %v, %v; want true, nil", k, got, err)
			}
		}
	})

	t.Run("ReplayUntilExpiry", func(t *testing.T) {
		g := newGuard(t)
		key := prefix + "expiry"
		exp := base.Add(time.Minute)
		if got, err := g.Claim(ctx, key, base, exp); err != nil || !got {
			t.Fatalf("first Claim = %v, %v", got, err)
		}
		// One nanosecond before expiry the key is still held.
		if got, err := g.Claim(ctx, key, exp.Add(-time.Nanosecond), exp.Add(time.Minute)); err != nil || got {
			t.Fatalf("Claim just before expiry = %v, %v; want false, nil", got, err)
		}
		// At expiry it is forgotten and may be claimed afresh, and then it is held again.
		if got, err := g.Claim(ctx, key, exp, exp.Add(time.Minute)); err != nil || !got {
			t.Fatalf("Claim at expiry = %v, %v; want true, nil", got, err)
		}
		if got, err := g.Claim(ctx, key, exp.Add(time.Second), exp.Add(time.Minute)); err != nil || got {
			t.Fatalf("Claim after re-claim = %v, %v; want false, nil", got, err)
		}
	})

	t.Run("SubSecondExpiry", func(t *testing.T) {
		// Expiry is to the nanosecond: a store that compares whole seconds (or
		// milliseconds) would accept a replay in the last fraction of the last second.
		g := newGuard(t)
		key := prefix + "subsecond"
		exp := base.Add(time.Minute + 500*time.Millisecond)
		if got, err := g.Claim(ctx, key, base, exp); err != nil || !got {
			t.Fatalf("first Claim = %v, %v", got, err)
		}
		for _, at := range []time.Time{exp.Add(-500 * time.Millisecond), exp.Add(-time.Nanosecond)} {
			if got, err := g.Claim(ctx, key, at, exp.Add(time.Minute)); err != nil || got {
				t.Fatalf("Claim at %v, before expiry %v = %v, %v; want false, nil", at, exp, got, err)
			}
		}
		if got, err := g.Claim(ctx, key, exp, exp.Add(time.Minute)); err != nil || !got {
			t.Fatalf("Claim at expiry = %v, %v; want true, nil", got, err)
		}
	})

	t.Run("AlreadyExpired", func(t *testing.T) {
		g := newGuard(t)
		key := prefix + "past"
		// A claim whose expiry is not after now is a first use but is not remembered.
		if got, err := g.Claim(ctx, key, base, base); err != nil || !got {
			t.Fatalf("Claim(expired) = %v, %v; want true, nil", got, err)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		g := newGuard(t)
		const goroutines, keys = 32, 8
		var wins [keys]atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range goroutines {
			wg.Go(func() {
				<-start
				for k := range keys {
					key := fmt.Sprintf("%sconc/%d", prefix, (k+i)%keys)
					ok, err := g.Claim(ctx, key, base, base.Add(time.Minute))
					if err != nil {
						t.Errorf("Claim: %v", err)
						return
					}
					if ok {
						wins[(k+i)%keys].Add(1)
					}
				}
			})
		}
		close(start)
		wg.Wait()
		for k := range keys {
			if n := wins[k].Load(); n != 1 {
				t.Errorf("key %d accepted %d times, want exactly 1", k, n)
			}
		}
	})
}

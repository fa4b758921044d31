// Package relyingpartytest is the conformance suite for [relyingparty.ConsentStore]. An
// adapter (a database) runs it against itself to show that it keeps the contract the
// in-memory store keeps.
package relyingpartytest

import (
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/store"
)

// RunConsentStore checks the store newStore returns. Subtests use fresh random IDs, so an
// adapter may share one backend between them.
func RunConsentStore(t *testing.T, newStore func(t *testing.T) relyingparty.ConsentStore) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	record := func() relyingparty.ConsentRecord {
		return relyingparty.ConsentRecord{ID: rand.Text(), Subject: "pairwise-subject", ClientID: "bank", Purpose: "account opening",
			Claims: []relyingparty.Claim{relyingparty.ClaimIDNumber, relyingparty.ClaimName}, Notice: "v1", GivenAt: at}
	}

	t.Run("UnknownID", func(t *testing.T) {
		s := newStore(t)
		_, found, err := s.Get(ctx, rand.Text())
		if err != nil || found {
			t.Errorf("Get(unknown) = found %t, %v; want false, nil", found, err)
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		r := record()
		v, err := s.Put(ctx, r)
		if err != nil || v != 1 {
			t.Fatalf("Put(new) = %d, %v; want 1, nil", v, err)
		}
		got, found, err := s.Get(ctx, r.ID)
		if err != nil || !found {
			t.Fatalf("Get = found %t, %v", found, err)
		}
		r.Version = 1
		if diff := cmp.Diff(r, got); diff != "" {
			t.Errorf("Get mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("WithdrawUpdates", func(t *testing.T) {
		s := newStore(t)
		r := record()
		if _, err := s.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
		got, _, err := s.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.WithdrawnAt = at.Add(time.Hour)
		v, err := s.Put(ctx, got)
		if err != nil || v != 2 {
			t.Fatalf("Put(read at 1) = %d, %v; want 2, nil", v, err)
		}
		again, _, err := s.Get(ctx, r.ID)
		if err != nil || !again.Withdrawn(at.Add(time.Hour)) || again.Version != 2 {
			t.Errorf("after withdrawal: version %d, withdrawn %t, %v", again.Version, again.Withdrawn(at.Add(time.Hour)), err)
		}
	})

	t.Run("StaleVersionConflicts", func(t *testing.T) {
		s := newStore(t)
		r := record()
		if _, err := s.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
		// A second "new" write of the same ID, and a write at a version never stored.
		stale := r
		stale.Claims = []relyingparty.Claim{relyingparty.ClaimName}
		if _, err := s.Put(ctx, stale); !errors.Is(err, store.ErrConflict) {
			t.Errorf("Put(version 0 over 1) = %v, want store.ErrConflict", err)
		}
		stale.Version = 7
		if _, err := s.Put(ctx, stale); !errors.Is(err, store.ErrConflict) {
			t.Errorf("Put(version 7 over 1) = %v, want store.ErrConflict", err)
		}
		got, _, err := s.Get(ctx, r.ID)
		r.Version = 1
		if diff := cmp.Diff(r, got); err != nil || diff != "" {
			t.Errorf("a refused write changed the record (%v) (-want +got):\n%s", err, diff)
		}
	})

	t.Run("ConcurrentWritersOneWins", func(t *testing.T) {
		s := newStore(t)
		r := record()
		if _, err := s.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
		r.Version = 1
		r.WithdrawnAt = at.Add(time.Minute)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				_, err := s.Put(ctx, r)
				switch {
				case err == nil:
					wins.Add(1)
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("concurrent Put: %v", err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("%d concurrent writers at one version succeeded, want 1", wins.Load())
		}
	})

	t.Run("CallerCopiesAreIndependent", func(t *testing.T) {
		s := newStore(t)
		r := record()
		if _, err := s.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
		r.Claims[0] = relyingparty.ClaimAgeOver18
		got, _, err := s.Get(ctx, r.ID)
		if err != nil || got.Claims[0] != relyingparty.ClaimIDNumber {
			t.Errorf("the store kept the caller's slice: %v, %v", got.Claims, err)
		}
	})
}

// RunHandoffStore checks the store newStore returns.
func RunHandoffStore(t *testing.T, newStore func(t *testing.T) relyingparty.HandoffStore) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	exp := now.Add(time.Minute)

	t.Run("TakeOnce", func(t *testing.T) {
		s := newStore(t)
		k := rand.Text()
		if err := s.Put(ctx, k, "redirect", now, exp); err != nil {
			t.Fatal(err)
		}
		for i, want := range []bool{true, false} {
			v, found, err := s.Take(ctx, k, now.Add(time.Second))
			if err != nil || found != want || (found && v != "redirect") {
				t.Errorf("Take #%d = %q, %t, %v; want found %t", i+1, v, found, err, want)
			}
		}
	})
	t.Run("UnknownKey", func(t *testing.T) {
		s := newStore(t)
		if _, found, err := s.Take(ctx, rand.Text(), now); found || err != nil {
			t.Errorf("Take(unknown) = %t, %v; want false, nil", found, err)
		}
	})
	t.Run("ExpiredIsGone", func(t *testing.T) {
		s := newStore(t)
		k := rand.Text()
		if err := s.Put(ctx, k, "redirect", now, exp); err != nil {
			t.Fatal(err)
		}
		if _, found, err := s.Take(ctx, k, exp); found || err != nil {
			t.Errorf("Take at expiry = %t, %v; want false, nil", found, err)
		}
	})
	t.Run("ConcurrentTakersOneWins", func(t *testing.T) {
		s := newStore(t)
		k := rand.Text()
		if err := s.Put(ctx, k, "redirect", now, exp); err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, found, err := s.Take(ctx, k, now); err != nil {
					t.Errorf("Take: %v", err)
				} else if found {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("%d concurrent takers got the value, want 1", wins.Load())
		}
	})
}

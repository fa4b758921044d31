package livenesstest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/liveness"
)

// RunConsentStore is the conformance suite of [liveness.ConsentStore]: a host's adapter
// passes it when it records consents under fresh, distinct IDs, returns them as recorded,
// reports unknown IDs as not found (no error), refuses incomplete or pre-withdrawn
// consents with an error matching liveness.ErrInvalidArgument, records a withdrawal once
// (the first time stays), refuses withdrawing an unknown ID, and is safe for concurrent
// use. newStore must return an empty store each time.
func RunConsentStore(t *testing.T, newStore func() liveness.ConsentStore) {
	t.Helper()
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	good := liveness.Consent{Subject: "subj-A", Purpose: liveness.PurposeBiometric, TextVersion: "face-2026-11", GivenAt: at}

	t.Run("RecordLookup", func(t *testing.T) {
		s, ctx := newStore(), t.Context()
		id, err := s.Record(ctx, good)
		if err != nil || id == "" {
			t.Fatalf("Record = %q, %v", id, err)
		}
		got, found, err := s.Lookup(ctx, id)
		if err != nil || !found {
			t.Fatalf("Lookup = %v, %v", found, err)
		}
		want := good
		want.ID = id
		if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
			t.Errorf("Lookup mismatch (-want +got):\n%s", diff)
		}
		id2, err := s.Record(ctx, good)
		if err != nil || id2 == id {
			t.Errorf("second Record = %q, %v; want a new ID", id2, err)
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		s, ctx := newStore(), t.Context()
		if _, found, err := s.Lookup(ctx, "no-such-consent"); found || err != nil {
			t.Errorf("Lookup(unknown) = %v, %v; want not found, no error", found, err)
		}
		if err := s.Withdraw(ctx, "no-such-consent", at); !errors.Is(err, liveness.ErrInvalidArgument) {
			t.Errorf("Withdraw(unknown) = %v, want ErrInvalidArgument", err)
		}
	})
	t.Run("RefusesIncomplete", func(t *testing.T) {
		s, ctx := newStore(), t.Context()
		for name, mod := range map[string]func(*liveness.Consent){
			"no subject":        func(c *liveness.Consent) { c.Subject = "" },
			"no purpose":        func(c *liveness.Consent) { c.Purpose = "" },
			"no text version":   func(c *liveness.Consent) { c.TextVersion = "" },
			"no time":           func(c *liveness.Consent) { c.GivenAt = time.Time{} },
			"withdrawn already": func(c *liveness.Consent) { c.WithdrawnAt = at },
		} {
			c := good
			mod(&c)
			if _, err := s.Record(ctx, c); !errors.Is(err, liveness.ErrInvalidArgument) {
				t.Errorf("Record(%s) = %v, want ErrInvalidArgument", name, err)
			}
		}
	})
	t.Run("Withdraw", func(t *testing.T) {
		s, ctx := newStore(), t.Context()
		id, err := s.Record(ctx, good)
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.Record(ctx, good)
		if err != nil {
			t.Fatal(err)
		}
		first := at.Add(time.Hour)
		if err := s.Withdraw(ctx, id, first); err != nil {
			t.Fatal(err)
		}
		if err := s.Withdraw(ctx, id, first.Add(time.Hour)); err != nil {
			t.Fatalf("second Withdraw: %v", err)
		}
		got, found, err := s.Lookup(ctx, id)
		if err != nil || !found || !got.WithdrawnAt.Equal(first) {
			t.Errorf("after Withdraw: WithdrawnAt %v (found %v, %v), want %v", got.WithdrawnAt, found, err, first)
		}
		if got, _, _ := s.Lookup(ctx, other); !got.WithdrawnAt.IsZero() {
			t.Errorf("withdrawing one consent withdrew another")
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		s, ctx := newStore(), t.Context()
		var wg sync.WaitGroup
		ids := make([]string, 16)
		for i := range ids {
			wg.Go(func() {
				id, err := s.Record(ctx, good)
				if err != nil {
					t.Error(err)
				}
				ids[i] = id
				_ = s.Withdraw(ctx, id, at.Add(time.Duration(i)*time.Second))
			})
		}
		wg.Wait()
		seen := map[string]bool{}
		for i, id := range ids {
			if seen[id] {
				t.Fatalf("ID %d repeated", i)
			}
			seen[id] = true
			c, found, err := s.Lookup(ctx, id)
			if err != nil || !found || !c.WithdrawnAt.Equal(at.Add(time.Duration(i)*time.Second)) {
				t.Errorf("consent %d: %v %v %v", i, c.WithdrawnAt, found, err)
			}
		}
	})
}

package liveness_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/store"
)

// TestSealedResultAcrossInstances: a result sealed on one instance opens on another that
// holds the key, unchanged; it does not open under another key, after ResultMaxAge, or
// with any byte changed.
func TestSealedResultAcrossInstances(t *testing.T) {
	a := newEnv(t, nil)
	ch, err := a.c.Begin(t.Context(), a.consented(liveness.BeginRequest{Subject: "subj-A", Device: "dev-A", Reference: "photo-0001", CheckID: "check-1"}))
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.finishSimulated(ch)
	if err != nil || !r.Passed() {
		t.Fatalf("Finish = %v, %v", r, err)
	}
	tok, err := a.c.SealResult(r)
	if err != nil {
		t.Fatal(err)
	}
	b := newEnv(t, nil) // another instance, same keys
	b.clk.Set(a.clk.Now())
	got, err := b.c.OpenResult(tok)
	if err != nil {
		t.Fatalf("OpenResult on another instance: %v", err)
	}
	if diff := cmp.Diff(r.Audit, got.Audit); diff != "" || got.Outcome != r.Outcome {
		t.Errorf("opened result differs (-sealed +opened):\n%s", diff)
	}
	if got.CheckID() != "check-1" || got.PhotoRef() != "photo-0001" || got.Subject() != "subj-A" {
		t.Errorf("opened result binds %q %q %q", got.CheckID(), got.PhotoRef(), got.Subject())
	}

	other := newEnv(t, func(c *liveness.Config) { c.Keys = []store.Key{testKey(9, 0x5A)} })
	if _, err := other.c.OpenResult(tok); !errors.Is(err, liveness.ErrNotAuthentic) {
		t.Errorf("OpenResult under another key = %v, want ErrNotAuthentic", err)
	}
	for i := range tok {
		bad := []byte(tok)
		bad[i] ^= 0x01
		if _, err := b.c.OpenResult(string(bad)); !errors.Is(err, liveness.ErrNotAuthentic) {
			t.Fatalf("byte %d flipped: OpenResult = %v, want ErrNotAuthentic", i, err)
		}
	}
	// A session token is not a result token, and the reverse.
	if _, err := b.c.OpenResult(ch.Token); !errors.Is(err, liveness.ErrNotAuthentic) {
		t.Errorf("OpenResult(session token) = %v, want ErrNotAuthentic", err)
	}
	b.clk.Set(r.Audit.FinishedAt.Add(liveness.ResultMaxAge))
	if _, err := b.c.OpenResult(tok); !errors.Is(err, liveness.ErrExpired) {
		t.Errorf("OpenResult at ResultMaxAge = %v, want ErrExpired", err)
	}
}

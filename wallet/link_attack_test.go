package wallet

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// TestLinkDecisionTokenOnly: a verify.Decision that claims everything a real one does,
// but was built by hand, links nothing, in every form the host could hand it over: no
// token, a token of the right shape from another key, or a genuine token with one
// character changed. The genuine token links.
func TestLinkDecisionTokenOnly(t *testing.T) {
	ctx := context.Background()
	genuine := decide(t, func() time.Time { return testNow }, holderID, verify.LevelHigh)
	forged := genuine
	forged.Token = ""
	foreignSealer, err := verify.NewDecisionSealer(func() time.Time { return testNow },
		store.Key{ID: decisionKey.ID, Secret: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := foreignSealer.Seal(genuine)
	if err != nil {
		t.Fatal(err)
	}
	edited := []byte(genuine.Token)
	if i := len(edited) / 2; edited[i] == 'A' { // another base64url character: it still decodes
		edited[i] = 'B'
	} else {
		edited[i] = 'A'
	}
	for name, token := range map[string]string{
		"the token of a hand-built decision": forged.Token,
		"sealed under another key":           foreign,
		"one character changed":              string(edited),
		"truncated":                          genuine.Token[:len(genuine.Token)-8],
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			_, err := e.w.Link(ctx, LinkRequest{Decision: token, Holder: ref})
			if !errors.Is(err, ErrNotAuthentic) || ReasonOf(err) != ReasonDecisionNotAuthentic {
				t.Errorf("Link error = %v, want ErrNotAuthentic (decision_not_authentic)", err)
			}
			if n := e.src.Calls(); n != 0 {
				t.Errorf("source asked %d times", n)
			}
		})
	}
	e := newEnv(t, nil)
	if _, err := e.w.Link(ctx, LinkRequest{Decision: genuine.Token, Holder: ref}); err != nil {
		t.Errorf("Link(genuine token) error = %v", err)
	}
}

// TestLinkDecisionForAnotherPerson: a genuine passing decision about person A does not
// link the wallet of B, whichever numbers A and B hold (a resident ID number, a Hong
// Kong residence permit number).
func TestLinkDecisionForAnotherPerson(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return testNow }
	for _, tt := range []struct{ decided, holder string }{
		{otherID, holderID},
		{hkPermitID, holderID},
		{holderID, hkPermitID},
	} {
		e := newEnv(t, nil)
		d := decide(t, now, tt.decided, verify.LevelRealPerson)
		_, err := e.w.Link(ctx, LinkRequest{Decision: d.Token, Holder: HolderRef{IDNumber: tt.holder}})
		if !errors.Is(err, ErrSubjectMismatch) || ReasonOf(err) != ReasonSubjectMismatch {
			t.Errorf("Link(decision about %s, holder %s) error = %v, want ErrSubjectMismatch", tt.decided[:2], tt.holder[:2], err)
		}
		if n := e.src.Calls(); n != 0 {
			t.Errorf("source asked %d times", n)
		}
	}
	// The 15-digit form of the holder's number is the same person.
	e := newEnv(t, nil)
	if _, err := e.w.Link(ctx, LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: HolderRef{IDNumber: "110105900307995"}}); err != nil {
		t.Errorf("Link(15-digit form of the decided number) error = %v", err)
	}
}

// TestLinkDecisionStale: a decision is refused from its ValidUntil on, by the opener's
// clock or by the wallet's: an opener whose clock lags does not make a stale decision
// link.
func TestLinkDecisionStale(t *testing.T) {
	ctx := context.Background()
	d := decide(t, func() time.Time { return testNow }, holderID, verify.LevelRealPerson)
	if !d.ValidUntil.After(testNow) {
		t.Fatalf("test decision valid until %v", d.ValidUntil)
	}
	for name, opener := range map[string]func() time.Time{
		"opener and wallet at ValidUntil":   nil, // the env's clock
		"opener lags, wallet at ValidUntil": func() time.Time { return testNow },
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			if opener != nil {
				e.w.cfg.Decisions = decisions(t, opener)
			}
			e.clk.t = d.ValidUntil
			_, err := e.w.Link(ctx, LinkRequest{Decision: d.Token, Holder: ref})
			if !errors.Is(err, ErrDecisionStale) || ReasonOf(err) != ReasonDecisionStale {
				t.Errorf("Link error = %v, want ErrDecisionStale", err)
			}
			if n := e.src.Calls(); n != 0 {
				t.Errorf("source asked %d times", n)
			}
		})
	}
	e := newEnv(t, nil)
	e.clk.t = d.ValidUntil.Add(-time.Nanosecond)
	if _, err := e.w.Link(ctx, LinkRequest{Decision: d.Token, Holder: ref}); err != nil {
		t.Errorf("Link just before ValidUntil: %v", err)
	}
}

// TestLinkDecisionReplayed: one decision token links once: again from the same wallet,
// from another instance sharing the store, re-sealed by the host, or by many goroutines
// at once. A Link that failed (source down) does not use the decision up.
func TestLinkDecisionReplayed(t *testing.T) {
	ctx := context.Background()
	refused := func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, store.ErrReplayed) || ReasonOf(err) != ReasonDecisionUsed {
			t.Errorf("replayed decision: error = %v, want store.ErrReplayed (decision_used)", err)
		}
	}
	t.Run("same wallet", func(t *testing.T) {
		e := newEnv(t, nil)
		tok := pass(t, verify.LevelRealPerson)
		if _, err := e.w.Link(ctx, LinkRequest{Decision: tok, Holder: ref}); err != nil {
			t.Fatal(err)
		}
		_, err := e.w.Link(ctx, LinkRequest{Decision: tok, Holder: ref})
		refused(t, err)
		if n := e.src.Calls(); n != 1 {
			t.Errorf("source asked %d times, want once (the replay is refused before)", n)
		}
		// A token re-sealed from the opened decision is the same decision.
		d, err := e.w.cfg.Decisions.Open(tok)
		if err != nil {
			t.Fatal(err)
		}
		resealed, err := e.w.cfg.Decisions.Seal(d)
		if err != nil || resealed == tok {
			t.Fatalf("re-seal: %v (same text %v)", err, resealed == tok)
		}
		_, err = e.w.Link(ctx, LinkRequest{Decision: resealed, Holder: ref})
		refused(t, err)
		// A new decision links.
		if _, err := e.w.Link(ctx, LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref}); err != nil {
			t.Errorf("Link with a new decision: %v", err)
		}
	})
	t.Run("another instance on the shared store", func(t *testing.T) {
		e := newEnv(t, nil)
		tok := pass(t, verify.LevelRealPerson)
		if _, err := e.w.Link(ctx, LinkRequest{Decision: tok, Holder: ref}); err != nil {
			t.Fatal(err)
		}
		w2, err := New(e.w.cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, err = w2.Link(ctx, LinkRequest{Decision: tok, Holder: ref})
		refused(t, err)
	})
	t.Run("concurrent", func(t *testing.T) {
		e := newEnv(t, nil)
		tok := pass(t, verify.LevelRealPerson)
		w2, err := New(e.w.cfg) // a second process: only the store's versions serialise
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		ok, replayed := 0, 0
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Go(func() {
				w := e.w
				if i%2 == 1 {
					w = w2
				}
				_, err := w.Link(ctx, LinkRequest{Decision: tok, Holder: ref})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, store.ErrReplayed):
					replayed++
				default:
					t.Errorf("Link: %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 1 || replayed != 15 {
			t.Errorf("16 concurrent Links of one decision: %d linked, %d refused as replayed; want 1 and 15", ok, replayed)
		}
	})
	t.Run("failed link does not use the decision", func(t *testing.T) {
		boom := errors.New("registry down")
		down := true
		e := newEnv(t, nil)
		src := e.src
		e.w.cfg.Source = SourceFunc(func(ctx context.Context, h HolderRef) ([]Credential, error) {
			if down {
				return nil, boom
			}
			return src.Credentials(ctx, h)
		})
		tok := pass(t, verify.LevelRealPerson)
		if _, err := e.w.Link(ctx, LinkRequest{Decision: tok, Holder: ref}); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Link with the source down: %v", err)
		}
		down = false
		if _, err := e.w.Link(ctx, LinkRequest{Decision: tok, Holder: ref}); err != nil {
			t.Errorf("Link after the source recovered: %v", err)
		}
		_, err := e.w.Link(ctx, LinkRequest{Decision: tok, Holder: ref})
		refused(t, err)
	})
	t.Run("forgotten after ValidUntil", func(t *testing.T) {
		e := newEnv(t, nil)
		d := decide(t, e.clk.now, holderID, verify.LevelRealPerson)
		if _, err := e.w.Link(ctx, LinkRequest{Decision: d.Token, Holder: ref}); err != nil {
			t.Fatal(err)
		}
		st := e.state(t)
		if len(st.Decisions) != 1 {
			t.Fatalf("%d used decisions recorded, want 1", len(st.Decisions))
		}
		e.clk.t = d.ValidUntil
		if _, err := e.w.Link(ctx, LinkRequest{Decision: decide(t, e.clk.now, holderID, verify.LevelRealPerson).Token, Holder: ref}); err != nil {
			t.Fatal(err)
		}
		if st := e.state(t); len(st.Decisions) != 1 {
			t.Errorf("%d used decisions recorded after the first expired, want 1 (the new one)", len(st.Decisions))
		}
	})
}

// state returns the decoded stored wallet of ref.
func (e *env) state(t testing.TB) *state {
	t.Helper()
	hk, _, err := e.w.holderKey("test", ref, testNow)
	if err != nil {
		t.Fatal(err)
	}
	_, st, err := e.w.load(context.Background(), "test", hk)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestLinkLimit: decisions that linked are remembered until their validity ends, at most
// maxUsedDecisions of them: beyond, Link is locked out until the first expires, so
// repeated verifications cannot grow the record either.
func TestLinkLimit(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	first := decide(t, e.clk.now, holderID, verify.LevelRealPerson)
	if _, err := e.w.Link(ctx, LinkRequest{Decision: first.Token, Holder: ref}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < maxUsedDecisions; i++ {
		e.clk.t = e.clk.t.Add(time.Second)
		if _, err := e.w.Link(ctx, LinkRequest{Decision: decide(t, e.clk.now, holderID, verify.LevelRealPerson).Token, Holder: ref}); err != nil {
			t.Fatalf("Link %d: %v", i+1, err)
		}
	}
	_, err := e.w.Link(ctx, LinkRequest{Decision: decide(t, e.clk.now, holderID, verify.LevelRealPerson).Token, Holder: ref})
	var lo *store.LockedOutError
	if !errors.Is(err, store.ErrLockedOut) || ReasonOf(err) != ReasonTooManyLinks || !errors.As(err, &lo) || !lo.RetryAt.Equal(first.ValidUntil) {
		t.Fatalf("Link beyond the limit: %v, want store.ErrLockedOut until the first decision's ValidUntil", err)
	}
	if n := len(e.state(t).Decisions); n != maxUsedDecisions {
		t.Errorf("%d used decisions stored, want %d", n, maxUsedDecisions)
	}
	e.clk.t = first.ValidUntil
	if _, err := e.w.Link(ctx, LinkRequest{Decision: decide(t, e.clk.now, holderID, verify.LevelRealPerson).Token, Holder: ref}); err != nil {
		t.Errorf("Link once the first decision expired: %v", err)
	}
}

package wallet

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// checkConsistent asserts the invariants of one wallet: unique handles, at most one
// non-superseded credential per slot, every superseded credential pointing at a
// credential of the wallet, exactly one linked or replaced event per credential, and a
// store index that lists exactly the credential handles (plus presentations).
func checkConsistent(t *testing.T, w *Wallet, store Store, h HolderRef) []Credential {
	t.Helper()
	ctx := context.Background()
	cs, err := w.Credentials(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	handles, slots := map[Handle]bool{}, map[string]int{}
	for _, c := range cs {
		if handles[c.Handle] {
			t.Errorf("duplicate handle for %v", c.Kind)
		}
		handles[c.Handle] = true
		if c.Status != StatusSuperseded {
			slots[slot(&c)]++
		}
	}
	for s, n := range slots {
		if n != 1 {
			t.Errorf("slot %s has %d current credentials", s, n)
		}
	}
	for _, c := range cs {
		if c.Status == StatusSuperseded && !handles[c.SupersededBy] {
			t.Errorf("superseded %v points to an unknown handle", c.Kind)
		}
	}
	hist, _ := w.History(ctx, h)
	entered := map[Handle]int{}
	for _, ev := range hist {
		if ev.Type == HistoryLinked || ev.Type == HistoryReplaced {
			entered[ev.Handle]++
		}
	}
	for hd := range handles {
		if entered[hd] != 1 {
			t.Errorf("credential entered the wallet %d times by its history", entered[hd])
		}
	}
	hk, _, _ := w.holderKey("t", h, testNow)
	rec, err := store.Load(ctx, hk)
	if err != nil {
		t.Fatal(err)
	}
	indexed := map[string]bool{}
	for _, k := range rec.Index {
		indexed[k] = true
	}
	for hd := range handles {
		if !indexed[credentialIndexKey(hd)] {
			t.Errorf("handle not indexed")
		}
		if got, err := store.Lookup(ctx, credentialIndexKey(hd)); err != nil || got != hk {
			t.Errorf("Lookup(handle) = %q, %v", got, err)
		}
	}
	return cs
}

// TestConcurrentLink links one person from many goroutines while the registry flips
// between two passports and operators change statuses; run with -race.
func TestConcurrentLink(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, withIssuer(t))
	renewed := fixture()
	renewed[1].Number, renewed[1].ValidFrom, renewed[1].ValidUntil = "EB7654321", date("2026-10-01"), date("2036-09-30")
	var flip sync.Mutex
	n := 0
	e.w.cfg.Source = SourceFunc(func(ctx context.Context, h HolderRef) ([]Credential, error) {
		flip.Lock()
		defer flip.Unlock()
		n++
		if n%2 == 0 {
			return renewed, nil
		}
		return fixture(), nil
	})
	e.link(t)
	dl := e.current(t, verify.KindDriverLicence).Handle
	id := e.current(t, verify.KindIDCard).Handle

	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			switch i % 4 {
			case 0, 1:
				if _, err := e.w.Link(ctx, LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref}); err != nil {
					t.Errorf("Link: %v", err)
				}
			case 2:
				s := StatusSuspended
				if i%8 == 2 {
					s = StatusActive
				}
				if err := e.w.SetStatus(ctx, dl, s, fmt.Sprint("op-", i)); err != nil {
					t.Errorf("SetStatus: %v", err)
				}
			case 3:
				if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: id, Purpose: qrtoken.PurposeInternetCafe()}); err != nil {
					t.Errorf("Present: %v", err)
				}
			}
		})
	}
	wg.Wait()
	cs := checkConsistent(t, e.w, e.store, ref)
	if len(cs) != 9 {
		t.Errorf("%d credentials, want 9 (8 current, the old passport superseded once)", len(cs))
	}
	if got := e.current(t, verify.KindPassport).Number; got != "EB7654321" {
		t.Errorf("current passport is not the renewed one")
	}
}

// TestConcurrentInstancesSharedStore runs several Wallet instances (as separate
// processes would) on one store: only the store's versions keep the wallet consistent.
func TestConcurrentInstancesSharedStore(t *testing.T) {
	ctx := context.Background()
	store := NewMemoryStore()
	src := NewMemorySource()
	src.Set(holderID, fixture()...)
	var ws []*Wallet
	for range 4 {
		w, err := New(Config{Source: src, Store: store, IndexKey: make([]byte, 32), Now: func() time.Time { return testNow }, MaxRetries: 1000,
			Decisions: decisions(t, func() time.Time { return testNow })})
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			if _, err := ws[i%len(ws)].Link(ctx, LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref}); err != nil {
				t.Errorf("Link: %v", err)
			}
		})
	}
	wg.Wait()
	cs := checkConsistent(t, ws[0], store, ref)
	if len(cs) != 8 {
		t.Errorf("%d credentials, want 8", len(cs))
	}
	hist, _ := ws[0].History(ctx, ref)
	if len(hist) != 8 {
		t.Errorf("%d events, want 8 linked events (concurrent links of one answer)", len(hist))
	}
}

// conflictStore makes every other Save conflict, as a racing writer in another process
// would; the wallet must retry and give up with store.ErrConflict after MaxRetries.
type conflictStore struct {
	Store
	mu    sync.Mutex
	saves int
	every int
}

func (c *conflictStore) Save(ctx context.Context, r StoredWallet) (uint64, error) {
	c.mu.Lock()
	c.saves++
	fail := c.every == 0 || c.saves%c.every != 0
	c.mu.Unlock()
	if fail {
		return 0, fmt.Errorf("racing writer: %w", store.ErrConflict)
	}
	return c.Store.Save(ctx, r)
}

func TestConflictRetries(t *testing.T) {
	ctx := context.Background()
	cs := &conflictStore{Store: NewMemoryStore(), every: 3}
	e := newEnv(t, func(c *Config) { c.Store = cs })
	e.link(t)
	if cs.saves != 3 {
		t.Errorf("%d save attempts, want 3 (two conflicts, then success)", cs.saves)
	}
	always := &conflictStore{Store: NewMemoryStore()}
	e2 := newEnv(t, func(c *Config) { c.Store = always; c.MaxRetries = 5 })
	_, err := e2.w.Link(ctx, LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref})
	if !errors.Is(err, store.ErrConflict) || ReasonOf(err) != ReasonConflict || always.saves != 6 {
		t.Errorf("Link against a store that always conflicts: %v after %d saves; want store.ErrConflict after 1+5", err, always.saves)
	}
	// Zero MaxRetries means the default: 3 retries after the first attempt.
	dflt := &conflictStore{Store: NewMemoryStore()}
	e3 := newEnv(t, func(c *Config) { c.Store = dflt })
	if _, err := e3.w.Link(ctx, LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref}); !errors.Is(err, store.ErrConflict) || dflt.saves != 4 {
		t.Errorf("Link with the default MaxRetries: %v after %d saves; want store.ErrConflict after 1+3", err, dflt.saves)
	}
}

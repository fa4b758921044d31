package smsuite_test

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/smsuite"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/wallet"
)

// TestSealedWalletRecords: a wallet store whose key carries the SM suite seals records
// that begin with the suite's byte and opens them; a store with the default suite under
// the same key ID and secret refuses them, and the SM store refuses default records.
func TestSealedWalletRecords(t *testing.T) {
	secret := testSecret("wallet")
	smKey := store.Key{ID: 1, Secret: secret, Suite: smsuite.Suite{}}
	defKey := store.Key{ID: 1, Secret: secret}
	seal := func(k store.Key) (*wallet.SealedStore, *wallet.MemoryStore) {
		inner := wallet.NewMemoryStore()
		s, err := wallet.NewSealedStore(inner, k)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(t.Context(), wallet.StoredWallet{Holder: "h", Data: []byte("wallet")}); err != nil {
			t.Fatal(err)
		}
		return s, inner
	}
	smStore, smInner := seal(smKey)
	_, defInner := seal(defKey)
	rec, err := smInner.Load(t.Context(), "h")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(string(rec.Data))
	if err != nil {
		t.Fatal(err)
	}
	if raw[0] != smsuite.SealID {
		t.Errorf("sealed record's first byte %#x, want %#x", raw[0], smsuite.SealID)
	}
	got, err := smStore.Load(t.Context(), "h")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("wallet", string(got.Data)); diff != "" {
		t.Errorf("record mismatch (-want +got):\n%s", diff)
	}
	// Swap the inner stores: each sealer sees the other suite's record.
	for name, s := range map[string]*wallet.SealedStore{
		"default store, SM record": mustSealed(t, smInner, defKey),
		"SM store, default record": mustSealed(t, defInner, smKey),
	} {
		if _, err := s.Load(t.Context(), "h"); !errors.Is(err, wallet.ErrNotAuthentic) {
			t.Errorf("%s: error = %v, want ErrNotAuthentic", name, err)
		}
	}
}

func mustSealed(t *testing.T, inner wallet.Store, k store.Key) *wallet.SealedStore {
	t.Helper()
	s, err := wallet.NewSealedStore(inner, k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSealedDecisions: a verify decision token sealed under an SM key opens under it and
// not under the default suite's key of the same ID and secret.
func TestSealedDecisions(t *testing.T) {
	now := func() time.Time { return t0 }
	secret := testSecret("decisions")
	sm, err := verify.NewDecisionSealer(now, store.Key{ID: 1, Secret: secret, Suite: smsuite.Suite{}})
	if err != nil {
		t.Fatal(err)
	}
	def, err := verify.NewDecisionSealer(now, store.Key{ID: 1, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := sm.Seal(verify.Decision{Outcome: verify.OutcomePass, Level: verify.LevelRealName, Subject: "subject-1", CheckID: "check-1", ValidUntil: t0.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := sm.Open(tok)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if d.Outcome != verify.OutcomePass || d.Level != verify.LevelRealName {
		t.Errorf("opened %v %v, want pass real-name", d.Outcome, d.Level)
	}
	if _, err := def.Open(tok); !errors.Is(err, verify.ErrNotAuthentic) {
		t.Errorf("default sealer: error = %v, want ErrNotAuthentic", err)
	}
}

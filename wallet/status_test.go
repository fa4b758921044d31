package wallet

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// switchableStore fails every call while down is set, like a database that went away.
type switchableStore struct {
	Store
	down atomic.Bool
	err  error
}

func (s *switchableStore) Load(ctx context.Context, holder string) (StoredWallet, error) {
	if s.down.Load() {
		return StoredWallet{}, s.err
	}
	return s.Store.Load(ctx, holder)
}

func (s *switchableStore) Lookup(ctx context.Context, key string) (string, error) {
	if s.down.Load() {
		return "", s.err
	}
	return s.Store.Lookup(ctx, key)
}

// Attack: a credential is suspended, reported lost or revoked after the holder's phone
// showed its code, and the code is presented while still valid. A reader wired to the
// wallet with one line (StatusChecker: w) refuses it inside Open, with the wallet's
// reason; an active credential's code opens; a wallet that cannot reach its store
// refuses the code as unavailable (fail closed); a code the wallet never presented is
// refused.
func TestWalletAsReaderStatusChecker(t *testing.T) {
	st := &switchableStore{Store: NewMemoryStore(), err: errors.New("database down")}
	e := newEnv(t, func(c *Config) {
		c.Store = st
		withIssuer(t)(c)
	})
	e.link(t)
	ctx := context.Background()
	reader, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes:      []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:          []qrtoken.SecretKey{qrKey},
		ReplayGuard:   store.NewMemoryReplayGuard(),
		Now:           e.clk.now,
		StatusChecker: e.w,
	})
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	present := func(k verify.CredentialKind) string {
		t.Helper()
		p, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: e.current(t, k).Handle, Purpose: qrtoken.PurposeInternetCafe()})
		if err != nil {
			t.Fatalf("Present(%v): %v", k, err)
		}
		return p.Code.Text()
	}

	if _, err := reader.Open(ctx, present(verify.KindIDCard)); err != nil {
		t.Fatalf("active credential: Open = %v", err)
	}

	for _, tt := range []struct {
		kind   verify.CredentialKind
		status Status
		reason Reason
	}{
		{verify.KindIDCard, StatusSuspended, ReasonSuspended},
		{verify.KindResidencePermit, StatusReportedLost, ReasonReportedLost},
		{verify.KindDriverLicence, StatusRevoked, ReasonRevoked},
	} {
		code := present(tt.kind) // issued while active
		must(t, e.w.SetStatus(ctx, e.current(t, tt.kind).Handle, tt.status, "police"))
		_, err := reader.Open(ctx, code)
		if !errors.Is(err, qrtoken.ErrStatusRefused) || !errors.Is(err, ErrInactive) || ReasonOf(err) != tt.reason {
			t.Errorf("%v %v after issue: Open = %v, want qrtoken.ErrStatusRefused with reason %v", tt.kind, tt.status, err, tt.reason)
		}
	}

	// A code the wallet did not present: issued by the same key, outside the wallet.
	is, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &qrKey, Now: e.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := is.Issue(ctx, qrtoken.Claims{Name: testName, IDNumber: holderID}, qrtoken.PurposeInternetCafe())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reader.Open(ctx, stranger.Text()); !errors.Is(err, qrtoken.ErrStatusRefused) || !errors.Is(err, ErrNotFound) {
		t.Errorf("code the wallet did not present: Open = %v, want qrtoken.ErrStatusRefused wrapping ErrNotFound", err)
	}

	code := present(verify.KindHouseholdRegister)
	st.down.Store(true)
	_, err = reader.Open(ctx, code)
	if !errors.Is(err, qrtoken.ErrUnavailable) || !errors.Is(err, st.err) || errors.Is(err, qrtoken.ErrStatusRefused) {
		t.Errorf("store down: Open = %v, want qrtoken.ErrUnavailable wrapping the store's error", err)
	}
}

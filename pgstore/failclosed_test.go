package pgstore

import (
	"context"
	"crypto/cipher"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/wallet"
)

// deadStore returns a Store whose pool points at a loopback port nobody listens on.
func deadStore(t *testing.T) *Store {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg, err := pgxpool.ParseConfig("postgres://nobody@" + addr + "/none?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s, err := New(Config{Pool: pool, IndexKey: testIndexKey, Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFailsClosed: with no server, every operation returns an error matching
// ErrUnavailable; the guard answers first=false, the limiter Allowed=false, the asked
// store ok=false. It needs no database.
func TestFailsClosed(t *testing.T) {
	s := deadStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	if first, err := s.Claim(ctx, "k", now, now.Add(time.Minute)); first || !errors.Is(err, ErrUnavailable) {
		t.Errorf("Claim = %v, %v; want false and ErrUnavailable", first, err)
	}
	if res, err := s.Take(ctx, "k", now, store.AttemptRule{Limit: 3, Window: time.Minute}); res.Allowed || !errors.Is(err, ErrUnavailable) {
		t.Errorf("Take = %+v, %v; want not allowed and ErrUnavailable", res, err)
	}
	if err := s.Reset(ctx, "k"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Reset error = %v, want ErrUnavailable", err)
	}
	if ok, err := s.AskedStore().Claim(ctx, "k", []string{"a"}, now, now.Add(time.Minute)); ok || !errors.Is(err, ErrUnavailable) {
		t.Errorf("AskedStore.Claim = %v, %v; want false and ErrUnavailable", ok, err)
	}
	if ids, err := s.AskedStore().Asked(ctx, "k", now); ids != nil || !errors.Is(err, ErrUnavailable) {
		t.Errorf("AskedStore.Asked = %v, %v; want nothing and ErrUnavailable", ids, err)
	}
	ws := s.WalletStore()
	if _, err := ws.Save(ctx, wallet.StoredWallet{Holder: "h"}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("wallet Save error = %v, want ErrUnavailable", err)
	}
	if _, err := ws.Load(ctx, "h"); !errors.Is(err, ErrUnavailable) || errors.Is(err, wallet.ErrNotFound) {
		t.Errorf("wallet Load error = %v, want ErrUnavailable (not ErrNotFound)", err)
	}
	rs, err := s.ReviewStore()
	if err != nil {
		t.Fatal(err)
	}
	c := &review.Case{ID: "rv-1", Reviewer: "r1", State: review.StateInReview, Application: reviewApplication("a")}
	if _, err := rs.PutAssigned(ctx, c, 3); !errors.Is(err, ErrUnavailable) {
		t.Errorf("PutAssigned error = %v, want ErrUnavailable", err)
	}
	if _, err := rs.Get(ctx, "rv-1"); !errors.Is(err, ErrUnavailable) || errors.Is(err, review.ErrNotFound) {
		t.Errorf("Get error = %v, want ErrUnavailable (not ErrNotFound)", err)
	}
	lc, err := s.LivenessConsentStore()
	if err != nil {
		t.Fatal(err)
	}
	consent := liveness.Consent{Subject: "subj", Purpose: liveness.PurposeBiometric, TextVersion: "v1", GivenAt: now}
	if id, err := lc.Record(ctx, consent); id != "" || !errors.Is(err, ErrUnavailable) {
		t.Errorf("liveness consent Record = %q, %v; want no ID and ErrUnavailable", id, err)
	}
	if _, found, err := lc.Lookup(ctx, "id"); found || !errors.Is(err, ErrUnavailable) {
		t.Errorf("liveness consent Lookup = %v, %v; want not found and ErrUnavailable", found, err)
	}
	if err := lc.Withdraw(ctx, "id", now); !errors.Is(err, ErrUnavailable) || errors.Is(err, liveness.ErrInvalidArgument) {
		t.Errorf("liveness consent Withdraw error = %v, want ErrUnavailable (not ErrInvalidArgument)", err)
	}
	rc, err := s.RelyingPartyConsentStore()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Put(ctx, relyingparty.ConsentRecord{ID: "id", Subject: "subj", GivenAt: now}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("relying-party consent Put error = %v, want ErrUnavailable", err)
	}
	if _, found, err := rc.Get(ctx, "id"); found || !errors.Is(err, ErrUnavailable) {
		t.Errorf("relying-party consent Get = %v, %v; want not found and ErrUnavailable", found, err)
	}
	hs, err := s.HandoffStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := hs.Put(ctx, "k", "v", now, now.Add(time.Minute)); !errors.Is(err, ErrUnavailable) {
		t.Errorf("hand-off Put error = %v, want ErrUnavailable", err)
	}
	if v, found, err := hs.Take(ctx, "k", now); v != "" || found || !errors.Is(err, ErrUnavailable) {
		t.Errorf("hand-off Take = %q, %v, %v; want nothing and ErrUnavailable", v, found, err)
	}
	if err := Migrate(ctx, s.pool); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Migrate error = %v, want ErrUnavailable", err)
	}
	// A canceled context is unavailability too, and keeps its cause.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Claim(cctx, "k", now, now.Add(time.Minute)); !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("Claim(canceled) error = %v, want ErrUnavailable and context.Canceled", err)
	}
}

// TestNewRefusesBadConfig checks New's and ReviewStore's validation.
func TestNewRefusesBadConfig(t *testing.T) {
	pool := deadStore(t).pool
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no pool", Config{IndexKey: testIndexKey}},
		{"short index key", Config{Pool: pool, IndexKey: testIndexKey[:31]}},
		{"short case key", Config{Pool: pool, IndexKey: testIndexKey, Keys: []store.Key{{ID: 1, Secret: make([]byte, 31)}}}},
		{"duplicate key IDs", Config{Pool: pool, IndexKey: testIndexKey, Keys: []store.Key{testKeys[0], testKeys[0]}}},
		// pgstore seals with the default suite only: a key of another suite (an SM
		// deployment's) is refused, not silently sealed with XChaCha20-Poly1305.
		{"key with a suite", Config{Pool: pool, IndexKey: testIndexKey, Keys: []store.Key{{ID: 9, Secret: testKeys[0].Secret, Suite: otherSuite{}}}}},
		{"old key with a suite", Config{Pool: pool, IndexKey: testIndexKey, Keys: []store.Key{testKeys[0], {ID: 9, Secret: testKeys[0].Secret, Suite: otherSuite{}}}}},
	}
	for _, tt := range tests {
		if _, err := New(tt.cfg); !errors.Is(err, store.ErrInvalidArgument) {
			t.Errorf("New(%s) error = %v, want store.ErrInvalidArgument", tt.name, err)
		}
	}
	s, err := New(Config{Pool: pool, IndexKey: testIndexKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewStore(); !errors.Is(err, store.ErrInvalidArgument) {
		t.Errorf("ReviewStore() without Keys error = %v, want store.ErrInvalidArgument", err)
	}
	if _, err := s.LivenessConsentStore(); !errors.Is(err, store.ErrInvalidArgument) {
		t.Errorf("LivenessConsentStore() without Keys error = %v, want store.ErrInvalidArgument", err)
	}
	if _, err := s.RelyingPartyConsentStore(); !errors.Is(err, store.ErrInvalidArgument) {
		t.Errorf("RelyingPartyConsentStore() without Keys error = %v, want store.ErrInvalidArgument", err)
	}
	if _, err := s.HandoffStore(); !errors.Is(err, store.ErrInvalidArgument) {
		t.Errorf("HandoffStore() without Keys error = %v, want store.ErrInvalidArgument", err)
	}
	var zero Store
	if _, err := zero.Claim(context.Background(), "k", time.Now(), time.Now().Add(time.Minute)); !errors.Is(err, store.ErrInvalidArgument) {
		t.Errorf("zero Store Claim error = %v, want store.ErrInvalidArgument", err)
	}
	ctx, now := context.Background(), time.Now()
	for name, call := range map[string]func() error{
		"nil LivenessConsentStore Lookup": func() error {
			_, _, err := (*LivenessConsentStore)(nil).Lookup(ctx, "id")
			return err
		},
		"zero LivenessConsentStore Withdraw": func() error { return new(LivenessConsentStore).Withdraw(ctx, "id", now) },
		"nil RelyingPartyConsentStore Put": func() error {
			_, err := (*RelyingPartyConsentStore)(nil).Put(ctx, relyingparty.ConsentRecord{ID: "id"})
			return err
		},
		"zero RelyingPartyConsentStore Get": func() error {
			_, _, err := new(RelyingPartyConsentStore).Get(ctx, "id")
			return err
		},
		"nil HandoffStore Put": func() error { return (*HandoffStore)(nil).Put(ctx, "k", "v", now, now.Add(time.Minute)) },
		"zero HandoffStore Take": func() error {
			_, _, err := new(HandoffStore).Take(ctx, "k", now)
			return err
		},
	} {
		if err := call(); !errors.Is(err, store.ErrInvalidArgument) {
			t.Errorf("%s error = %v, want store.ErrInvalidArgument", name, err)
		}
	}
}

// otherSuite is a seal suite other than the default one, as an SM deployment's keys carry.
type otherSuite struct{}

func (otherSuite) SealID() byte { return 0x02 }

func (otherSuite) SealAEAD(secret []byte, _ string) (cipher.AEAD, error) {
	return chacha20poly1305.NewX(secret[:chacha20poly1305.KeySize])
}

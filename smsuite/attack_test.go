package smsuite_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/smsuite"
	"github.com/trustid/trustid/store"
)

// TestRoundTrip: SM online and offline codes open at an SM reader with the claims issued,
// and the first nibble of each code is the suite's ID.
func TestRoundTrip(t *testing.T) {
	e := newEnv(t, smsuite.Suite{})
	for name, text := range map[string]string{
		"online":  e.issue(t, cafeClaims(), qrtoken.PurposeInternetCafe()),
		"offline": e.issueOffline(t, cafeClaims(), qrtoken.PurposeInternetCafe()),
	} {
		raw, err := qrtoken.DecodeBase45(text)
		if err != nil {
			t.Fatal(err)
		}
		if raw[0]>>4 != smsuite.ID {
			t.Errorf("%s: first nibble %d, want the suite's %d", name, raw[0]>>4, smsuite.ID)
		}
		o, err := e.reader.Open(t.Context(), text)
		if err != nil {
			t.Fatalf("%s: Open: %v", name, err)
		}
		want := cafeClaims()
		if diff := cmp.Diff(want.Name, o.Claims.Name); diff != "" {
			t.Errorf("%s: name mismatch (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(want.IDNumber, o.Claims.IDNumber); diff != "" {
			t.Errorf("%s: ID number mismatch (-want +got):\n%s", name, diff)
		}
	}
}

// TestEveryBitFlipRejected: every single-bit change of an SM online or offline code is
// refused, and none is accepted as another code.
func TestEveryBitFlipRejected(t *testing.T) {
	e := newEnv(t, smsuite.Suite{})
	for name, text := range map[string]string{
		"online":  e.issue(t, cafeClaims(), qrtoken.PurposeInternetCafe()),
		"offline": e.issueOffline(t, cafeClaims(), qrtoken.PurposeInternetCafe()),
	} {
		raw, err := qrtoken.DecodeBase45(text)
		if err != nil {
			t.Fatal(err)
		}
		for i := range len(raw) * 8 {
			b := append([]byte(nil), raw...)
			b[i/8] ^= 1 << (i % 8)
			if _, err := e.reader.Open(t.Context(), qrtoken.EncodeBase45(b)); err == nil {
				t.Fatalf("%s: bit %d flipped: accepted", name, i)
			}
		}
		// The unchanged code still opens: the flips used nothing up.
		if _, err := e.reader.Open(t.Context(), text); err != nil {
			t.Fatalf("%s: original after flips: %v", name, err)
		}
	}
}

// TestWrongSuite: a default-suite reader refuses an SM code, and an SM reader a default
// code, with the typed ErrWrongSuite, although they share every key ID.
func TestWrongSuite(t *testing.T) {
	sm := newEnv(t, smsuite.Suite{})
	def := newEnv(t, nil)
	for _, tc := range []struct {
		name   string
		text   string
		reader *qrtoken.Reader
	}{
		{"SM online at default reader", sm.issue(t, cafeClaims(), qrtoken.PurposeInternetCafe()), def.reader},
		{"SM offline at default reader", sm.issueOffline(t, cafeClaims(), qrtoken.PurposeInternetCafe()), def.reader},
		{"default online at SM reader", def.issue(t, cafeClaims(), qrtoken.PurposeInternetCafe()), sm.reader},
		{"default offline at SM reader", def.issueOffline(t, cafeClaims(), qrtoken.PurposeInternetCafe()), sm.reader},
	} {
		_, err := tc.reader.Open(t.Context(), tc.text)
		if !errors.Is(err, qrtoken.ErrWrongSuite) {
			t.Errorf("%s: error = %v, want ErrWrongSuite", tc.name, err)
		}
	}
	// Relabelled: an SM code whose nibble is rewritten to the default's is not authentic
	// at the default reader (its key, AEAD and hash are not the default's).
	raw, _ := qrtoken.DecodeBase45(sm.issue(t, cafeClaims(), qrtoken.PurposeInternetCafe()))
	raw[0] = 1<<4 | raw[0]&0xF
	if _, err := def.reader.Open(t.Context(), qrtoken.EncodeBase45(raw)); !errors.Is(err, qrtoken.ErrNotAuthentic) {
		t.Errorf("relabelled SM code: error = %v, want ErrNotAuthentic", err)
	}
}

// TestWrongKeysForSuite: SM keys are refused under the default suite and Ed25519/HPKE keys
// under the SM suite, at configuration time.
func TestWrongKeysForSuite(t *testing.T) {
	sm2Key := qrtoken.SigningKey{ID: 1, Key: testSM2Key(t, "k")}
	if _, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes:   []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		IssuerKeys: []qrtoken.IssuerPublicKey{sm2Key.Public()},
		GroupKeys:  []qrtoken.GroupPrivateKey{{ID: 1, Key: testSM2Key(t, "g")}},
	}); !errors.Is(err, qrtoken.ErrInvalidArgument) {
		t.Errorf("default reader with an SM2 group key: error = %v, want ErrInvalidArgument", err)
	}
	g, err := qrtoken.GenerateGroupKey(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes:   []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		IssuerKeys: []qrtoken.IssuerPublicKey{sm2Key.Public()},
		GroupKeys:  []qrtoken.GroupPrivateKey{g},
		Suite:      smsuite.Suite{},
	}); !errors.Is(err, qrtoken.ErrInvalidArgument) {
		t.Errorf("SM reader with an HPKE group key: error = %v, want ErrInvalidArgument", err)
	}
	is, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{SigningKey: &qrtoken.SigningKey{ID: 1, Key: ed25519Key("x")}, Suite: smsuite.Suite{}})
	if err != nil {
		t.Fatal(err)
	}
	smGroup := qrtoken.GroupPrivateKey{ID: 1, Key: testSM2Key(t, "g")}
	if _, err := is.IssueOffline(t.Context(), cafeClaims(), qrtoken.PurposeInternetCafe(), smGroup.Public()); !errors.Is(err, qrtoken.ErrInvalidArgument) {
		t.Errorf("SM issuer with an Ed25519 signing key: error = %v, want ErrInvalidArgument", err)
	}
}

// TestWindowsAndPurpose: SM codes obey the window and purpose rules of the default suite.
func TestWindowsAndPurpose(t *testing.T) {
	for _, offline := range []bool{false, true} {
		e := newEnv(t, smsuite.Suite{})
		issue := e.issue
		if offline {
			issue = e.issueOffline
		}
		text := issue(t, cafeClaims(), qrtoken.PurposeInternetCafe())
		e.readerClock.Set(t0.Add(3 * time.Minute))
		if _, err := e.reader.Open(t.Context(), text); !errors.Is(err, qrtoken.ErrExpired) {
			t.Errorf("offline=%v: two windows later: error = %v, want ErrExpired", offline, err)
		}
		e.readerClock.Set(t0.Add(-2 * time.Minute))
		if _, err := e.reader.Open(t.Context(), text); !errors.Is(err, qrtoken.ErrNotYetValid) {
			t.Errorf("offline=%v: issuer ahead: error = %v, want ErrNotYetValid", offline, err)
		}
		e.readerClock.Set(t0)
		// A window that is accepted but not the code's: the code's window byte rewritten.
		raw, _ := qrtoken.DecodeBase45(text)
		b := append([]byte(nil), raw...)
		b[len(headerOf(offline))-1]--
		if _, err := e.reader.Open(t.Context(), qrtoken.EncodeBase45(b)); !errors.Is(err, qrtoken.ErrNotAuthentic) {
			t.Errorf("offline=%v: previous window claimed: error = %v, want ErrNotAuthentic", offline, err)
		}
		// Another purpose's reader.
		gate := newEnv(t, smsuite.Suite{}, func(_ *qrtoken.IssuerConfig, rc *qrtoken.ReaderConfig) {
			rc.Purposes = []qrtoken.Purpose{qrtoken.PurposeStadiumGate()}
		})
		if _, err := gate.reader.Open(t.Context(), text); !errors.Is(err, qrtoken.ErrWrongPurpose) {
			t.Errorf("offline=%v: gate reader: error = %v, want ErrWrongPurpose", offline, err)
		}
		// The purpose byte rewritten to one the reader accepts: not authentic.
		b = append([]byte(nil), raw...)
		b[1] = qrtoken.PurposeGovernmentCounter().ID
		if _, err := e.reader.Open(t.Context(), qrtoken.EncodeBase45(b)); !errors.Is(err, qrtoken.ErrNotAuthentic) {
			t.Errorf("offline=%v: purpose rewritten: error = %v, want ErrNotAuthentic", offline, err)
		}
	}
}

// headerOf is a header of the mode's length: the window byte is its last.
func headerOf(offline bool) []byte {
	if offline {
		return make([]byte, 5)
	}
	return make([]byte, 4)
}

// TestReplayManyGoroutines: one SM code presented by 32 goroutines at once to readers
// sharing a guard is accepted exactly once; the rest get store.ErrReplayed.
func TestReplayManyGoroutines(t *testing.T) {
	guard := store.NewMemoryReplayGuard()
	e := newEnv(t, smsuite.Suite{}, func(_ *qrtoken.IssuerConfig, rc *qrtoken.ReaderConfig) { rc.ReplayGuard = guard })
	for _, text := range []string{
		e.issue(t, cafeClaims(), qrtoken.PurposeInternetCafe()),
		e.issueOffline(t, cafeClaims(), qrtoken.PurposeInternetCafe()),
	} {
		var ok, replayed, other atomic.Int32
		var wg sync.WaitGroup
		for range 32 {
			wg.Go(func() {
				_, err := e.reader.Open(t.Context(), text)
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, store.ErrReplayed):
					replayed.Add(1)
				default:
					other.Add(1)
				}
			})
		}
		wg.Wait()
		if diff := cmp.Diff([3]int32{1, 31, 0}, [3]int32{ok.Load(), replayed.Load(), other.Load()}); diff != "" {
			t.Errorf("accepted, replayed, other (-want +got):\n%s", diff)
		}
	}
}

// TestCheckInRefused: venue challenges are Ed25519, so an SM issuer refuses to answer one
// and an SM reader refuses venue keys.
func TestCheckInRefused(t *testing.T) {
	e := newEnv(t, smsuite.Suite{})
	if _, err := e.issuer.IssueCheckIn(t.Context(), "", cafeClaims(), qrtoken.PurposeInternetCafe()); !errors.Is(err, qrtoken.ErrInvalidArgument) {
		t.Errorf("IssueCheckIn: error = %v, want ErrInvalidArgument", err)
	}
	vk := qrtoken.VenueKey{ID: 1, Key: ed25519Key("venue")}
	if _, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes:  []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:      []qrtoken.SecretKey{{ID: 1, Secret: testSecret("k")}},
		VenueKeys: []qrtoken.VenuePublicKey{vk.Public(7)},
		Suite:     smsuite.Suite{},
	}); !errors.Is(err, qrtoken.ErrInvalidArgument) {
		t.Errorf("SM reader with venue keys: error = %v, want ErrInvalidArgument", err)
	}
}

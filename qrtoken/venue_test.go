package qrtoken

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/store"
)

func testVenueKey(id uint8) VenueKey {
	seed := sha256.Sum256([]byte{'v', id})
	return VenueKey{ID: id, Key: ed25519.NewKeyFromSeed(seed[:])}
}

const testVenueID = 440305

type venueEnv struct {
	*env
	venue *Venue
}

func newVenueEnv(t *testing.T) *venueEnv {
	t.Helper()
	e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) {
		rc.VenueKeys = []VenuePublicKey{testVenueKey(1).Public(testVenueID)}
	})
	v, err := NewVenue(VenueConfig{Key: testVenueKey(1), VenueID: testVenueID, TerminalID: 17, Now: e.readerClock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &venueEnv{env: e, venue: v}
}

func (e *venueEnv) challenge(t *testing.T) *VenueChallenge {
	t.Helper()
	c, err := e.venue.Challenge(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *venueEnv) checkIn(t *testing.T, challenge string, c Claims) string {
	t.Helper()
	code, err := e.issuer.IssueCheckIn(t.Context(), challenge, c, PurposeInternetCafe())
	if err != nil {
		t.Fatalf("IssueCheckIn: %v", err)
	}
	return code.Text()
}

func TestCheckIn(t *testing.T) {
	e := newVenueEnv(t)
	ch := e.challenge(t)
	parsed, err := ParseVenueChallenge(ch.Text())
	if err != nil {
		t.Fatal(err)
	}
	if parsed.VenueID != testVenueID || parsed.TerminalID != 17 || parsed.Nonce != ch.Nonce || !parsed.Expires.Equal(t0.Add(DefaultVenueTTL)) {
		t.Errorf("ParseVenueChallenge = %v, want %v", parsed, ch)
	}
	o, err := e.reader.OpenCheckIn(t.Context(), e.checkIn(t, ch.Text(), cafeClaims()))
	if err != nil {
		t.Fatalf("OpenCheckIn: %v", err)
	}
	want := Claims{Name: "张三", IDNumber: exampleID, AgeOver: []AgeOver{{18, true}}}
	if diff := cmp.Diff(want, o.Claims); diff != "" {
		t.Errorf("claims mismatch (-want +got):\n%s", diff)
	}
	if o.Mode != ModeCheckIn || o.Venue == nil || o.Venue.VenueID != testVenueID || o.Venue.TerminalID != 17 || o.Venue.Nonce != ch.Nonce {
		t.Errorf("opened check-in mode %v venue %v", o.Mode, o.Venue)
	}
	if v, _ := Version(ch.Text(), RecoveryM); v > 6 {
		t.Errorf("venue challenge needs version %d at M", v)
	}
}

func TestCheckInAttacks(t *testing.T) {
	t.Run("challenge reused by another person", func(t *testing.T) {
		e := newVenueEnv(t)
		ch := e.challenge(t).Text()
		first := e.checkIn(t, ch, cafeClaims())
		second := e.checkIn(t, ch, Claims{Name: "李四", IDNumber: makeID("44030519900101001")})
		if _, err := e.reader.OpenCheckIn(t.Context(), first); err != nil {
			t.Fatal(err)
		}
		if _, err := e.reader.OpenCheckIn(t.Context(), second); !errors.Is(err, store.ErrReplayed) {
			t.Fatalf("second person: error %v, want store.ErrReplayed", err)
		}
		if _, err := e.reader.OpenCheckIn(t.Context(), first); !errors.Is(err, store.ErrReplayed) {
			t.Fatalf("same check-in again: error %v, want store.ErrReplayed", err)
		}
	})
	t.Run("challenge reused concurrently", func(t *testing.T) {
		e := newVenueEnv(t)
		ch := e.challenge(t).Text()
		var texts []string
		for range 32 {
			texts = append(texts, e.checkIn(t, ch, cafeClaims()))
		}
		var ok atomic.Int32
		var wg sync.WaitGroup
		for _, text := range texts {
			wg.Go(func() {
				_, err := e.reader.OpenCheckIn(context.Background(), text)
				if err == nil {
					ok.Add(1)
				} else if !errors.Is(err, store.ErrReplayed) {
					t.Errorf("OpenCheckIn: %v", err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Fatalf("%d check-ins accepted for one challenge, want 1", ok.Load())
		}
	})
	t.Run("expired challenge", func(t *testing.T) {
		e := newVenueEnv(t)
		ch := e.challenge(t).Text()
		text := e.checkIn(t, ch, cafeClaims())
		e.readerClock.Set(t0.Add(DefaultVenueTTL))
		if _, err := e.reader.OpenCheckIn(t.Context(), text); !errors.Is(err, ErrExpired) {
			t.Fatalf("error %v, want ErrExpired", err)
		}
		e.issuerClock.Set(t0.Add(DefaultVenueTTL + time.Second))
		if _, err := e.issuer.IssueCheckIn(t.Context(), ch, cafeClaims(), PurposeInternetCafe()); !errors.Is(err, ErrExpired) {
			t.Fatalf("IssueCheckIn error %v, want ErrExpired", err)
		}
	})
	t.Run("forged venue signature", func(t *testing.T) {
		e := newVenueEnv(t)
		evil, _ := NewVenue(VenueConfig{Key: VenueKey{ID: 1, Key: testVenueKey(9).Key}, VenueID: testVenueID, TerminalID: 17, Now: e.readerClock.Now})
		ch, _ := evil.Challenge(t.Context())
		if _, err := e.reader.OpenCheckIn(t.Context(), e.checkIn(t, ch.Text(), cafeClaims())); !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("error %v, want ErrNotAuthentic", err)
		}
	})
	t.Run("unknown venue", func(t *testing.T) {
		e := newVenueEnv(t)
		other, _ := NewVenue(VenueConfig{Key: testVenueKey(1), VenueID: 1, TerminalID: 17, Now: e.readerClock.Now})
		ch, _ := other.Challenge(t.Context())
		if _, err := e.reader.OpenCheckIn(t.Context(), e.checkIn(t, ch.Text(), cafeClaims())); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("error %v, want ErrUnknownKey", err)
		}
	})
	t.Run("identity moved to another challenge", func(t *testing.T) {
		e := newVenueEnv(t)
		a, b := e.challenge(t), e.challenge(t)
		raw, _ := DecodeBase45(e.checkIn(t, a.Text(), cafeClaims()))
		spliced := append(bytes.Clone(raw[:len(raw)-venueLen]), b.raw...)
		if _, err := e.reader.OpenCheckIn(t.Context(), EncodeBase45(spliced)); !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("error %v, want ErrNotAuthentic", err)
		}
		// The genuine check-in still goes through, and so does b with its own answer.
		if _, err := e.reader.OpenCheckIn(t.Context(), EncodeBase45(raw)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.reader.OpenCheckIn(t.Context(), e.checkIn(t, b.Text(), cafeClaims())); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("online code is not a check-in", func(t *testing.T) {
		e := newVenueEnv(t)
		if _, err := e.reader.OpenCheckIn(t.Context(), e.issue(t, cafeClaims(), PurposeInternetCafe())); !errors.Is(err, ErrWrongMode) {
			t.Fatalf("error %v, want ErrWrongMode", err)
		}
		text := e.checkIn(t, e.challenge(t).Text(), cafeClaims())
		if _, err := e.reader.Open(t.Context(), text); !errors.Is(err, ErrWrongMode) {
			t.Fatalf("Open(check-in) error %v, want ErrWrongMode", err)
		}
		// Nor can the identity part of a check-in pass as an online code.
		raw, _ := DecodeBase45(text)
		id := bytes.Clone(raw[:len(raw)-venueLen])
		id[0] = formatVersion<<4 | kindOnline
		if _, err := e.reader.Open(t.Context(), EncodeBase45(id)); !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("Open(identity part) error %v, want ErrNotAuthentic", err)
		}
	})
	t.Run("bit flips", func(t *testing.T) {
		e := newVenueEnv(t)
		text := e.checkIn(t, e.challenge(t).Text(), cafeClaims())
		raw, _ := DecodeBase45(text)
		for i := range len(raw) * 8 {
			b := bytes.Clone(raw)
			b[i/8] ^= 1 << (i % 8)
			if _, err := e.reader.OpenCheckIn(t.Context(), EncodeBase45(b)); err == nil {
				t.Fatalf("bit %d flipped: accepted", i)
			}
		}
		for n := range len(raw) {
			if _, err := e.reader.OpenCheckIn(t.Context(), EncodeBase45(raw[:n])); err == nil {
				t.Fatalf("truncated to %d: accepted", n)
			}
		}
		if _, err := e.reader.OpenCheckIn(t.Context(), text); err != nil {
			t.Fatalf("genuine check-in after attack: %v", err)
		}
	})
	t.Run("malformed challenge", func(t *testing.T) {
		e := newVenueEnv(t)
		for _, in := range []string{"", "ABC", e.issue(t, cafeClaims(), PurposeInternetCafe())} {
			if _, err := e.issuer.IssueCheckIn(t.Context(), in, cafeClaims(), PurposeInternetCafe()); err == nil {
				t.Errorf("IssueCheckIn(%q) accepted", in)
			}
		}
	})
}

func TestVenueChallengeTooLong(t *testing.T) {
	e := newVenueEnv(t)
	long, err := NewVenue(VenueConfig{Key: testVenueKey(1), VenueID: testVenueID, TerminalID: 2, TTL: 24 * time.Hour, Now: func() time.Time { return t0.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := long.Challenge(t.Context())
	text := e.checkIn(t, ch.Text(), cafeClaims())
	if _, err := e.reader.OpenCheckIn(t.Context(), text); !errors.Is(err, ErrMalformed) {
		t.Fatalf("challenge expiring in 25h: error %v, want ErrMalformed", err)
	}
	if _, err := NewVenue(VenueConfig{Key: testVenueKey(1), TTL: 25 * time.Hour}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("NewVenue with 25h TTL: error %v", err)
	}
}

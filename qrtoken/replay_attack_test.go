package qrtoken

import (
	"context"
	"crypto/ed25519"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/trustid/trustid/store"
)

// Attack: two tellers of one service, each with its own Reader built from the same
// configuration and no replay guard configured, are shown the same photographed code. The
// readers share single use by default, so exactly one of them accepts it: sequentially,
// and when many goroutines race through both readers (and a third) at once.
func TestReadersInOneProcessShareSingleUse(t *testing.T) {
	for _, mode := range []Mode{ModeOnline, ModeOffline, ModeCheckIn} {
		t.Run(mode.String(), func(t *testing.T) {
			e := newVenueEnv(t) // the default guard: ReplayGuard is nil
			readers := []*Reader{e.reader, newEnv(t, withVenueKey).reader, newEnv(t, withVenueKey).reader}
			issue := func() (string, func(*Reader, string) (Opened, error)) {
				open := func(r *Reader, s string) (Opened, error) { return r.Open(context.Background(), s) }
				switch mode {
				case ModeOffline:
					return e.issueOffline(t, cafeClaims(), PurposeInternetCafe()), open
				case ModeCheckIn:
					return e.checkIn(t, e.challenge(t).Text(), cafeClaims()),
						func(r *Reader, s string) (Opened, error) { return r.OpenCheckIn(context.Background(), s) }
				}
				return e.issue(t, cafeClaims(), PurposeInternetCafe()), open
			}

			text, open := issue()
			if _, err := open(readers[0], text); err != nil {
				t.Fatalf("teller 1: %v", err)
			}
			for i, r := range readers[1:] {
				if _, err := open(r, text); !errors.Is(err, store.ErrReplayed) {
					t.Fatalf("teller %d: error = %v, want store.ErrReplayed", i+2, err)
				}
			}

			text, open = issue()
			var accepted, replayed atomic.Int32
			var wg sync.WaitGroup
			const n = 96
			for i := range n {
				r := readers[i%len(readers)]
				wg.Go(func() {
					_, err := open(r, text)
					switch {
					case err == nil:
						accepted.Add(1)
					case errors.Is(err, store.ErrReplayed):
						replayed.Add(1)
					default:
						t.Errorf("Open: %v", err)
					}
				})
			}
			wg.Wait()
			if accepted.Load() != 1 || replayed.Load() != n-1 {
				t.Fatalf("accepted %d, replayed %d; want 1 and %d", accepted.Load(), replayed.Load(), n-1)
			}
		})
	}
}

func withVenueKey(_ *IssuerConfig, rc *ReaderConfig) {
	rc.VenueKeys = []VenuePublicKey{testVenueKey(1).Public(testVenueID)}
}

// Readers that share a guard (by default every reader of the process) claim keys that
// begin with the replay ID of the key that authenticated the code: the same for readers
// holding the same key, different for readers holding a different key under the same ID,
// so a reader (a tenant) with its own keys cannot claim, and so burn, another's codes,
// whatever tag or signature it manages to produce.
func TestReplayKeysSeparateKeySets(t *testing.T) {
	type claimed struct{ online, offline, venue string }
	claim := func(label string) claimed {
		var g keepingGuard
		sk := testSigningKey(3, "issuer "+label)
		vk := VenueKey{ID: 1, Key: testSigningKey(1, "venue "+label).Key.(ed25519.PrivateKey)}
		e := newEnv(t, func(ic *IssuerConfig, rc *ReaderConfig) {
			ic.Key = &SecretKey{ID: 1, Secret: testSecret(label)}
			ic.SigningKey = &sk
			rc.Keys = []SecretKey{{ID: 1, Secret: testSecret(label)}}
			rc.IssuerKeys = []IssuerPublicKey{sk.Public()}
			rc.VenueKeys = []VenuePublicKey{vk.Public(testVenueID)}
			rc.ReplayGuard = &g
		})
		v, err := NewVenue(VenueConfig{Key: vk, VenueID: testVenueID, TerminalID: 17, Now: e.readerClock.Now})
		if err != nil {
			t.Fatal(err)
		}
		ch, err := v.Challenge(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), PurposeInternetCafe())); err != nil {
			t.Fatal(err)
		}
		if _, err := e.reader.Open(t.Context(), e.issueOffline(t, cafeClaims(), PurposeInternetCafe())); err != nil {
			t.Fatal(err)
		}
		ci, err := e.issuer.IssueCheckIn(t.Context(), ch.Text(), cafeClaims(), PurposeInternetCafe())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.reader.OpenCheckIn(t.Context(), ci.Text()); err != nil {
			t.Fatal(err)
		}
		if len(g.keys) != 4 { // online, offline, check-in's code, check-in's challenge
			t.Fatalf("%d keys claimed, want 4", len(g.keys))
		}
		return claimed{online: g.keys[0][:replayIDLen], offline: g.keys[1][:replayIDLen], venue: g.keys[3][:replayIDLen]}
	}
	a, a2, b := claim("tenant a"), claim("tenant a"), claim("tenant b")
	if a != a2 {
		t.Errorf("readers with the same keys claim under different replay IDs: %x, %x", a, a2)
	}
	if a.online == b.online || a.offline == b.offline || a.venue == b.venue {
		t.Errorf("readers with different keys under the same IDs share a replay ID: %x, %x", a, b)
	}
}

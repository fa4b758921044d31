package qrtoken

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
)

// statusBook is a StatusChecker over a map from code text to the credential's status,
// like a wallet's presentation records: "active", a refusal ("revoked", "suspended",
// "reported_lost"), or "down" for a status service that cannot be reached. A text not
// in the book is unknown and refused.
type statusBook struct {
	mu     sync.Mutex
	status map[string]string
	asked  []string // the texts asked about, in order
	down   error
}

func newStatusBook() *statusBook {
	return &statusBook{status: map[string]string{}, down: errors.New("status service unreachable")}
}

func (b *statusBook) set(text, status string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status[text] = status
}

func (b *statusBook) CheckStatus(_ context.Context, text string, o Opened) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.asked = append(b.asked, text)
	if o.Claims.Name == "" || o.Window.Number == 0 {
		return fmt.Errorf("status check given an incomplete Opened: %v", o)
	}
	switch s, ok := b.status[text]; {
	case !ok:
		return fmt.Errorf("%w: unknown code", ErrStatusRefused)
	case s == "active":
		return nil
	case s == "down":
		return b.down
	default:
		return fmt.Errorf("%w: %s", ErrStatusRefused, s)
	}
}

func (b *statusBook) askedCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.asked)
}

// Attack: a credential is revoked, suspended or reported lost after its code was issued,
// and the holder (or whoever took the phone) presents the still-valid code. The reader's
// status check runs inside Open, so the host cannot forget it: the code is refused. An
// active credential's code opens; a status service that fails refuses the code (fail
// closed), and so does one that does not know the code.
func TestStatusInsideOpen(t *testing.T) {
	book := newStatusBook()
	e := newVenueEnv(t)
	r, err := NewReader(ReaderConfig{
		Purposes:      []Purpose{PurposeInternetCafe()},
		Keys:          []SecretKey{{ID: 1, Secret: testSecret("k1")}},
		IssuerKeys:    []IssuerPublicKey{testSigningKey(3, "issuer").Public()},
		GroupKeys:     []GroupPrivateKey{e.group},
		VenueKeys:     []VenuePublicKey{testVenueKey(1).Public(testVenueID)},
		ReplayGuard:   store.NewMemoryReplayGuard(),
		Now:           e.readerClock.Now,
		StatusChecker: book,
	})
	if err != nil {
		t.Fatal(err)
	}
	open := func(mode Mode, text string) (Opened, error) {
		if mode == ModeCheckIn {
			return r.OpenCheckIn(t.Context(), text)
		}
		return r.Open(t.Context(), text)
	}
	for _, mode := range []Mode{ModeOnline, ModeOffline, ModeCheckIn} {
		issue := func(status string) string {
			var text string
			switch mode {
			case ModeOnline:
				text = e.issue(t, cafeClaims(), PurposeInternetCafe())
			case ModeOffline:
				text = e.issueOffline(t, cafeClaims(), PurposeInternetCafe())
			case ModeCheckIn:
				text = e.checkIn(t, e.challenge(t).Text(), cafeClaims())
			}
			if status != "" {
				book.set(text, "active") // active when issued
				book.set(text, status)   // and changed before the scan
			}
			return text
		}
		for _, tt := range []struct {
			status string
			want   error
		}{
			{"active", nil},
			{"revoked", ErrStatusRefused},
			{"suspended", ErrStatusRefused},
			{"reported_lost", ErrStatusRefused},
			{"", ErrStatusRefused}, // unknown to the status service
			{"down", ErrUnavailable},
		} {
			t.Run(fmt.Sprintf("%v/%s", mode, tt.status), func(t *testing.T) {
				text := issue(tt.status)
				o, err := open(mode, text)
				if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
					t.Fatalf("open = %v, want %v", err, tt.want)
				}
				if tt.want == nil {
					if diff := cmp.Diff(cafeClaims().Name, o.Claims.Name); diff != "" {
						t.Errorf("claims mismatch (-want +got):\n%s", diff)
					}
					return
				}
				if errors.Is(err, ErrStatusRefused) == errors.Is(err, ErrUnavailable) {
					t.Errorf("error %v matches both or neither of ErrStatusRefused and ErrUnavailable", err)
				}
				if tt.status == "down" && !errors.Is(err, book.down) {
					t.Errorf("error %v does not wrap the checker's error", err)
				}
				var qe *Error
				if !errors.As(err, &qe) {
					t.Fatalf("error %v is not a *qrtoken.Error", err)
				}
				// The refusal used the code up: the status check runs after the guard.
				if _, err := open(mode, text); !errors.Is(err, store.ErrReplayed) {
					t.Errorf("second open = %v, want store.ErrReplayed", err)
				}
			})
		}
	}
}

// The status check runs only for a code that passed every other check: a tampered,
// expired or replayed code, or an under-age holder's, costs no status query.
func TestStatusAfterOtherChecks(t *testing.T) {
	book := newStatusBook()
	e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) {
		rc.ReplayGuard = store.NewMemoryReplayGuard()
		rc.StatusChecker = book
		rc.Purposes = []Purpose{PurposeInternetCafe()}
		rc.RequireAgeOver = 18
	})
	text := e.issue(t, cafeClaims(), PurposeInternetCafe())
	book.set(text, "active")
	if _, err := e.reader.Open(t.Context(), text); err != nil {
		t.Fatal(err)
	}
	raw, err := DecodeBase45(e.issue(t, cafeClaims(), PurposeInternetCafe()))
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-1] ^= 1
	minor := e.issue(t, Claims{Name: "李四", IDNumber: makeID("11010520150101001")}, PurposeInternetCafe())
	for _, tt := range []struct {
		name string
		text string
		want error
	}{
		{"replayed", text, store.ErrReplayed},
		{"tampered", EncodeBase45(raw), ErrNotAuthentic},
		{"under age", minor, ErrUnderAge},
	} {
		if _, err := e.reader.Open(t.Context(), tt.text); !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
	}
	if n := book.askedCount(); n != 1 {
		t.Errorf("status asked %d times, want 1 (the accepted code only)", n)
	}
}

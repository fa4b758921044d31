package qrtoken

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify/idcard"
)

func TestIssueOpenPurposes(t *testing.T) {
	addr := "北京市朝阳区建国路88号院3号楼2单元1001室"
	tests := []struct {
		name    string
		purpose Purpose
		in      Claims
		want    Claims
	}{
		{"cafe", PurposeInternetCafe(), cafeClaims(),
			Claims{Name: "张三", IDNumber: exampleID, AgeOver: []AgeOver{{18, true}}}},
		{"cafe lower-case x", PurposeInternetCafe(), Claims{Name: "张三", IDNumber: strings.ToLower(exampleID)},
			Claims{Name: "张三", IDNumber: exampleID, AgeOver: []AgeOver{{18, true}}}},
		{"cafe minor", PurposeInternetCafe(), Claims{Name: "李小明", IDNumber: makeID("11010520100101003")},
			Claims{Name: "李小明", IDNumber: makeID("11010520100101003"), AgeOver: []AgeOver{{18, false}}}},
		{"stadium", PurposeStadiumGate(), Claims{Name: "阿依古丽·买买提", IDNumber: exampleID, EventID: 20261123, Ticket: "A-12-0345"},
			Claims{Name: "阿依古丽·买买提", MaskedIDNumber: "110105********002X", EventID: 20261123, Ticket: "A-12-0345"}},
		{"government", PurposeGovernmentCounter(), Claims{Name: "张三", IDNumber: exampleID, Address: addr},
			Claims{Name: "张三", IDNumber: exampleID, BirthDate: time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), Gender: idcard.Female, Address: addr}},
		{"host bar", Purpose{ID: 16, Name: "bar", AgeOver: []int{16, 18, 21}}, Claims{BirthDate: time.Date(2008, 11, 23, 0, 0, 0, 0, time.UTC)},
			Claims{AgeOver: []AgeOver{{16, true}, {18, true}, {21, false}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) {
				if tc.purpose.ID >= FirstHostPurposeID {
					rc.Purposes = append(rc.Purposes, tc.purpose)
				}
			})
			code, err := e.issuer.Issue(t.Context(), tc.in, tc.purpose)
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			got, err := e.reader.Open(t.Context(), code.Text())
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if diff := cmp.Diff(tc.want, got.Claims); diff != "" {
				t.Errorf("Open(%s) claims mismatch (-want +got):\n%s", tc.name, diff)
			}
			wantWindow := windowAt(windowNumber(t0, DefaultWindow), DefaultWindow)
			meta := struct {
				Purpose uint8
				Mode    Mode
				KeyID   uint8
				Window  Window
			}{got.Purpose.ID, got.Mode, got.KeyID, got.Window}
			wantMeta := meta
			wantMeta.Purpose, wantMeta.Mode, wantMeta.KeyID, wantMeta.Window = tc.purpose.ID, ModeOnline, 1, wantWindow
			if diff := cmp.Diff(wantMeta, meta); diff != "" {
				t.Errorf("Open(%s) metadata mismatch (-want +got):\n%s", tc.name, diff)
			}
			if code.Window != wantWindow || !code.Expires.Equal(wantWindow.End) {
				t.Errorf("Code window %+v expires %v, want %+v", code.Window, code.Expires, wantWindow)
			}
		})
	}
}

func TestIssueRefusesClaims(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name    string
		purpose Purpose
		in      Claims
		want    error
	}{
		{"address for cafe", PurposeInternetCafe(), Claims{Name: "张三", IDNumber: exampleID, Address: "x"}, ErrClaimNotInPurpose},
		{"ticket for cafe", PurposeInternetCafe(), Claims{Name: "张三", IDNumber: exampleID, Ticket: "1"}, ErrClaimNotInPurpose},
		{"gender for cafe", PurposeInternetCafe(), Claims{Name: "张三", IDNumber: exampleID, Gender: idcard.Female}, ErrClaimNotInPurpose},
		{"id for bar", Purpose{ID: 16, Claims: ClaimName}, Claims{Name: "张三", IDNumber: exampleID}, ErrClaimNotInPurpose},
		{"birth date for gate", PurposeStadiumGate(), Claims{Name: "张三", IDNumber: exampleID, EventID: 1, Ticket: "t", BirthDate: t0}, ErrClaimNotInPurpose},
		{"masked id given", PurposeStadiumGate(), Claims{Name: "张三", MaskedIDNumber: "110105********002X", EventID: 1, Ticket: "t"}, ErrInvalidClaim},
		{"age given", PurposeInternetCafe(), Claims{Name: "张三", IDNumber: exampleID, AgeOver: []AgeOver{{18, true}}}, ErrInvalidClaim},
		{"missing name", PurposeInternetCafe(), Claims{IDNumber: exampleID}, ErrMissingClaim},
		{"missing id", PurposeInternetCafe(), Claims{Name: "张三"}, ErrMissingClaim},
		{"missing ticket", PurposeStadiumGate(), Claims{Name: "张三", IDNumber: exampleID, EventID: 1}, ErrMissingClaim},
		{"missing birth for ages", Purpose{ID: 16, AgeOver: []int{18}}, Claims{}, ErrMissingClaim},
		{"bad check char", PurposeInternetCafe(), Claims{Name: "张三", IDNumber: "110105194912310021"}, ErrInvalidClaim},
		{"15-digit id", PurposeInternetCafe(), Claims{Name: "张三", IDNumber: "110105491231002"}, ErrInvalidClaim},
		{"impossible birth date", PurposeInternetCafe(), Claims{Name: "张三", IDNumber: makeID("11010519490231002")}, ErrInvalidClaim},
		{"birth date disagrees", PurposeGovernmentCounter(), Claims{Name: "张三", IDNumber: exampleID, Address: "x", BirthDate: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)}, ErrInvalidClaim},
		{"gender disagrees", PurposeGovernmentCounter(), Claims{Name: "张三", IDNumber: exampleID, Address: "x", Gender: idcard.Male}, ErrInvalidClaim},
		{"name too long", PurposeInternetCafe(), Claims{Name: nameOfBytes(MaxNameBytes + 1), IDNumber: exampleID}, ErrInvalidClaim},
		{"name control char", PurposeInternetCafe(), Claims{Name: "张\n三", IDNumber: exampleID}, ErrInvalidClaim},
		{"name not utf-8", PurposeInternetCafe(), Claims{Name: "\xff\xfe", IDNumber: exampleID}, ErrInvalidClaim},
		{"future birth", Purpose{ID: 16, AgeOver: []int{18}}, Claims{BirthDate: t0.AddDate(0, 0, 2)}, ErrInvalidClaim},
		{"bad purpose", Purpose{ID: 0, Claims: ClaimName}, Claims{Name: "张三"}, ErrInvalidArgument},
		{"empty purpose", Purpose{ID: 16}, Claims{}, ErrInvalidArgument},
		{"both id forms", Purpose{ID: 16, Claims: ClaimIDNumber | ClaimMaskedIDNumber}, Claims{IDNumber: exampleID}, ErrInvalidArgument},
		{"age repeated", Purpose{ID: 16, AgeOver: []int{18, 18}}, Claims{BirthDate: t0}, ErrInvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.issuer.Issue(t.Context(), tc.in, tc.purpose)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Issue(%v) error = %v, want %v", tc.in, err, tc.want)
			}
			if err != nil && (strings.Contains(err.Error(), exampleID) || strings.Contains(err.Error(), "张三")) {
				t.Errorf("error %q echoes personal data", err)
			}
		})
	}
}

func TestAgePredicateBoundaries(t *testing.T) {
	bar := Purpose{ID: 16, Name: "bar", AgeOver: []int{18}}
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name  string
		birth time.Time
		issue time.Time // issuer clock
		want  bool
	}{
		{"18th birthday", time.Date(2008, 11, 23, 0, 0, 0, 0, time.UTC), t0, true},
		{"day before 18th birthday", time.Date(2008, 11, 24, 0, 0, 0, 0, time.UTC), t0, false},
		// 2026-11-23 20:00 UTC is already 2026-11-24 in China: the birthday has come.
		{"birthday by China's date", time.Date(2008, 11, 24, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC), true},
		{"29 Feb born, 28 Feb", time.Date(2008, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 28, 4, 0, 0, 0, cst), false},
		{"29 Feb born, 1 Mar", time.Date(2008, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 4, 0, 0, 0, cst), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.Purposes = []Purpose{bar} })
			e.issuerClock.Set(tc.issue)
			e.readerClock.Set(tc.issue)
			o, err := e.reader.Open(t.Context(), e.issue(t, Claims{BirthDate: tc.birth}, bar))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			over, ok := o.Claims.IsOver(18)
			if !ok || over != tc.want {
				t.Errorf("IsOver(18) = %v, %v; want %v, true", over, ok, tc.want)
			}
		})
	}
}

// TestBitFlips flips every bit of a code's binary form, re-encodes it and checks that no
// flipped code opens; then checks that the genuine code still opens (a rejected forgery
// must not consume it).
func TestBitFlips(t *testing.T) {
	for _, mode := range []Mode{ModeOnline, ModeOffline} {
		t.Run(mode.String(), func(t *testing.T) {
			e := newEnv(t)
			text := e.issue(t, cafeClaims(), PurposeInternetCafe())
			if mode == ModeOffline {
				text = e.issueOffline(t, cafeClaims(), PurposeInternetCafe())
			}
			raw, err := DecodeBase45(text)
			if err != nil {
				t.Fatal(err)
			}
			for i := range len(raw) * 8 {
				b := bytes.Clone(raw)
				b[i/8] ^= 1 << (i % 8)
				if o, err := e.reader.Open(t.Context(), EncodeBase45(b)); err == nil {
					t.Fatalf("bit %d flipped: opened %v", i, o.Claims)
				}
			}
			if _, err := e.reader.Open(t.Context(), text); err != nil {
				t.Fatalf("genuine code after attack: %v", err)
			}
		})
	}
}

// TestCharacterSubstitutions replaces every character of the text form by every other
// character of the base45 alphabet and by a few outside it (offline codes, being three
// times longer and slower to open, by a sample of 8 characters per position).
func TestCharacterSubstitutions(t *testing.T) {
	for _, mode := range []Mode{ModeOnline, ModeOffline} {
		t.Run(mode.String(), func(t *testing.T) {
			e := newEnv(t)
			text := e.issue(t, cafeClaims(), PurposeInternetCafe())
			subs := base45Alphabet + "a_\x00é"
			if mode == ModeOffline {
				text = e.issueOffline(t, cafeClaims(), PurposeInternetCafe())
				subs = "09AZ $:a"
			}
			n := 0
			for i := range len(text) {
				for _, r := range subs {
					if byte(r) == text[i] && r < 0x80 {
						continue
					}
					forged := text[:i] + string(r) + text[i+1:]
					if _, err := e.reader.Open(t.Context(), forged); err == nil {
						t.Fatalf("substitution at %d by %q opened", i, r)
					}
					n++
				}
			}
			t.Logf("%d substitutions of a %d-character code, all rejected", n, len(text))
			if _, err := e.reader.Open(t.Context(), text); err != nil {
				t.Fatalf("genuine code after attack: %v", err)
			}
		})
	}
}

// TestBruteForce tries random codes with a well-formed header (current window, known key,
// accepted purpose): a forger gets the opaque ErrNotAuthentic and nothing else.
func TestBruteForce(t *testing.T) {
	e := newEnv(t)
	rng := detRand("brute force")
	wn := windowNumber(t0, DefaultWindow)
	for i := range 20000 {
		b := make([]byte, 40+i%30)
		_, _ = rng.Read(b)
		b[0], b[1], b[2], b[3] = formatVersion<<4|kindOnline, PurposeInternetCafe().ID, 1, byte(wn)
		if _, err := e.reader.Open(t.Context(), EncodeBase45(b)); !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("random code %x: error %v, want ErrNotAuthentic", b, err)
		}
	}
}

func TestTruncationAndExtension(t *testing.T) {
	e := newEnv(t)
	for _, mode := range []Mode{ModeOnline, ModeOffline} {
		text := e.issue(t, cafeClaims(), PurposeInternetCafe())
		if mode == ModeOffline {
			text = e.issueOffline(t, cafeClaims(), PurposeInternetCafe())
		}
		raw, _ := DecodeBase45(text)
		for n := range len(text) {
			if _, err := e.reader.Open(t.Context(), text[:n]); err == nil {
				t.Fatalf("%s: text truncated to %d opened", mode, n)
			}
		}
		for n := range len(raw) {
			if _, err := e.reader.Open(t.Context(), EncodeBase45(raw[:n])); err == nil {
				t.Fatalf("%s: bytes truncated to %d opened", mode, n)
			}
		}
		for _, ext := range [][]byte{{0}, {0, 0}, {0xFF, 0xFF, 0xFF}, raw[:16]} {
			if _, err := e.reader.Open(t.Context(), EncodeBase45(append(bytes.Clone(raw), ext...))); !errors.Is(err, ErrNotAuthentic) {
				t.Fatalf("%s: extended by %x: error %v, want ErrNotAuthentic", mode, ext, err)
			}
		}
		for _, ext := range []string{"0", "00", "000", " "} {
			if _, err := e.reader.Open(t.Context(), text+ext); err == nil {
				t.Fatalf("%s: text extended by %q opened", mode, ext)
			}
		}
		if _, err := e.reader.Open(t.Context(), text); err != nil {
			t.Fatalf("%s: genuine code after attack: %v", mode, err)
		}
	}
}

// TestWindows issues at various issuer clock offsets from the reader's clock and opens at
// the reader's clock, with the default skew (previous window only, nothing ahead) and
// with explicit past and future skews.
func TestWindows(t *testing.T) {
	tests := []struct {
		name       string
		readerAt   time.Time
		offset     time.Duration // issuer clock minus reader clock
		pastSkew   time.Duration
		futureSkew time.Duration
		want       error
	}{
		{"same window", t0, 0, 0, 0, nil},
		{"previous window", t0, -time.Minute, 0, 0, nil},
		{"two windows old", t0, -2 * time.Minute, 0, 0, ErrExpired},
		{"an hour old", t0, -time.Hour, 0, 0, ErrExpired},
		{"300 windows old (low byte aliases to 44 old)", t0, -300 * time.Minute, 0, 0, ErrExpired},
		{"256 windows old (same low byte: other key)", t0, -256 * time.Minute, 0, 0, ErrNotAuthentic},
		{"next window", t0, time.Minute, 0, 0, ErrNotYetValid},
		{"issuer behind 50s, within default skew", t0, -50 * time.Second, 0, 0, nil},
		{"issuer behind 100s, beyond default skew", t0, -100 * time.Second, 0, 0, ErrExpired},
		{"issuer behind 40s, past skew 45s", t0, -40 * time.Second, 45 * time.Second, 0, nil},
		{"issuer behind 40s, past skew 30s", t0, -40 * time.Second, 30 * time.Second, 0, ErrExpired},
		{"previous window, current window only", t0, -time.Minute, -1, 0, ErrExpired},
		// Reader 25 s into its window, issuer 10 s into the next one (ahead by 45 s): the
		// code's window starts 35 s ahead of the reader.
		{"issuer ahead 45s, future skew 40s", t0.Add(-5 * time.Second), 45 * time.Second, 0, 40 * time.Second, nil},
		{"issuer ahead 45s, future skew 30s", t0.Add(-5 * time.Second), 45 * time.Second, 0, 30 * time.Second, ErrNotYetValid},
		{"issuer ahead 5s into next window, default skew", t0.Add(25 * time.Second), 10 * time.Second, 0, 0, ErrNotYetValid},
		{"issuer ahead 5s into next window, future skew 10s", t0.Add(25 * time.Second), 10 * time.Second, 0, 10 * time.Second, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) {
				rc.FutureSkew, rc.PastSkew = tc.futureSkew, tc.pastSkew
			})
			e.readerClock.Set(tc.readerAt)
			e.issuerClock.Set(tc.readerAt.Add(tc.offset))
			text := e.issue(t, cafeClaims(), PurposeInternetCafe())
			o, err := e.reader.Open(t.Context(), text)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Open error = %v, want %v", err, tc.want)
			}
			if want := windowNumber(tc.readerAt.Add(tc.offset), DefaultWindow); err == nil && o.Window.Number != want {
				t.Errorf("matched window %d, want the issuer's %d", o.Window.Number, want)
			}
		})
	}
}

func TestPurposeAndKeys(t *testing.T) {
	t.Run("purpose not accepted", func(t *testing.T) {
		e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.Purposes = []Purpose{PurposeStadiumGate()} })
		_, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), PurposeInternetCafe()))
		if !errors.Is(err, ErrWrongPurpose) {
			t.Fatalf("error = %v, want ErrWrongPurpose", err)
		}
	})
	t.Run("purpose redefined under same ID", func(t *testing.T) {
		wider := PurposeInternetCafe()
		wider.Claims |= ClaimGender
		e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.Purposes = []Purpose{wider} })
		_, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), PurposeInternetCafe()))
		if !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("error = %v, want ErrNotAuthentic", err)
		}
	})
	t.Run("header purpose rewritten", func(t *testing.T) {
		// A cafe code relabelled as a host purpose with the same claim layout.
		twin := PurposeInternetCafe()
		twin.ID = 200
		e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.Purposes = []Purpose{PurposeInternetCafe(), twin} })
		raw, _ := DecodeBase45(e.issue(t, cafeClaims(), PurposeInternetCafe()))
		raw[1] = 200
		if _, err := e.reader.Open(t.Context(), EncodeBase45(raw)); !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("error = %v, want ErrNotAuthentic", err)
		}
	})
	t.Run("retired key", func(t *testing.T) {
		e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) {
			rc.Keys = []SecretKey{{ID: 2, Secret: testSecret("k2")}}
		})
		_, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), PurposeInternetCafe()))
		if !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("error = %v, want ErrUnknownKey", err)
		}
	})
	t.Run("wrong secret under known ID", func(t *testing.T) {
		e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) {
			rc.Keys = []SecretKey{{ID: 1, Secret: testSecret("other")}}
		})
		_, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), PurposeInternetCafe()))
		if !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("error = %v, want ErrNotAuthentic", err)
		}
	})
	t.Run("rotation", func(t *testing.T) {
		e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) {
			rc.Keys = append(rc.Keys, SecretKey{ID: 2, Secret: testSecret("k2")})
		})
		old := e.issue(t, cafeClaims(), PurposeInternetCafe())
		next, err := NewIssuer(IssuerConfig{Key: &SecretKey{ID: 2, Secret: testSecret("k2")}, Now: e.issuerClock.Now})
		if err != nil {
			t.Fatal(err)
		}
		code, err := next.Issue(t.Context(), cafeClaims(), PurposeInternetCafe())
		if err != nil {
			t.Fatal(err)
		}
		for i, text := range []string{old, code.Text()} {
			o, err := e.reader.Open(t.Context(), text)
			if err != nil {
				t.Fatalf("code %d: %v", i, err)
			}
			if o.KeyID != uint8(i+1) {
				t.Errorf("code %d: key ID %d, want %d", i, o.KeyID, i+1)
			}
		}
	})
	t.Run("venue challenge given to Open", func(t *testing.T) {
		e := newEnv(t)
		v, _ := NewVenue(VenueConfig{Key: testVenueKey(1), VenueID: 9, TerminalID: 1, Now: e.readerClock.Now})
		c, err := v.Challenge(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.reader.Open(t.Context(), c.Text()); !errors.Is(err, ErrWrongMode) {
			t.Fatalf("error = %v, want ErrWrongMode", err)
		}
	})
	t.Run("unknown version", func(t *testing.T) {
		e := newEnv(t)
		raw, _ := DecodeBase45(e.issue(t, cafeClaims(), PurposeInternetCafe()))
		raw[0] = 0<<4 | kindOnline
		if _, err := e.reader.Open(t.Context(), EncodeBase45(raw)); !errors.Is(err, ErrUnsupportedVersion) {
			t.Fatalf("error = %v, want ErrUnsupportedVersion", err)
		}
	})
	t.Run("another suite", func(t *testing.T) {
		e := newEnv(t)
		raw, _ := DecodeBase45(e.issue(t, cafeClaims(), PurposeInternetCafe()))
		for id := byte(2); id < 16; id++ {
			raw[0] = id<<4 | kindOnline
			if _, err := e.reader.Open(t.Context(), EncodeBase45(raw)); !errors.Is(err, ErrWrongSuite) {
				t.Fatalf("suite %d: error = %v, want ErrWrongSuite", id, err)
			}
		}
	})
}

func TestReplay(t *testing.T) {
	for _, mode := range []Mode{ModeOnline, ModeOffline} {
		t.Run(mode.String()+"/sequential", func(t *testing.T) {
			e := newEnv(t)
			text := e.issue(t, cafeClaims(), PurposeInternetCafe())
			if mode == ModeOffline {
				text = e.issueOffline(t, cafeClaims(), PurposeInternetCafe())
			}
			if _, err := e.reader.Open(t.Context(), text); err != nil {
				t.Fatalf("first Open: %v", err)
			}
			for range 3 {
				if _, err := e.reader.Open(t.Context(), text); !errors.Is(err, store.ErrReplayed) {
					t.Fatalf("second Open error = %v, want store.ErrReplayed", err)
				}
			}
			// A fresh code of the same person in the same window is a different code.
			fresh := e.issue(t, cafeClaims(), PurposeInternetCafe())
			if mode == ModeOffline {
				fresh = e.issueOffline(t, cafeClaims(), PurposeInternetCafe())
			}
			if _, err := e.reader.Open(t.Context(), fresh); err != nil {
				t.Fatalf("fresh code: %v", err)
			}
		})
		t.Run(mode.String()+"/concurrent", func(t *testing.T) {
			// Two readers of one group share a guard; 64 goroutines race to open one code.
			guard := store.NewMemoryReplayGuard()
			e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard = guard })
			other := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard = guard })
			text := e.issue(t, cafeClaims(), PurposeInternetCafe())
			if mode == ModeOffline {
				text = e.issueOffline(t, cafeClaims(), PurposeInternetCafe())
			}
			var ok, replayed atomic.Int32
			var wg sync.WaitGroup
			for i := range 64 {
				r := e.reader
				if i%2 == 1 {
					r = other.reader
				}
				wg.Go(func() {
					_, err := r.Open(context.Background(), text)
					switch {
					case err == nil:
						ok.Add(1)
					case errors.Is(err, store.ErrReplayed):
						replayed.Add(1)
					default:
						t.Errorf("Open: %v", err)
					}
				})
			}
			wg.Wait()
			if ok.Load() != 1 || replayed.Load() != 63 {
				t.Fatalf("accepted %d, replayed %d; want 1 and 63", ok.Load(), replayed.Load())
			}
		})
	}
	t.Run("expired entries forgotten", func(t *testing.T) {
		g := store.NewMemoryReplayGuard()
		e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard = g })
		text := e.issue(t, cafeClaims(), PurposeInternetCafe())
		if _, err := e.reader.Open(t.Context(), text); err != nil {
			t.Fatal(err)
		}
		// Once the code can no longer be accepted, a replay fails as expired, not by the
		// guard's memory; the guard is free to forget it.
		e.readerClock.Set(t0.Add(2 * time.Minute))
		if _, err := e.reader.Open(t.Context(), text); !errors.Is(err, ErrExpired) {
			t.Fatalf("error = %v, want ErrExpired", err)
		}
	})
	t.Run("guard failure fails closed", func(t *testing.T) {
		boom := errors.New("store down")
		e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard = failingGuard{boom} })
		_, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), PurposeInternetCafe()))
		if !errors.Is(err, ErrUnavailable) || !errors.Is(err, boom) {
			t.Fatalf("error = %v, want ErrUnavailable wrapping %v", err, boom)
		}
	})
}

// TestReplayExpiry checks the expiry Open gives the guard: the end of the code's window
// plus PastSkew, after which the reader refuses the code as expired anyway.
func TestReplayExpiry(t *testing.T) {
	for _, past := range []time.Duration{0, 1500 * time.Millisecond, -1, 3*time.Minute + 7} {
		g := &recordingGuard{}
		e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard, rc.PastSkew = g, past })
		for _, mode := range []Mode{ModeOnline, ModeOffline} {
			text := e.issue(t, cafeClaims(), PurposeInternetCafe())
			if mode == ModeOffline {
				text = e.issueOffline(t, cafeClaims(), PurposeInternetCafe())
			}
			o, err := e.reader.Open(t.Context(), text)
			if err != nil {
				t.Fatalf("PastSkew %v, %v: %v", past, mode, err)
			}
			want := o.Window.End.Add(max(past, 0))
			if past == 0 {
				want = o.Window.End.Add(DefaultWindow)
			}
			if !g.expires.Equal(want) {
				t.Errorf("PastSkew %v, %v: guard expiry %v, want %v", past, mode, g.expires, want)
			}
		}
	}
}

type recordingGuard struct{ expires time.Time }

func (g *recordingGuard) Claim(_ context.Context, _ string, _, expires time.Time) (bool, error) {
	g.expires = expires
	return true, nil
}

type failingGuard struct{ err error }

func (g failingGuard) Claim(context.Context, string, time.Time, time.Time) (bool, error) {
	return false, g.err
}

func TestClaimsMasking(t *testing.T) {
	c := Claims{Name: "张三丰", IDNumber: exampleID, Address: "北京市朝阳区建国路88号", Ticket: "ORDER-12345678",
		BirthDate: time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), AgeOver: []AgeOver{{18, true}}}
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("opened", "claims", c)
	outputs := []string{
		fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s %q", c, c, c, c, c), fmt.Sprintf("%v", &c), c.String(), logBuf.String(),
		fmt.Sprintf("%v %+v %s", Opened{Claims: c}, Opened{Claims: c}, Opened{Claims: c}),
	}
	logBuf.Reset()
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("opened", "opened", Opened{Claims: c})
	outputs = append(outputs, logBuf.String())
	for _, out := range outputs {
		for _, secret := range []string{exampleID, "张三丰", "三丰", "建国路", "1949", "12345678"} {
			if strings.Contains(out, secret) {
				t.Errorf("output %q contains %q", out, secret)
			}
		}
	}
	if !strings.Contains(c.String(), "110105********002X") || !strings.Contains(c.String(), "张**") {
		t.Errorf("String() = %q, want masked forms", c.String())
	}
	if diff := cmp.Diff("Claims{name:张** id_number:110105********002X birth_date:****-**-** address:[12 chars] ticket:**********5678 age_over_18:true}", c.String()); diff != "" {
		t.Errorf("String() mismatch (-want +got):\n%s", diff)
	}
}

func TestConfigValidation(t *testing.T) {
	key := &SecretKey{ID: 1, Secret: testSecret("k")}
	for name, cfg := range map[string]IssuerConfig{
		"no keys":      {},
		"short secret": {Key: &SecretKey{ID: 1, Secret: make([]byte, 31)}},
		"bad window":   {Key: key, Window: 1500 * time.Millisecond},
		"bad signing":  {SigningKey: &SigningKey{ID: 1, Key: ed25519.PrivateKey(make([]byte, 10))}},
	} {
		if _, err := NewIssuer(cfg); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("NewIssuer(%s) error = %v, want ErrInvalidArgument", name, err)
		}
	}
	keys := []SecretKey{*key}
	for name, cfg := range map[string]ReaderConfig{
		"no purposes":        {Keys: keys},
		"no keys":            {Purposes: []Purpose{PurposeInternetCafe()}},
		"duplicate purposes": {Keys: keys, Purposes: []Purpose{PurposeInternetCafe(), PurposeInternetCafe()}},
		"duplicate keys":     {Keys: append(keys, keys...), Purposes: []Purpose{PurposeInternetCafe()}},
		"huge skew":          {Keys: keys, Purposes: []Purpose{PurposeInternetCafe()}, PastSkew: 200 * time.Minute},
		"negative future":    {Keys: keys, Purposes: []Purpose{PurposeInternetCafe()}, FutureSkew: -1},
		"group w/o issuers":  {Purposes: []Purpose{PurposeInternetCafe()}, GroupKeys: []GroupPrivateKey{testGroupKey(t, 1, "x")}},
	} {
		_, err := NewReader(cfg)
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("NewReader(%s) error = %v, want ErrInvalidArgument", name, err)
		}
	}
}

func TestIDPacking(t *testing.T) {
	for _, s := range []string{exampleID, makeID("00000000000000000"), makeID("99999999999999999"), makeID("81000019990101123"), makeID("93115619850101001")} {
		p, err := parseIDNumber(s)
		if s[6:14] != "00000000" && s[6:14] != "99999999" && err != nil {
			t.Fatalf("parseIDNumber(%q): %v", s, err)
		}
		var q [18]byte
		if ok := putIDNumber(&q, p.value()); !ok || string(q[:]) != p.String() {
			t.Errorf("putIDNumber(value(%q)) = %q, %v", s, q[:], ok)
		}
		var m [18]byte
		if want := p.String()[:6] + "********" + p.String()[14:]; !putMaskedID(&m, p.maskedValue()) || string(m[:]) != want {
			t.Errorf("masked %q = %q, want %q", s, m[:], want)
		}
	}
	var q [18]byte
	if putIDNumber(&q, 1e17) {
		t.Errorf("putIDNumber(1e17) accepted")
	}
	for _, v := range []uint64{1 << 34, 1000000 << 14, 1000 << 4, 11} {
		if putMaskedID(&q, v) {
			t.Errorf("putMaskedID(%#x) accepted", v)
		}
	}
}

// TestIDPackingDigits checks the two-digits-at-a-time unpacking against the plain
// digit-by-digit definition (GB 11643 check character over the 17 digits) for values
// spread over the whole range, with every check value.
func TestIDPackingDigits(t *testing.T) {
	checks := make(map[byte]bool)
	for i := range uint64(200000) {
		v := i * 499999999991 % 1e17 // a prime step: covers every digit position
		if i < 100 {
			v = 1e17 - 1 - i
		}
		var got [18]byte
		if !putIDNumber(&got, v) {
			t.Fatalf("putIDNumber(%d) refused", v)
		}
		var d [17]byte
		for j, x := 16, v; j >= 0; j, x = j-1, x/10 {
			d[j] = byte('0' + x%10)
		}
		want := string(d[:]) + string(idCheckChar(idCheckValue(&d)))
		if string(got[:]) != want {
			t.Fatalf("putIDNumber(%d) = %q, want %q", v, got[:], want)
		}
		checks[got[17]] = true
	}
	if len(checks) != 11 {
		t.Errorf("check characters covered: %d of 11", len(checks))
	}
}

// TestIssuerPurposeRedefined checks that an issuer given two definitions of one purpose ID
// in one window derives a key for each: each code opens at a reader with its definition.
func TestIssuerPurposeRedefined(t *testing.T) {
	wider := PurposeInternetCafe()
	wider.AgeOver = []int{16, 18}
	e := newEnv(t)
	narrow := e.issue(t, cafeClaims(), PurposeInternetCafe())
	wide := e.issue(t, cafeClaims(), wider)
	other := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.Purposes = []Purpose{wider} })
	if _, err := e.reader.Open(t.Context(), narrow); err != nil {
		t.Errorf("narrow definition: %v", err)
	}
	if _, err := other.reader.Open(t.Context(), wide); err != nil {
		t.Errorf("wide definition: %v", err)
	}
	if _, err := e.reader.Open(t.Context(), wide); !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("wide code at narrow reader: %v, want ErrNotAuthentic", err)
	}
}

// TestAgeOverIsolated checks that results' age predicates are each result's own: writing
// to or appending to one result's slice leaves every other result as it was.
func TestAgeOverIsolated(t *testing.T) {
	e := newEnv(t)
	const n = 100
	results := make([]Opened, n)
	for i := range results {
		o, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), PurposeInternetCafe()))
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Claims.AgeOver) != 1 || cap(o.Claims.AgeOver) != 1 {
			t.Fatalf("AgeOver len %d cap %d, want 1 and 1", len(o.Claims.AgeOver), cap(o.Claims.AgeOver))
		}
		results[i] = o
	}
	for i := range results {
		results[i].Claims.AgeOver[0].Age = 1000 + i
		results[i].Claims.AgeOver = append(results[i].Claims.AgeOver, AgeOver{Age: -i})
	}
	for i, o := range results {
		want := []AgeOver{{Age: 1000 + i, Over: true}, {Age: -i}}
		if diff := cmp.Diff(want, o.Claims.AgeOver); diff != "" {
			t.Errorf("result %d AgeOver mismatch (-want +got):\n%s", i, diff)
		}
	}
}

// TestReplayKeysStable checks that the replay keys Open hands a guard never change
// afterwards and are distinct, as a guard that keeps them (the in-memory one) needs.
func TestReplayKeysStable(t *testing.T) {
	g := &keepingGuard{}
	e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard = g })
	const n = 200
	for range n {
		if _, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), PurposeInternetCafe())); err != nil {
			t.Fatal(err)
		}
	}
	seen := make(map[string]bool)
	for i, k := range g.keys {
		if k != g.copies[i] {
			t.Fatalf("key %d changed after Claim: %x, was %x", i, k, g.copies[i])
		}
		if seen[k] {
			t.Fatalf("key %d handed out twice", i)
		}
		seen[k] = true
	}
	if len(g.keys) != n {
		t.Fatalf("guard saw %d keys, want %d", len(g.keys), n)
	}
}

type keepingGuard struct{ keys, copies []string }

func (g *keepingGuard) Claim(_ context.Context, key string, _, _ time.Time) (bool, error) {
	g.keys = append(g.keys, key)
	g.copies = append(g.copies, strings.Clone(key))
	return true, nil
}

// A reader refuses text longer than any QR symbol can hold before decoding it: an
// attacker-supplied string must not make it allocate in proportion.
func TestOpenRefusesOversizeText(t *testing.T) {
	r, err := NewReader(ReaderConfig{
		Purposes: []Purpose{PurposeInternetCafe()},
		Keys:     []SecretKey{{ID: 1, Secret: bytes.Repeat([]byte{1}, 32)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("0", MaxCodeText+3) // a whole number of base45 triples
	for name, open := range map[string]func(context.Context, string) (Opened, error){"Open": r.Open, "OpenCheckIn": r.OpenCheckIn} {
		if _, err := open(context.Background(), huge); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s(%d characters) = %v, want ErrMalformed", name, len(huge), err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		// TotalAlloc counts every goroutine's allocations: average over many calls and allow
		// 1 KiB, against the ~2.9 KB that decoding this text would allocate at the least.
		const calls = 100
		for range calls {
			open(context.Background(), huge)
		}
		runtime.ReadMemStats(&after)
		if perCall := (after.TotalAlloc - before.TotalAlloc) / calls; perCall > 1024 {
			t.Errorf("%s of %d characters allocates %d bytes a call", name, len(huge), perCall)
		}
	}
}

// TestRequireAgeOver: a reader with an age limit refuses a minor's authentic code, online
// and offline, without using it up, accepts an adult's, and refuses a configuration in
// which some purpose cannot prove the age.
func TestRequireAgeOver(t *testing.T) {
	cafeOnly := func(_ *IssuerConfig, rc *ReaderConfig) {
		rc.Purposes = []Purpose{PurposeInternetCafe()}
		rc.RequireAgeOver = 18
	}
	e := newEnv(t, cafeOnly)
	minor := Claims{Name: "李小明", IDNumber: makeID("11010520100101003")} // born 2010
	adult := Claims{Name: "张三", IDNumber: exampleID}                    // born 1949
	for mode, issue := range map[string]func(testing.TB, Claims, Purpose) string{"online": e.issue, "offline": e.issueOffline} {
		code := issue(t, minor, PurposeInternetCafe())
		for range 2 { // refused again, not as a replay: the refusal did not use it up
			if _, err := e.reader.Open(t.Context(), code); !errors.Is(err, ErrUnderAge) {
				t.Fatalf("%s: Open(minor) = %v, want ErrUnderAge", mode, err)
			}
		}
		if o, err := e.reader.Open(t.Context(), issue(t, adult, PurposeInternetCafe())); err != nil {
			t.Fatalf("%s: Open(adult) = %v", mode, err)
		} else if over, ok := o.Claims.IsOver(18); !over || !ok {
			t.Fatalf("%s: adult's claims say over 18 = %v, %v", mode, over, ok)
		}
	}
	// A purpose without the predicate cannot satisfy the limit: a configuration error.
	_, err := NewReader(ReaderConfig{
		Purposes:       []Purpose{PurposeInternetCafe(), PurposeStadiumGate()},
		Keys:           []SecretKey{{ID: 1, Secret: testSecret("k1")}},
		RequireAgeOver: 18,
	})
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("NewReader with a purpose lacking the predicate = %v, want ErrInvalidArgument", err)
	}
	// A negative limit is a mistake, not "no limit".
	_, err = NewReader(ReaderConfig{
		Purposes:       []Purpose{PurposeInternetCafe()},
		Keys:           []SecretKey{{ID: 1, Secret: testSecret("k1")}},
		RequireAgeOver: -18,
	})
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("NewReader with RequireAgeOver -18 = %v, want ErrInvalidArgument", err)
	}
}

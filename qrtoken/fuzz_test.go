package qrtoken

import (
	"context"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
)

// fuzzOpen is shared by the Open fuzz targets: it seeds the corpus with genuine codes (and
// mutilated ones), then checks that Open never panics, returns only this package's errors,
// and accepts nothing but a genuine code.
//
// The genuine codes are fixed texts in testdata (see TestFuzzSeeds), not codes issued
// when the target starts: nonces and HPKE keys come from crypto/rand, so each fuzz worker
// process would issue codes of its own, and would rightly accept the coordinator's seeds,
// issued under the same key at the same instant, while its oracle called them forged.
func fuzzOpen(f *testing.F, seeds []string, open func(e *env, text string) (Opened, error)) {
	f.Helper()
	e := newEnv(f, func(_ *IssuerConfig, rc *ReaderConfig) {
		rc.VenueKeys = []VenuePublicKey{testVenueKey(1).Public(testVenueID)}
		rc.ReplayGuard = firstGuard{} // accept genuine codes every time, so the oracle holds
	})
	genuine := map[string]bool{}
	for _, text := range seeds {
		genuine[text] = true
		f.Add(text)
		f.Add(text[:len(text)/2])
		f.Add(text + "0")
	}
	f.Add("")
	f.Add("0")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, text string) {
		o, err := open(e, text)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("error %v (%T) is not a *qrtoken.Error", err, err)
			}
			return
		}
		if !genuine[text] {
			t.Fatalf("accepted a code that was never issued: %q -> %v", text, o.Claims)
		}
	})
}

func openText(e *env, text string) (Opened, error) {
	return e.reader.Open(context.Background(), text)
}

func FuzzOpenOnline(f *testing.F) { fuzzOpen(f, readFuzzSeeds(f, onlineSeedsFile), openText) }

func FuzzOpenOffline(f *testing.F) { fuzzOpen(f, readFuzzSeeds(f, offlineSeedsFile), openText) }

func FuzzOpenCheckIn(f *testing.F) {
	fuzzOpen(f, readFuzzSeeds(f, checkInSeedsFile), func(e *env, text string) (Opened, error) {
		return e.reader.OpenCheckIn(context.Background(), text)
	})
}

// The fuzz targets' genuine codes: issued once at t0 with the test keys (regenerate with
// go test ./qrtoken -run TestFuzzSeeds -args -update-fuzz-seeds).
var updateFuzzSeeds = flag.Bool("update-fuzz-seeds", false, "rewrite the fuzz seed files in testdata")

const (
	onlineSeedsFile  = "testdata/online_seeds.txt"
	offlineSeedsFile = "testdata/offline_seeds.txt"
	checkInSeedsFile = "testdata/checkin_seeds.txt"
)

func TestFuzzSeeds(t *testing.T) {
	e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) {
		rc.VenueKeys = []VenuePublicKey{testVenueKey(1).Public(testVenueID)}
		rc.ReplayGuard = store.NewMemoryReplayGuard() // fixed codes: not the shared default guard
	})
	venue, err := NewVenue(VenueConfig{Key: testVenueKey(1), VenueID: testVenueID, TerminalID: 3, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name  string
		issue func() string
		open  func(context.Context, string) (Opened, error)
	}{
		{onlineSeedsFile, func() string { return e.issue(t, cafeClaims(), PurposeInternetCafe()) }, e.reader.Open},
		{offlineSeedsFile, func() string {
			return e.issueOffline(t, Claims{Name: "张三", IDNumber: exampleID, EventID: 9, Ticket: "T-1"}, PurposeStadiumGate())
		}, e.reader.Open},
		{checkInSeedsFile, func() string {
			ch, err := venue.Challenge(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			code, err := e.issuer.IssueCheckIn(t.Context(), ch.Text(), cafeClaims(), PurposeInternetCafe())
			if err != nil {
				t.Fatal(err)
			}
			return code.Text()
		}, e.reader.OpenCheckIn},
	}
	for _, file := range files {
		if *updateFuzzSeeds {
			var lines []string
			for range 3 {
				lines = append(lines, file.issue())
			}
			if err := os.WriteFile(file.name, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		seeds := readFuzzSeeds(t, file.name)
		if len(seeds) != 3 {
			t.Fatalf("%s: %d seeds, want 3", file.name, len(seeds))
		}
		for _, text := range seeds {
			if _, err := file.open(t.Context(), text); err != nil {
				t.Errorf("%s: seed %q: %v", file.name, text, err)
			}
		}
	}
}

func readFuzzSeeds(t testing.TB, name string) []string {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// FuzzParseVenueChallenge checks the wallet-side parser of terminal challenges.
func FuzzParseVenueChallenge(f *testing.F) {
	venue, err := NewVenue(VenueConfig{Key: testVenueKey(1), VenueID: testVenueID, TerminalID: 3, Now: func() time.Time { return t0 }})
	if err != nil {
		f.Fatal(err)
	}
	ch, err := venue.Challenge(f.Context())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ch.Text())
	f.Add(ch.Text()[:30])
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ParseVenueChallenge(text)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("error %v is not a *qrtoken.Error", err)
			}
			return
		}
		if c.Text() != text {
			t.Fatalf("parsed challenge re-encodes to %q, want %q", c.Text(), text)
		}
	})
}

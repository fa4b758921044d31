package qrtoken

import (
	"context"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

// fuzzOpen is shared by the Open fuzz targets: it seeds the corpus with genuine codes (and
// mutilated ones), then checks that Open never panics, returns only this package's errors,
// and accepts nothing but a genuine code.
func fuzzOpen(f *testing.F, issue func(e *env) string, open func(e *env, text string) (Opened, error)) {
	f.Helper()
	e := newEnv(f, func(_ *IssuerConfig, rc *ReaderConfig) {
		rc.VenueKeys = []VenuePublicKey{testVenueKey(1).Public(testVenueID)}
		rc.ReplayGuard = firstGuard{} // accept genuine codes every time, so the oracle holds
	})
	genuine := map[string]bool{}
	for range 3 {
		text := issue(e)
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

func FuzzOpenOnline(f *testing.F) {
	fuzzOpen(f, func(e *env) string { return e.issue(f, cafeClaims(), PurposeInternetCafe()) },
		func(e *env, text string) (Opened, error) { return e.reader.Open(context.Background(), text) })
}

// HPKE encryption draws its ephemeral key from crypto/rand, so offline codes cannot be
// reproduced in each fuzz worker process; the seeds are fixed codes issued once at t0 with
// the test keys and kept in testdata/offline_seeds.txt (regenerate with go test ./qrtoken
// -run TestOfflineSeeds -args -update-offline-seeds).
var updateOfflineSeeds = flag.Bool("update-offline-seeds", false, "rewrite testdata/offline_seeds.txt")

const offlineSeedsFile = "testdata/offline_seeds.txt"

func TestOfflineSeeds(t *testing.T) {
	e := newEnv(t)
	if *updateOfflineSeeds {
		var lines []string
		for range 3 {
			lines = append(lines, e.issueOffline(t, Claims{Name: "张三", IDNumber: exampleID, EventID: 9, Ticket: "T-1"}, PurposeStadiumGate()))
		}
		if err := os.WriteFile(offlineSeedsFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	seeds := readOfflineSeeds(t)
	if len(seeds) != 3 {
		t.Fatalf("%d offline seeds, want 3", len(seeds))
	}
	for _, text := range seeds {
		if _, err := e.reader.Open(t.Context(), text); err != nil {
			t.Errorf("seed %q: %v", text, err)
		}
	}
}

func readOfflineSeeds(t testing.TB) []string {
	b, err := os.ReadFile(offlineSeedsFile)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func FuzzOpenOffline(f *testing.F) {
	seeds := readOfflineSeeds(f)
	i := 0
	fuzzOpen(f, func(e *env) string { i++; return seeds[(i-1)%len(seeds)] },
		func(e *env, text string) (Opened, error) { return e.reader.Open(context.Background(), text) })
}

func FuzzOpenCheckIn(f *testing.F) {
	venue, err := NewVenue(VenueConfig{Key: testVenueKey(1), VenueID: testVenueID, TerminalID: 3, Now: func() time.Time { return t0 }})
	if err != nil {
		f.Fatal(err)
	}
	fuzzOpen(f, func(e *env) string {
		ch, err := venue.Challenge(f.Context())
		if err != nil {
			f.Fatal(err)
		}
		code, err := e.issuer.IssueCheckIn(f.Context(), ch.Text(), cafeClaims(), PurposeInternetCafe())
		if err != nil {
			f.Fatal(err)
		}
		return code.Text()
	}, func(e *env, text string) (Opened, error) { return e.reader.OpenCheckIn(context.Background(), text) })
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

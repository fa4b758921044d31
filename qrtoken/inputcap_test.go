package qrtoken

import (
	"errors"
	"runtime"
	"testing"
)

// Attack: a remote party hands an entry point a long text (a "challenge" from a fake
// terminal, a "code" from a scanner emulator). Every entry point that takes remote text
// refuses it with a typed error before decoding it, so the allocation does not grow with
// the input: a 1 MiB text costs what a short one does.
func TestRemoteTextCapped(t *testing.T) {
	e := newVenueEnv(t)
	huge := longText(1 << 20)
	entries := []struct {
		name string
		call func(text string) error
		want error
	}{
		{"Open", func(s string) error { _, err := e.reader.Open(t.Context(), s); return err }, ErrMalformed},
		{"OpenCheckIn", func(s string) error { _, err := e.reader.OpenCheckIn(t.Context(), s); return err }, ErrMalformed},
		{"ParseVenueChallenge", func(s string) error { _, err := ParseVenueChallenge(s); return err }, ErrMalformed},
		{"IssueCheckIn", func(s string) error {
			_, err := e.issuer.IssueCheckIn(t.Context(), s, cafeClaims(), PurposeInternetCafe())
			return err
		}, ErrMalformed},
		{"DecodeBase45", func(s string) error { _, err := DecodeBase45(s); return err }, ErrMalformed},
		{"Version", func(s string) error { _, err := Version(s, RecoveryL); return err }, ErrInvalidArgument},
		{"PNG", func(s string) error { _, err := PNG(s, 256, RecoveryL); return err }, ErrInvalidArgument},
		{"Terminal", func(s string) error { _, err := Terminal(s, RecoveryL); return err }, ErrInvalidArgument},
	}
	for _, en := range entries {
		t.Run(en.name, func(t *testing.T) {
			if err := en.call(huge); !errors.Is(err, en.want) {
				t.Fatalf("%s(%d characters) error = %v, want %v", en.name, len(huge), err, en.want)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			// TotalAlloc counts every goroutine's allocations (parallel tests, the race
			// detector): average over many calls and allow 4 KiB, against the ~700 KB an
			// uncapped decode of this text costs.
			const calls = 100
			for range calls {
				en.call(huge)
			}
			runtime.ReadMemStats(&after)
			if perCall := (after.TotalAlloc - before.TotalAlloc) / calls; perCall > 4096 {
				t.Errorf("%s of %d characters allocates %d bytes a call", en.name, len(huge), perCall)
			}
		})
	}
}

// The caps are where the formats end, not below: the longest text each entry point is
// meant for still gets through to decoding.
func TestRemoteTextCapsAtFormatLimits(t *testing.T) {
	e := newVenueEnv(t)
	ch := e.challenge(t)
	if _, err := ParseVenueChallenge(ch.Text()); err != nil {
		t.Errorf("ParseVenueChallenge(genuine): %v", err)
	}
	for _, n := range []int{venueTextLen - 3, venueTextLen + 3} {
		if _, err := ParseVenueChallenge(longText(n)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseVenueChallenge(%d characters) error = %v, want ErrMalformed", n, err)
		}
	}
	if b, err := DecodeBase45(longText(MaxCodeText)); err != nil || len(b) != MaxCodeText/3*2 {
		t.Errorf("DecodeBase45(%d characters) = %d bytes, %v", MaxCodeText, len(b), err)
	}
	if _, err := DecodeBase45(longText(MaxCodeText + 3)); !errors.Is(err, ErrMalformed) {
		t.Errorf("DecodeBase45(%d characters) error = %v, want ErrMalformed", MaxCodeText+3, err)
	}
	if v, err := Version(longText(maxQRText), RecoveryL); err != nil || v != 40 {
		t.Errorf("Version(%d digits) = %d, %v; want 40", maxQRText, v, err)
	}
}

package qrtoken

import (
	"fmt"
	"strings"
	"testing"
)

// longInputSizes are the lengths of the oversized texts of BenchmarkLongInput.
var longInputSizes = []int{1 << 10, 64 << 10, 1 << 20, 10 << 20}

// longText returns n characters of valid base45 ("000" decodes to two zero bytes), so
// that an entry point without a length cap decodes all of it.
func longText(n int) string { return strings.Repeat("0", n-n%3) }

// BenchmarkLongInput feeds every entry point that takes remote text a long input: with
// the length cap in front of decoding, time and memory stay flat past the limit (1 KiB is
// below the limits of Open, OpenCheckIn, DecodeBase45 and the QR renderers).
func BenchmarkLongInput(b *testing.B) {
	e := newEnv(b)
	entries := []struct {
		name string
		call func(text string) error
	}{
		{"Open", func(s string) error { _, err := e.reader.Open(b.Context(), s); return err }},
		{"OpenCheckIn", func(s string) error { _, err := e.reader.OpenCheckIn(b.Context(), s); return err }},
		{"ParseVenueChallenge", func(s string) error { _, err := ParseVenueChallenge(s); return err }},
		{"IssueCheckIn", func(s string) error {
			_, err := e.issuer.IssueCheckIn(b.Context(), s, cafeClaims(), PurposeInternetCafe())
			return err
		}},
		{"DecodeBase45", func(s string) error { _, err := DecodeBase45(s); return err }},
		{"Version", func(s string) error { _, err := Version(s, RecoveryL); return err }},
		{"PNG", func(s string) error { _, err := PNG(s, 256, RecoveryL); return err }},
	}
	for _, en := range entries {
		for _, n := range longInputSizes {
			text := longText(n)
			b.Run(fmt.Sprintf("%s/%dKiB", en.name, n>>10), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					en.call(text)
				}
			})
		}
	}
}

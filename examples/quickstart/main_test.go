package main

import (
	"bytes"
	"crypto/rand"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRun runs the whole journey and checks the outcome of every step, at several
// points of a code window (a window boundary inside the journey must not matter).
func TestRun(t *testing.T) {
	for _, start := range []time.Time{
		time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 23, 8, 0, 58, 999_999_999, time.UTC),
		time.Now(),
	} {
		var out bytes.Buffer
		if err := run(&out, options{Start: start, DrawQR: true, Rand: rand.Reader}); err != nil {
			t.Fatalf("run at %v: %v\n%s", start, err, out.String())
		}
		got := out.String()
		for _, want := range []string{
			"1. Document check",
			"   pass kind=id-card found=true status=valid",
			"30 frames arrive in envelopes signed by the phone's key",
			"outcome pass (liveness true, face match true); the phone is told only \"pass\"",
			"the same session finished again: refused as replayed",
			"quiz passed: true",
			"outcome pass at level high (required high)",
			"SP 800-63A-4: IAL1 by the biometric pathway",
			"5. Wallet: credentials linked after the passing decision",
			"{Kind:id-card Number:110108********",
			"{Kind:driver-licence Number:110108********",
			"QR version 4 at ECC level M",
			"over 18: true, card active",
			"scanned again: refused (qrtoken: replayed)",
			"a screenshot shown three minutes later: refused (qrtoken: expired)",
			"after she reports the card lost, the wallet refuses to show it (wallet: present: reported_lost (id-card))",
			"Journey complete",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("run at %v: output lacks %q\n%s", start, want, got)
			}
		}
		// Nothing personal in the clear: no 18-character ID number, no full name.
		if m := regexp.MustCompile(`\d{17}[\dX]`).FindString(got); m != "" {
			t.Errorf("output shows a full ID number %s", m)
		}
		if strings.Contains(got, "林小雨") || strings.Contains(got, "学院路") || strings.Contains(got, "110012345678") {
			t.Errorf("output shows the name or the address in the clear")
		}
	}
}

func BenchmarkRun(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := run(&bytes.Buffer{}, options{Start: time.Now(), DrawQR: false, Rand: rand.Reader}); err != nil {
			b.Fatal(err)
		}
	}
}

package smsuite_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/smsuite"
)

// nameOfBytes is a Han name of n UTF-8 bytes (n a multiple of 3 plus 0 to 2 ASCII dots).
func nameOfBytes(n int) string {
	return strings.Repeat("张", n/3) + strings.Repeat("A", n%3)
}

// TestVersionGoals: under the SM suite an internet-cafe code fits QR version 4 at level M
// for names up to 20 bytes, as under the default suite (online codes are exactly as long);
// an offline cafe code fits version 10 for a 12-byte name and 11 (360 of its 362
// characters) for the longest name the format allows (64 bytes).
func TestVersionGoals(t *testing.T) {
	e := newEnv(t, smsuite.Suite{})
	def := newEnv(t, nil)
	for _, tc := range []struct {
		name    string
		offline bool
		bytes   int
		max     int
	}{
		{"online, 6-character name", false, 18, 4},
		{"online, 20-byte name", false, 20, 4},
		{"offline, 12-byte name", true, 12, 10},
		{"offline, 64-byte name", true, 64, 11},
	} {
		c := qrtoken.Claims{Name: nameOfBytes(tc.bytes), IDNumber: exampleID}
		issue, issueDef := e.issue, def.issue
		if tc.offline {
			issue, issueDef = e.issueOffline, def.issueOffline
		}
		text := issue(t, c, qrtoken.PurposeInternetCafe())
		v, err := qrtoken.Version(text, qrtoken.RecoveryM)
		if err != nil {
			t.Fatal(err)
		}
		dv, err := qrtoken.Version(issueDef(t, c, qrtoken.PurposeInternetCafe()), qrtoken.RecoveryM)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: SM version %d (%d chars), default suite version %d", tc.name, v, len(text), dv)
		if v > tc.max {
			t.Errorf("%s: QR version %d at M, want at most %d", tc.name, v, tc.max)
		}
	}
}

// TestZbarRoundTrip: SM codes rendered as QR symbols are read back by a real decoder
// (zbarimg) and open.
func TestZbarRoundTrip(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not on PATH: install zbar-tools (apt-get install -y zbar-tools) to run the real-decoder round trip")
	}
	e := newEnv(t, smsuite.Suite{})
	for _, tc := range []struct {
		name    string
		offline bool
		level   qrtoken.RecoveryLevel
	}{
		{"online cafe M", false, qrtoken.RecoveryM},
		{"offline cafe M", true, qrtoken.RecoveryM},
		{"offline cafe L", true, qrtoken.RecoveryL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := e.issue(t, cafeClaims(), qrtoken.PurposeInternetCafe())
			if tc.offline {
				text = e.issueOffline(t, cafeClaims(), qrtoken.PurposeInternetCafe())
			}
			img, err := qrtoken.PNG(text, -6, tc.level)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "code.png")
			if err := os.WriteFile(path, img, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.CommandContext(t.Context(), zbar, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path).Output()
			if err != nil {
				t.Fatalf("zbarimg: %v", err)
			}
			got := strings.TrimSuffix(string(out), "\n")
			if got != text {
				t.Fatalf("zbarimg decoded %q, want %q", got, text)
			}
			if _, err := e.reader.Open(t.Context(), got); err != nil {
				t.Fatalf("Open(decoded): %v", err)
			}
		})
	}
}

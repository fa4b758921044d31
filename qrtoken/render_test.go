package qrtoken

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestVersionGoals asserts the size goals: a cafe code (name, ID number, over-18) needs at
// most QR version 4 at level M online for names up to 20 UTF-8 bytes (every Han name of up
// to 6 characters, e.g. 欧阳娜娜 is 12 bytes; minority names such as 买买提·艾力 at 17 bytes),
// and 21 bytes is the boundary where version 5 begins; offline cafe codes need at most
// version 10 at level M for every name the format allows (64 bytes).
func TestVersionGoals(t *testing.T) {
	tests := []struct {
		name        string
		offline     bool
		nameBytes   int
		wantVersion int
	}{
		{"online 2 Han chars", false, 6, 4},
		{"online 4 Han chars", false, 12, 4},
		{"online 20 bytes", false, 20, 4},
		{"online 21 bytes", false, 21, 5},
		{"offline 4 Han chars", true, 12, 8},
		{"offline 64 bytes", true, MaxNameBytes, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := Claims{Name: nameOfBytes(tc.nameBytes), IDNumber: exampleID}
			if len(c.Name) != tc.nameBytes {
				t.Fatalf("name of %d bytes, want %d", len(c.Name), tc.nameBytes)
			}
			text := e.issue(t, c, PurposeInternetCafe())
			if tc.offline {
				text = e.issueOffline(t, c, PurposeInternetCafe())
			}
			v, err := Version(text, RecoveryM)
			if err != nil {
				t.Fatal(err)
			}
			if v != tc.wantVersion {
				t.Errorf("Version(%d chars, M) = %d, want %d", len(text), v, tc.wantVersion)
			}
		})
	}
}

// TestReportSizes logs the text length and QR version of each built-in purpose in both
// modes at each level; run with -v to regenerate the table in the package doc.
func TestReportSizes(t *testing.T) {
	e := newEnv(t)
	addr := "新疆维吾尔自治区乌鲁木齐市天山区解放北路123号4栋5单元602室" // 33 Han chars + digits
	cases := []struct {
		p Purpose
		c Claims
	}{
		{PurposeInternetCafe(), Claims{Name: "欧阳娜娜", IDNumber: exampleID}},
		{PurposeStadiumGate(), Claims{Name: "欧阳娜娜", IDNumber: exampleID, EventID: 20261123, Ticket: "A12-0345-77"}},
		{PurposeGovernmentCounter(), Claims{Name: "欧阳娜娜", IDNumber: exampleID, Address: addr}},
	}
	for _, tc := range cases {
		for _, offline := range []bool{false, true} {
			text := e.issue(t, tc.c, tc.p)
			mode := "online "
			if offline {
				text, mode = e.issueOffline(t, tc.c, tc.p), "offline"
			}
			var vs []string
			for _, l := range []RecoveryLevel{RecoveryL, RecoveryM, RecoveryQ, RecoveryH} {
				v, err := Version(text, l)
				if err != nil {
					t.Fatal(err)
				}
				vs = append(vs, l.String()+":"+fmtInt(v))
			}
			raw, _ := DecodeBase45(text)
			t.Logf("%-18s %s %3d bytes %3d chars  %s", tc.p.Name, mode, len(raw), len(text), strings.Join(vs, " "))
		}
	}
}

func fmtInt(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return fmtInt(n/10) + string(rune('0'+n%10))
}

// decimalEncode is the numeric-mode alternative measured against base45: 7 bytes become
// 17 digits (2^56 < 10^17), a final k-byte chunk the fewest digits that hold 2^(8k).
func decimalEncode(b []byte) string {
	digitsFor := [8]int{0, 3, 5, 8, 10, 13, 15, 17}
	var sb strings.Builder
	for len(b) > 0 {
		k := min(7, len(b))
		var v uint64
		for _, c := range b[:k] {
			v = v<<8 | uint64(c)
		}
		s := fmtInt(int(v))
		sb.WriteString(strings.Repeat("0", digitsFor[k]-len(s)) + s)
		b = b[k:]
	}
	return sb.String()
}

// TestMeasureTextEncodings compares the QR version a cafe code needs in the three text
// encodings the issue names: base45 in alphanumeric mode (chosen), decimal digits in
// numeric mode, and base64url in byte mode. The assertion is the reason for the choice:
// base45 is never worse than base64url and within one version of decimal.
func TestMeasureTextEncodings(t *testing.T) {
	e := newEnv(t)
	for _, n := range []int{6, 12, 20, 30} {
		for _, offline := range []bool{false, true} {
			c := Claims{Name: nameOfBytes(n), IDNumber: exampleID}
			text := e.issue(t, c, PurposeInternetCafe())
			if offline {
				text = e.issueOffline(t, c, PurposeInternetCafe())
			}
			raw, _ := DecodeBase45(text)
			b45, _ := Version(text, RecoveryM)
			dec, _ := Version(decimalEncode(raw), RecoveryM)
			b64, _ := Version(base64.RawURLEncoding.EncodeToString(raw), RecoveryM)
			bin, _ := Version(string(raw), RecoveryM)
			t.Logf("offline=%v name=%2d bytes: %3d bytes; version at M: base45 %d, decimal %d, base64url %d (raw binary %d)", offline, n, len(raw), b45, dec, b64, bin)
			if b45 > b64 || b45 > dec+1 {
				t.Errorf("base45 needs version %d, decimal %d, base64url %d", b45, dec, b64)
			}
		}
	}
}

func TestRender(t *testing.T) {
	e := newEnv(t)
	text := e.issue(t, cafeClaims(), PurposeInternetCafe())
	img, err := PNG(text, 256, RecoveryM)
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if b := m.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Errorf("PNG is %v, want 256×256", b)
	}
	term, err := Terminal(text, RecoveryM)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := Version(text, RecoveryM)
	modules := 17 + 4*v + 8 // with the quiet zone
	lines := strings.Split(strings.TrimSuffix(term, "\n"), "\n")
	if len(lines) != (modules+1)/2 || utf8.RuneCountInString(lines[0]) != modules {
		t.Errorf("Terminal: %d lines of %d cells, want %d of %d", len(lines), utf8.RuneCountInString(lines[0]), (modules+1)/2, modules)
	}
	if _, err := PNG(text, 256, RecoveryLevel(9)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unknown level: error %v", err)
	}
	if _, err := Version(strings.Repeat("A", 5000), RecoveryH); err == nil {
		t.Errorf("Version of 5000 characters succeeded")
	}
}

// TestZbarRoundTrip renders codes as PNG, decodes them with a real QR decoder (zbarimg
// from the Debian package zbar-tools) and opens the decoded text.
func TestZbarRoundTrip(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not on PATH: install zbar-tools (apt-get install -y zbar-tools) to run the real-decoder round trip")
	}
	e := newEnv(t)
	addr := "北京市朝阳区建国路88号院3号楼2单元1001室"
	for _, tc := range []struct {
		name    string
		offline bool
		level   RecoveryLevel
		p       Purpose
		c       Claims
	}{
		{"online cafe M", false, RecoveryM, PurposeInternetCafe(), cafeClaims()},
		{"online cafe H", false, RecoveryH, PurposeInternetCafe(), Claims{Name: nameOfBytes(20), IDNumber: exampleID}},
		{"online government Q", false, RecoveryQ, PurposeGovernmentCounter(), Claims{Name: "张三", IDNumber: exampleID, Address: addr}},
		{"offline cafe M", true, RecoveryM, PurposeInternetCafe(), cafeClaims()},
		{"offline stadium L", true, RecoveryL, PurposeStadiumGate(), Claims{Name: "阿依古丽·买买提", IDNumber: exampleID, EventID: 7, Ticket: "B-7"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := e.issue(t, tc.c, tc.p)
			if tc.offline {
				text = e.issueOffline(t, tc.c, tc.p)
			}
			img, err := PNG(text, -6, tc.level)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "code.png")
			if err := os.WriteFile(path, img, 0o600); err != nil {
				t.Fatal(err)
			}
			// QR only: with every symbology on, zbarimg now and then also reads a
			// short 1-D barcode out of the modules (seen: a second line "B30A").
			out, err := exec.CommandContext(t.Context(), zbar, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path).Output()
			if err != nil {
				t.Fatalf("zbarimg: %v", err)
			}
			got := strings.TrimSuffix(string(out), "\n")
			if got != text {
				t.Fatalf("zbarimg decoded %q, want %q", got, text)
			}
			o, err := e.reader.Open(t.Context(), got)
			if err != nil {
				t.Fatalf("Open(decoded): %v", err)
			}
			if o.Claims.Name != tc.c.Name {
				t.Errorf("name %v after round trip", o.Claims)
			}
		})
	}
}

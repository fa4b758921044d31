package docnum

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type vinView struct {
	Number     string
	Masked     string
	WMI        string
	VDS        string
	VIS        string
	Check      string
	YearCode   string
	Plant      string
	CheckValid bool
}

func viewVIN(v VIN) vinView {
	return vinView{v.Number(), v.String(), v.WMI(), v.VDS(), v.VIS(), string(v.CheckDigit()),
		string(v.ModelYearCode()), string(v.PlantCode()), v.CheckDigitValid()}
}

// Vectors:
//   - 1M8GDM9AXKP042788: the worked check digit example of the Wikipedia
//     article "Vehicle identification number" (49 CFR 565.15 algorithm),
//     check digit X, a 1989 model year.
//   - 11111111111111111: all ones, valid (sum 89, 89 mod 11 = 1).
//   - 1HGCM82633A004352: a widely published valid Honda VIN.
//   - LSVAU218XN2183294, LFV2A21K0A3051234, LGBH52E0XLY123456: made-up
//     Chinese-style VINs (WMI starting with L) whose check digit was computed
//     with a separate Python implementation of 49 CFR 565.15 written for this
//     test, not with this package.
func TestParseVIN(t *testing.T) {
	valid := []struct {
		in   string
		want vinView
	}{
		{"1M8GDM9AXKP042788", vinView{"1M8GDM9AXKP042788", "1M8GDM9AXKP******", "1M8", "GDM9AX", "KP042788", "X", "K", "P", true}},
		{"1m8gdm9axkp042788", vinView{"1M8GDM9AXKP042788", "1M8GDM9AXKP******", "1M8", "GDM9AX", "KP042788", "X", "K", "P", true}},
		{"１Ｍ８ＧＤＭ９ＡＸＫＰ０４２７８８", vinView{"1M8GDM9AXKP042788", "1M8GDM9AXKP******", "1M8", "GDM9AX", "KP042788", "X", "K", "P", true}},
		{"11111111111111111", vinView{"11111111111111111", "11111111111******", "111", "111111", "11111111", "1", "1", "1", true}},
		{"1HGCM82633A004352", vinView{"1HGCM82633A004352", "1HGCM82633A******", "1HG", "CM8263", "3A004352", "3", "3", "A", true}},
		{"LSVAU218XN2183294", vinView{"LSVAU218XN2183294", "LSVAU218XN2******", "LSV", "AU218X", "N2183294", "X", "N", "2", true}},
		{"LFV2A21K0A3051234", vinView{"LFV2A21K0A3051234", "LFV2A21K0A3******", "LFV", "2A21K0", "A3051234", "0", "A", "3", true}},
		{"LGBH52E0XLY123456", vinView{"LGBH52E0XLY123456", "LGBH52E0XLY******", "LGB", "H52E0X", "LY123456", "X", "L", "Y", true}},
	}
	for _, tc := range valid {
		v, err := ParseVIN(tc.in)
		if err != nil {
			t.Errorf("ParseVIN(%q) error = %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, viewVIN(v)); diff != "" {
			t.Errorf("ParseVIN(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
		cd, err := VINCheckDigit(tc.in)
		if err != nil || cd != tc.want.Check[0] {
			t.Errorf("VINCheckDigit(%q) = %q, %v; want %q", tc.in, cd, err, tc.want.Check)
		}
	}

	invalid := []struct {
		in   string
		want error
		pos  int
	}{
		{"", ErrLength, 0},
		{"1M8GDM9AXKP04278", ErrLength, 0},
		{"1M8GDM9AXKP0427888", ErrLength, 0},
		{"1M8GDM9AXKP04278I", ErrCharacter, 17},
		{"OM8GDM9AXKP042788", ErrCharacter, 1},
		{"1M8GQM9AXKP042788", ErrCharacter, 5},
		{"1m8gdm9axkp04278o", ErrCharacter, 17}, // lower-case o folds to O
		{"1M8GDM9AXKP04278q", ErrCharacter, 17},
		{"1M8GDM9AXKP-42788", ErrCharacter, 12},
		{"1M8GDM9AXKP 42788", ErrCharacter, 12},
		{"1M8GDM9AXKP0427８é", ErrCharacter, 17},
		{"1M8GDM9A1KP042788", ErrChecksum, 9}, // check digit flipped
		{"1M8GDM9A0KP042788", ErrChecksum, 9},
		{"1M8GDM9AAKP042788", ErrChecksum, 9}, // a letter other than X is never a check digit
		{"1M8GDM9AXKP042789", ErrChecksum, 9}, // last digit changed
		{"11111111111111112", ErrChecksum, 9},
		{"WDBRF61J43F123456", ErrChecksum, 9}, // a European-style VIN without check digit
	}
	for _, tc := range invalid {
		_, err := ParseVIN(tc.in)
		checkError(t, "ParseVIN", tc.in, FormatVIN, err, tc.want, tc.pos)
	}
}

// Every single-character substitution is caught by the check digit unless
// the new character has the same transliterated value (49 CFR 565.15; A, J
// and 1 all count 1, and so on), and any change to position 9 is caught.
func TestVINSingleSubstitutions(t *testing.T) {
	const alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
	for _, base := range []string{"1M8GDM9AXKP042788", "11111111111111111", "LSVAU218XN2183294"} {
		caught, same := 0, 0
		for i := range len(base) {
			for _, c := range []byte(alphabet + "X") {
				if c == base[i] {
					continue
				}
				in := base[:i] + string(c) + base[i+1:]
				_, err := ParseVIN(in)
				if i != 8 && vinValue(c) == vinValue(base[i]) {
					same++
					if err != nil {
						t.Errorf("ParseVIN(%q) error = %v; same transliterated value must not change the check", in, err)
					}
					continue
				}
				caught++
				checkError(t, "ParseVIN", in, FormatVIN, err, ErrChecksum, 9)
			}
		}
		if caught == 0 || same == 0 {
			t.Errorf("%s: caught %d, same-value %d: both classes must be exercised", base, caught, same)
		}
	}
}

// Every position rejects I, O and Q, in either case.
func TestVINForbiddenLetters(t *testing.T) {
	const base = "1M8GDM9AXKP042788"
	for i := range len(base) {
		for _, c := range "IOQioq" {
			in := base[:i] + string(c) + base[i+1:]
			_, err := ParseVIN(in)
			checkError(t, "ParseVIN", in, FormatVIN, err, ErrCharacter, i+1)
			_, err = VINCheckDigit(in)
			checkError(t, "VINCheckDigit", in, FormatVIN, err, ErrCharacter, i+1)
			_, err = ParseVINUnchecked(in)
			checkError(t, "ParseVINUnchecked", in, FormatVIN, err, ErrCharacter, i+1)
		}
	}
}

func TestVINCheckDigitIgnoresPosition9(t *testing.T) {
	for _, c := range "0123456789XAZ" {
		in := "1M8GDM9A" + string(c) + "KP042788"
		got, err := VINCheckDigit(in)
		if err != nil || got != 'X' {
			t.Errorf("VINCheckDigit(%q) = %q, %v; want 'X'", in, got, err)
		}
	}
}

func TestParseVINUnchecked(t *testing.T) {
	v, err := ParseVINUnchecked("wdbrf61j43f123456")
	if err != nil {
		t.Fatalf("ParseVINUnchecked error = %v", err)
	}
	want := vinView{"WDBRF61J43F123456", "WDBRF61J43F******", "WDB", "RF61J4", "3F123456", "4", "3", "F", false}
	if diff := cmp.Diff(want, viewVIN(v)); diff != "" {
		t.Errorf("ParseVINUnchecked mismatch (-want +got):\n%s", diff)
	}
	_, err = ParseVINUnchecked("WDBRF61J43F12345")
	checkError(t, "ParseVINUnchecked", "WDBRF61J43F12345", FormatVIN, err, ErrLength, 0)
}

// Model year codes per 49 CFR 565.15 (and GB 16735): A..Y without I, O, Q, U,
// Z for 1980-2000 and 2010-2030, 1..9 for 2001-2009 and 2031-2039.
func TestVINModelYear(t *testing.T) {
	tests := []struct {
		code     byte
		notAfter int
		want     int
		ok       bool
	}{
		{'K', 2027, 2019, true},
		{'K', 2018, 1989, true}, // the 1M8GDM9AXKP042788 vector is a 1989 model
		{'K', 1989, 1989, true},
		{'K', 1988, 0, false},
		{'A', 2027, 2010, true},
		{'A', 2040, 2040, true},
		{'A', 2039, 2010, true},
		{'Y', 2027, 2000, true},
		{'Y', 2030, 2030, true},
		{'1', 2027, 2001, true},
		{'9', 2027, 2009, true},
		{'9', 2039, 2039, true},
		{'S', 2027, 2025, true},
		{'T', 2027, 2026, true},
		{'V', 2027, 2027, true},
		{'W', 2027, 1998, true},
		{'0', 2027, 0, false},
		{'U', 2027, 0, false},
		{'Z', 2027, 0, false},
	}
	for _, tc := range tests {
		in := "1M8GDM9AX" + string(tc.code) + "P042788"
		v, err := ParseVINUnchecked(in)
		if err != nil {
			t.Fatalf("ParseVINUnchecked(%q) error = %v", in, err)
		}
		y, ok := v.ModelYear(tc.notAfter)
		if diff := cmp.Diff([]any{tc.want, tc.ok}, []any{y, ok}); diff != "" {
			t.Errorf("ModelYear(%c, %d) mismatch (-want +got):\n%s", tc.code, tc.notAfter, diff)
		}
	}
	if y, ok := (VIN{}).ModelYear(2030); ok {
		t.Errorf("zero VIN ModelYear = %d, true", y)
	}
	// The table covers 30 distinct codes.
	if len(vinYearCodes) != 30 || strings.ContainsAny(vinYearCodes, "IOQUZ0") {
		t.Errorf("vinYearCodes = %q", vinYearCodes)
	}
}

func TestVINZero(t *testing.T) {
	var v VIN
	if v.String() != "" || v.CheckDigitValid() {
		t.Errorf("zero VIN: String %q, CheckDigitValid %v", v.String(), v.CheckDigitValid())
	}
}

package docnum

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// checkFuzzed holds for every parser and every input: no panic; an error is
// an *Error of the right format matching exactly one sentinel and not echoing a
// digit-bearing input; a value re-parses from its canonical Number to the
// same value, and its printed forms differ from the number.
func checkFuzzed[T interface {
	comparable
	personal
}](t *testing.T, k Format, in string, v T, err error, parse func(string) (T, error), isValidate bool) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Format != k {
			t.Fatalf("%v(%q): error %#v is not an *Error of this format", k, in, err)
		}
		n := 0
		for _, s := range sentinels {
			if errors.Is(err, s) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%v(%q): error %v matches %d sentinels", k, in, err, n)
		}
		// Positions have at most two digits, so an input with three digits
		// can only appear in the message if it is echoed.
		if strings.Count(in, "")-1 >= 3 && countDigits(in) >= 3 && strings.Contains(err.Error(), in) {
			t.Fatalf("%v(%q): error %q echoes the input", k, in, err)
		}
		if isValidate && Validate(k, in) == nil {
			t.Fatalf("Validate(%v, %q) = nil but the parser failed", k, in)
		}
		return
	}
	if err := Validate(k, in); isValidate && err != nil {
		t.Fatalf("Validate(%v, %q) = %v but the parser succeeded", k, in, err)
	}
	num := v.Number()
	v2, err := parse(num)
	if err != nil {
		t.Fatalf("%v: canonical %q of %q does not re-parse: %v", k, num, in, err)
	}
	if v2 != v || v2.Number() != num {
		t.Fatalf("%v: %q -> %q -> %q: round trip changed the value", k, in, num, v2.Number())
	}
	for _, out := range []string{v.String(), fmt.Sprintf("%v", v), fmt.Sprintf("%#v", v), v.LogValue().String()} {
		if strings.Contains(out, num) {
			t.Fatalf("%v: printed form %q reveals %q", k, out, num)
		}
	}
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if '0' <= r && r <= '9' {
			n++
		}
	}
	return n
}

var fuzzSeeds = []string{
	"", "E12345678", "EA1234567", "EI1234567", "e12345678", "Ｅ１２３４５６７８", "G12345678",
	"DE1234567", "SE1234567", "PE1234567", "K12345678", "MA1234567", "L898902C3",
	"C12345678", "CA0000001", "W12345678", "H12345678", "H1234567800", "M1234567803",
	"L12345678", "T12345678", "12345678", "1234567801", "1234567801(B)", "1234567801（B）",
	"110101234567", "京A12345", "京A·12345", "沪AD12345", "京A12345D", "粤Z·1234港",
	"京A1234I", "台A12345", "京A··12345", "1M8GDM9AXKP042788", "11111111111111111",
	"1M8GDM9A1KP042788", "1m8gdm9axkp042788", "\xff\xfe", "京\x00", "(((((((((((((",
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
}

func FuzzParsePassport(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParsePassport(s)
		checkFuzzed(t, FormatPassport, s, v, err, ParsePassport, true)
	})
}

func FuzzParseForeignPassport(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseForeignPassport(s)
		checkFuzzed(t, FormatForeignPassport, s, v, err, ParseForeignPassport, true)
	})
}

func FuzzParseHKMacaoExitEntryPermit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseHKMacaoExitEntryPermit(s)
		checkFuzzed(t, FormatHKMacaoExitEntryPermit, s, v, err, ParseHKMacaoExitEntryPermit, true)
	})
}

func FuzzParseHKMacaoResidentsPermit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseHKMacaoResidentsPermit(s)
		checkFuzzed(t, FormatHKMacaoResidentsPermit, s, v, err, ParseHKMacaoResidentsPermit, true)
		if err == nil {
			if h := v.HolderNumber(); !strings.HasPrefix(v.Number(), h) || len(h) != 9 {
				t.Fatalf("HolderNumber of %q = %q", v.Number(), h)
			}
		}
	})
}

func FuzzParseTaiwanExitEntryPermit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTaiwanExitEntryPermit(s)
		checkFuzzed(t, FormatTaiwanExitEntryPermit, s, v, err, ParseTaiwanExitEntryPermit, true)
	})
}

func FuzzParseTaiwanResidentsPermit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTaiwanResidentsPermit(s)
		checkFuzzed(t, FormatTaiwanResidentsPermit, s, v, err, ParseTaiwanResidentsPermit, true)
		if err == nil {
			if c, ok := v.IssueCount(); ok && (c < 0 || c > 99) {
				t.Fatalf("IssueCount of %q = %d", v.Number(), c)
			}
		}
	})
}

func FuzzParseArchiveNumber(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseArchiveNumber(s)
		checkFuzzed(t, FormatDrivingLicenceArchive, s, v, err, ParseArchiveNumber, true)
	})
}

func FuzzParsePlate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParsePlate(s)
		checkFuzzed(t, FormatPlate, s, v, err, ParsePlate, true)
		if err != nil {
			return
		}
		// The masked form with its middle dot parses back to the same layout
		// once the masked characters are filled in.
		filled := strings.ReplaceAll(v.String(), "*", "1")
		if v.Class() == PlateNewEnergySmall {
			filled = strings.Replace(filled, "·1", "·"+string(v.Serial()[0]), 1)
		}
		w, err := ParsePlate(filled)
		if err != nil || w.Class() != v.Class() || w.Province() != v.Province() || w.Authority() != v.Authority() {
			t.Fatalf("masked %q of %q filled as %q: %v", v.String(), v.Number(), filled, err)
		}
	})
}

func FuzzParseVIN(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVIN(s)
		checkFuzzed(t, FormatVIN, s, v, err, ParseVIN, true)
		u, uerr := ParseVINUnchecked(s)
		if err == nil && (uerr != nil || u != v || !u.CheckDigitValid()) {
			t.Fatalf("ParseVINUnchecked(%q) = %v, %v after ParseVIN succeeded", s, u, uerr)
		}
		if uerr == nil {
			checkFuzzed(t, FormatVIN, s, u, uerr, ParseVINUnchecked, false)
			cd, cerr := VINCheckDigit(s)
			if cerr != nil || (cd == u.CheckDigit()) != (err == nil) {
				t.Fatalf("VINCheckDigit(%q) = %q, %v; ParseVIN error %v", s, cd, cerr, err)
			}
		}
	})
}

func FuzzVINCheckDigit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		cd, err := VINCheckDigit(s)
		if err != nil {
			return
		}
		if !(cd == 'X' || ('0' <= cd && cd <= '9')) {
			t.Fatalf("VINCheckDigit(%q) = %q", s, cd)
		}
		// Writing the check digit into position 9 yields a valid VIN.
		u, err := ParseVINUnchecked(s)
		if err != nil {
			t.Fatalf("ParseVINUnchecked(%q) failed after VINCheckDigit succeeded: %v", s, err)
		}
		n := u.Number()
		if _, err := ParseVIN(n[:8] + string(cd) + n[9:]); err != nil {
			t.Fatalf("VIN with computed check digit %q rejected: %v", cd, err)
		}
	})
}

func FuzzValidate(f *testing.F) {
	for k := Format(0); k <= FormatVIN+1; k++ {
		for _, s := range fuzzSeeds {
			f.Add(uint8(k), s)
		}
	}
	f.Fuzz(func(t *testing.T, k uint8, s string) {
		err := Validate(Format(k), s)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Format != Format(k) {
			t.Fatalf("Validate(%d, %q) error %#v", k, s, err)
		}
		if (Format(k) == 0 || Format(k) > FormatVIN) != errors.Is(err, ErrFormat) {
			t.Fatalf("Validate(%d, %q) = %v", k, s, err)
		}
	})
}

package docnum

import (
	"errors"
	"fmt"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		kind Format
		in   string
		want error
	}{
		{FormatPassport, "E12345678", nil},
		{FormatPassport, "C12345678", ErrPrefix},
		{FormatForeignPassport, "C12345678", nil},
		{FormatForeignPassport, "C1234567890", ErrLength},
		{FormatHKMacaoExitEntryPermit, "C12345678", nil},
		{FormatHKMacaoExitEntryPermit, "E12345678", ErrPrefix},
		{FormatHKMacaoResidentsPermit, "H1234567800", nil},
		{FormatHKMacaoResidentsPermit, "H123456780", ErrLength},
		{FormatTaiwanExitEntryPermit, "L12345678", nil},
		{FormatTaiwanExitEntryPermit, "LI2345678", ErrCharacter},
		{FormatTaiwanResidentsPermit, "12345678", nil},
		{FormatTaiwanResidentsPermit, "1234567", ErrLength},
		{FormatDrivingLicenceArchive, "110101234567", nil},
		{FormatDrivingLicenceArchive, "11010123456X", ErrCharacter},
		{FormatPlate, "京A12345", nil},
		{FormatPlate, "台A12345", ErrProvince},
		{FormatVIN, "1M8GDM9AXKP042788", nil},
		{FormatVIN, "1M8GDM9A1KP042788", ErrChecksum},
		{0, "E12345678", ErrFormat},
		{FormatVIN + 1, "E12345678", ErrFormat},
	}
	for _, tc := range tests {
		err := Validate(tc.kind, tc.in)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("Validate(%v, %q) = %v, want %v", tc.kind, tc.in, err, tc.want)
		}
		var e *Error
		if err != nil && (!errors.As(err, &e) || e.Format != tc.kind) {
			t.Errorf("Validate(%v, %q) error %#v: want *Error of that kind", tc.kind, tc.in, err)
		}
	}
}

func TestErrorWrapped(t *testing.T) {
	_, err := ParseVIN("1M8GDM9A1KP042788")
	wrapped := fmt.Errorf("enrol vehicle: %w", err)
	if !errors.Is(wrapped, ErrChecksum) || errors.Is(wrapped, ErrLength) {
		t.Errorf("wrapped error %v does not match ErrChecksum only", wrapped)
	}
	var e *Error
	if !errors.As(wrapped, &e) || e.Reason != ReasonChecksum || e.Pos != 9 {
		t.Errorf("errors.As(%v) = %+v", wrapped, e)
	}
	if got, want := err.Error(), "docnum: VIN: check character mismatch at position 9"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := Validate(0, "x").Error(), "docnum: format(0): unknown format"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if (&Error{Reason: 99}).Is(ErrLength) || Reason(99).String() != "reason(99)" {
		t.Error("unknown reason must match no sentinel")
	}
}

func TestStringers(t *testing.T) {
	for k := Format(0); k <= FormatVIN+1; k++ {
		if k.String() == "" {
			t.Errorf("Format(%d).String() empty", k)
		}
	}
	seen := map[string]Series{}
	for s := Series(0); s < 64; s++ {
		name := s.String()
		if prev, dup := seen[name]; dup {
			t.Errorf("Series %d and %d share the name %q", prev, s, name)
		}
		seen[name] = s
	}
	for r := Reason(1); r <= ReasonFormat; r++ {
		if r.sentinel() == nil {
			t.Errorf("Reason %v has no sentinel", r)
		}
	}
}

// TestFoldBoundaries checks both ends of every folded range and the code
// points just outside them.
func TestFoldBoundaries(t *testing.T) {
	tests := []struct{ in, want rune }{
		{'a', 'A'}, {'z', 'Z'}, {'`', '`'}, {'{', '{'}, {'A', 'A'}, {'0', '0'},
		{0xFF10, '0'}, {0xFF19, '9'}, {0xFF0F, 0xFF0F}, {0xFF1A, 0xFF1A}, // ０ ９ ／ ：
		{0xFF21, 'A'}, {0xFF3A, 'Z'}, {0xFF20, 0xFF20}, {0xFF3B, 0xFF3B}, // Ａ Ｚ ＠ ［
		{0xFF41, 'A'}, {0xFF5A, 'Z'}, {0xFF40, 0xFF40}, {0xFF5B, 0xFF5B}, // ａ ｚ ｀ ｛
		{0xFF08, '('}, {0xFF09, ')'}, {0xFF07, 0xFF07}, {0xFF0A, 0xFF0A}, // （ ） ＇ ＊
	}
	for _, tc := range tests {
		if got := fold(tc.in); got != tc.want {
			t.Errorf("fold(%U) = %U, want %U", tc.in, got, tc.want)
		}
	}
}

package docnum

import (
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"
)

// vinWeights are the position weights of the check digit computation
// (49 CFR 565.15; GB 16735-2019 uses the same weights). Position 9, the check
// digit itself, weighs 0.
var vinWeights = [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}

// vinLetterValues is the transliteration of letters for the check digit
// (49 CFR 565.15): A-H 1-8, J-N 1-5, P 7, R 9, S-Z 2-9. -1 marks I, O and Q,
// which ISO 3779 excludes from VINs.
var vinLetterValues = [26]int8{
	1, 2, 3, 4, 5, 6, 7, 8, -1, // A-I
	1, 2, 3, 4, 5, -1, 7, -1, 9, // J-R
	2, 3, 4, 5, 6, 7, 8, 9, // S-Z
}

// vinValue returns the transliterated value of an upper-case VIN character,
// or -1 if the character is not allowed in a VIN.
func vinValue(c byte) int {
	switch {
	case isDigit(c):
		return int(c - '0')
	case isAnyLetter(c):
		return int(vinLetterValues[c-'A'])
	}
	return -1
}

// vinYearCodes lists the model year codes of position 10 in cycle order: A is
// 1980, 2010, 2040; 9 is 2009, 2039. I, O, Q, U, Z and 0 are not used.
const vinYearCodes = "ABCDEFGHJKLMNPRSTVWXY123456789"

// VIN is a parsed 17-character vehicle identification number. A VIN names one
// vehicle and through its registration a person, so String, Format and
// LogValue mask the serial number, positions 12-17 (LSVAU2180N2******): the
// first 11 characters describe maker, model, year and plant and are shared by
// many vehicles. [VIN.Number] returns the full VIN.
type VIN struct {
	b [17]byte
}

func foldVIN(s string) ([17]byte, error) {
	var b [17]byte
	if utf8.RuneCountInString(s) != len(b) {
		return b, fail(FormatVIN, ReasonLength, 0)
	}
	i := 0
	for _, r := range s {
		r = fold(r)
		if r >= utf8.RuneSelf || vinValue(byte(r)) < 0 {
			return b, fail(FormatVIN, ReasonCharacter, i+1)
		}
		b[i] = byte(r)
		i++
	}
	return b, nil
}

func vinCheck(b *[17]byte) byte {
	sum := 0
	for i, c := range b {
		sum += vinValue(c) * vinWeights[i]
	}
	if r := sum % 11; r != 10 {
		return byte('0' + r)
	}
	return 'X'
}

// VINCheckDigit returns the check character ('0'-'9' or 'X') that position 9
// of the VIN s must hold, whatever s holds there now. s must otherwise be a
// well-formed VIN: 17 characters from 0-9 and A-Z without I, O and Q
// (lower-case and full-width forms are folded).
func VINCheckDigit(s string) (byte, error) {
	b, err := foldVIN(s)
	if err != nil {
		return 0, err
	}
	return vinCheck(&b), nil
}

// ParseVIN checks a VIN the way it must be in China: 17 characters from
// 0-9 and A-Z without I, O and Q (ISO 3779), with a valid check digit at
// position 9 (mandatory under GB 16735, computed as in 49 CFR 565.15: each
// character transliterated to a number, multiplied by its position weight, the
// sum taken modulo 11, a remainder of 10 written X). Lower-case and full-width
// forms are folded to upper-case ASCII. No other field is checked: the WMI is
// not looked up, the model year code and plant code are not validated.
//
// The check digit catches every single-character substitution except between
// characters with the same transliterated value (A, J and 1; B, K, S and 2;
// ...), and not every transposition.
func ParseVIN(s string) (VIN, error) {
	b, err := foldVIN(s)
	if err != nil {
		return VIN{}, err
	}
	if b[8] != vinCheck(&b) {
		return VIN{}, fail(FormatVIN, ReasonChecksum, 9)
	}
	return VIN{b: b}, nil
}

// ParseVINUnchecked is [ParseVIN] without the check digit, for VINs assigned
// under rules where position 9 is not a check digit (ISO 3779 leaves it to the
// maker; many European VINs carry none). It is weaker: a mistyped character
// goes unnoticed. [VIN.CheckDigitValid] tells whether the check holds anyway.
func ParseVINUnchecked(s string) (VIN, error) {
	b, err := foldVIN(s)
	if err != nil {
		return VIN{}, err
	}
	return VIN{b: b}, nil
}

// Number returns the full VIN. It links to a person through registration; do
// not log it.
func (v VIN) Number() string { return string(v.b[:]) }

// WMI returns the world manufacturer identifier, positions 1-3 (ISO 3780).
// For makers of fewer than 1000 vehicles a year (500 under 49 CFR 565) the
// third character is 9 and positions 12-14 complete the maker code.
func (v VIN) WMI() string { return string(v.b[:3]) }

// VDS returns the vehicle descriptor section, positions 4-9 (ISO 3779),
// including the check digit.
func (v VIN) VDS() string { return string(v.b[3:9]) }

// VIS returns the vehicle indicator section, positions 10-17 (ISO 3779). It
// contains the serial number; it is personal data.
func (v VIN) VIS() string { return string(v.b[9:]) }

// CheckDigit returns position 9.
func (v VIN) CheckDigit() byte { return v.b[8] }

// CheckDigitValid reports whether position 9 holds the check digit of the
// other 16 characters. It is always true for a VIN from [ParseVIN].
func (v VIN) CheckDigitValid() bool { return v.b[0] != 0 && v.b[8] == vinCheck(&v.b) }

// ModelYearCode returns position 10, the model year code (49 CFR 565.15,
// GB 16735).
func (v VIN) ModelYearCode() byte { return v.b[9] }

// PlantCode returns position 11, the assembly plant code.
func (v VIN) PlantCode() byte { return v.b[10] }

// ModelYear decodes the model year code of position 10. The code repeats
// every 30 years (A is 1980, 2010 and 2040), so the caller supplies the
// latest year it will accept, typically the current year plus one, as model
// years run ahead of the calendar; ModelYear returns the latest year not
// after notAfter with that code. ok is false for characters that are not
// year codes (0, U, Z) and when the code's first year, 1980 or later, comes
// after notAfter. (Under 49 CFR 565.15 North American passenger cars also
// disambiguate the cycle by position 7; that rule does not hold in China and
// is not applied.)
func (v VIN) ModelYear(notAfter int) (year int, ok bool) {
	i := strings.IndexByte(vinYearCodes, v.b[9])
	if i < 0 || v.b[9] == 0 {
		return 0, false
	}
	year = 1980 + i
	if year > notAfter {
		return 0, false
	}
	return year + (notAfter-year)/30*30, true
}

// String returns the VIN with positions 12-17 masked, e.g.
// 1M8GDM9AXKP******. The zero VIN prints as an empty string.
func (v VIN) String() string {
	if v.b[0] == 0 {
		return ""
	}
	b := v.b
	for i := 11; i < len(b); i++ {
		b[i] = '*'
	}
	return string(b[:])
}

// Format writes the masked VIN for every verb.
func (v VIN) Format(f fmt.State, verb rune) { formatMasked(f, verb, v.String()) }

// LogValue implements [slog.LogValuer] with the masked VIN.
func (v VIN) LogValue() slog.Value { return slog.StringValue(v.String()) }

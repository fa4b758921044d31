package docnum

import (
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"
)

// provinces are the abbreviations of the 31 mainland province-level divisions
// that open a civil motor vehicle plate (GA 36-2018).
const provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

// plateSuffixes are the use characters that close the special plates this
// package recognises: 学 learner (教练), 警 police, 领 consulate, 港 and 澳
// cross-border vehicles from Hong Kong and Macao, 挂 trailer.
const plateSuffixes = "学警领港澳挂"

// PlateClass tells which plate layout a number follows.
type PlateClass uint8

// Plate classes.
const (
	// PlateOrdinary: province + authority letter + 5 letters (not I, O) or
	// digits, the 2007/2018 ordinary civil plate.
	PlateOrdinary PlateClass = iota + 1
	// PlateNewEnergySmall: 6 characters after the authority letter, the first
	// a power-type letter, the second a letter (not I, O) or digit, the last
	// four digits.
	PlateNewEnergySmall
	// PlateNewEnergyLarge: 6 characters after the authority letter, five
	// digits then a power-type letter.
	PlateNewEnergyLarge
	// PlateSpecial: 4 letters (not I, O) or digits followed by one of the use
	// characters 学 警 领 港 澳 挂, see [Plate.Suffix].
	PlateSpecial
)

// String returns a short English name for the class.
func (c PlateClass) String() string {
	switch c {
	case PlateOrdinary:
		return "ordinary"
	case PlateNewEnergySmall:
		return "new-energy small"
	case PlateNewEnergyLarge:
		return "new-energy large"
	case PlateSpecial:
		return "special"
	}
	return "unknown"
}

// Power is the power type that a new-energy plate's letter encodes.
type Power uint8

// Power types.
const (
	// PowerNone: not a new-energy plate.
	PowerNone Power = iota
	// PowerPureElectric: D, and by the later extension A, B, C, E.
	PowerPureElectric
	// PowerNonPureElectric (plug-in hybrid, fuel cell, ...): F, and by the
	// later extension G, H, J, K.
	PowerNonPureElectric
)

// String returns a short English name for the power type.
func (p Power) String() string {
	switch p {
	case PowerPureElectric:
		return "pure electric"
	case PowerNonPureElectric:
		return "non-pure electric"
	}
	return "none"
}

func powerOf(c byte) Power {
	switch c {
	case 'D', 'A', 'B', 'C', 'E':
		return PowerPureElectric
	case 'F', 'G', 'H', 'J', 'K':
		return PowerNonPureElectric
	}
	return PowerNone
}

// isPlateSeparator reports the characters people and OCR engines put between
// the authority letter and the serial: the middle dot as printed on the plate
// (U+00B7) and its look-alikes, a space, an ideographic space, a dot, a hyphen.
func isPlateSeparator(r rune) bool {
	switch r {
	case ' ', '\u3000', '\u00b7', '\u2022', '\u2027', '\u30fb', '\uff65', '.', '\uff0e', '-', '\uff0d':
		return true
	}
	return false
}

// Plate is a parsed motor vehicle number plate. A plate is less sensitive
// than a document number but still links to a person, so String, Format and
// LogValue mask all but the last two serial characters (京A·***45);
// [Plate.Number] returns the full canonical form.
type Plate struct {
	province  rune
	suffix    rune
	authority byte
	class     PlateClass
	n         uint8
	serial    [6]byte
}

// ParsePlate checks a civil motor vehicle plate number against GA 36-2018
// (Public Security industry standard "Motor vehicle number plates of the
// People's Republic of China"):
//
//   - position 1: one of the 31 mainland province-level abbreviations
//     (京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼);
//   - position 2: the issuing authority letter, A-Z except I and O;
//   - optionally one separator (middle dot, space, dot, hyphen, see below);
//   - the serial: 5 characters for an ordinary plate, 6 for a new-energy
//     plate, or 4 followed by a use character for the special plates listed
//     under [PlateSpecial]. The letters I and O never appear.
//
// Lower-case and full-width ASCII letters and digits are folded to
// upper-case ASCII, so "京a·12345" and "京Ａ１２３４５" are accepted; the
// canonical [Plate.Number] has no separator.
//
// Not checked: how many letters an ordinary serial may hold and where, which
// authority letters a province uses (or that 港/澳 plates are 粤Z), reserved
// or unissued ranges, plate colour, and plates outside GA 36-2018's civil
// series (embassy 使, armed police WJ, military, civil aviation 民航).
func ParsePlate(s string) (Plate, error) {
	const k = FormatPlate
	// province + authority + separator + 6 serial characters, or 4 + suffix.
	if n := utf8.RuneCountInString(s); n < 2 || n > 9 {
		if n > 0 {
			r, _ := utf8.DecodeRuneInString(s)
			if !strings.ContainsRune(provinces, r) {
				return Plate{}, fail(k, ReasonProvince, 1)
			}
		}
		return Plate{}, fail(k, ReasonLength, 0)
	}
	var p Plate
	pos, start := 0, 3
	for _, r := range s {
		pos++
		switch {
		case pos == 1:
			if !strings.ContainsRune(provinces, r) {
				return Plate{}, fail(k, ReasonProvince, 1)
			}
			p.province = r
		case pos == 2:
			c := fold(r)
			if c >= utf8.RuneSelf || !isLetter(byte(c)) {
				return Plate{}, fail(k, ReasonCharacter, 2)
			}
			p.authority = byte(c)
		case pos == 3 && isPlateSeparator(r):
			start = 4
		case p.suffix != 0:
			return Plate{}, fail(k, ReasonCharacter, pos)
		default:
			c := fold(r)
			switch {
			case c < utf8.RuneSelf && (isDigit(byte(c)) || isLetter(byte(c))):
				if p.n == uint8(len(p.serial)) {
					return Plate{}, fail(k, ReasonLength, 0)
				}
				p.serial[p.n] = byte(c)
				p.n++
			case strings.ContainsRune(plateSuffixes, r):
				p.suffix = r
			default:
				return Plate{}, fail(k, ReasonCharacter, pos)
			}
		}
	}
	switch {
	case p.suffix != 0:
		if p.n != 4 {
			return Plate{}, fail(k, ReasonLength, 0)
		}
		p.class = PlateSpecial
	case p.n == 5:
		p.class = PlateOrdinary
	case p.n == 6:
		class, at := newEnergyClass(p.serial)
		if class == 0 {
			return Plate{}, fail(k, ReasonCharacter, start+at)
		}
		p.class = class
	default:
		return Plate{}, fail(k, ReasonLength, 0)
	}
	return p, nil
}

// newEnergyClass classifies a 6-character serial (every character already a
// digit or a letter other than I and O). On failure it returns 0 and the
// index where the closer of the two layouts failed.
func newEnergyClass(s [6]byte) (PlateClass, int) {
	small := 0 // small: power letter, letter or digit, 4 digits
	if powerOf(s[0]) != PowerNone {
		small = 2
		for small < 6 && isDigit(s[small]) {
			small++
		}
		if small == 6 {
			return PlateNewEnergySmall, 0
		}
	}
	large := 0 // large: 5 digits, power letter
	for large < 5 && isDigit(s[large]) {
		large++
	}
	if large == 5 && powerOf(s[5]) != PowerNone {
		return PlateNewEnergyLarge, 0
	}
	return 0, max(small, large)
}

// Province returns the province abbreviation (position 1).
func (p Plate) Province() rune { return p.province }

// Authority returns the issuing authority letter (position 2).
func (p Plate) Authority() byte { return p.authority }

// Serial returns the 4 to 6 serial characters, without the use character.
func (p Plate) Serial() string { return string(p.serial[:p.n]) }

// Suffix returns the use character of a special plate (学 警 领 港 澳 挂), or 0.
func (p Plate) Suffix() rune { return p.suffix }

// Class returns the plate layout.
func (p Plate) Class() PlateClass { return p.class }

// Power returns the power type of a new-energy plate, PowerNone otherwise.
func (p Plate) Power() Power {
	switch p.class {
	case PlateNewEnergySmall:
		return powerOf(p.serial[0])
	case PlateNewEnergyLarge:
		return powerOf(p.serial[5])
	}
	return PowerNone
}

// Number returns the canonical plate number without separator, e.g.
// 京A12345 or 粤Z1234港. It links to a person; do not log it.
func (p Plate) Number() string { return p.format(false) }

// String returns the masked plate, e.g. 京A·***45, with the middle dot as
// printed on the plate. The zero Plate prints as an empty string.
func (p Plate) String() string { return p.format(true) }

func (p Plate) format(masked bool) string {
	if p.province == 0 {
		return ""
	}
	var buf [24]byte
	b := utf8.AppendRune(buf[:0], p.province)
	b = append(b, p.authority)
	if masked {
		b = utf8.AppendRune(b, '\u00b7')
	}
	for i, c := range p.serial[:p.n] {
		if masked && i < int(p.n)-2 {
			c = '*'
		}
		b = append(b, c)
	}
	if p.suffix != 0 {
		b = utf8.AppendRune(b, p.suffix)
	}
	return string(b)
}

// Format writes the masked plate for every verb.
func (p Plate) Format(f fmt.State, verb rune) { formatMasked(f, verb, p.String()) }

// LogValue implements [slog.LogValuer] with the masked plate.
func (p Plate) LogValue() slog.Value { return slog.StringValue(p.String()) }

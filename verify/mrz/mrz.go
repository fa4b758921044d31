package mrz

import (
	"strings"
	"time"
)

// Format is the layout of a machine-readable zone.
type Format uint8

// The formats of ICAO Doc 9303 Parts 4 to 7.
const (
	FormatUnknown Format = iota
	TD1                  // 3 lines of 30: ID cards and official travel documents (Part 5)
	TD2                  // 2 lines of 36: official travel documents (Part 6)
	TD3                  // 2 lines of 44: passports (Part 4)
	MRVA                 // 2 lines of 44: full-page visas (Part 7)
	MRVB                 // 2 lines of 36: smaller visas (Part 7)
)

// String returns "TD1", "TD2", "TD3", "MRV-A", "MRV-B" or "unknown".
func (f Format) String() string {
	switch f {
	case TD1:
		return "TD1"
	case TD2:
		return "TD2"
	case TD3:
		return "TD3"
	case MRVA:
		return "MRV-A"
	case MRVB:
		return "MRV-B"
	}
	return "unknown"
}

// Sex is the holder's sex as encoded in the zone.
type Sex uint8

// Sex values. Doc 9303 encodes unspecified as 'X' or the filler '<'; both
// map to SexUnspecified.
const (
	SexUnspecified Sex = iota
	SexMale
	SexFemale
)

// String returns "M", "F" or "X".
func (s Sex) String() string {
	switch s {
	case SexMale:
		return "M"
	case SexFemale:
		return "F"
	}
	return "X"
}

// Document is a parsed, check-digit-verified machine-readable zone.
//
// It holds personal data. Its String, Format and LogValue methods mask the
// document number, names, date of birth and optional data, so printing or
// logging a Document (with any fmt verb, or through log/slog) does not leak
// them; MarshalJSON and MarshalText apply the same masking, so encoding/json
// and encoding/xml do not leak them either. The exported fields themselves
// are unmasked: handle them with care, and copy them into a type of your
// own to store or transmit them (encoding/gob still sees them as they are).
type Document struct {
	// Layout is the zone's format. (The field is not called Format
	// because Document implements fmt.Formatter.)
	Layout Format
	// DocumentCode is the one- or two-letter document code with fillers
	// removed: "P", "PO", "I", "ID", "AC", "V", ...
	DocumentCode string
	// IssuingState is the ICAO 3-letter code with fillers removed
	// ("UTO", "D" for Germany).
	IssuingState string
	// DocumentNumber is the full document number without trailing
	// fillers; for long TD1/TD2 numbers it includes the characters carried
	// in the optional data field.
	DocumentNumber string
	// Nationality is the ICAO 3-letter code with fillers removed.
	Nationality string
	// BirthDate and ExpiryDate are midnight UTC of the encoded dates, the
	// century resolved as described in the package documentation.
	BirthDate  time.Time
	Sex        Sex
	ExpiryDate time.Time
	// PrimaryIdentifier is the surname part of the name (before "<<"),
	// SecondaryIdentifier the given names; single fillers between
	// components become spaces.
	PrimaryIdentifier   string
	SecondaryIdentifier string
	// OptionalData1 is the first optional data field with fillers at both
	// ends removed (inner fillers are kept as '<'): TD1 line 1 (after any
	// document number overflow), TD2 line 2, TD3 personal number, MRV line 2.
	OptionalData1 string
	// OptionalData2 is the TD1 line 2 optional data field; empty for the
	// other formats.
	OptionalData2 string
}

// Expired reports whether the document's date of expiry is before the
// calendar date of now (a document is valid through its expiry day).
func (d Document) Expired(now time.Time) bool {
	y, m, day := now.Date()
	return d.ExpiryDate.Before(time.Date(y, m, day, 0, 0, 0, 0, time.UTC))
}

// Line widths of the formats.
const (
	widthTD1 = 30
	widthTD2 = 36
	widthTD3 = 44
)

// Parse parses a machine-readable zone given as one string with its lines
// separated by "\n" or "\r\n". Line breaks at the end (any run of CR and
// LF, as scanners, terminals and text fields append them) are ignored; a
// blank line anywhere else fails with [ErrFormat] and the field "blank
// line", naming the line. No other whitespace is tolerated, and no
// character is ever corrected.
//
// ref is the reference time for resolving two-digit years (normally the
// time of reading); see the package documentation for the rule. A zero ref
// (an uninitialised clock) fails closed: the expiry year lands in the first
// century, before any date of birth, and every zone is refused with ErrDate.
//
// Every error is an [*Error] matching one of the package's sentinel errors.
func Parse(mrz string, ref time.Time) (Document, error) {
	var lines [3]string
	s := strings.TrimRight(mrz, "\r\n")
	n := 0
	for {
		if n == len(lines) {
			return Document{}, &Error{Err: ErrFormat, Field: "line count"}
		}
		i := strings.IndexByte(s, '\n')
		line := s
		if i >= 0 {
			line = strings.TrimSuffix(s[:i], "\r") // a CR only before LF
		}
		if line == "" && i >= 0 {
			return Document{}, newError(ErrFormat, "blank line", n, -1)
		}
		lines[n] = line
		n++
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	return parse(lines[:n], ref)
}

// ParseLines is like [Parse] for a zone already split into lines. The
// lines must not contain line breaks, and none may be empty: an empty line
// (such as the last element of strings.Split of a zone ending in a line
// break) fails with [ErrFormat] and the field "blank line".
func ParseLines(lines []string, ref time.Time) (Document, error) {
	return parse(lines, ref)
}

// pos is a 0-based position in the zone.
type pos struct{ line, col int }

// span is a field: line, start column (0-based, inclusive), end (exclusive).
type span struct{ line, start, end int }

func (s span) of(lines []string) string { return lines[s.line][s.start:s.end] }

func (p pos) of(lines []string) byte { return lines[p.line][p.col] }

// layout describes where the fields of a format are. Doc 9303 numbers
// positions from 1; these are 0-based.
type layout struct {
	format      Format
	name        span
	number      span
	numberCheck pos
	nationality span
	birth       span
	birthCheck  pos
	sex         pos
	expiry      span
	expiryCheck pos
	optional1   span
	// optional1Check is the TD3 personal number check digit.
	optional1Check    pos
	hasOptional1Check bool
	optional2         span
	hasOptional2      bool
	// longNumber: a '<' at numberCheck means the number continues in
	// optional1 (TD1, Part 5 4.2.2 note; TD2, Part 6 4.2.2 note).
	longNumber   bool
	composite    pos
	hasComposite bool
	// compositeSpans are the fields covered by the composite check digit.
	compositeSpans []span
}

var (
	// Part 5, 4.2.2: TD1 data structure.
	layoutTD1 = layout{
		format:      TD1,
		number:      span{0, 5, 14},
		numberCheck: pos{0, 14},
		optional1:   span{0, 15, 30},
		birth:       span{1, 0, 6},
		birthCheck:  pos{1, 6},
		sex:         pos{1, 7},
		expiry:      span{1, 8, 14},
		expiryCheck: pos{1, 14},
		nationality: span{1, 15, 18},
		optional2:   span{1, 18, 29}, hasOptional2: true,
		composite: pos{1, 29}, hasComposite: true,
		compositeSpans: []span{{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}},
		name:           span{2, 0, 30},
		longNumber:     true,
	}
	// Part 6, 4.2.2: TD2 data structure.
	layoutTD2 = layout{
		format:      TD2,
		name:        span{0, 5, 36},
		number:      span{1, 0, 9},
		numberCheck: pos{1, 9},
		nationality: span{1, 10, 13},
		birth:       span{1, 13, 19},
		birthCheck:  pos{1, 19},
		sex:         pos{1, 20},
		expiry:      span{1, 21, 27},
		expiryCheck: pos{1, 27},
		optional1:   span{1, 28, 35},
		composite:   pos{1, 35}, hasComposite: true,
		compositeSpans: []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 35}},
		longNumber:     true,
	}
	// Part 4, 4.2.2: TD3 data structure.
	layoutTD3 = layout{
		format:         TD3,
		name:           span{0, 5, 44},
		number:         span{1, 0, 9},
		numberCheck:    pos{1, 9},
		nationality:    span{1, 10, 13},
		birth:          span{1, 13, 19},
		birthCheck:     pos{1, 19},
		sex:            pos{1, 20},
		expiry:         span{1, 21, 27},
		expiryCheck:    pos{1, 27},
		optional1:      span{1, 28, 42},
		optional1Check: pos{1, 42}, hasOptional1Check: true,
		composite: pos{1, 43}, hasComposite: true,
		compositeSpans: []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 43}},
	}
	// Part 7, 4.2.2: MRV-A data structure (no composite check digit).
	layoutMRVA = layout{
		format:      MRVA,
		name:        span{0, 5, 44},
		number:      span{1, 0, 9},
		numberCheck: pos{1, 9},
		nationality: span{1, 10, 13},
		birth:       span{1, 13, 19},
		birthCheck:  pos{1, 19},
		sex:         pos{1, 20},
		expiry:      span{1, 21, 27},
		expiryCheck: pos{1, 27},
		optional1:   span{1, 28, 44},
	}
	// Part 7, 5.2.2: MRV-B data structure (no composite check digit).
	layoutMRVB = layout{
		format:      MRVB,
		name:        span{0, 5, 36},
		number:      span{1, 0, 9},
		numberCheck: pos{1, 9},
		nationality: span{1, 10, 13},
		birth:       span{1, 13, 19},
		birthCheck:  pos{1, 19},
		sex:         pos{1, 20},
		expiry:      span{1, 21, 27},
		expiryCheck: pos{1, 27},
		optional1:   span{1, 28, 36},
	}
)

// detect chooses the layout from the line count, line width and the first
// character of the document code.
func detect(lines []string) (*layout, error) {
	if len(lines) < 2 || len(lines) > 3 {
		return nil, &Error{Err: ErrFormat, Field: "line count"}
	}
	for i, l := range lines {
		if l == "" {
			return nil, newError(ErrFormat, "blank line", i, -1)
		}
	}
	width := len(lines[0])
	switch {
	case len(lines) == 3 && width == widthTD1:
	case len(lines) == 2 && (width == widthTD2 || width == widthTD3):
	default:
		return nil, newError(ErrFormat, "line length", 0, -1)
	}
	for i, l := range lines[1:] {
		if len(l) != width {
			return nil, newError(ErrFormat, "line length", i+1, -1)
		}
	}
	for i, l := range lines {
		for j := 0; j < len(l); j++ {
			if charValue[l[j]] < 0 {
				return nil, newError(ErrCharacter, "character set", i, j)
			}
		}
	}
	c := lines[0][0]
	switch {
	case width == widthTD1 && isTDCardCode(c):
		return &layoutTD1, nil
	case width == widthTD2 && isTDCardCode(c):
		return &layoutTD2, nil
	case width == widthTD2 && c == 'V':
		return &layoutMRVB, nil
	case width == widthTD3 && c == 'P':
		return &layoutTD3, nil
	case width == widthTD3 && c == 'V':
		return &layoutMRVA, nil
	}
	return nil, newError(ErrFormat, "document code", 0, 0)
}

// isTDCardCode reports whether c may start a TD1 or TD2 document code:
// A, C or I (Part 5 and Part 6, 4.2.2).
func isTDCardCode(c byte) bool { return c == 'A' || c == 'C' || c == 'I' }

func parse(lines []string, ref time.Time) (Document, error) {
	lay, err := detect(lines)
	if err != nil {
		return Document{}, err
	}
	d := Document{Layout: lay.format}

	// Document code: the second character is a letter or filler; for
	// TD1/TD2 it must not be 'V' (Part 5 and Part 6, 4.2.2).
	c2 := lines[0][1]
	if !isLetter(c2) && c2 != '<' {
		return Document{}, newError(ErrField, "document code", 0, 1)
	}
	if (lay.format == TD1 || lay.format == TD2) && c2 == 'V' {
		return Document{}, newError(ErrField, "document code", 0, 1)
	}
	d.DocumentCode = strings.TrimRight(lines[0][:2], "<")

	// Structure: numeric fields and check digit positions.
	if err := digitsOnly(lines, lay.birth, "date of birth"); err != nil {
		return Document{}, err
	}
	if err := digitsOnly(lines, lay.expiry, "date of expiry"); err != nil {
		return Document{}, err
	}
	if err := checkPosition(lines, lay.birthCheck, "date of birth check digit"); err != nil {
		return Document{}, err
	}
	if err := checkPosition(lines, lay.expiryCheck, "date of expiry check digit"); err != nil {
		return Document{}, err
	}
	if lay.hasComposite {
		if err := checkPosition(lines, lay.composite, "composite check digit"); err != nil {
			return Document{}, err
		}
	}

	// Check digits, field by field, then the composite.
	number, opt1, err := documentNumber(lines, lay)
	if err != nil {
		return Document{}, err
	}
	if err := verifyCheck(lines, lay.birth, lay.birthCheck, "date of birth check digit"); err != nil {
		return Document{}, err
	}
	if err := verifyCheck(lines, lay.expiry, lay.expiryCheck, "date of expiry check digit"); err != nil {
		return Document{}, err
	}
	if lay.hasOptional1Check {
		if err := personalNumberCheck(lines, lay); err != nil {
			return Document{}, err
		}
	}
	if lay.hasComposite {
		sum, n := 0, 0
		for _, s := range lay.compositeSpans {
			sum = checkSum(sum, &n, s.of(lines))
		}
		if byte('0'+sum%10) != lay.composite.of(lines) {
			return Document{}, newError(ErrComposite, "composite check digit", lay.composite.line, lay.composite.col)
		}
	}

	// Values.
	d.DocumentNumber = number
	d.OptionalData1 = strings.Trim(opt1, "<")
	if lay.hasOptional2 {
		d.OptionalData2 = strings.Trim(lay.optional2.of(lines), "<")
	}
	if d.IssuingState, err = stateCode(lines, span{0, 2, 5}, "issuing state"); err != nil {
		return Document{}, err
	}
	if d.Nationality, err = stateCode(lines, lay.nationality, "nationality"); err != nil {
		return Document{}, err
	}
	switch lay.sex.of(lines) {
	case 'M':
		d.Sex = SexMale
	case 'F':
		d.Sex = SexFemale
	case 'X', '<':
		d.Sex = SexUnspecified
	default:
		return Document{}, newError(ErrField, "sex", lay.sex.line, lay.sex.col)
	}
	if d.BirthDate, err = birthDate(lay.birth.of(lines), ref); err != nil {
		return Document{}, newError(ErrDate, "date of birth", lay.birth.line, lay.birth.start)
	}
	if d.ExpiryDate, err = expiryDate(lay.expiry.of(lines), ref); err != nil {
		return Document{}, newError(ErrDate, "date of expiry", lay.expiry.line, lay.expiry.start)
	}
	if d.BirthDate.After(d.ExpiryDate) {
		return Document{}, newError(ErrDate, "date of birth after date of expiry", lay.birth.line, lay.birth.start)
	}
	if d.PrimaryIdentifier, d.SecondaryIdentifier, err = parseName(lines, lay.name); err != nil {
		return Document{}, err
	}
	return d, nil
}

func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// digitsOnly requires a numeric field. A filler is reported as ErrDate:
// Doc 9303 Part 3 lets an unknown day or month be written as "<<", which
// this package deliberately rejects.
func digitsOnly(lines []string, s span, name string) error {
	f := s.of(lines)
	for i := 0; i < len(f); i++ {
		switch {
		case isDigit(f[i]):
		case f[i] == '<':
			return newError(ErrDate, name, s.line, s.start+i)
		default:
			return newError(ErrCharacter, name, s.line, s.start+i)
		}
	}
	return nil
}

// checkPosition requires a digit at a check digit position.
func checkPosition(lines []string, p pos, name string) error {
	if !isDigit(p.of(lines)) {
		return newError(ErrCharacter, name, p.line, p.col)
	}
	return nil
}

// verifyCheck compares the check digit at p with the one computed over s.
// The check position must already be known to hold a digit.
func verifyCheck(lines []string, s span, p pos, name string) error {
	if checkDigitOf(s.of(lines)) != p.of(lines) {
		return newError(ErrCheckDigit, name, p.line, p.col)
	}
	return nil
}

// documentNumber verifies the document number check digit and returns the
// number (fillers trimmed) and the optional data field left once any long
// number overflow has been taken out of it.
func documentNumber(lines []string, lay *layout) (number, opt1 string, err error) {
	field := lay.number.of(lines)
	opt1 = lay.optional1.of(lines)
	cd := lay.numberCheck.of(lines)
	if cd == '<' && lay.longNumber {
		// Long number: the first 9 characters fill the number field, the
		// rest starts the optional data field, followed by the check digit
		// and a filler (Part 5 and Part 6, 4.2.2 note j).
		if strings.IndexByte(field, '<') >= 0 {
			return "", "", newError(ErrField, "document number", lay.number.line, lay.number.start+strings.IndexByte(field, '<'))
		}
		end := strings.IndexByte(opt1, '<')
		if end < 0 {
			end = len(opt1)
		}
		if end < 2 {
			// Needs at least one more number character and a check digit.
			return "", "", newError(ErrField, "document number overflow", lay.optional1.line, lay.optional1.start)
		}
		overflow, got := opt1[:end-1], opt1[end-1]
		if !isDigit(got) {
			return "", "", newError(ErrCharacter, "document number check digit", lay.optional1.line, lay.optional1.start+end-1)
		}
		if checkDigitOf(field, overflow) != got {
			return "", "", newError(ErrCheckDigit, "document number check digit", lay.optional1.line, lay.optional1.start+end-1)
		}
		return field + overflow, opt1[end:], nil
	}
	if !isDigit(cd) {
		return "", "", newError(ErrCharacter, "document number check digit", lay.numberCheck.line, lay.numberCheck.col)
	}
	if checkDigitOf(field) != cd {
		return "", "", newError(ErrCheckDigit, "document number check digit", lay.numberCheck.line, lay.numberCheck.col)
	}
	number = strings.TrimRight(field, "<")
	if number == "" {
		return "", "", newError(ErrField, "document number", lay.number.line, lay.number.start)
	}
	return number, opt1, nil
}

// personalNumberCheck verifies the TD3 personal number check digit. When
// the field is all fillers the check digit may be '<' or '0' (Part 4,
// 4.2.2 note).
func personalNumberCheck(lines []string, lay *layout) error {
	const name = "personal number check digit"
	field, p := lay.optional1.of(lines), lay.optional1Check
	cd := p.of(lines)
	empty := strings.Trim(field, "<") == ""
	if empty && cd == '<' {
		return nil
	}
	if err := checkPosition(lines, p, name); err != nil {
		return err
	}
	return verifyCheck(lines, lay.optional1, p, name)
}

// stateCode validates a 3-character state code: one or more letters
// followed by fillers ("UTO", "D<<").
func stateCode(lines []string, s span, name string) (string, error) {
	f := s.of(lines)
	code := strings.TrimRight(f, "<")
	if code == "" {
		return "", newError(ErrField, name, s.line, s.start)
	}
	for i := 0; i < len(code); i++ {
		if isDigit(code[i]) {
			return "", newError(ErrCharacter, name, s.line, s.start+i)
		}
		if !isLetter(code[i]) {
			return "", newError(ErrField, name, s.line, s.start+i)
		}
	}
	return code, nil
}

package idcard

import (
	"time"
)

// Kind is the kind of identity number, decided by its length and prefix.
type Kind uint8

// Kinds of numbers. The zero Kind belongs to the zero [Number] only.
const (
	// Resident is an 18-digit resident identity number (居民身份证号码).
	Resident Kind = iota + 1
	// ResidentLegacy15 is a first-generation 15-digit number (birth year
	// 19YY, no check character); [Number.Digits] gives its 18-digit upgrade.
	ResidentLegacy15
	// HKMacaoResidencePermit is the number of a residence permit for Hong
	// Kong (prefix 810000) or Macao (820000) residents (港澳居民居住证).
	HKMacaoResidencePermit
	// TaiwanResidencePermit is the number of a residence permit for Taiwan
	// residents (prefix 830000, 台湾居民居住证).
	TaiwanResidencePermit
	// ForeignPermanentResident is the 18-digit number of the 2023 Foreign
	// Permanent Resident ID Card (外国人永久居留身份证), first digit 9.
	ForeignPermanentResident
)

var kindText = [...]string{
	0:                        "invalid",
	Resident:                 "resident",
	ResidentLegacy15:         "resident (15-digit legacy)",
	HKMacaoResidencePermit:   "Hong Kong/Macao residence permit",
	TaiwanResidencePermit:    "Taiwan residence permit",
	ForeignPermanentResident: "foreign permanent resident",
}

// String returns a short English name of the kind.
func (k Kind) String() string {
	if int(k) < len(kindText) {
		return kindText[k]
	}
	return "invalid"
}

// Gender is the gender encoded in the parity of the 17th digit (odd: male).
type Gender uint8

// Genders. The zero Gender belongs to the zero [Number] only.
const (
	Female Gender = iota + 1
	Male
)

// String returns "female", "male" or "unknown".
func (g Gender) String() string {
	switch g {
	case Female:
		return "female"
	case Male:
		return "male"
	}
	return "unknown"
}

// EarliestBirthYear is the floor of accepted birth dates: a birth date
// before 1 January of this year is rejected as implausible. It is set below
// 1900 on purpose: Chinese civil registration has recorded centenarians born
// in the 1880s, and rejecting a real person's card is worse than accepting a
// typo that also passes the check character.
const EarliestBirthYear = 1880

// chinaTime is China Standard Time (UTC+8, no daylight saving since 1991).
// Birth dates on the card are calendar dates in China, so "in the future" is
// judged against the calendar date of the reference time in this zone.
var chinaTime = time.FixedZone("CST", 8*60*60)

// Options tunes [ParseWith]. The zero value is not usable: Now is required.
type Options struct {
	// Now is the reference time for the future-birth-date rule: a birth date
	// after the calendar date of Now in China Standard Time (UTC+8) is
	// rejected. It is required; the zero time makes parsing fail with
	// [ErrNoReferenceTime] instead of silently skipping the rule.
	Now time.Time
	// LooseRegion accepts county codes missing from the region table (the
	// province is still checked). For callers that only need the check
	// character and the date, or that fear the table misses a code.
	LooseRegion bool
	// CheckRegionYears also rejects a resident number whose region code had
	// left use before the birth year, with [ReasonRegionRetired]. A number
	// is issued at or after birth, so the code must have been in use in the
	// birth year or later. A code whose last year-end list (see [Region])
	// is L stayed in use until some date in L+1, so the rule rejects birth
	// years after L+1 only. Codes still in use, codes of unknown years
	// ([RegionSecondary]) and codes missing from the table (LooseRegion)
	// pass.
	//
	// Off by default, and not a fraud check: police registries went on
	// issuing some retired codes after a change, and a table error would
	// reject a real person's number. There is no rule the other way (a code
	// introduced after the birth): numbers were first issued from 1984 to
	// people of every age, with the code in use at the time, so most
	// holders were born before their code existed.
	CheckRegionYears bool
}

// Number is a validated identity number. It holds fixed-size arrays only, so
// it is comparable with == and copying it never allocates. Two Numbers are
// == when they were parsed from the same form; use [SamePerson] to compare
// a 15-digit legacy number with its 18-digit upgrade.
//
// Its String, Format and LogValue methods mask the number; use [Number.Digits]
// where the full number is really needed.
type Number struct {
	// d is the normalised 18-character form (check character X upper case)
	// XORed with obscurePad once parsing has succeeded; see Number.plain.
	d    [18]byte
	kind Kind
}

// obscurePad hides the digits from reflection-based printers. fmt cannot
// call String or Format on a Number held in an unexported field of another
// struct and prints the raw fields instead; XORed with this pad they come
// out as meaningless bytes rather than the number in ASCII. This is
// obfuscation against accidental logging, not encryption.
var obscurePad = [18]byte{
	0x9e, 0x37, 0x79, 0xb9, 0x7f, 0x4a, 0x7c, 0x15, 0xf3,
	0x9c, 0xc0, 0x60, 0x5c, 0xed, 0xc8, 0x34, 0x10, 0x82,
}

func obscure(d [18]byte) [18]byte {
	for i := range d {
		d[i] ^= obscurePad[i]
	}
	return d
}

// plain returns the 18 characters of a parsed Number in the clear.
func (n Number) plain() [18]byte { return obscure(n.d) }

// weights are the ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 of GB 11643-1999.
var weights = [17]byte{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkChars maps the weighted sum mod 11 to the check character.
const checkChars = "10X98765432"

// checkOf computes the check character of 17 ASCII digits.
func checkOf(d []byte) byte {
	var sum int
	for i, w := range weights {
		sum += int(d[i]-'0') * int(w)
	}
	return checkChars[sum%11]
}

// CheckChar returns the ISO 7064 MOD 11-2 check character ('0'-'9' or 'X')
// for the first 17 digits of an 18-digit number (GB 11643-1999 clause 7).
func CheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, newError(ReasonLength, -1)
	}
	var d [17]byte
	for i := range 17 {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, newError(ReasonCharacter, i)
		}
		d[i] = c
	}
	return checkOf(d[:]), nil
}

// Upgrade15 converts a 15-digit legacy number to 18 digits: it inserts "19"
// before the two-digit birth year and appends the check character. It checks
// the length, the characters and that the birth date exists; use [Parse] to
// check the region and the other rules as well.
func Upgrade15(s string) (string, error) {
	if len(s) != 15 {
		return "", newError(ReasonLength, -1)
	}
	var n Number
	if err := fill15(&n, s); err != nil {
		return "", err
	}
	if !dateExists(birthOf(&n.d)) {
		return "", newError(ReasonBirthDate, 6)
	}
	return string(n.d[:]), nil
}

// Parse parses a resident identity number or residence permit number in its
// 18-digit or 15-digit form, with strict region checking and now as the
// reference time for the future-birth-date rule. See [ParseWith].
func Parse(s string, now time.Time) (Number, error) {
	return ParseWith(s, Options{Now: now})
}

// ParseWith parses s with the given options. The input must be exactly 18
// ASCII characters (17 digits and a check digit or X; a lower-case x is
// accepted and normalised to X) or exactly 15 ASCII digits. Nothing is
// trimmed: spaces, hyphens and full-width digits are rejected. The checks, in
// order: length, characters, check character, region, birth date and, if
// asked, the region's years of use. It does not allocate, whether it
// succeeds or fails.
func ParseWith(s string, o Options) (Number, error) {
	if o.Now.IsZero() {
		return Number{}, newError(ReasonNoReferenceTime, -1)
	}
	var n Number
	switch len(s) {
	case 18:
		for i := range 17 {
			c := s[i]
			if c < '0' || c > '9' {
				return Number{}, newError(ReasonCharacter, i)
			}
			n.d[i] = c
		}
		c := s[17]
		if c == 'x' {
			c = 'X'
		}
		if (c < '0' || c > '9') && c != 'X' {
			return Number{}, newError(ReasonCharacter, 17)
		}
		if checkOf(n.d[:17]) != c {
			return Number{}, newError(ReasonChecksum, 17)
		}
		n.d[17] = c
		n.kind = Resident
	case 15:
		if err := fill15(&n, s); err != nil {
			return Number{}, err
		}
		n.kind = ResidentLegacy15
	default:
		return Number{}, newError(ReasonLength, -1)
	}

	lastYear, err := checkRegion(&n, o.LooseRegion)
	if err != nil {
		return Number{}, err
	}

	// The date starts at input index 6 in both forms (YYYYMMDD or YYMMDD).
	y, m, d := birthOf(&n.d)
	if !dateExists(y, m, d) {
		return Number{}, newError(ReasonBirthDate, 6)
	}
	if y < EarliestBirthYear {
		return Number{}, newError(ReasonBirthTooEarly, 6)
	}
	ny, nm, nd := o.Now.In(chinaTime).Date()
	if y > ny || y == ny && (time.Month(m) > nm || time.Month(m) == nm && d > nd) {
		return Number{}, newError(ReasonFutureBirthDate, 6)
	}
	if o.CheckRegionYears && lastYear != 0 && y > lastYear+1 {
		return Number{}, newError(ReasonRegionRetired, 2)
	}
	n.d = obscure(n.d)
	return n, nil
}

// fill15 copies 15 digits into n.d (in the clear) as the upgraded 18-digit
// form.
func fill15(n *Number, s string) error {
	for i := range 15 {
		if s[i] < '0' || s[i] > '9' {
			return newError(ReasonCharacter, i)
		}
	}
	copy(n.d[0:6], s[0:6])
	n.d[6], n.d[7] = '1', '9'
	copy(n.d[8:17], s[6:15])
	n.d[17] = checkOf(n.d[:17])
	return nil
}

// checkRegion works on n.d in the clear. It decides n.kind for 18-digit
// numbers from the prefix and checks the region code. Error positions are
// input positions, which are the same for the first six characters of both
// forms. lastYear is the last year-end list carrying the code if it has
// left use, and 0 if it is in use, of unknown years or not checked.
func checkRegion(n *Number, loose bool) (lastYear int, err error) {
	p := int(n.d[0]-'0')*10 + int(n.d[1]-'0')
	if n.kind == Resident {
		switch {
		case n.d[0] == '9':
			// 2023 Foreign Permanent Resident ID: 9, two-digit province of
			// acceptance, three-digit nationality code (not checked).
			n.kind = ForeignPermanentResident
			if q := int(n.d[1]-'0')*10 + int(n.d[2]-'0'); !mainlandProvince(q) {
				return 0, newError(ReasonProvince, 1)
			}
			return 0, nil
		case p == 81 || p == 82 || p == 83:
			if n.d[2] != '0' || n.d[3] != '0' || n.d[4] != '0' || n.d[5] != '0' {
				return 0, newError(ReasonPermitRegion, 2)
			}
			n.kind = HKMacaoResidencePermit
			if p == 83 {
				n.kind = TaiwanResidencePermit
			}
			return 0, nil
		}
	}
	if !hasProvince(p) {
		return 0, newError(ReasonProvince, 0)
	}
	i, k := findSpans(n.d[0], n.d[1], n.d[2], n.d[3], n.d[4], n.d[5])
	if k == 0 {
		if loose {
			return 0, nil
		}
		return 0, newError(ReasonCounty, 2)
	}
	if last := regionLast[i+k-1]; last != yearUnknown && last != yearInUse {
		return yearBase + int(last), nil
	}
	return 0, nil
}

// mainlandProvince reports whether p is a province-level code of mainland
// China (Taiwan's 71 and the 81/82 special administrative regions excluded).
func mainlandProvince(p int) bool {
	return p >= 11 && p <= 65 && hasProvince(p)
}

// birthOf decodes the birth date of an 18-character number in the clear.
func birthOf(n *[18]byte) (y, m, d int) {
	b := n[6:14]
	y = int(b[0]-'0')*1000 + int(b[1]-'0')*100 + int(b[2]-'0')*10 + int(b[3]-'0')
	m = int(b[4]-'0')*10 + int(b[5]-'0')
	d = int(b[6]-'0')*10 + int(b[7]-'0')
	return y, m, d
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func dateExists(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

// IsZero reports whether n is the zero Number (not the result of a
// successful parse).
func (n Number) IsZero() bool { return n.kind == 0 }

// Kind returns the kind of number.
func (n Number) Kind() Kind { return n.kind }

// Legacy reports whether n was parsed from the 15-digit form.
func (n Number) Legacy() bool { return n.kind == ResidentLegacy15 }

// Digits returns the full, unmasked, normalised 18-character number (the
// upgraded form for legacy numbers, X upper case). It is personal data:
// do not log it. It returns "" for the zero Number.
func (n Number) Digits() string {
	if n.IsZero() {
		return ""
	}
	d := n.plain()
	return string(d[:])
}

// Digits15 returns the original 15-digit form of a legacy number, unmasked,
// and false for every other kind.
func (n Number) Digits15() (string, bool) {
	if n.kind != ResidentLegacy15 {
		return "", false
	}
	d := n.plain()
	var b [15]byte
	copy(b[0:6], d[0:6])
	copy(b[6:15], d[8:17])
	return string(b[:]), true
}

// CheckDigit returns the check character ('0'-'9' or 'X'); for legacy
// numbers it is the one computed for the upgrade. It returns 0 for the zero
// Number.
func (n Number) CheckDigit() byte {
	if n.IsZero() {
		return 0
	}
	return n.plain()[17]
}

// BirthDate returns the birth date as midnight UTC of that calendar date, or
// the zero time for the zero Number.
func (n Number) BirthDate() time.Time {
	if n.IsZero() {
		return time.Time{}
	}
	d := n.plain()
	y, m, day := birthOf(&d)
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Gender returns the gender from the parity of the 17th digit (the last
// digit of the sequence code; the 15th digit of a legacy number).
func (n Number) Gender() Gender {
	if n.IsZero() {
		return 0
	}
	if (n.plain()[16]-'0')%2 == 1 {
		return Male
	}
	return Female
}

// Region returns the six-digit region code: the address code of resident
// numbers, 810000/820000/830000 for residence permits, and for foreign
// permanent resident numbers the province of acceptance followed by "0000".
// It returns "" for the zero Number.
func (n Number) Region() string {
	d := n.plain()
	switch n.kind {
	case 0:
		return ""
	case ForeignPermanentResident:
		return string([]byte{d[1], d[2], '0', '0', '0', '0'})
	}
	return string(d[0:6])
}

// Province returns the two-digit province-level code of [Number.Region]
// ("11" for Beijing, "81" for a Hong Kong permit), or "" for the zero Number.
func (n Number) Province() string {
	d := n.plain()
	switch n.kind {
	case 0:
		return ""
	case ForeignPermanentResident:
		return string(d[1:3])
	}
	return string(d[0:2])
}

// Nationality returns the three-digit numeric nationality code of a foreign
// permanent resident number (digits 4-6, by the 2023 layout) and "" for
// every other kind. The code is not checked against a country list.
func (n Number) Nationality() string {
	if n.kind != ForeignPermanentResident {
		return ""
	}
	d := n.plain()
	return string(d[3:6])
}

// AgeAt returns the age in completed years on the calendar date of t in
// China Standard Time (UTC+8). Someone born on 29 February becomes a year
// older on 1 March in non-leap years. The result is negative when t is
// before the birth date, and 0 for the zero Number.
func (n Number) AgeAt(t time.Time) int {
	if n.IsZero() {
		return 0
	}
	d := n.plain()
	by, bm, bd := birthOf(&d)
	ty, tmm, td := t.In(chinaTime).Date()
	tm := int(tmm)
	if bm == 2 && bd == 29 && !isLeap(ty) {
		bm, bd = 3, 1
	}
	age := ty - by
	if tm < bm || tm == bm && td < bd {
		age--
	}
	return age
}

// SamePerson reports whether a and b are the same number once both are in
// their 18-digit form, so a 15-digit legacy number matches its upgrade. The
// zero Number matches nothing. Identity numbers are not secrets, so the
// comparison is not constant-time.
func SamePerson(a, b Number) bool {
	return !a.IsZero() && !b.IsZero() && a.d == b.d
}

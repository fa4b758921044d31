package qrtoken

import (
	"time"
)

// GB 11643-1999 resident identity numbers (also used by the residence permits for Hong
// Kong, Macao and Taiwan residents and the 2023 foreigners' permanent residence ID card):
// 6 region digits, 8 birth date digits, 3 sequence digits (odd for men), and a check
// character computed with ISO 7064 MOD 11-2. Codes carry the 17 digits as one integer and
// recompute the check character, so that an ID number costs 8 bytes instead of 18.

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// idCheckValue returns the check value (0..10, where 10 is written 'X') of 17 digits.
func idCheckValue(d *[17]byte) int {
	s := 0
	for i, w := range idWeights {
		s += int(d[i]-'0') * w
	}
	// The check character for sum mod 11 = k is idCheckChars[k]; its value is (12-k)%11.
	return (12 - s%11) % 11
}

func idCheckChar(v int) byte {
	if v == 10 {
		return 'X'
	}
	return byte('0' + v)
}

// parsedID is a validated 18-character ID number.
type parsedID struct {
	digits [17]byte
	check  int
}

// parseIDNumber validates an 18-character ID number: 17 digits, the right check character
// ('x' is accepted for 'X'), and a birth date that exists.
func parseIDNumber(s string) (parsedID, error) {
	var p parsedID
	if len(s) != 18 {
		return p, errorf(ReasonInvalidClaim, "id_number: not 18 characters")
	}
	for i := range 17 {
		if s[i] < '0' || s[i] > '9' {
			return p, errorf(ReasonInvalidClaim, "id_number: not a digit")
		}
		p.digits[i] = s[i]
	}
	p.check = idCheckValue(&p.digits)
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	if last != idCheckChar(p.check) {
		return p, errorf(ReasonInvalidClaim, "id_number: check character")
	}
	if _, ok := p.birthDate(); !ok {
		return p, errorf(ReasonInvalidClaim, "id_number: birth date")
	}
	return p, nil
}

func (p *parsedID) num(from, to int) int {
	n := 0
	for _, c := range p.digits[from:to] {
		n = n*10 + int(c-'0')
	}
	return n
}

func (p *parsedID) birthDate() (time.Time, bool) {
	y, m, d := p.num(6, 10), p.num(10, 12), p.num(12, 14)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1800 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

func (p *parsedID) gender() Gender {
	if (p.digits[16]-'0')%2 == 1 {
		return GenderMale
	}
	return GenderFemale
}

func (p *parsedID) value() uint64 {
	var v uint64
	for _, c := range p.digits {
		v = v*10 + uint64(c-'0')
	}
	return v
}

func (p *parsedID) String() string {
	var b [18]byte
	p.put(b[:])
	return string(b[:])
}

// put writes the 18 characters into b.
func (p *parsedID) put(b []byte) {
	copy(b[:17], p.digits[:])
	b[17] = idCheckChar(p.check)
}

// idFromValue rebuilds an ID number from its packed 17 digits.
func idFromValue(v uint64) (parsedID, bool) {
	var p parsedID
	if v >= 1e17 {
		return p, false
	}
	// Two 32-bit halves: division by a constant is cheaper on 32 bits.
	hi, lo := uint32(v/1e9), uint32(v%1e9)
	for i := 16; i >= 8; i-- {
		p.digits[i] = byte('0' + lo%10)
		lo /= 10
	}
	for i := 7; i >= 0; i-- {
		p.digits[i] = byte('0' + hi%10)
		hi /= 10
	}
	p.check = idCheckValue(&p.digits)
	return p, true
}

// maskedIDValue packs the visible parts of a masked ID number, the first 6 digits (the
// region) and the last 4 characters, into 34 bits: region<<14 | digits 15-17 << 4 | check.
func (p *parsedID) maskedValue() uint64 {
	return uint64(p.num(0, 6))<<14 | uint64(p.num(14, 17))<<4 | uint64(p.check)
}

// maskedIDString renders a packed masked ID number as "110105********002X".
func maskedIDString(v uint64) (string, bool) {
	region, seq, check := v>>14, v>>4&0x3FF, int(v&0xF)
	if v>>34 != 0 || region > 999999 || seq > 999 || check > 10 {
		return "", false
	}
	var b [18]byte
	for i := 5; i >= 0; i-- {
		b[i] = byte('0' + region%10)
		region /= 10
	}
	for i := 6; i < 14; i++ {
		b[i] = '*'
	}
	for i := 16; i >= 14; i-- {
		b[i] = byte('0' + seq%10)
		seq /= 10
	}
	b[17] = idCheckChar(check)
	return string(b[:]), true
}

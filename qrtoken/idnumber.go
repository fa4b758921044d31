package qrtoken

import (
	"time"

	"github.com/trustid/trustid/verify/idcard"
)

// GB 11643-1999 resident identity numbers (also used by the residence permits for Hong
// Kong, Macao and Taiwan residents and the 2023 foreigners' permanent residence ID card):
// 6 region digits, 8 birth date digits, 3 sequence digits (odd for men), and a check
// character computed with ISO 7064 MOD 11-2. Codes carry the 17 digits as one integer and
// recompute the check character, so that an ID number costs 8 bytes instead of 18.

var idWeights = [17]uint32{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// idCheckValue returns the check value (0..10, where 10 is written 'X') of 17 digits.
func idCheckValue(d *[17]byte) int {
	s := 0
	for i, w := range idWeights {
		s += int(d[i]-'0') * int(w)
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
		return p, errorf(ReasonInvalidClaim, "id_number")
	}
	for i := range 17 {
		if s[i] < '0' || s[i] > '9' {
			return p, errorf(ReasonInvalidClaim, "id_number")
		}
		p.digits[i] = s[i]
	}
	p.check = idCheckValue(&p.digits)
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	if last != idCheckChar(p.check) {
		return p, errorf(ReasonInvalidClaim, "id_number")
	}
	if _, ok := p.birthDate(); !ok {
		return p, errorf(ReasonInvalidClaim, "id_number")
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

func (p *parsedID) gender() idcard.Gender {
	if (p.digits[16]-'0')%2 == 1 {
		return idcard.Male
	}
	return idcard.Female
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

// digitPairs[x] is x as two decimal digits; pairCheck[x] is 2·(first digit) + second
// digit: in ID number positions i, i+1 the weights are 2^(17-i) and 2^(16-i) mod 11, so a
// pair adds weight(i+1)·pairCheck[x] to the check sum, modulo 11.
var (
	digitPairs = func() (t [100][2]byte) {
		for x := range t {
			t[x] = [2]byte{byte('0' + x/10), byte('0' + x%10)}
		}
		return t
	}()
	pairCheck = func() (t [100]uint32) {
		for x := range t {
			t[x] = uint32(2*(x/10) + x%10)
		}
		return t
	}()
)

// putIDNumber writes the ID number whose first 17 digits are v, with its check character,
// into d. It reports false if v has more than 17 digits.
func putIDNumber(d *[18]byte, v uint64) bool {
	if v >= 1e17 {
		return false
	}
	// Digits 0-7 and 8-16 in two 32-bit halves, two digits per division by a constant,
	// unrolled so that every index and weight is a constant.
	hi, lo := uint32(v/1e9), uint32(v%1e9)
	d[16] = byte('0' + lo%10)
	sum := idWeights[16] * (lo % 10)
	lo /= 10
	sum += idWeights[15] * putDigitPair(d[14:16], lo%100)
	lo /= 100
	sum += idWeights[13] * putDigitPair(d[12:14], lo%100)
	lo /= 100
	sum += idWeights[11] * putDigitPair(d[10:12], lo%100)
	sum += idWeights[9] * putDigitPair(d[8:10], lo/100%100)
	sum += idWeights[7] * putDigitPair(d[6:8], hi%100)
	hi /= 100
	sum += idWeights[5] * putDigitPair(d[4:6], hi%100)
	hi /= 100
	sum += idWeights[3] * putDigitPair(d[2:4], hi%100)
	sum += idWeights[1] * putDigitPair(d[0:2], hi/100%100)
	d[17] = idCheckChar(int((12 - sum%11) % 11))
	return true
}

// putDigitPair writes x < 100 as two digits into p and returns its share of the check sum,
// to be multiplied by the weight of p's second position.
func putDigitPair(p []byte, x uint32) uint32 {
	p[0], p[1] = digitPairs[x][0], digitPairs[x][1]
	return pairCheck[x]
}

// maskedValue packs the visible parts of a masked ID number, the first 6 digits (the
// region) and the last 4 characters, into 34 bits: region<<14 | digits 15-17 << 4 | check.
func (p *parsedID) maskedValue() uint64 {
	return uint64(p.num(0, 6))<<14 | uint64(p.num(14, 17))<<4 | uint64(p.check)
}

// putMaskedID writes a packed masked ID number as "110105********002X" into b. It reports
// false for a value no ID number packs to.
func putMaskedID(b *[18]byte, v uint64) bool {
	region, seq, check := uint32(v>>14), uint32(v>>4&0x3FF), int(v&0xF)
	if v>>34 != 0 || region > 999999 || seq > 999 || check > 10 {
		return false
	}
	for i := 4; i >= 0; i -= 2 {
		x := region % 100
		region /= 100
		b[i], b[i+1] = digitPairs[x][0], digitPairs[x][1]
	}
	copy(b[6:14], "********")
	b[14] = byte('0' + seq/100)
	b[15], b[16] = digitPairs[seq%100][0], digitPairs[seq%100][1]
	b[17] = idCheckChar(check)
	return true
}

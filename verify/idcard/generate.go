package idcard

import (
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"time"
)

// GenOptions tunes [Generate]. The zero value makes a random 18-digit
// resident number.
type GenOptions struct {
	// Kind of number; zero means [Resident].
	Kind Kind
	// Region is the six-digit address code for Resident and
	// ResidentLegacy15 (it must be in the region table, see [LookupRegion];
	// empty: a random county-level code of the newest civil-affairs
	// year-end list, see [Generate]), "810000" or "820000" for
	// HKMacaoResidencePermit (empty: either), ignored for
	// TaiwanResidencePermit, and for ForeignPermanentResident a code whose
	// first two digits are the mainland province of acceptance, e.g.
	// "310000" (empty: a random mainland province).
	Region string
	// Nationality is the three-digit numeric country code of a
	// ForeignPermanentResident number; empty: one of a few common codes.
	Nationality string
	// Birth is the birth date (its year, month and day in UTC are used);
	// zero: a random date from 1940-01-01 to 2005-12-31 (to 1999-12-31 for
	// ResidentLegacy15, which needs a year from 1900 to 1999).
	Birth time.Time
	// Gender; zero: random.
	Gender Gender
}

// Generate returns a random, valid number for tests and examples, drawing
// randomness from r (crypto/rand.Reader, or a seeded source for
// reproducible tests). Generated numbers carry a sequence code from 900 to
// 999, so test data is easy to recognise, but they are otherwise random: a
// generated number may be a real person's number, and that range is used by
// real numbers too. The result is in its plain form (18 characters, or 15
// for ResidentLegacy15) and parses with [Parse] at any reference time on or
// after the birth date.
//
// Without GenOptions.Region, the address code is drawn uniformly from the
// county-level codes (not ending in 00) of the newest Ministry of Civil
// Affairs year-end list in the region table, those [LookupRegion] reports
// as [RegionCurrent]. It never draws a [RegionSecondary] code, such as the
// statistics bureau's development-zone codes (xxxx71 to xxxx73) or the
// 市辖区 groupings (xxxx01), which are no county of residence, nor a code
// out of use, so generated numbers also pass [Options].CheckRegionYears.
func Generate(r io.Reader, o GenOptions) (string, error) {
	kind := o.Kind
	if kind == 0 {
		kind = Resident
	}
	var d [18]byte
	var err error
	switch kind {
	case Resident, ResidentLegacy15:
		if o.Region == "" {
			err = randomCounty(r, d[0:6])
		} else if LookupRegion(o.Region).Status == RegionUnknown {
			return "", Error{Reason: ReasonOptions, Pos: -1}
		} else {
			copy(d[0:6], o.Region)
		}
	case HKMacaoResidencePermit:
		switch o.Region {
		case "":
			var k int
			k, err = randIntn(r, 2)
			copy(d[0:6], [2]string{"810000", "820000"}[k])
		case "810000", "820000":
			copy(d[0:6], o.Region)
		default:
			return "", Error{Reason: ReasonOptions, Pos: -1}
		}
	case TaiwanResidencePermit:
		copy(d[0:6], "830000")
	case ForeignPermanentResident:
		d[0] = '9'
		if o.Region == "" {
			var k int
			k, err = randIntn(r, len(mainlandCodes))
			copy(d[1:3], mainlandCodes[k])
		} else if len(o.Region) < 2 || !isDigits(o.Region[:2]) || !mainlandProvince(int(o.Region[0]-'0')*10+int(o.Region[1]-'0')) {
			return "", Error{Reason: ReasonOptions, Pos: -1}
		} else {
			copy(d[1:3], o.Region[:2])
		}
		if err == nil {
			if o.Nationality == "" {
				var k int
				k, err = randIntn(r, len(sampleNationalities))
				copy(d[3:6], sampleNationalities[k])
			} else if len(o.Nationality) != 3 || !isDigits(o.Nationality) {
				return "", Error{Reason: ReasonOptions, Pos: -1}
			} else {
				copy(d[3:6], o.Nationality)
			}
		}
	default:
		return "", Error{Reason: ReasonOptions, Pos: -1}
	}
	if err != nil {
		return "", err
	}

	birth := o.Birth
	if birth.IsZero() {
		lo, hi := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC)
		if kind == ResidentLegacy15 {
			hi = time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)
		}
		days := int(hi.Sub(lo)/(24*time.Hour)) + 1
		k, err := randIntn(r, days)
		if err != nil {
			return "", err
		}
		birth = lo.AddDate(0, 0, k)
	}
	y, m, day := birth.UTC().Date()
	if y < EarliestBirthYear || y > 9999 || kind == ResidentLegacy15 && (y < 1900 || y > 1999) {
		return "", Error{Reason: ReasonOptions, Pos: -1}
	}
	put(d[6:10], y)
	put(d[10:12], int(m))
	put(d[12:14], day)

	seq, err := randIntn(r, 50) // 9 + two digits, the last one's parity fixed below
	if err != nil {
		return "", err
	}
	g := o.Gender
	if g == 0 {
		k, err := randIntn(r, 2)
		if err != nil {
			return "", err
		}
		g = Gender(k + 1)
	}
	last := seq * 2 // even: female
	if g == Male {
		last++
	} else if g != Female {
		return "", Error{Reason: ReasonOptions, Pos: -1}
	}
	d[14] = '9'
	put(d[15:17], last)
	d[17] = checkOf(d[:17])

	if kind == ResidentLegacy15 {
		var b [15]byte
		copy(b[0:6], d[0:6])
		copy(b[6:15], d[8:17])
		return string(b[:]), nil
	}
	return string(d[:]), nil
}

// put writes v as len(b) decimal digits.
func put(b []byte, v int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// sampleNationalities are ISO 3166-1 numeric codes used when GenOptions
// gives none: United States, Japan, Republic of Korea, France, Germany,
// United Kingdom, Australia, Canada, Russia, India.
var sampleNationalities = []string{"840", "392", "410", "250", "276", "826", "036", "124", "643", "356"}

var mainlandCodes = func() []string {
	var ps []string
	for p := 11; p <= 65; p++ {
		if mainlandProvince(p) {
			ps = append(ps, string([]byte{byte('0' + p/10), byte('0' + p%10)}))
		}
	}
	return ps
}()

// currentCounties lists the county-level codes (not ending in 00) of the
// newest year-end list of the Ministry of Civil Affairs.
var currentCounties = sync.OnceValue(func() []string {
	var cs []string
	for p := range 100 {
		for i := int(regionStart[p]); i < int(regionStart[p+1]); i++ {
			if regionLast[i] == yearInUse && regionSuffix[i]%100 != 0 {
				cs = append(cs, fmt.Sprintf("%02d%04d", p, regionSuffix[i]))
			}
		}
	}
	return cs
})

func randomCounty(r io.Reader, dst []byte) error {
	cs := currentCounties()
	k, err := randIntn(r, len(cs))
	if err != nil {
		return err
	}
	copy(dst, cs[k])
	return nil
}

// randIntn returns a uniform integer in [0, n) read from r, by rejection
// sampling over 64-bit values.
func randIntn(r io.Reader, n int) (int, error) {
	limit := ^uint64(0) - ^uint64(0)%uint64(n)
	var b [8]byte
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, Error{Reason: ReasonOptions, Pos: -1, Err: err}
		}
		if v := binary.BigEndian.Uint64(b[:]); v < limit {
			return int(v % uint64(n)), nil
		}
	}
}

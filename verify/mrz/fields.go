package mrz

import (
	"errors"
	"strings"
	"time"
)

var errBadDate = errors.New("bad date")

// ymd holds the digits of a YYMMDD field.
func ymd(f string) (yy, mm, dd int) {
	n := func(i int) int { return int(f[i]-'0')*10 + int(f[i+1]-'0') }
	return n(0), n(2), n(4)
}

// validDate returns midnight UTC of y-m-d, or an error for an impossible
// date (month 0 or 13, day 0, 30 February, 29 February of a common year).
func validDate(y, m, d int) (time.Time, error) {
	if m < 1 || m > 12 || d < 1 {
		return time.Time{}, errBadDate
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // time.Date normalised an overflowing day
		return time.Time{}, errBadDate
	}
	return t, nil
}

// birthDate resolves a YYMMDD date of birth: 20YY unless that is after the
// calendar date of ref, then 19YY. f must be 6 digits.
func birthDate(f string, ref time.Time) (time.Time, error) {
	yy, mm, dd := ymd(f)
	ry, rm, rd := ref.Date()
	y := 2000 + yy
	if y > ry || y == ry && (mm > int(rm) || mm == int(rm) && dd > rd) {
		y -= 100
	}
	return validDate(y, mm, dd)
}

// expiryDate resolves a YYMMDD date of expiry to the one year ending in YY
// within [year(ref)-50, year(ref)+49]. f must be 6 digits.
func expiryDate(f string, ref time.Time) (time.Time, error) {
	yy, mm, dd := ymd(f)
	lo := ref.Year() - 50
	y := lo - mod(lo, 100) + yy
	if y < lo {
		y += 100
	}
	return validDate(y, mm, dd)
}

func mod(a, b int) int {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// parseName splits a name field into primary and secondary identifiers at
// the first "<<"; a run of fillers inside an identifier becomes one space.
// Only letters and fillers are allowed, and at least one letter.
func parseName(lines []string, s span) (primary, secondary string, err error) {
	f := s.of(lines)
	for i := 0; i < len(f); i++ {
		if f[i] != '<' && !isLetter(f[i]) {
			return "", "", newError(ErrCharacter, "name", s.line, s.start+i)
		}
	}
	f = strings.TrimRight(f, "<")
	if f == "" {
		return "", "", newError(ErrField, "name", s.line, s.start)
	}
	if i := strings.Index(f, "<<"); i >= 0 {
		return nameComponent(f[:i]), nameComponent(f[i+2:]), nil
	}
	return nameComponent(f), "", nil
}

// nameComponent turns "ANNA<MARIA" into "ANNA MARIA", collapsing runs of
// fillers and dropping leading ones. It allocates only when the component
// contains a filler.
func nameComponent(s string) string {
	s = strings.TrimLeft(s, "<")
	if strings.IndexByte(s, '<') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			gap = true
			continue
		}
		if gap {
			b.WriteByte(' ')
			gap = false
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

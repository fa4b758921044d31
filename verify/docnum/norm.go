package docnum

import (
	"fmt"
	"unicode/utf8"
)

// fold maps the full-width forms of ASCII letters, digits and parentheses
// (U+FF10..U+FF19, U+FF21..U+FF3A, U+FF41..U+FF5A, U+FF08, U+FF09), which
// Chinese input methods and OCR engines produce, and lower-case ASCII letters
// to upper-case ASCII. Every other rune is returned unchanged.
func fold(r rune) rune {
	switch {
	case 'a' <= r && r <= 'z':
		return r - 'a' + 'A'
	case 0xFF10 <= r && r <= 0xFF19:
		return r - 0xFF10 + '0'
	case 0xFF21 <= r && r <= 0xFF3A:
		return r - 0xFF21 + 'A'
	case 0xFF41 <= r && r <= 0xFF5A:
		return r - 0xFF41 + 'A'
	case r == 0xFF08:
		return '('
	case r == 0xFF09:
		return ')'
	}
	return r
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isLetter reports an upper-case ASCII letter other than I and O, the two
// letters that Chinese document and plate series leave out because they read
// as 1 and 0.
func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' && c != 'I' && c != 'O' }

func isAnyLetter(c byte) bool { return 'A' <= c && c <= 'Z' }

// foldInto folds s with [fold] into dst and returns the number of bytes
// written. Each rune must fold to an ASCII letter or digit, or to a
// parenthesis when parens is set, so one rune becomes one byte and dst[i]
// stands at rune position i+1 of s. An input with more runes than dst holds is
// a length error; no allocation takes place.
func foldInto(dst []byte, s string, k Format, parens bool) (int, error) {
	if n := utf8.RuneCountInString(s); n == 0 || n > len(dst) {
		return 0, fail(k, ReasonLength, 0)
	}
	n := 0
	for _, r := range s {
		r = fold(r)
		ok := ('0' <= r && r <= '9') || ('A' <= r && r <= 'Z') || (parens && (r == '(' || r == ')'))
		if !ok {
			return 0, fail(k, ReasonCharacter, n+1)
		}
		dst[n] = byte(r)
		n++
	}
	return n, nil
}

// A rule is one form of a document number: a literal prefix followed by a
// pattern in which each byte stands for one character class:
//
//	'9'  an ASCII digit
//	'A'  a letter A-Z other than I and O
//	'X'  a digit or a letter other than I and O
//	'*'  a digit or any letter A-Z
//	'(' and ')'  themselves
type rule struct {
	prefix  string
	pattern string
	series  Series
}

func classOK(class, c byte) bool {
	switch class {
	case '9':
		return isDigit(c)
	case 'A':
		return isLetter(c)
	case 'X':
		return isDigit(c) || isLetter(c)
	case '*':
		return isDigit(c) || isAnyLetter(c)
	}
	return c == class
}

// matchRules returns the first rule that b (already folded) matches. The
// error, if any, is the most useful one: an unknown prefix before a wrong
// length before a wrong character, the character error pointing at the
// position where the closest rule of the right length failed.
func matchRules(k Format, b []byte, rules []rule) (rule, error) {
	bestPrefix := 0 // longest prefix agreement, for ErrPrefix
	prefixOK := false
	lengthOK := false
	failAt := 0 // furthest first-failure index among rules of the right length
	for _, r := range rules {
		common := 0
		for common < len(r.prefix) && common < len(b) && b[common] == r.prefix[common] {
			common++
		}
		if common < len(r.prefix) {
			bestPrefix = max(bestPrefix, common)
			continue
		}
		prefixOK = true
		if len(r.prefix)+len(r.pattern) != len(b) {
			continue
		}
		lengthOK = true
		i := 0
		for i < len(r.pattern) && classOK(r.pattern[i], b[len(r.prefix)+i]) {
			i++
		}
		if i == len(r.pattern) {
			return r, nil
		}
		failAt = max(failAt, len(r.prefix)+i)
	}
	switch {
	case !prefixOK:
		return rule{}, fail(k, ReasonPrefix, bestPrefix+1)
	case !lengthOK:
		return rule{}, fail(k, ReasonLength, 0)
	}
	return rule{}, fail(k, ReasonCharacter, failAt+1)
}

// mask hides the middle of a document number: at least half of it, and all
// of it when it is 4 characters or shorter. 9 characters keep 2+2
// ("E1*****78"), 5 to 7 keep 1+1.
func mask(b []byte) string {
	keep := 0
	switch n := len(b); {
	case n >= 8:
		keep = 2
	case n >= 5:
		keep = 1
	}
	var buf [32]byte
	out := buf[:0]
	for i, c := range b {
		if i < keep || i >= len(b)-keep {
			out = append(out, c)
		} else {
			out = append(out, '*')
		}
	}
	return string(out)
}

// formatMasked writes the masked form s for any verb and flags, so that %v,
// %+v, %#v, %s, %q and %x all show the mask and never the number.
func formatMasked(f fmt.State, verb rune, s string) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), s)
}

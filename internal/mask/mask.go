// Package mask hides personal data for display: logs, errors and %v output of the
// library's types go through it, so that an ID number, a name or an address never appears
// whole where it does not need to.
package mask

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Middle keeps the first keepFirst and last keepLast runes of s and replaces every rune
// between them with '*'. When s has no more than keepFirst+keepLast runes, every rune is
// replaced, so that a short value is never shown whole.
func Middle(s string, keepFirst, keepLast int) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	if n <= keepFirst+keepLast {
		return strings.Repeat("*", n)
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		if i < keepFirst || i >= n-keepLast {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// Name masks a personal name: the first rune of each space- or dot-separated part is kept
// and the rest replaced with '*' ("张三" → "张*", "阿依古丽·买买提" → "阿***·买**",
// "ERIKSSON ANNA" → "E******* A***"). A part of one rune is masked too, unless it is the
// first part, so that a name typed with a space ("张 伟" → "张 *") or made of initials
// ("J K" → "J *") is never shown whole. A name with a single letter is replaced whole.
func Name(s string) string {
	rs := []rune(s)
	letters := 0
	for _, r := range rs {
		if !isNameSep(r) {
			letters++
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	start, first := true, true
	for i, r := range rs {
		switch {
		case isNameSep(r):
			b.WriteRune(r)
			start = true
		case start && letters > 1 && (first || i+1 < len(rs) && !isNameSep(rs[i+1])):
			b.WriteRune(r)
			start, first = false, false
		default:
			b.WriteByte('*')
			start, first = false, false
		}
	}
	return b.String()
}

func isNameSep(r rune) bool {
	return r == ' ' || r == '·' || r == '<' || r == '-' || r == ','
}

// Text replaces a free-text value (an address, a reference) by its length class only:
// "[N chars]". Nothing of its content is kept.
func Text(s string) string {
	if s == "" {
		return ""
	}
	return "[" + itoa(utf8.RuneCountInString(s)) + " chars]"
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(buf[i:])
		}
	}
}

// Format writes a value's masked form for fmt: s for every verb, gostring for %#v, and s
// quoted for %q. Types holding personal data call it from their Format method, so that no
// verb or flag reaches their fields.
func Format(f fmt.State, verb rune, s, gostring string) {
	if verb == 'v' && f.Flag('#') {
		s = gostring
	}
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	io.WriteString(f, s)
}

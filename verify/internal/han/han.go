// Package han holds the Han character tables of package verify, generated from the
// Unicode 15.0.0 Character Database by verify/internal/hangen (see tables.go for the
// sources): CJK radicals to their unified ideographs, and traditional characters to
// their simplified forms.
package han

//go:generate go run ../hangen -ucd /usr/share/unicode -o tables.go

// Radical returns the unified ideograph equivalent to r when r is a CJK radical (CJK
// Radicals Supplement or Kangxi Radicals block, e.g. ⻄ U+2EC4 → 西 U+897F), and r
// itself otherwise.
func Radical(r rune) rune {
	if r < 0x2E80 || r > 0x2FDF {
		return r
	}
	if u, ok := radicals[r]; ok {
		return u
	}
	return r
}

// SameSimplified reports whether a and b are equal or one is a simplified form of the
// other or they share a simplified form (張 and 张, 乾 and 干).
func SameSimplified(a, b rune) bool {
	if a == b {
		return true
	}
	sa, sb := simplified[a], simplified[b]
	for _, x := range sa {
		if x == b {
			return true
		}
		for _, y := range sb {
			if x == y {
				return true
			}
		}
	}
	for _, y := range sb {
		if y == a {
			return true
		}
	}
	return false
}

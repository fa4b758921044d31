package verify

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"github.com/trustid/trustid/verify/internal/han"
)

// middleDot is U+00B7 MIDDLE DOT, the separator of transcribed minority and foreign
// names on Chinese documents (阿依古丽·买买提).
const middleDot = '\u00B7'

// dotLookalikes are the characters [NormalizeName] folds to U+00B7 MIDDLE DOT after
// NFKC: every confusable of U+00B7 in Unicode's confusables.txt (UTS #39), plus the
// dots that keyboards and input methods produce instead. Some are already mapped by NFKC itself (U+0387 → U+00B7, U+FF65 → U+30FB,
// U+FF0E and U+FE52 → '.'); they are listed so the list reads complete.
var dotLookalikes = []rune{
	'\u00B7', // MIDDLE DOT (the canonical form)
	'\u0387', // GREEK ANO TELEIA
	'\u1427', // CANADIAN SYLLABICS FINAL MIDDLE DOT (a confusable of U+00B7)
	'\u16EB', // RUNIC SINGLE PUNCTUATION
	'\u2022', // BULLET
	'\u2024', // ONE DOT LEADER
	'\u2027', // HYPHENATION POINT
	'\u2219', // BULLET OPERATOR
	'\u22C5', // DOT OPERATOR
	'\u2E31', // WORD SEPARATOR MIDDLE DOT
	'\u2E33', // RAISED DOT
	'\u30FB', // KATAKANA MIDDLE DOT (Japanese IMEs, and NFKC of U+FF65)
	'\uFF65', // HALFWIDTH KATAKANA MIDDLE DOT
	'\u318D', // HANGUL LETTER ARAEA (Korean IMEs)
	'\u119E', // HANGUL JUNGSEONG ARAEA (NFKC of U+318D)
	'\uA78F', // LATIN LETTER SINOLOGICAL DOT
	'\uFF0E', // FULLWIDTH FULL STOP
	'\uFE52', // SMALL FULL STOP
	'.',      // FULL STOP (typed instead of the middle dot on many keyboards)
	0x10101,  // AEGEAN WORD SEPARATOR DOT (a confusable of U+00B7, outside the BMP)
}

func isDot(r rune) bool { return slices.Contains(dotLookalikes, r) }

// DotLookalikes returns the characters that [NormalizeName] folds to U+00B7 MIDDLE DOT.
func DotLookalikes() []rune { return slices.Clone(dotLookalikes) }

// NormalizeName normalises a name for comparison:
//
//   - only the first [MaxNormalizeBytes] bytes are read (cut at a character boundary),
//     and at most MaxNormalizeBytes bytes are returned, so the work is bounded however
//     long the input; [MatchName] refuses a name over [MaxNameBytes] before normalising;
//   - invalid UTF-8 is replaced by U+FFFD (which [MatchName] never matches);
//   - Unicode NFKC, then width folding (full-width Latin letters and digits become
//     ASCII, half-width katakana becomes full-width);
//   - every character of [DotLookalikes] becomes U+00B7 MIDDLE DOT, and runs of dots
//     become one; the hyphens U+2010–U+2013, U+2043 and U+2212 become '-', and the
//     apostrophes U+2018, U+2019, U+201B, U+02B9, U+02BC, U+2032 and the backtick become
//     '\”;
//   - white space is collapsed to one ASCII space and trimmed; spaces next to a dot or
//     between two characters that are not Latin letters or digits (张 三) are removed;
//   - format characters (zero-width joiners, bidirectional controls), variation
//     selectors and the other default-ignorable characters are removed, as is the
//     invisible U+2800 BRAILLE PATTERN BLANK (so U+034F, the Hangul fillers U+115F,
//     U+1160, U+3164 and U+FFA0, U+17B4 and U+17B5 vanish); [MatchName] refuses a name
//     holding a bidirectional control before it gets here;
//   - CJK radicals (CJK Radicals Supplement and Kangxi Radicals blocks) become their
//     equivalent unified ideographs (⻄ U+2EC4 is 西), per Unicode's
//     EquivalentUnifiedIdeograph.txt;
//   - letters are upper-cased (Latin names are case-insensitive); ß and ẞ become SS
//     and İ (I with dot above) becomes I, as ICAO Doc 9303 transliterates them.
//
// Characters outside the BMP (𠮷 U+20BB7) pass through unchanged; a variation selector
// is removed, so a rare character written with an ideographic variation sequence (葛
// U+845B U+E0100) equals the same character without one. NormalizeName is idempotent:
// NormalizeName(NormalizeName(s)) == NormalizeName(s).
func NormalizeName(s string) string {
	s = truncateUTF8(s, MaxNormalizeBytes)
	s = truncateUTF8(strings.ToValidUTF8(s, "\uFFFD"), MaxNormalizeBytes)
	// Removing a space may join a base letter and a combining mark that NFKC then
	// composes; iterate to the fixed point (two rounds in practice). The output is cut
	// to the same bound as the input, so that NFKC expansion (U+FDFA is 18 characters)
	// cannot make the result of one call longer than the next call reads.
	for range 8 {
		n := truncateUTF8(normalizeNameOnce(s), MaxNormalizeBytes)
		if n == s {
			break
		}
		s = n
	}
	return s
}

func normalizeNameOnce(s string) string {
	s = width.Fold.String(norm.NFKC.String(s))
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case isDot(r):
			r = middleDot
		case unicode.IsSpace(r) || r == '\u200B' || r == '\uFEFF':
			r = ' '
		case invisible(r):
			// Zero-width joiners, bidirectional controls, variation selectors (an
			// ideographic variation sequence selects a glyph of the same character:
			// registries and input methods differ in whether they keep it) and fillers.
			continue
		case isHyphen(r):
			r = '-'
		case isApostrophe(r):
			r = '\''
		case r == 'ß' || r == 'ẞ':
			rs = append(rs, 'S', 'S')
			continue
		case r == 'İ':
			r = 'I'
		default:
			r = unicode.ToUpper(han.Radical(r))
		}
		rs = append(rs, r)
	}
	out := make([]rune, 0, len(rs))
	for _, r := range rs {
		last := rune(-1)
		if len(out) > 0 {
			last = out[len(out)-1]
		}
		switch r {
		case ' ':
			if last == -1 || last == ' ' || last == middleDot {
				continue
			}
		case middleDot:
			if last == middleDot {
				continue
			}
			if last == ' ' {
				out = out[:len(out)-1]
			}
		default:
			if last == ' ' && len(out) >= 2 && !latinOrDigit(out[len(out)-2]) && !latinOrDigit(r) {
				out = out[:len(out)-1]
			}
		}
		out = append(out, r)
	}
	if n := len(out); n > 0 && out[n-1] == ' ' {
		out = out[:n-1]
	}
	return norm.NFKC.String(string(out))
}

// invisible reports the characters a name is compared without: format characters
// (Cf, bidirectional controls included), variation selectors, the other
// default-ignorable code points (U+034F, the Hangul fillers, U+17B4, U+17B5, ...) and
// U+2800 BRAILLE PATTERN BLANK, which renders as a blank but is not white space.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || r == '\u2800'
}

// isHyphen reports the hyphens and dashes that people type for '-' in a name.
func isHyphen(r rune) bool {
	return r >= '\u2010' && r <= '\u2013' || r == '\u2043' || r == '\u2212'
}

// isApostrophe reports the apostrophes and quotes that people type for '\” in a name
// (O’Brien, O‘Brien, Oʼbrien, O`Brien).
func isApostrophe(r rune) bool {
	switch r {
	case '\u2018', '\u2019', '\u201B', '\u02B9', '\u02BC', '\u2032', '`':
		return true
	}
	return false
}

// nameSeparator reports the characters [LatinNameForms] reads as a space between the
// words of a name: middle dots and their substitutes, hyphens, dashes and apostrophes.
func nameSeparator(r rune) bool {
	return r == '-' || r == '\'' || isDot(r) || isDotSubstitute(r) || isHyphen(r) || isApostrophe(r)
}

// isDotSubstitute reports the characters typed where the middle dot of a transcribed
// name is expected but that are not look-alikes of it: the ideographic full stop 。,
// the dashes — and ―, and the degree sign °. A name that matches only with them
// removed is a lenient match, never an exact one.
func isDotSubstitute(r rune) bool {
	switch r {
	case '\u3002', '\u2014', '\u2015', '\u00B0':
		return true
	}
	return false
}

// latinOrDigit reports whether r is a letter of a script written with spaces between
// words (Latin, Greek, Cyrillic) or a digit, where a space separates words and must stay.
func latinOrDigit(r rune) bool {
	return unicode.IsDigit(r) || unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic) ||
		unicode.Is(unicode.Mn, r)
}

// lenientName removes every separator (dots, spaces, hyphens, apostrophes) and every
// substitute of the middle dot (。 — ― °) from a normalised name: "阿依古丽买买提" then
// equals "阿依古丽·买买提", and so does "阿依古丽。买买提". A match only in this form is a
// lenient match.
func lenientName(n string) string {
	return strings.Map(func(r rune) rune {
		if r == middleDot || r == ' ' || r == '-' || r == '\'' || isDotSubstitute(r) {
			return -1
		}
		return r
	}, n)
}

// icaoPair is a character with two transliterations allowed by ICAO Doc 9303 Part 3,
// section 6 (e.g. Ä → AE or A).
type icaoPair struct{ long, short string }

// icaoDouble holds the characters with two accepted transliterations.
var icaoDouble = map[rune]icaoPair{
	'Ä': {"AE", "A"},
	'Ö': {"OE", "O"},
	'Ü': {"UE", "U"},
	'Å': {"AA", "A"},
}

// icaoSingle holds the characters whose transliteration is not just the base letter
// without its diacritic (ICAO Doc 9303 Part 3, section 6, table of multinational
// Latin-based characters).
var icaoSingle = map[rune]string{
	'Æ': "AE", 'Ø': "OE", 'Œ': "OE", 'ß': "SS", 'ẞ': "SS", 'Þ': "TH", 'Ð': "D",
	'Đ': "D", 'Ł': "L", 'Ħ': "H", 'Ŋ': "N", 'Ĳ': "IJ", 'ı': "I", 'Ŧ': "T", 'Ŀ': "L",
}

// maxLatinForms caps the transliteration variants of one name (2^k for k characters
// with two options): beyond it only the all-long and all-short forms are kept.
const maxLatinForms = 64

// latinFormsBudget bounds the bytes of all forms of one name together: a long name gets
// fewer variants (64 for a name up to 256 bytes, 4 for one of 4096), never more memory.
const latinFormsBudget = 16 << 10

// LatinNameForms returns the ICAO transliterations of a Latin-script name: upper case,
// '<', hyphens, dashes, apostrophes, commas and dots read as spaces, spaces collapsed,
// diacritics removed and the characters of ICAO Doc 9303 Part 3 section 6
// transliterated. Where ICAO allows two forms (Ä → AE or A, Ö → OE or O, Ü → UE or U,
// Å → AA or A) every combination is returned (up to 64, fewer for a name longer than 256
// bytes, then only the all-long and all-short forms), so "MÜLLER" gives ["MUELLER",
// "MULLER"]. Characters of other scripts are kept. The result is sorted and has no
// duplicates. Only the first [MaxNormalizeBytes] bytes of s are read, and of its NFKC
// form, so the result is bounded however long s is.
func LatinNameForms(s string) []string {
	s = strings.ToValidUTF8(truncateUTF8(s, MaxNormalizeBytes), "\uFFFD")
	s = truncateUTF8(width.Fold.String(norm.NFKC.String(s)), MaxNormalizeBytes)
	s = strings.ReplaceAll(s, "ß", "SS") // before upper-casing: ToUpper('ß') is 'ß'
	maxForms := max(2, min(maxLatinForms, latinFormsBudget/max(1, len(s))))
	// Byte slices grow in place: appending to strings rune by rune made this quadratic
	// in the length of the name.
	forms := [][]byte{nil}
	capped := false
	space := false
	appendAll := func(tail string) {
		for i := range forms {
			forms[i] = append(forms[i], tail...)
		}
	}
	for _, r := range norm.NFC.String(strings.ToUpper(s)) {
		if r == '<' || r == ',' || r == '.' || nameSeparator(r) || unicode.IsSpace(r) {
			space = true
			continue
		}
		if unicode.Is(unicode.Mn, r) || invisible(r) {
			continue
		}
		if space && len(forms[0]) > 0 {
			appendAll(" ")
		}
		space = false
		if p, ok := icaoDouble[r]; ok {
			if capped || 2*len(forms) > maxForms {
				// Keep only the uniform forms: forms[0] is all-long, forms[last] all-short.
				// Once capped, stay capped: growing back to the cap again and again would
				// make long names quadratic.
				capped = true
				forms = [][]byte{append(forms[0], p.long...), append(forms[len(forms)-1], p.short...)}
				continue
			}
			n := len(forms)
			for i := range n {
				forms = append(forms, append(slices.Clip(slices.Clone(forms[i])), p.short...))
				forms[i] = append(forms[i], p.long...)
			}
			continue
		}
		if t, ok := icaoSingle[r]; ok {
			appendAll(t)
			continue
		}
		appendAll(stripDiacritics(r))
	}
	out := make([]string, len(forms))
	for i, f := range forms {
		out[i] = string(f)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// stripDiacritics returns r without combining marks (É → E), upper-cased.
func stripDiacritics(r rune) string {
	if r < utf8.RuneSelf {
		return string(r)
	}
	d := norm.NFD.String(string(r))
	var b strings.Builder
	for _, c := range d {
		if !unicode.Is(unicode.Mn, c) {
			b.WriteRune(unicode.ToUpper(c))
		}
	}
	return b.String()
}

// NormalizeAddress normalises an address for lenient comparison: [NormalizeName], then
// every space, punctuation mark and symbol removed.
func NormalizeAddress(s string) string {
	s = NormalizeName(s)
	// Removing a space may leave a combining mark next to a letter; recompose to the
	// fixed point as NormalizeName does.
	for range 8 {
		n := norm.NFKC.String(strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == middleDot {
				return -1
			}
			return r
		}, s))
		if n == s {
			break
		}
		s = n
	}
	return s
}

// NormalizeNumber normalises a document number: NFKC and width folding (full-width
// digits become ASCII), white space and hyphens removed, letters upper-cased. It does
// not validate; resident ID numbers are validated with verify/idcard.
//
// Only the first [MaxNormalizeBytes] bytes of s are read; [Checker.CheckDocument] refuses
// a number over [MaxNumberBytes] before normalising it.
func NormalizeNumber(s string) string {
	s = width.Fold.String(norm.NFKC.String(strings.ToValidUTF8(truncateUTF8(s, MaxNormalizeBytes), "\uFFFD")))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

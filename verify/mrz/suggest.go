package mrz

import (
	"slices"
	"strings"
	"time"
)

// Correction is one candidate reading proposed by [SuggestCorrections].
type Correction struct {
	// Document is the zone as parsed after the changes; it passed every
	// check of [Parse].
	Document Document
	// Changes lists the characters that were replaced, in zone order.
	Changes []Change
}

// Change is one replaced character. Line and Column are 1-based.
type Change struct {
	Line, Column int
	From, To     byte
}

// OCR confusions between letters and digits. Only these are tried.
var (
	letterToDigit = map[byte]byte{'O': '0', 'Q': '0', 'D': '0', 'I': '1', 'L': '1', 'Z': '2', 'S': '5', 'G': '6', 'B': '8'}
	digitToLetter = map[byte]byte{'0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B'}
)

// maxAmbiguous bounds the letter/digit positions tried both ways, so at
// most 2^maxAmbiguous readings are parsed.
const maxAmbiguous = 12

// SuggestCorrections is a separate, explicit helper for operator-assisted
// repair of OCR misreads; [Parse] itself never corrects anything.
//
// It tries readings of zone that differ only by letter/digit confusions
// (O Q D→0, I L→1, Z→2, S→5, G→6, B→8 and back): a letter in a numeric
// position (dates, check digits) becomes its digit, a digit in a name or
// state code becomes its letter, and in a document number or TD3 personal
// number whose check digit fails (and in a long TD1/TD2 number with its
// overflow) each confusable character is tried both ways, at most 12 of
// them. It returns every reading that [Parse] accepts, fewest changes
// first. A zone that already parses yields one Correction with no Changes.
//
// A candidate is a guess that happens to satisfy check digits. The check
// digit cannot tell G from 6 or L from 1 at all (their values differ by
// 10), and about one other random change in ten passes it by chance, so
// several candidates are common. Names and optional data without a check
// digit of their own are not verified at all. Never accept a candidate
// without a human or another source confirming it, and treat more than one
// candidate as unresolved.
//
// Shape and character-set errors ([ErrFormat], [ErrCharacter] for bytes
// outside A-Z, 0-9 and '<') are returned as they are: only confusions
// within the character set are considered.
func SuggestCorrections(zone string, ref time.Time) ([]Correction, error) {
	if d, err := Parse(zone, ref); err == nil {
		return []Correction{{Document: d}}, nil
	}
	s := strings.TrimRight(zone, "\r\n") // as Parse does
	// At most 4 pieces: detect refuses more than 3 lines, and splitting a
	// long run of line breaks in full would cost 16 bytes per input byte.
	lines := strings.SplitN(strings.ReplaceAll(s, "\r\n", "\n"), "\n", 4)
	lay, err := detect(lines)
	if err != nil {
		return nil, err
	}
	buf := make([][]byte, len(lines))
	for i, l := range lines {
		buf[i] = []byte(l)
	}
	mapSpan := func(sp span, m map[byte]byte) {
		for c := sp.start; c < sp.end; c++ {
			if to, ok := m[buf[sp.line][c]]; ok {
				buf[sp.line][c] = to
			}
		}
	}
	point := func(p pos) span { return span{p.line, p.col, p.col + 1} }

	// Deterministic: numeric and alphabetic positions.
	numeric := []span{lay.birth, lay.expiry, point(lay.birthCheck), point(lay.expiryCheck)}
	if lay.hasComposite {
		numeric = append(numeric, point(lay.composite))
	}
	if lay.hasOptional1Check && strings.Trim(lay.optional1.of(lines), "<") != "" {
		numeric = append(numeric, point(lay.optional1Check))
	}
	long := lay.longNumber && lay.numberCheck.of(lines) == '<'
	if !long {
		numeric = append(numeric, point(lay.numberCheck))
	}
	for _, sp := range numeric {
		mapSpan(sp, letterToDigit)
	}
	for _, sp := range []span{lay.name, {0, 2, 5}, lay.nationality} {
		mapSpan(sp, digitToLetter)
	}

	// Both ways: alphanumeric fields with a check digit of their own,
	// only when that check digit fails. (A field whose check digit
	// passes is left alone: the confusions its check digit cannot see,
	// G/6 and L/1 differ by 10, would only add look-alike candidates.)
	passes := func(sp span, p pos) bool {
		return checkDigitOf(string(buf[sp.line][sp.start:sp.end])) == buf[p.line][p.col]
	}
	var alnum []span
	switch {
	case long:
		alnum = append(alnum, lay.number, lay.optional1)
	case !passes(lay.number, lay.numberCheck):
		alnum = append(alnum, lay.number)
	}
	if lay.hasOptional1Check && !passes(lay.optional1, lay.optional1Check) {
		alnum = append(alnum, lay.optional1)
	}
	var ambiguous []pos
	for _, sp := range alnum {
		for c := sp.start; c < sp.end; c++ {
			b := buf[sp.line][c]
			if letterToDigit[b] != 0 || digitToLetter[b] != 0 {
				ambiguous = append(ambiguous, pos{sp.line, c})
			}
		}
	}
	if len(ambiguous) > maxAmbiguous {
		ambiguous = ambiguous[:maxAmbiguous]
	}

	var out []Correction
	seen := map[string]bool{}
	try := make([]string, len(lines))
	orig := make([]byte, len(ambiguous))
	for i, p := range ambiguous {
		orig[i] = buf[p.line][p.col]
	}
	for mask := 0; mask < 1<<len(ambiguous); mask++ {
		for i, p := range ambiguous {
			if mask&(1<<i) != 0 {
				buf[p.line][p.col] = swap(orig[i])
			} else {
				buf[p.line][p.col] = orig[i]
			}
		}
		for i := range buf {
			try[i] = string(buf[i])
		}
		key := strings.Join(try, "\n")
		if !seen[key] {
			seen[key] = true
			if d, err := parse(try, ref); err == nil {
				out = append(out, Correction{Document: d, Changes: diffLines(lines, try)})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Correction) int { return len(a.Changes) - len(b.Changes) })
	return out, nil
}

// swap returns the letter/digit twin of c.
func swap(c byte) byte {
	if to, ok := letterToDigit[c]; ok {
		return to
	}
	if to, ok := digitToLetter[c]; ok {
		return to
	}
	return c
}

func diffLines(from, to []string) []Change {
	var ch []Change
	for i := range from {
		for j := 0; j < len(from[i]); j++ {
			if from[i][j] != to[i][j] {
				ch = append(ch, Change{Line: i + 1, Column: j + 1, From: from[i][j], To: to[i][j]})
			}
		}
	}
	return ch
}

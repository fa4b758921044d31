package quiz

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Category names a kind of fact the host holds about a person. Questions are drawn one per
// category, so two questions of one quiz never share a category.
type Category string

// Categories with default prompts in [DefaultCategories]. A host may use any other name.
const (
	CategoryPreviousAddress Category = "previous_address"
	CategoryVehiclePlate    Category = "vehicle_plate"
	CategoryIssuingOffice   Category = "issuing_office"
	CategoryPhoneCarrier    Category = "phone_carrier"
	CategoryEmployer        Category = "employer"
	CategoryBank            Category = "bank"
)

// Fact is something the host knows about the person from an authoritative source, such as
// a previous address or the plate of a vehicle registered to them.
//
// Value is personal data: String, GoString, Format (every verb), LogValue and MarshalJSON
// show the category, the flags and the source but replace Value by its length
// ("[12 chars]"), and never show the validity dates. A host that stores facts as JSON
// encodes the fields itself.
type Fact struct {
	Category Category
	Value    string
	// ValidFrom and ValidUntil bound the period in which the fact was true (zero: open).
	// A fact that starts in the future is not used; one that ended longer than
	// Policy.MaxFactAge ago is not used either, because people forget.
	ValidFrom, ValidUntil time.Time
	// Source names where the host learned the fact (for the host's audit; not used).
	Source string
	// Static marks a fact whose answer never changes (a birthplace, a first car). NIST SP
	// 800-63A-3 §5.3.2 forbids such questions, so static facts are never asked; they still
	// count as true facts that no distractor may equal.
	Static bool
	// Public marks a fact that others can find out (printed on the identity card, listed
	// in a public register). Public facts are never asked, but no distractor may equal them.
	Public bool
}

// Normalize returns the form in which two values are compared: Unicode NFKC with width
// folding (full-width Ａ and ０ become A and 0), case folding, and no white space at all
// (including the ideographic space U+3000). Two values are treated as the same fact when
// their normalized forms are equal.
func Normalize(s string) string {
	if plain(s) {
		return strings.ToLower(s)
	}
	return normalizeFull(s)
}

func normalizeFull(s string) string {
	s = norm.NFKC.String(width.Fold.String(s))
	s = norm.NFKC.String(cases.Fold().String(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// display returns the form in which an option is shown: width-folded NFKC with runs of
// white space collapsed to one space. Every option goes through it, so the answer cannot
// stand out by full-width digits or stray spaces that its distractors lack.
func display(s string) string {
	if plain(s) {
		return s
	}
	return displayFull(s)
}

func displayFull(s string) string {
	s = norm.NFKC.String(width.Fold.String(s))
	return strings.Join(strings.Fields(s), " ")
}

// plain reports whether s consists only of printable ASCII other than space and of CJK
// Unified Ideographs U+4E00–U+9FFF: characters that NFKC and width folding leave alone and
// that need no space handling, so the common case (plates, Chinese addresses and names of
// offices) skips the transformers. Case folding of ASCII is then strings.ToLower.
func plain(s string) bool {
	for _, r := range s {
		if (r < 0x21 || r > 0x7e) && (r < 0x4e00 || r > 0x9fff) {
			return false
		}
	}
	return true
}

// Character classes of a shape.
const (
	classHan = iota
	classUpper
	classLower
	classOtherLetter
	classDigit
	classPunct // punctuation, symbols and anything else
	classSpace
	numClasses
)

// shape is everything about a value's displayed form that an applicant sees without
// reading it: how many characters of each class it has, in which order of class runs,
// and how many bytes it takes. Two values of one shape differ only in which characters
// of each class they use.
type shape struct {
	counts [numClasses]int
	bytes  int
	// runs is the class of each run of same-class characters, 3 bits per run for the
	// first packedRuns runs (enough for any address), then one byte per run in more.
	nruns int
	runs  [4]uint64
	more  string
}

const packedRuns = 4 * 21

func classOf(r rune) byte {
	switch {
	case r == ' ':
		return classSpace
	case unicode.Is(unicode.Han, r):
		return classHan
	case unicode.IsDigit(r):
		return classDigit
	case unicode.IsUpper(r):
		return classUpper
	case unicode.IsLower(r):
		return classLower
	case unicode.IsLetter(r):
		return classOtherLetter
	default:
		return classPunct
	}
}

func shapeOf(s string) shape {
	var sh shape
	var more []byte
	last := byte(numClasses)
	for _, r := range display(s) {
		c := classOf(r)
		sh.counts[c]++
		sh.bytes += utf8.RuneLen(r)
		if c == last {
			continue
		}
		last = c
		if sh.nruns < packedRuns {
			sh.runs[sh.nruns/21] |= uint64(c) << (3 * (sh.nruns % 21))
		} else {
			more = append(more, c)
		}
		sh.nruns++
	}
	sh.more = string(more)
	return sh
}

// SameShape reports whether a distractor b looks exactly like the answer a, so that
// nothing an applicant sees without reading the options singles out the answer. Both are
// compared in their displayed form (width-folded NFKC, runs of white space shown as one
// space) and must have
//   - the same number of characters of each class: Han, upper-case letters, lower-case
//     letters, other letters, digits, punctuation and symbols, spaces (so the same
//     length in characters, the same script mix and the same digit count);
//   - the same order of classes: the sequence of classes once consecutive characters of
//     one class are taken together ("京A12345" is Han, upper, digit);
//   - the same length in UTF-8 bytes.
//
// Begin refuses every distractor for which SameShape(answer, distractor) is false, so
// every shown value of a question, the answer included, has one shape; a
// [DistractorSource] should pre-filter its pool with it.
func SameShape(a, b string) bool { return shapeOf(a) == shapeOf(b) }

// maxValueBytes bounds a fact value or distractor, so that hostile input cannot blow up the
// token or the normaliser.
const maxValueBytes = 512

func usableText(s string) bool {
	return len(s) <= maxValueBytes && utf8.ValidString(s) && Normalize(s) != ""
}

package idcard

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by [Parse], [ParseWith], [Upgrade15],
// [CheckChar] and [Generate] is an [Error] that matches one or more of these
// with [errors.Is].
var (
	// ErrLength: the input is not 18 (or, where allowed, 15) bytes long.
	// Lengths are counted in bytes, so surrounding spaces and full-width
	// digits (three bytes each in UTF-8) usually fail here.
	ErrLength = errors.New("idcard: wrong length")
	// ErrCharacter: a byte is not an ASCII digit (or X/x in the last place).
	ErrCharacter = errors.New("idcard: bad character")
	// ErrChecksum: the ISO 7064 MOD 11-2 check character does not match.
	ErrChecksum = errors.New("idcard: bad check character")
	// ErrBirthDate: the birth date does not exist, is before
	// [EarliestBirthYear], or is in the future. Future dates also match
	// [ErrFutureBirthDate].
	ErrBirthDate = errors.New("idcard: bad birth date")
	// ErrFutureBirthDate: the birth date is after the reference time.
	ErrFutureBirthDate = errors.New("idcard: birth date in the future")
	// ErrRegion: the province or county code is unknown or not allowed for
	// the kind of number, or (with Options.CheckRegionYears) was out of use
	// before the birth year.
	ErrRegion = errors.New("idcard: unknown region code")
	// ErrNoReferenceTime: Options.Now (or the now argument of [Parse]) is the
	// zero time, so the future-date rule cannot be applied.
	ErrNoReferenceTime = errors.New("idcard: no reference time")
	// ErrOptions: bad [GenOptions] or a failing random source in [Generate].
	ErrOptions = errors.New("idcard: bad options")
)

// Reason says which rule an input broke.
type Reason uint8

// Reasons carried by [Error].
const (
	ReasonLength          Reason = iota + 1 // wrong length
	ReasonCharacter                         // not a digit / misplaced X
	ReasonChecksum                          // check character mismatch
	ReasonBirthDate                         // date does not exist
	ReasonBirthTooEarly                     // before EarliestBirthYear
	ReasonFutureBirthDate                   // after the reference time
	ReasonProvince                          // unknown province code
	ReasonCounty                            // unknown county code (strict mode)
	ReasonPermitRegion                      // 81/82/83 prefix other than 810000/820000/830000
	ReasonNoReferenceTime                   // zero reference time
	ReasonOptions                           // bad generator options or random source
	ReasonRegionRetired                     // region code out of use before the birth year (Options.CheckRegionYears)
)

var reasonText = [...]string{
	ReasonLength:          "wrong length",
	ReasonCharacter:       "bad character",
	ReasonChecksum:        "bad check character",
	ReasonBirthDate:       "birth date does not exist",
	ReasonBirthTooEarly:   "birth date too early",
	ReasonFutureBirthDate: "birth date in the future",
	ReasonProvince:        "unknown province code",
	ReasonCounty:          "unknown county code",
	ReasonPermitRegion:    "bad residence permit region code",
	ReasonNoReferenceTime: "no reference time",
	ReasonOptions:         "bad options",
	ReasonRegionRetired:   "region code out of use before the birth year",
}

// String returns a short English description of the reason.
func (r Reason) String() string {
	if int(r) < len(reasonText) && reasonText[r] != "" {
		return reasonText[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// Error is the structured error of this package. It never holds the number
// being checked, only the rule broken and where.
//
// Errors are values (match them with errors.As into an Error, not an *Error):
// the errors of [Parse], [ParseWith], [Upgrade15] and [CheckChar] are
// preallocated, one per rule and position, so that rejecting an input
// allocates nothing, and each caller gets its own copy, so nothing a caller
// does to one changes what another sees.
type Error struct {
	Reason Reason
	// Pos is the byte index of the offending character in the input, or -1
	// when the rule is not about one character (length, checksum over the
	// whole number, reference time). For birth dates it is the index of the
	// first digit of the date (6 in both forms); for regions the index of the
	// first digit of the part found wrong: 0 for the province, 2 for the
	// county or the permit suffix, 1 for a foreign permanent resident's
	// province of acceptance.
	Pos int
	// Err is an underlying error (the random source's, in Generate), if any.
	Err error
}

// Error describes the rule broken and the position, never the input.
func (e Error) Error() string {
	s := "idcard: " + e.Reason.String()
	if e.Pos >= 0 {
		s += " at position " + strconv.Itoa(e.Pos)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error, if any.
func (e Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel for e's reason.
func (e Error) Is(target error) bool {
	switch e.Reason {
	case ReasonLength:
		return target == ErrLength
	case ReasonCharacter:
		return target == ErrCharacter
	case ReasonChecksum:
		return target == ErrChecksum
	case ReasonBirthDate, ReasonBirthTooEarly:
		return target == ErrBirthDate
	case ReasonFutureBirthDate:
		return target == ErrBirthDate || target == ErrFutureBirthDate
	case ReasonProvince, ReasonCounty, ReasonPermitRegion, ReasonRegionRetired:
		return target == ErrRegion
	case ReasonNoReferenceTime:
		return target == ErrNoReferenceTime
	case ReasonOptions:
		return target == ErrOptions
	}
	return false
}

// maxReason is the highest Reason; ruleErrors has a row for each.
const maxReason = ReasonRegionRetired

// ruleErrors holds one error (an Error value, boxed once) per reason and
// position (-1 to 17), so that rejecting an input allocates nothing, as
// accepting it does.
var ruleErrors = func() (t [maxReason + 1][19]error) {
	for r := range t {
		for i := range t[r] {
			t[r][i] = Error{Reason: Reason(r), Pos: i - 1}
		}
	}
	return t
}()

// newError returns the error for reason r at position pos.
func newError(r Reason, pos int) error {
	if r > maxReason || pos < -1 || pos > 17 {
		return Error{Reason: r, Pos: pos}
	}
	return ruleErrors[r][pos+1]
}

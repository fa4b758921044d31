package docnum

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by this package matches exactly one of
// them with [errors.Is]; the concrete value is an [*Error] carrying the format, the
// reason and the position of the first offending character.
var (
	// ErrLength reports an input whose length fits no form of the format.
	ErrLength = errors.New("docnum: wrong length")
	// ErrCharacter reports a character that is not allowed where it stands
	// (including the letters I and O where they are excluded, and Q in a VIN).
	ErrCharacter = errors.New("docnum: character not allowed")
	// ErrChecksum reports a check character that does not match (VIN position 9).
	ErrChecksum = errors.New("docnum: check character mismatch")
	// ErrPrefix reports a leading letter (or letters) that starts no known series.
	ErrPrefix = errors.New("docnum: unknown prefix")
	// ErrProvince reports a plate whose first character is not one of the 31
	// mainland province-level abbreviations.
	ErrProvince = errors.New("docnum: unknown province abbreviation")
	// ErrFormat reports a [Format] that this package does not validate.
	ErrFormat = errors.New("docnum: unknown format")
)

// Reason is the machine-readable cause of an [*Error].
type Reason uint8

// Reasons, one per sentinel error.
const (
	ReasonLength    Reason = iota + 1 // matches ErrLength
	ReasonCharacter                   // matches ErrCharacter
	ReasonChecksum                    // matches ErrChecksum
	ReasonPrefix                      // matches ErrPrefix
	ReasonProvince                    // matches ErrProvince
	ReasonFormat                      // matches ErrFormat
)

// String returns a short lower-case name for the reason.
func (r Reason) String() string {
	switch r {
	case ReasonLength:
		return "wrong length"
	case ReasonCharacter:
		return "character not allowed"
	case ReasonChecksum:
		return "check character mismatch"
	case ReasonPrefix:
		return "unknown prefix"
	case ReasonProvince:
		return "unknown province abbreviation"
	case ReasonFormat:
		return "unknown format"
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

func (r Reason) sentinel() error {
	switch r {
	case ReasonLength:
		return ErrLength
	case ReasonCharacter:
		return ErrCharacter
	case ReasonChecksum:
		return ErrChecksum
	case ReasonPrefix:
		return ErrPrefix
	case ReasonProvince:
		return ErrProvince
	case ReasonFormat:
		return ErrFormat
	}
	return nil
}

// Error is the structured error returned by every parser in this package. It
// never contains the input: only the format, the reason and a position.
type Error struct {
	Format Format
	Reason Reason
	// Pos is the 1-based position, counted in characters (runes) of the input
	// as given, of the first character found wrong; 0 when the fault is not
	// one character (length, unknown format).
	Pos int
}

// Error implements the error interface.
func (e *Error) Error() string {
	msg := "docnum: " + e.Format.String() + ": " + e.Reason.String()
	if e.Pos > 0 {
		msg += " at position " + strconv.Itoa(e.Pos)
	}
	return msg
}

// Is reports whether target is the sentinel error for e's reason, so that
// errors.Is(err, ErrChecksum) works on wrapped copies.
func (e *Error) Is(target error) bool {
	s := e.Reason.sentinel()
	return s != nil && target == s
}

func fail(k Format, r Reason, pos int) error {
	return &Error{Format: k, Reason: r, Pos: pos}
}

package mrz

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by this package matches exactly one
// of them with [errors.Is]; most are wrapped in an [*Error] that names the
// field and position.
var (
	// ErrFormat reports a zone whose shape is wrong: line count, line
	// length, or a document code that does not fit the line layout.
	ErrFormat = errors.New("mrz: malformed zone")
	// ErrCharacter reports a character outside A-Z, 0-9 and '<', or a
	// character the field does not allow (a letter in a date or check
	// digit, a digit in a name).
	ErrCharacter = errors.New("mrz: invalid character")
	// ErrCheckDigit reports a field check digit (document number, date of
	// birth, date of expiry, optional/personal number) that does not match
	// its field.
	ErrCheckDigit = errors.New("mrz: check digit mismatch")
	// ErrComposite reports a composite check digit that does not match
	// while every individual field check digit does.
	ErrComposite = errors.New("mrz: composite check digit mismatch")
	// ErrDate reports an impossible date (month 13, 30 February), a date
	// with unknown parts ('<'), or a date of birth after the date of expiry.
	ErrDate = errors.New("mrz: invalid date")
	// ErrField reports a field whose characters are valid but whose value
	// is not: a sex code other than M, F, X or '<', an empty name or
	// document number, a malformed state code.
	ErrField = errors.New("mrz: invalid field value")
)

// Error describes where a zone failed to parse. It never holds any of the
// zone's content, only the name of the field and its position.
type Error struct {
	// Err is one of the package's sentinel errors (ErrFormat, ...).
	Err error
	// Field names the offending field, for example
	// "document number check digit".
	Field string
	// Line and Column are 1-based; 0 means "not tied to a line/column".
	Line, Column int
}

// Error implements error.
func (e *Error) Error() string {
	s := e.Err.Error() + ": " + e.Field
	if e.Line > 0 {
		s += " (line " + strconv.Itoa(e.Line)
		if e.Column > 0 {
			s += ", column " + strconv.Itoa(e.Column)
		}
		s += ")"
	} else if e.Column > 0 {
		s += " (column " + strconv.Itoa(e.Column) + ")"
	}
	return s
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's sentinel, so errors.Is works on copies
// and wrapped values alike.
func (e *Error) Is(target error) bool { return target == e.Err }

// newError builds an *Error from 0-based line and column indexes; a
// negative index means "not applicable".
func newError(err error, field string, line, col int) *Error {
	return &Error{Err: err, Field: field, Line: line + 1, Column: col + 1}
}

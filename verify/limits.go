package verify

import (
	"unicode/utf8"
)

// Input limits, in bytes of UTF-8, checked before any normalisation: by
// [Checker.CheckDocument] on every claimed field (an applicant's field over its limit
// fails with field_too_long), by [MemoryRegistry.Add], [NewMemoryRegistry] and
// [LoadRegistry] on every compared record field (refused with an [*Error] matching
// [ErrInvalidArgument]), and by the Match functions (a side over its limit is
// [FieldMismatch]). They leave room for every real name, number and address: 256 bytes
// hold 85 Chinese characters, 1024 bytes more than 300.
const (
	// MaxNameBytes limits Name, LatinName, Nationality and Ethnicity.
	MaxNameBytes = 256
	// MaxAddressBytes limits Address.
	MaxAddressBytes = 1024
	// MaxNumberBytes limits Number, as typed: an 18-character ID number in full-width
	// digits with full-width spaces between all of them takes 105 bytes.
	MaxNumberBytes = 128
	// MaxNormalizeBytes bounds the work of [NormalizeName], [NormalizeAddress],
	// [NormalizeNumber] and [LatinNameForms] on input of any length: they read at most
	// this many bytes of their input (cut at a character boundary), and NormalizeName and
	// NormalizeAddress return at most this many bytes. It is far above the field limits,
	// so it never shortens a field that CheckDocument or the registry accepted.
	MaxNormalizeBytes = 4096
)

// Error reports a refused input field: which field and why, never its value. It matches
// [ErrInvalidArgument] with errors.Is.
type Error struct {
	// Reason is [ReasonFieldTooLong] or [ReasonFieldInvalidText].
	Reason Reason
	// Field names the field in its JSON spelling ("name", "latin_name", "address",
	// "number", "nationality", "ethnicity", "subject").
	Field string
	// Err is an underlying error, if any.
	Err error
}

// Error returns "verify: <field>: <reason>".
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	return "verify: " + e.Field + ": " + string(e.Reason)
}

// Unwrap returns the underlying error, if any. It is nil-safe.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether target is [ErrInvalidArgument]: every refused field is an invalid
// argument. It is nil-safe.
func (e *Error) Is(target error) bool { return e != nil && target == ErrInvalidArgument }

// textField is one field of a claim or a record, with its limit.
type textField struct {
	name  string
	value string
	limit int
}

func claimFields(cl *Claim) [6]textField {
	return [...]textField{
		{"number", cl.Number, MaxNumberBytes},
		{"name", cl.Name, MaxNameBytes},
		{"latin_name", cl.LatinName, MaxNameBytes},
		{"nationality", cl.Nationality, MaxNameBytes},
		{"ethnicity", cl.Ethnicity, MaxNameBytes},
		{"address", cl.Address, MaxAddressBytes},
	}
}

func recordFields(r *Record) [6]textField {
	return [...]textField{
		{"number", r.Number, MaxNumberBytes},
		{"name", r.Name, MaxNameBytes},
		{"latin_name", r.LatinName, MaxNameBytes},
		{"nationality", r.Nationality, MaxNameBytes},
		{"ethnicity", r.Ethnicity, MaxNameBytes},
		{"address", r.Address, MaxAddressBytes},
	}
}

// checkText returns the first field over its limit (field_too_long) or holding
// invalid UTF-8 or a bidirectional control (field_invalid_text). Lengths are checked
// for every field first, so the cost is one len per field before any field is read.
func checkText(fs []textField) *Error {
	for _, f := range fs {
		if len(f.value) > f.limit {
			return &Error{Reason: ReasonFieldTooLong, Field: f.name}
		}
	}
	for _, f := range fs {
		if !cleanText(f.value) {
			return &Error{Reason: ReasonFieldInvalidText, Field: f.name}
		}
	}
	return nil
}

// checkClaim applies the input limits to a claim: every field is the applicant's, so a
// refusal is a reason, never an error.
func checkClaim(cl *Claim) (Reason, error) {
	fs := claimFields(cl)
	if e := checkText(fs[:]); e != nil {
		return e.Reason, nil
	}
	return "", nil
}

// checkRecord applies the input limits to a record's compared fields.
func checkRecord(r *Record) error {
	fs := recordFields(r)
	if e := checkText(fs[:]); e != nil {
		return e
	}
	return nil
}

// isBidiControl reports the characters that change the display order of text without
// being visible: U+061C ARABIC LETTER MARK, U+200E/U+200F LEFT-TO-RIGHT and
// RIGHT-TO-LEFT MARK, U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates.
// "\u202E张伟" displays as 伟张 on a reviewer's screen: a name holding one never matches.
func isBidiControl(r rune) bool {
	switch {
	case r == '\u061C', r == '\u200E', r == '\u200F':
		return true
	case r >= '\u202A' && r <= '\u202E':
		return true
	case r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// cleanText reports whether s is valid UTF-8 without bidirectional controls. Invalid
// UTF-8 would be read as U+FFFD, matching any other invalid sequence.
func cleanText(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || isBidiControl(r) {
			return false
		}
		i += n
	}
	return true
}

// truncateUTF8 returns at most n bytes of s, cut before a character that starts within
// the last utf8.UTFMax-1 bytes when there is one (in invalid UTF-8 there may be none).
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for i := n; i > 0 && i > n-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i]
		}
	}
	return s[:n]
}

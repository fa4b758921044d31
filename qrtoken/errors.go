package qrtoken

import (
	"errors"

	"github.com/trustid/trustid/store"
)

// Reason is a machine-readable code for why an operation was refused.
type Reason string

// Reasons carried by [Error]. Each maps to the sentinel of the same meaning for errors.Is.
const (
	ReasonNotAuthentic       Reason = "not_authentic"        // authentication failed: forged, tampered, wrong key or purpose definition
	ReasonMalformed          Reason = "malformed"            // not a code: bad text encoding, too short, unknown kind
	ReasonUnsupportedVersion Reason = "unsupported_version"  // a format version this reader does not know
	ReasonUnknownKey         Reason = "unknown_key"          // the key ID is not (or no longer) configured
	ReasonWrongPurpose       Reason = "wrong_purpose"        // the purpose is not accepted by this reader
	ReasonExpired            Reason = "expired"              // the code's window (or the venue challenge) is too old
	ReasonNotYetValid        Reason = "not_yet_valid"        // the code's window starts later than the accepted skew
	ReasonReplayed           Reason = "replayed"             // the code (or venue challenge) was accepted before: matches store.ErrReplayed
	ReasonClaimNotInPurpose  Reason = "claim_not_in_purpose" // the issuer was given a claim its purpose does not carry
	ReasonMissingClaim       Reason = "missing_claim"        // the issuer lacks a claim its purpose carries
	ReasonInvalidClaim       Reason = "invalid_claim"        // a claim value cannot be carried (bad ID number, too long, ...)
	ReasonInvalidArgument    Reason = "invalid_argument"     // a configuration, purpose definition or argument is unusable
	ReasonWrongMode          Reason = "wrong_mode"           // an online code given where a check-in is expected, or similar
	ReasonUnavailable        Reason = "unavailable"          // the replay guard or status check failed; the code is refused (fail closed)
	ReasonUnderAge           Reason = "under_age"            // the holder is younger than ReaderConfig.RequireAgeOver
	ReasonStatusRefused      Reason = "status_refused"       // the status check refused the code's credential (revoked, suspended, lost, ...)
	ReasonWrongSuite         Reason = "wrong_suite"          // the code is of another cryptographic suite than the reader's
)

// Error is the structured error of this package. Every error it returns for a refusal is
// an *Error; errors.Is matches it against the sentinel of its Reason, and errors.As gives
// the Reason and Field.
type Error struct {
	Reason Reason
	// Field names the field, claim or part concerned (for example "address",
	// "IssuerConfig.Key" or "base45"); never its value. Empty for authentication failures.
	Field string
	// Err is the underlying error: the host's replay guard or status checker error for
	// ReasonUnavailable, the status checker's refusal for ReasonStatusRefused,
	// store.ErrReplayed for ReasonReplayed.
	Err error
}

// Error returns "qrtoken: " followed by the reason, the field and the underlying error.
// It is safe to call on a nil *Error.
func (e *Error) Error() string {
	if e == nil {
		return "qrtoken: <nil>"
	}
	s := "qrtoken: " + string(e.Reason)
	if e.Field != "" {
		s += ": " + e.Field
	}
	if e.Err != nil && e.Reason != ReasonReplayed {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error, if any. It is safe to call on a nil *Error.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether target is the sentinel of e's Reason (store.ErrReplayed for
// ReasonReplayed). It is safe to call on a nil *Error.
func (e *Error) Is(target error) bool {
	if e == nil {
		return false
	}
	if e.Reason == ReasonMalformed && target == ErrNotAuthentic {
		// Malformed text is a code that does not authenticate too, as in every package
		// (a caller matching ErrNotAuthentic alone refuses it); ErrMalformed says more.
		return true
	}
	s, ok := reasonSentinels[e.Reason]
	return ok && s == target
}

// Sentinels, for errors.Is. A used-twice code matches store.ErrReplayed.
var (
	// ErrNotAuthentic is the one opaque error for every authentication failure: a forged
	// or altered code, a code under a key whose secret differs, a code whose purpose
	// definition differs between issuer and reader, a forged venue challenge. It says
	// nothing more, on purpose.
	ErrNotAuthentic = errors.New("qrtoken: not authentic")
	// ErrMalformed: the text is not a code of this package (encoding, length, kind). An
	// error matching it matches ErrNotAuthentic too.
	ErrMalformed = errors.New("qrtoken: malformed")
	// ErrUnsupportedVersion: the code's first nibble is 0, which no suite uses (suite IDs
	// are 1 to 15; a nibble naming another suite is [ErrWrongSuite]).
	ErrUnsupportedVersion = errors.New("qrtoken: unsupported version")
	// ErrUnknownKey: the code names a key ID the reader does not hold (never had, or retired).
	ErrUnknownKey = errors.New("qrtoken: unknown key")
	// ErrWrongPurpose: the code is for a purpose this reader does not accept.
	ErrWrongPurpose = errors.New("qrtoken: wrong purpose")
	// ErrExpired: the code's window, or a venue challenge, is too old.
	ErrExpired = errors.New("qrtoken: expired")
	// ErrNotYetValid: the code's window lies too far in the future (issuer clock ahead).
	ErrNotYetValid = errors.New("qrtoken: not yet valid")
	// ErrClaimNotInPurpose: the issuer refuses a claim its purpose does not carry.
	ErrClaimNotInPurpose = errors.New("qrtoken: claim not in purpose")
	// ErrMissingClaim: the issuer lacks a claim its purpose carries.
	ErrMissingClaim = errors.New("qrtoken: missing claim")
	// ErrInvalidClaim: a claim value cannot be encoded (bad ID number, text too long, ...).
	ErrInvalidClaim = errors.New("qrtoken: invalid claim")
	// ErrInvalidArgument: a configuration (IssuerConfig, ReaderConfig, VenueConfig), a
	// purpose definition or another argument is unusable; Error.Field names which.
	ErrInvalidArgument = errors.New("qrtoken: invalid argument")
	// ErrWrongMode: a code of another kind than the call expects (e.g. a venue challenge
	// given to Open).
	ErrWrongMode = errors.New("qrtoken: wrong mode")
	// ErrUnavailable: the replay guard or the status check (ReaderConfig.StatusChecker)
	// reported a failure; the code is refused (fail closed). Their error is wrapped.
	ErrUnavailable = errors.New("qrtoken: unavailable")
	// ErrUnderAge: the code is authentic but its holder was younger than
	// ReaderConfig.RequireAgeOver on its day of issue.
	ErrUnderAge = errors.New("qrtoken: under age")
	// ErrStatusRefused: the code is authentic but the status check
	// (ReaderConfig.StatusChecker) refused its credential: revoked, suspended, reported
	// lost, or unknown to the status service. A [StatusChecker] returns an error matching
	// it to refuse a code; the reader's error wraps the checker's, which says why.
	ErrStatusRefused = errors.New("qrtoken: status refused")
	// ErrWrongSuite: the code's first nibble names another cryptographic suite than the
	// reader's ([ReaderConfig.Suite]): an SM code at a default reader, or the reverse. It
	// is refused before anything else is read.
	ErrWrongSuite = errors.New("qrtoken: wrong suite")
)

var reasonSentinels = map[Reason]error{
	ReasonNotAuthentic:       ErrNotAuthentic,
	ReasonMalformed:          ErrMalformed,
	ReasonUnsupportedVersion: ErrUnsupportedVersion,
	ReasonUnknownKey:         ErrUnknownKey,
	ReasonWrongPurpose:       ErrWrongPurpose,
	ReasonExpired:            ErrExpired,
	ReasonNotYetValid:        ErrNotYetValid,
	ReasonReplayed:           store.ErrReplayed,
	ReasonClaimNotInPurpose:  ErrClaimNotInPurpose,
	ReasonMissingClaim:       ErrMissingClaim,
	ReasonInvalidClaim:       ErrInvalidClaim,
	ReasonInvalidArgument:    ErrInvalidArgument,
	ReasonWrongMode:          ErrWrongMode,
	ReasonUnavailable:        ErrUnavailable,
	ReasonUnderAge:           ErrUnderAge,
	ReasonStatusRefused:      ErrStatusRefused,
	ReasonWrongSuite:         ErrWrongSuite,
}

// Each error is a fresh *Error, so that a caller who changes the one it got (through
// errors.As) changes no one else's.

func errorf(r Reason, field string) error { return &Error{Reason: r, Field: field} }

func errMalformed(field string) error { return &Error{Reason: ReasonMalformed, Field: field} }

func errInvalidArgument(field string) error {
	return &Error{Reason: ReasonInvalidArgument, Field: field}
}

// errNotAuthentic is the opaque authentication failure: no field, no cause.
func errNotAuthentic() error { return &Error{Reason: ReasonNotAuthentic} }

func errReplayed() error { return &Error{Reason: ReasonReplayed, Err: store.ErrReplayed} }

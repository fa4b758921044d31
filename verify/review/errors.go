package review

import (
	"errors"
	"strconv"
	"time"

	"github.com/trustid/trustid/store"
)

// Sentinel errors. Every refusal the package returns is an [*Error] whose Reason maps to
// one of them (or to a store error, see [Reason]), so errors.Is matches it; errors from a
// host's Store, AttemptStore, AutoChecker or AssignPolicy are wrapped in an [*Error] with
// [ReasonUnavailable]. No error holds an applicant's name, document number or note.
var (
	// ErrInvalidArgument: a malformed argument, configuration or input (an empty reason
	// list on rejection, a malformed reason code, a missing applicant reference, a
	// material without a digest, a malformed line of an audit export, ...).
	// Error.Field names the offending field.
	ErrInvalidArgument = errors.New("review: invalid argument")
	// ErrNotFound: no such case (or the case belongs to another applicant). A [Store]
	// returns it, possibly wrapped, for a missing case.
	ErrNotFound = errors.New("review: case not found")
	// ErrIllegalTransition: the event is not allowed in the case's current state (see
	// [Next]); Error.From and Error.Event say which.
	ErrIllegalTransition = errors.New("review: illegal transition")
	// ErrTooManyDrafts: the applicant already holds Config.MaxDrafts open drafts; submit
	// or withdraw one first.
	ErrTooManyDrafts = errors.New("review: too many open drafts")
	// ErrNotAssigned: the reviewer is not the one assigned to the case.
	ErrNotAssigned = errors.New("review: reviewer not assigned to case")
	// ErrNoReviewer: no eligible reviewer has capacity (conflicts, the previous
	// rejecter and full reviewers are excluded).
	ErrNoReviewer = errors.New("review: no eligible reviewer")
	// ErrIneligibleReviewer: the AssignPolicy chose a reviewer it was not offered (a
	// bug in the policy); the case is left unassigned.
	ErrIneligibleReviewer = errors.New("review: policy chose an ineligible reviewer")
	// ErrChainBroken: an audit trail failed verification; Error.Index is the position of
	// the first bad record and Error.Field the record field that failed.
	ErrChainBroken = errors.New("review: audit chain broken")
	// ErrNotAuthentic: a sealed or signed value does not authenticate: a signed audit
	// [Checkpoint] that does not verify under the key or does not match the records (for
	// example because the tail was truncated); an application's journey decision that
	// Config.Decisions cannot open (Error.Field "Decision"); a case's [Journey] whose
	// seal does not open under Config.Keys, belongs to another case or attempt, or
	// differs from the fields shown (Error.Field "Journey": the Store was edited).
	ErrNotAuthentic = errors.New("review: not authentic")
	// ErrExpired: an application's journey decision was no longer valid when the
	// application was made (Error.Field "Decision"); verify again.
	ErrExpired = errors.New("review: expired")
	// ErrUnavailable: a host dependency (Store, AttemptStore, AutoChecker,
	// AssignPolicy) failed; the operation did not happen (fail closed). Error.Field
	// names the Config field of the dependency and Error.Err is the host's error.
	ErrUnavailable = errors.New("review: host dependency unavailable")
)

// Reason is a machine-readable code for why an operation was refused. Codes are stable
// snake_case strings: hosts may store them and switch on them.
//
// The reason codes of a case's rejection, supplement request or expiry are
// verify.Reason values (such as [ReasonMaterialUnclear]); they are not of this type.
type Reason string

// Reasons carried by [*Error]. Each matches one sentinel with errors.Is, except the two
// lock-outs, which match store.ErrLockedOut through the [*store.LockedOutError] they
// wrap, and ReasonConflict, which matches store.ErrConflict.
const (
	ReasonInvalidArgument    Reason = "invalid_argument"    // ErrInvalidArgument
	ReasonNotFound           Reason = "not_found"           // ErrNotFound
	ReasonIllegalTransition  Reason = "illegal_transition"  // ErrIllegalTransition
	ReasonTooManyDrafts      Reason = "too_many_drafts"     // ErrTooManyDrafts
	ReasonNotAssigned        Reason = "not_assigned"        // ErrNotAssigned
	ReasonNoReviewer         Reason = "no_reviewer"         // ErrNoReviewer
	ReasonIneligibleReviewer Reason = "ineligible_reviewer" // ErrIneligibleReviewer
	ReasonChainBroken        Reason = "chain_broken"        // ErrChainBroken
	ReasonNotAuthentic       Reason = "not_authentic"       // ErrNotAuthentic
	ReasonExpired            Reason = "expired"             // ErrExpired
	ReasonUnavailable        Reason = "unavailable"         // ErrUnavailable
	// ReasonConflict: a case write kept losing to concurrent writers after
	// Config.MaxRetries retries; matches store.ErrConflict.
	ReasonConflict Reason = "conflict"
	// ReasonRateLimited: the applicant made Config.ApplicationLimit applications in the
	// window. Err is a [*store.LockedOutError] with the time to retry.
	ReasonRateLimited Reason = "rate_limited"
	// ReasonCoolingOff: the applicant was rejected less than Config.RejectCooloff ago.
	// Err is a [*store.LockedOutError] with the time to retry.
	ReasonCoolingOff Reason = "cooling_off"
)

func (r Reason) sentinel() error {
	switch r {
	case ReasonInvalidArgument:
		return ErrInvalidArgument
	case ReasonNotFound:
		return ErrNotFound
	case ReasonIllegalTransition:
		return ErrIllegalTransition
	case ReasonTooManyDrafts:
		return ErrTooManyDrafts
	case ReasonNotAssigned:
		return ErrNotAssigned
	case ReasonNoReviewer:
		return ErrNoReviewer
	case ReasonIneligibleReviewer:
		return ErrIneligibleReviewer
	case ReasonChainBroken:
		return ErrChainBroken
	case ReasonNotAuthentic:
		return ErrNotAuthentic
	case ReasonExpired:
		return ErrExpired
	case ReasonUnavailable:
		return ErrUnavailable
	case ReasonConflict:
		return store.ErrConflict
	}
	return nil
}

// Error is the structured error of the package: a reason code, the field concerned and,
// for host failures and lock-outs, the underlying error. It never holds personal data:
// Field names a field, never its value.
type Error struct {
	// Reason is the machine-readable cause.
	Reason Reason
	// Field names the offending field, when there is one: an argument's field such as
	// "Materials[0].Digest", the Config field of a failed host dependency such as
	// "Store", or, for ReasonChainBroken and a malformed export line, the audit record
	// field such as "hash" or "prev".
	Field string
	// From and Event are, for ReasonIllegalTransition, the state the case was in and
	// the event it refused.
	From  State
	Event Event
	// Index is, for ReasonChainBroken, the 0-based position of the first bad record in
	// the trail given to VerifyChain (or read by ImportAudit); for a malformed line reported
	// by ImportAudit, the 0-based position of the record on it (its line is Index+1).
	Index int
	// Err is the underlying error: the host's, a [*store.LockedOutError] for the
	// lock-outs, or the rule an argument broke.
	Err error
}

// Error describes the failure without personal data. A nil *Error gives "review: <nil>".
func (e *Error) Error() string {
	if e == nil {
		return "review: <nil>"
	}
	s := "review: " + string(e.Reason)
	switch e.Reason {
	case ReasonIllegalTransition:
		s += ": " + e.Event.String() + " in state " + e.From.String()
	case ReasonChainBroken:
		s += " at record " + strconv.Itoa(e.Index)
	}
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is the sentinel of e's Reason; false for a nil *Error.
func (e *Error) Is(target error) bool {
	if e == nil {
		return false
	}
	s := e.Reason.sentinel()
	return s != nil && target == s
}

// Unwrap returns the underlying error, if any; nil for a nil *Error.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// refusal returns the error for reason r with nothing more to say.
func refusal(r Reason) *Error { return &Error{Reason: r} }

// invalid returns an ErrInvalidArgument error for field, which broke rule (a phrase
// without input values, e.g. "must be 1..128 bytes").
func invalid(field, rule string) *Error {
	return &Error{Reason: ReasonInvalidArgument, Field: field, Err: errors.New(rule)}
}

// unavailable wraps the error of the host dependency configured in Config.<dep>.
func unavailable(dep string, err error) *Error {
	return &Error{Reason: ReasonUnavailable, Field: dep, Err: err}
}

// lockedOut returns a lock-out refusal (ReasonRateLimited or ReasonCoolingOff) wrapping
// a *store.LockedOutError with retryAt.
func lockedOut(r Reason, retryAt time.Time) *Error {
	return &Error{Reason: r, Err: &store.LockedOutError{RetryAt: retryAt}}
}

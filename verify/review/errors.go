package review

import (
	"errors"
	"strconv"
	"time"
)

// Sentinel errors. Errors returned by this package match one of them with [errors.Is];
// errors from a host's Store, Notifier or AutoChecker are wrapped with %w. No error holds
// an applicant's name or document number.
var (
	// ErrIllegalTransition: the event is not allowed in the case's current state
	// (see [Next]); the error is a [*TransitionError].
	ErrIllegalTransition = errors.New("review: illegal transition")
	// ErrNotFound: no such case (or the case belongs to another applicant).
	ErrNotFound = errors.New("review: case not found")
	// ErrVersionConflict: a Store refused a write because the case changed since it was
	// read (optimistic concurrency), or a case with that ID already exists.
	ErrVersionConflict = errors.New("review: version conflict")
	// ErrRateLimited: the applicant made too many applications in the period; the error
	// is a [*LimitError] with the time to retry.
	ErrRateLimited = errors.New("review: too many applications")
	// ErrCoolingOff: the applicant was rejected recently and must wait; the error is a
	// [*LimitError] with the time to retry.
	ErrCoolingOff = errors.New("review: cooling off after rejection")
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
	// ErrInvalidArgument: a malformed argument or configuration (an empty reason list
	// on rejection, a malformed reason code, a missing applicant reference, ...).
	ErrInvalidArgument = errors.New("review: invalid argument")
	// ErrChainBroken: an audit trail failed verification; the error is a
	// [*ChainError] with the index of the first bad record.
	ErrChainBroken = errors.New("review: audit chain broken")
	// ErrMalformed: an audit export could not be parsed; the error is an
	// [*ImportError] with the line number.
	ErrMalformed = errors.New("review: malformed audit export")
	// ErrBadCheckpoint: a signed head checkpoint does not verify or does not match the
	// records (for example because the tail was truncated).
	ErrBadCheckpoint = errors.New("review: bad audit checkpoint")
)

// TransitionError reports an event that is illegal in a state.
type TransitionError struct {
	From  State
	Event Event
}

// Error names the event and the state; no case or applicant data.
func (e *TransitionError) Error() string {
	return "review: illegal transition: " + e.Event.String() + " in state " + e.From.String()
}

// Is makes errors.Is(err, ErrIllegalTransition) true.
func (e *TransitionError) Is(target error) bool { return target == ErrIllegalTransition }

// LimitError reports a refused application and when the applicant may try again.
type LimitError struct {
	// Err is ErrRateLimited or ErrCoolingOff.
	Err error
	// RetryAt is the earliest time a new application may be accepted.
	RetryAt time.Time
}

// Error is the sentinel's message and the retry time in UTC.
func (e *LimitError) Error() string {
	return e.Err.Error() + " (retry at " + e.RetryAt.UTC().Format(time.RFC3339) + ")"
}

// Unwrap returns the sentinel.
func (e *LimitError) Unwrap() error { return e.Err }

// ChainError reports the first audit record that fails verification.
type ChainError struct {
	// Index is the 0-based position of the first bad record in the slice given to
	// [Verify].
	Index int
	// Reason is a short code: "seq", "prev", "hash", "case", "time" or "empty".
	Reason string
}

// Error names the index and the reason code of the first bad record.
func (e *ChainError) Error() string {
	return "review: audit chain broken at index " + strconv.Itoa(e.Index) + ": " + e.Reason
}

// Is makes errors.Is(err, ErrChainBroken) true.
func (e *ChainError) Is(target error) bool { return target == ErrChainBroken }

// ImportError reports a malformed line of an audit export.
type ImportError struct {
	// Line is 1-based.
	Line int
	// Reason says what was wrong, without echoing the content.
	Reason string
}

// Error names the line and the reason, never the line's content.
func (e *ImportError) Error() string {
	return "review: malformed audit export at line " + strconv.Itoa(e.Line) + ": " + e.Reason
}

// Is makes errors.Is(err, ErrMalformed) true.
func (e *ImportError) Is(target error) bool { return target == ErrMalformed }

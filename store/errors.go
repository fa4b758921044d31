package store

import (
	"errors"
	"time"
)

// Errors shared by every package of trustid. Each package wraps them with its own context;
// match them with errors.Is.
var (
	// ErrReplayed reports that a single-use value (a session token, a QR code, a venue
	// challenge, an authorisation code) was presented again after it had been accepted.
	ErrReplayed = errors.New("already used")
	// ErrLockedOut reports that a key (a person, a device, an applicant) has used its
	// attempts under an [AttemptRule]. The error that carries it is a [*LockedOutError].
	ErrLockedOut = errors.New("too many attempts")
	// ErrConflict reports an optimistic-concurrency conflict: a write whose expected
	// version is not the stored one, because another writer saved first. The write
	// changed nothing; the caller may load again and retry.
	ErrConflict = errors.New("version conflict")
	// ErrInvalidArgument reports a programmer or configuration mistake, such as an
	// [AttemptRule] that cannot be enforced. Every package of trustid has its own
	// ErrInvalidArgument with this meaning.
	ErrInvalidArgument = errors.New("store: invalid argument")
)

// LockedOutError is the error for a refused attempt. It matches [ErrLockedOut] with
// errors.Is and says when a new attempt may begin. It names no key: keys identify people.
type LockedOutError struct {
	// RetryAt is the earliest time a new attempt may begin.
	RetryAt time.Time
}

// Error returns "too many attempts until" and RetryAt in RFC 3339, UTC.
func (e *LockedOutError) Error() string {
	if e.RetryAt.IsZero() {
		return ErrLockedOut.Error()
	}
	return ErrLockedOut.Error() + " until " + e.RetryAt.UTC().Format(time.RFC3339)
}

// Is reports whether target is [ErrLockedOut].
func (e *LockedOutError) Is(target error) bool { return target == ErrLockedOut }

// Refusal returns the error for a refused [AttemptResult]: a [*LockedOutError] carrying
// r.RetryAt, or nil when r.Allowed.
func (r AttemptResult) Refusal() error {
	if r.Allowed {
		return nil
	}
	return &LockedOutError{RetryAt: r.RetryAt}
}

package verify

import "errors"

// Sentinel errors. Errors returned by this package never contain a document number, a
// name or an address.
var (
	// ErrInvalidArgument reports an invalid argument or configuration (a programmer or host
	// mistake, not an applicant's).
	ErrInvalidArgument = errors.New("verify: invalid argument")
	// ErrNotFound is returned by a [Registry] when it has no record for the credential.
	// Any other error from a Registry is a system failure.
	ErrNotFound = errors.New("verify: record not found")
	// ErrUnavailable wraps a registry system failure returned by [Checker.CheckDocument];
	// errors.Is matches both ErrUnavailable and the host's own error.
	ErrUnavailable = errors.New("verify: registry unavailable")
)

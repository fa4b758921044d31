package qrtoken

import (
	"context"
	"errors"
)

// StatusChecker is the online status check of the credential behind a code: whether it
// was revoked, suspended or reported lost after the code was issued. A [Reader] with
// [ReaderConfig.StatusChecker] set calls it inside [Reader.Open] and [Reader.OpenCheckIn]
// for every code it accepts, so that a host cannot forget it. *wallet.Wallet implements it.
//
// CheckStatus returns nil if the credential is active. It returns an error matching
// [ErrStatusRefused] if the code must be refused because of its credential's status
// (revoked, suspended, reported lost, expired, or unknown to the status service); the
// reader refuses the code with an error matching ErrStatusRefused that wraps it. Any other
// error is a failure of the check itself: the reader refuses the code (fail closed) with
// an error matching [ErrUnavailable] that wraps it.
//
// text is the code's text as given to Open or OpenCheckIn; o is the opened code. Neither
// may be logged: both hold personal data or a bearer credential.
type StatusChecker interface {
	CheckStatus(ctx context.Context, text string, o Opened) error
}

// checkStatus runs the status hook, if any, on an accepted code.
func (r *Reader) checkStatus(ctx context.Context, text string, o *Opened) error {
	if r.status == nil {
		return nil
	}
	err := r.status.CheckStatus(ctx, text, *o)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrStatusRefused):
		return &Error{Reason: ReasonStatusRefused, Err: err}
	default:
		return &Error{Reason: ReasonUnavailable, Field: "StatusChecker", Err: err}
	}
}

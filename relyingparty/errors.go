package relyingparty

import (
	"errors"
	"fmt"

	"github.com/trustid/trustid/internal/mask"

	"github.com/trustid/trustid/store"
)

// Errors returned by the provider; match them with errors.Is. Every refusal the provider
// makes is an [*Error] whose Reason maps onto one of them. Replayed codes and requests wrap
// [store.ErrReplayed].
var (
	// ErrInvalidArgument reports a malformed request or a bad configuration.
	ErrInvalidArgument = errors.New("relyingparty: invalid argument")
	// ErrExpired reports an expired authorisation request, code, decision or consent.
	ErrExpired = errors.New("relyingparty: expired")
	// ErrNotAuthentic reports a request token, code or decision token the provider cannot
	// authenticate (malformed, tampered with, sealed under another key or for another use).
	ErrNotAuthentic = errors.New("relyingparty: not authentic")
	// ErrUnavailable reports that a host dependency (consent store, identity source, replay
	// guard) failed; the provider fails closed.
	ErrUnavailable = errors.New("relyingparty: unavailable")
	// ErrUnknownClient reports a client ID that is not registered, or a client that failed to
	// authenticate at the token endpoint. An authorisation endpoint must not redirect on it.
	ErrUnknownClient = errors.New("relyingparty: unknown client")
	// ErrRedirectMismatch reports a redirect URI that is not exactly one the client
	// registered. An authorisation endpoint must not redirect on it.
	ErrRedirectMismatch = errors.New("relyingparty: redirect URI mismatch")
	// ErrNotPermitted reports a request for a claim or purpose the client is not registered
	// for, or an unsupported scope, response type or grant type.
	ErrNotPermitted = errors.New("relyingparty: not permitted")
	// ErrAccessDenied reports that the person's decision does not allow the sign-in (not a
	// pass, below the client's level) or that the consent given is not the one asked for or
	// was withdrawn.
	ErrAccessDenied = errors.New("relyingparty: access denied")
	// ErrGrantMismatch reports a code presented by another client, with another redirect
	// URI or with a PKCE verifier that does not match its challenge.
	ErrGrantMismatch = errors.New("relyingparty: grant mismatch")
)

// Reason is a machine-readable code for why the provider refused a request.
type Reason string

// Reasons, each mapped by [Error.Is] to one sentinel.
const (
	ReasonInvalidArgument  Reason = "invalid_argument"
	ReasonExpired          Reason = "expired"
	ReasonNotAuthentic     Reason = "not_authentic"
	ReasonUnavailable      Reason = "unavailable"
	ReasonUnknownClient    Reason = "unknown_client"
	ReasonRedirectMismatch Reason = "redirect_mismatch"
	ReasonNotPermitted     Reason = "not_permitted"
	ReasonDecisionRefused  Reason = "decision_refused"
	ReasonConsentMismatch  Reason = "consent_mismatch"
	ReasonConsentWithdrawn Reason = "consent_withdrawn"
	ReasonGrantMismatch    Reason = "grant_mismatch"
	ReasonReplayed         Reason = "replayed"
)

var reasonSentinel = map[Reason]error{
	ReasonInvalidArgument:  ErrInvalidArgument,
	ReasonExpired:          ErrExpired,
	ReasonNotAuthentic:     ErrNotAuthentic,
	ReasonUnavailable:      ErrUnavailable,
	ReasonUnknownClient:    ErrUnknownClient,
	ReasonRedirectMismatch: ErrRedirectMismatch,
	ReasonNotPermitted:     ErrNotPermitted,
	ReasonDecisionRefused:  ErrAccessDenied,
	ReasonConsentMismatch:  ErrAccessDenied,
	ReasonConsentWithdrawn: ErrAccessDenied,
	ReasonGrantMismatch:    ErrGrantMismatch,
	ReasonReplayed:         store.ErrReplayed,
}

// Error is the provider's refusal. It names a field (a request parameter) but never its
// value, and holds no personal data or token. Its text is fixed per reason and field: the
// underlying host error, whose text the provider does not control (an identity source's
// may name the person it looked up), is reachable through Unwrap only, never printed.
type Error struct {
	Reason Reason
	// Field names the request parameter at fault, if any.
	Field string
	// Err is the underlying host or store error, if any; it is not part of the text.
	Err error
}

// Error returns "relyingparty: " followed by the reason and the field, never the text of
// the underlying error.
func (e *Error) Error() string {
	s := "relyingparty: " + string(e.Reason)
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	return s
}

// Format writes the fixed text for every verb, %+v and %#v included, so that no verb
// reaches the underlying error.
func (e *Error) Format(f fmt.State, verb rune) {
	mask.Format(f, verb, e.Error(), fmt.Sprintf("&relyingparty.Error{Reason: %q, Field: %q}", e.Reason, e.Field))
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is maps the reason to its sentinel.
func (e *Error) Is(target error) bool {
	s, ok := reasonSentinel[e.Reason]
	return ok && s == target
}

func fail(r Reason, field string) error { return &Error{Reason: r, Field: field} }

func failErr(r Reason, field string, err error) error {
	return &Error{Reason: r, Field: field, Err: err}
}

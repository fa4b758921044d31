package liveness

import (
	"errors"

	"github.com/trustid/trustid/store"
)

// Reason is a machine-readable code: why [Challenger.Begin] or [Challenger.Finish] returned
// an error, or why a [Result] did not pass. Reasons are for the host and its audit trail;
// the client sees only the [Outcome].
type Reason string

// Reasons carried by an [Error].
const (
	ReasonNotAuthentic    Reason = "not_authentic"    // malformed, tampered, wrong purpose or unknown key
	ReasonExpired         Reason = "expired"          // authentic token submitted after the session's lifetime
	ReasonReplayed        Reason = "replayed"         // the session was finished before (store.ErrReplayed)
	ReasonLockedOut       Reason = "locked_out"       // too many attempts by the subject or the device (store.ErrLockedOut)
	ReasonUnavailable     Reason = "unavailable"      // a host component failed
	ReasonInvalidArgument Reason = "invalid_argument" // a malformed request
	// ReasonConsentRequired: no recorded, unwithdrawn biometric consent of the subject
	// covers the session (at Begin, or withdrawn before Finish).
	ReasonConsentRequired Reason = "consent_required"
	// ReasonDeviceNotTrusted: Begin without a device key when Config.RequireDeviceBinding
	// is set, with an attestation the AttestationVerifier refused, or with an attested
	// device risk the policy refuses.
	ReasonDeviceNotTrusted Reason = "device_not_trusted"
)

// Reasons carried by a [Result]. The comment says whether a reason alone leads to
// [OutcomeRetry] (a genuine person may cause it) or [OutcomeFail] (evidence of an attack or
// a broken analyser).
const (
	ReasonMissingStep       Reason = "missing_step"            // retry: fewer observations than steps
	ReasonExtraStep         Reason = "extra_step"              // retry: more observations than steps
	ReasonWrongOrder        Reason = "wrong_order"             // retry: another action than the step asked for
	ReasonDuplicateStep     Reason = "duplicate_step"          // retry: the same action observed twice in a row
	ReasonStepLate          Reason = "step_late"               // retry: a step ended after its deadline
	ReasonLowConfidence     Reason = "low_confidence"          // retry: the analyser was not sure enough
	ReasonFaceMismatch      Reason = "face_mismatch"           // retry: face score below the threshold
	ReasonUnknownAction     Reason = "unknown_action"          // fail: an action outside the vocabulary
	ReasonTooFast           Reason = "too_fast"                // fail: shorter than a human action or reaction
	ReasonBadTimestamps     Reason = "bad_timestamps"          // fail: missing, backwards or overlapping times
	ReasonBeforeIssue       Reason = "before_issue"            // fail: a step began before the session was issued
	ReasonInFuture          Reason = "in_future"               // fail: a step ended after now (plus MaxClockSkew)
	ReasonBadConfidence     Reason = "bad_confidence"          // fail: confidence not a number in [0, 1]
	ReasonBindingMismatch   Reason = "binding_mismatch"        // fail: observation for another session, subject or device
	ReasonUnconfiguredModel Reason = "face_model_unconfigured" // fail: no threshold for the score's backend and model
	ReasonBadScore          Reason = "face_score_invalid"      // fail: score is NaN or infinite
	ReasonNoFaceScore       Reason = "face_score_missing"      // fail: neither a Score nor a Matcher
	ReasonAttemptsExhausted Reason = "attempts_exhausted"      // fail: would be retry, but no attempts are left
	// Injection defences of a device-bound session (see [CaptureEnvelope]); all fail.
	ReasonCaptureMissing   Reason = "capture_missing"   // fail: no capture envelopes for a device-bound session
	ReasonCaptureForeign   Reason = "capture_foreign"   // fail: an envelope of another session
	ReasonCaptureSignature Reason = "capture_signature" // fail: an envelope not signed by the session's device key
	ReasonCaptureSequence  Reason = "capture_sequence"  // fail: envelopes reordered, dropped, duplicated or truncated
	ReasonCaptureTime      Reason = "capture_time"      // fail: capture times not increasing, before issue or in the future
	ReasonCaptureUncovered Reason = "capture_uncovered" // fail: an observation with no captured frame in its span
	ReasonDeviceRisk       Reason = "device_risk"       // fail: a device risk the policy refuses
)

// retryable reports whether a result reason may come from a genuine person.
func (r Reason) retryable() bool {
	switch r {
	case ReasonMissingStep, ReasonExtraStep, ReasonWrongOrder, ReasonDuplicateStep,
		ReasonStepLate, ReasonLowConfidence, ReasonFaceMismatch:
		return true
	}
	return false
}

// Sentinel errors, matched with errors.Is against any [*Error] of the same reason. A
// session finished twice matches store.ErrReplayed; a subject or device that has used its
// attempts matches store.ErrLockedOut, and errors.As to *store.LockedOutError gives the
// time a new attempt may begin.
var (
	// ErrNotAuthentic is returned for every token that does not open: malformed,
	// tampered with, sealed for another purpose or under an unknown key. It says no more.
	ErrNotAuthentic = errors.New("liveness: session token not authentic")
	// ErrExpired is returned for an authentic token after its session's lifetime.
	ErrExpired = errors.New("liveness: session expired")
	// ErrUnavailable wraps a failure of a host component (replay guard, attempt store,
	// face matcher, randomness). The session, if any, is consumed.
	ErrUnavailable = errors.New("liveness: service unavailable")
	// ErrInvalidArgument is returned for a malformed BeginRequest or FinishRequest.
	ErrInvalidArgument = errors.New("liveness: invalid argument")
	// ErrConsentRequired is returned by Begin without a valid biometric consent of the
	// subject, and by Finish when that consent was withdrawn in between.
	ErrConsentRequired = errors.New("liveness: biometric consent required")
	// ErrDeviceNotTrusted is returned by Begin for a device the configuration does not
	// accept (see ReasonDeviceNotTrusted).
	ErrDeviceNotTrusted = errors.New("liveness: capture device not trusted")
)

// Error is the structured error returned by [Challenger.Begin] and [Challenger.Finish].
// It never contains a subject, a device or a token.
type Error struct {
	Reason Reason
	// Err is the underlying error: the host's for ReasonUnavailable, a
	// *store.LockedOutError for ReasonLockedOut, else nil.
	Err error
}

// Error returns "liveness: " and the reason, with the underlying error when there is one;
// the library adds no subject, device or token to it.
func (e *Error) Error() string {
	s := "liveness: " + string(e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the sentinel of e's reason, so errors.Is(err, ErrExpired) and
// errors.Is(err, store.ErrReplayed) work.
func (e *Error) Is(target error) bool {
	switch e.Reason {
	case ReasonNotAuthentic:
		return target == ErrNotAuthentic
	case ReasonExpired:
		return target == ErrExpired
	case ReasonReplayed:
		return target == store.ErrReplayed
	case ReasonLockedOut:
		return target == store.ErrLockedOut
	case ReasonUnavailable:
		return target == ErrUnavailable
	case ReasonInvalidArgument:
		return target == ErrInvalidArgument
	case ReasonConsentRequired:
		return target == ErrConsentRequired
	case ReasonDeviceNotTrusted:
		return target == ErrDeviceNotTrusted
	}
	return false
}

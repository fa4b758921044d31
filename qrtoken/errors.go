package qrtoken

// Reason is the machine-readable cause of an [Error].
type Reason string

// Reasons carried by [Error]. Each has a sentinel of the same meaning for errors.Is.
const (
	ReasonInvalid            Reason = "invalid"              // authentication failed: forged, tampered, wrong key or purpose definition
	ReasonMalformed          Reason = "malformed"            // not a code: bad text encoding, too short, unknown kind
	ReasonUnsupported        Reason = "unsupported_version"  // a format version this reader does not know
	ReasonUnknownKey         Reason = "unknown_key"          // the key ID is not (or no longer) configured
	ReasonWrongPurpose       Reason = "wrong_purpose"        // the purpose is not accepted by this reader
	ReasonExpired            Reason = "expired"              // the code's window is older than the accepted skew
	ReasonNotYetValid        Reason = "not_yet_valid"        // the code's window starts later than the accepted skew
	ReasonReplayed           Reason = "replayed"             // the code (or venue challenge) was accepted before
	ReasonClaimNotInPurpose  Reason = "claim_not_in_purpose" // the issuer was given a claim its purpose does not carry
	ReasonMissingClaim       Reason = "missing_claim"        // the issuer lacks a claim its purpose carries
	ReasonInvalidClaim       Reason = "invalid_claim"        // a claim value cannot be carried (bad ID number, too long, ...)
	ReasonInvalidPurpose     Reason = "invalid_purpose"      // a purpose definition is unusable
	ReasonInvalidConfig      Reason = "invalid_config"       // a configuration is unusable
	ReasonWrongMode          Reason = "wrong_mode"           // an online code given where a check-in is expected, or similar
	ReasonReplayGuardFailure Reason = "replay_guard_failure" // the replay guard failed; the code is refused (fail closed)
	ReasonUnderAge           Reason = "under_age"            // the holder is younger than ReaderConfig.RequireAgeOver
)

// Error is the structured error of this package. Detail names the field or rule concerned
// (for example the claim "address"); it never contains personal data or key material.
//
// errors.Is(err, ErrX) holds when err is (or wraps) an *Error with ErrX's Reason, whatever
// its Detail.
type Error struct {
	Reason Reason
	Detail string
	Err    error // underlying host error, for ReasonReplayGuardFailure
}

// Error returns "qrtoken: " followed by the reason and the detail.
func (e *Error) Error() string {
	s := "qrtoken: " + string(e.Reason)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying host error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Reason.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == e.Reason
}

// Sentinels, one per [Reason], for errors.Is.
var (
	// ErrInvalid is the one opaque error for every authentication failure: a forged or
	// altered code, a code under a key whose secret differs, a code whose purpose definition
	// differs between issuer and reader. It says nothing more, on purpose.
	ErrInvalid = &Error{Reason: ReasonInvalid}
	// ErrMalformed: the text is not a code of this package (encoding, length, kind).
	ErrMalformed = &Error{Reason: ReasonMalformed}
	// ErrUnsupportedVersion: the format version is unknown to this reader.
	ErrUnsupportedVersion = &Error{Reason: ReasonUnsupported}
	// ErrUnknownKey: the code names a key ID the reader does not hold (never had, or retired).
	ErrUnknownKey = &Error{Reason: ReasonUnknownKey}
	// ErrWrongPurpose: the code is for a purpose this reader does not accept.
	ErrWrongPurpose = &Error{Reason: ReasonWrongPurpose}
	// ErrExpired: the code's window is too old.
	ErrExpired = &Error{Reason: ReasonExpired}
	// ErrNotYetValid: the code's window lies too far in the future (issuer clock ahead).
	ErrNotYetValid = &Error{Reason: ReasonNotYetValid}
	// ErrReplayed: the code or venue challenge was already accepted by this reader's guard.
	ErrReplayed = &Error{Reason: ReasonReplayed}
	// ErrClaimNotInPurpose: the issuer refuses a claim its purpose does not carry.
	ErrClaimNotInPurpose = &Error{Reason: ReasonClaimNotInPurpose}
	// ErrMissingClaim: the issuer lacks a claim its purpose carries.
	ErrMissingClaim = &Error{Reason: ReasonMissingClaim}
	// ErrInvalidClaim: a claim value cannot be encoded (bad ID number, text too long, ...).
	ErrInvalidClaim = &Error{Reason: ReasonInvalidClaim}
	// ErrInvalidPurpose: a purpose definition is unusable.
	ErrInvalidPurpose = &Error{Reason: ReasonInvalidPurpose}
	// ErrInvalidConfig: an IssuerConfig, ReaderConfig or VenueConfig is unusable.
	ErrInvalidConfig = &Error{Reason: ReasonInvalidConfig}
	// ErrWrongMode: a code of another kind than the call expects (e.g. a venue challenge
	// given to Open).
	ErrWrongMode = &Error{Reason: ReasonWrongMode}
	// ErrReplayGuardFailure: the replay guard reported a system failure; the code is refused.
	ErrReplayGuardFailure = &Error{Reason: ReasonReplayGuardFailure}
	// ErrUnderAge: the code is authentic but its holder was younger than
	// ReaderConfig.RequireAgeOver on its day of issue.
	ErrUnderAge = &Error{Reason: ReasonUnderAge}
)

func errMalformed(detail string) error { return &Error{Reason: ReasonMalformed, Detail: detail} }

func errorf(r Reason, detail string) error { return &Error{Reason: r, Detail: detail} }

package wallet

import (
	"errors"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// Sentinel errors. Every error the package returns for a refused operation is an
// [*Error] that matches exactly one of them, store.ErrConflict, store.ErrReplayed or
// store.ErrLockedOut, with errors.Is (and the host's own error, when it wraps one). Errors never contain a
// document number, a name or an address.
var (
	// ErrInvalidArgument reports an invalid argument or configuration: a programmer or
	// host mistake, not the holder's (reason "invalid_argument").
	ErrInvalidArgument = errors.New("wallet: invalid argument")
	// ErrNotPassed: the decision given to Link is not a pass.
	ErrNotPassed = errors.New("wallet: decision did not pass")
	// ErrLevelTooLow: the decision passed at a level below Config.RequiredLevel.
	ErrLevelTooLow = errors.New("wallet: assurance level below the required level")
	// ErrSubjectMismatch: the decision is about another person than the holder
	// (verify.Decision.IsPerson is false for HolderRef.IDNumber).
	ErrSubjectMismatch = errors.New("wallet: decision belongs to another subject")
	// ErrDecisionStale: the decision's evidence is no longer fresh (the decision's
	// ValidUntil has passed).
	ErrDecisionStale = errors.New("wallet: decision too old")
	// ErrTooManyPresentations: the holder already has Config.MaxPresentations live
	// presentations; Present refuses until some expire.
	ErrTooManyPresentations = errors.New("wallet: too many live presentations")
	// ErrRecordTooLarge: the change would make the holder's encoded wallet larger than
	// a record may be (see the package documentation); nothing was saved and the
	// stored record is unchanged.
	ErrRecordTooLarge = errors.New("wallet: wallet record too large")
	// ErrInvalidCredential: a credential broke a document rule (its number, validity,
	// holder or kind-specific fields); Error.Reason says which.
	ErrInvalidCredential = errors.New("wallet: invalid credential")
	// ErrInactive: the credential cannot be presented (expired, not yet valid, suspended,
	// reported lost, revoked or superseded); Error.Reason says which.
	ErrInactive = errors.New("wallet: credential not active")
	// ErrTransition: a status change that the status rules do not allow (for example
	// reinstating a revoked credential).
	ErrTransition = errors.New("wallet: status change not allowed")
	// ErrNotFound: no wallet, credential or presentation under that key. Store
	// implementations return it (possibly wrapped) for a missing record or index key.
	ErrNotFound = errors.New("wallet: not found")
	// ErrUnavailable: a host dependency, the credential source, failed; the wallet
	// fails closed, and the host's error is wrapped too (reason "unavailable").
	ErrUnavailable = errors.New("wallet: credential source unavailable")
	// ErrNotAuthentic: a sealed value failed to open: a stored record (reason
	// "not_authentic") tampered, truncated, sealed for another holder, under another
	// purpose or under a key the store does not hold; or the decision token given to
	// Link (reason "decision_not_authentic"): malformed, edited, built by hand or
	// sealed under a key Config.Decisions does not hold. Deliberately opaque.
	ErrNotAuthentic = errors.New("wallet: not authentic")
	// ErrCorrupt: a stored record does not decode (a store or format problem, not
	// an attack: a tampered sealed record fails earlier with ErrNotAuthentic).
	ErrCorrupt = errors.New("wallet: stored record malformed")
	// ErrNoIssuer: Present was called on a wallet configured without an Issuer.
	ErrNoIssuer = errors.New("wallet: no code issuer configured")
)

// Reason is a machine-readable code for why an operation was refused. Codes are stable:
// hosts may store them and switch on them.
type Reason string

// Reasons carried by [*Error].
const (
	// Linking.
	ReasonNotPassed       Reason = "decision_not_passed"
	ReasonLevelTooLow     Reason = "level_too_low"
	ReasonSubjectMismatch Reason = "subject_mismatch"
	ReasonDecisionStale   Reason = "decision_stale"
	// ReasonDecisionNotAuthentic: the decision token does not open (ErrNotAuthentic).
	ReasonDecisionNotAuthentic Reason = "decision_not_authentic"
	// ReasonDecisionUsed: the decision already linked once (store.ErrReplayed).
	ReasonDecisionUsed Reason = "decision_used"
	// ReasonTooManyLinks: 64 other decisions linked the wallet and are still within
	// their validity (store.ErrLockedOut; Err is a *store.LockedOutError whose RetryAt
	// is when the first of them expires).
	ReasonTooManyLinks Reason = "too_many_links"

	// Credential rules (ErrInvalidCredential).
	ReasonKindInvalid      Reason = "kind_invalid"       // not one of the eight kinds
	ReasonNumberInvalid    Reason = "number_invalid"     // number fails idcard/docnum rules
	ReasonHolderMismatch   Reason = "holder_mismatch"    // number is not the holder's ID number
	ReasonNameMissing      Reason = "name_missing"       // holder has no name
	ReasonValidityInvalid  Reason = "validity_invalid"   // dates malformed, reversed or long-term not allowed
	ReasonStatusInvalid    Reason = "status_invalid"     // unknown status from the source
	ReasonFieldMissing     Reason = "field_missing"      // a kind-specific field is missing
	ReasonFieldInvalid     Reason = "field_invalid"      // a kind-specific field is malformed
	ReasonDetailsMismatch  Reason = "details_mismatch"   // kind-specific details of another kind
	ReasonDuplicateInBatch Reason = "duplicate_in_batch" // two credentials for one slot in one answer

	// Presentation (ErrInactive).
	ReasonExpired      Reason = "expired"
	ReasonNotYetValid  Reason = "not_yet_valid"
	ReasonSuspended    Reason = "suspended"
	ReasonReportedLost Reason = "reported_lost"
	ReasonRevoked      Reason = "revoked"
	ReasonSuperseded   Reason = "superseded"

	// Presentation limits.
	ReasonTooManyPresentations Reason = "too_many_presentations"

	// Others.
	ReasonTransition      Reason = "transition_not_allowed"
	ReasonNotFound        Reason = "not_found"
	ReasonConflict        Reason = "conflict" // store.ErrConflict, after Config.MaxRetries attempts
	ReasonUnavailable     Reason = "unavailable"
	ReasonNotAuthentic    Reason = "not_authentic"
	ReasonNoIssuer        Reason = "no_issuer"
	ReasonCorrupt         Reason = "record_corrupt"
	ReasonInvalidArgument Reason = "invalid_argument"
	ReasonRecordTooLarge  Reason = "record_too_large"
)

func (r Reason) sentinel() error {
	switch r {
	case ReasonNotPassed:
		return ErrNotPassed
	case ReasonLevelTooLow:
		return ErrLevelTooLow
	case ReasonSubjectMismatch:
		return ErrSubjectMismatch
	case ReasonDecisionStale:
		return ErrDecisionStale
	case ReasonDecisionNotAuthentic:
		return ErrNotAuthentic
	case ReasonDecisionUsed:
		return store.ErrReplayed
	case ReasonTooManyLinks:
		return store.ErrLockedOut
	case ReasonTooManyPresentations:
		return ErrTooManyPresentations
	case ReasonRecordTooLarge:
		return ErrRecordTooLarge
	case ReasonKindInvalid, ReasonNumberInvalid, ReasonHolderMismatch, ReasonNameMissing,
		ReasonValidityInvalid, ReasonStatusInvalid, ReasonFieldMissing, ReasonFieldInvalid,
		ReasonDetailsMismatch, ReasonDuplicateInBatch:
		return ErrInvalidCredential
	case ReasonExpired, ReasonNotYetValid, ReasonSuspended, ReasonReportedLost, ReasonRevoked,
		ReasonSuperseded:
		return ErrInactive
	case ReasonTransition:
		return ErrTransition
	case ReasonNotFound:
		return ErrNotFound
	case ReasonConflict:
		return store.ErrConflict
	case ReasonUnavailable:
		return ErrUnavailable
	case ReasonNotAuthentic:
		return ErrNotAuthentic
	case ReasonNoIssuer:
		return ErrNoIssuer
	case ReasonCorrupt:
		return ErrCorrupt
	}
	return ErrInvalidArgument
}

// Error is the structured error of the package. It carries a reason code, the credential
// kind concerned (when there is one) and, for host failures, the host's error. It never
// holds a document number, a name or an address.
type Error struct {
	// Op is the operation that failed, e.g. "link", "present", "set-status".
	Op string
	// Reason is the machine-readable cause.
	Reason Reason
	// Kind is the credential kind concerned, or 0.
	Kind verify.CredentialKind
	// Field names the offending field for credential rule errors, e.g. "number",
	// "valid_until", "archive_number". Never its value.
	Field string
	// Err is the underlying error: the host's (source, store) or a document rule's
	// (idcard, docnum, whose errors hold no input either).
	Err error
}

// Error describes the failure without personal data. The methods of Error are nil-safe.
func (e *Error) Error() string {
	if e == nil {
		return "wallet: <nil>"
	}
	s := "wallet: " + e.Op + ": " + string(e.Reason)
	if e.Kind != 0 {
		s += " (" + e.Kind.String()
		if e.Field != "" {
			s += " " + e.Field
		}
		s += ")"
	} else if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is the sentinel for e's reason.
func (e *Error) Is(target error) bool { return e != nil && target == e.Reason.sentinel() }

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

func newErr(op string, r Reason, k verify.CredentialKind, field string, err error) *Error {
	return &Error{Op: op, Reason: r, Kind: k, Field: field, Err: err}
}

// invalid returns the *Error of an invalid argument: field names it (a Config field, a
// parameter), never its value.
func invalid(op, field string) error {
	return newErr(op, ReasonInvalidArgument, 0, field, nil)
}

// ReasonOf returns the reason code of err if it is (or wraps) an [*Error], and "" otherwise.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

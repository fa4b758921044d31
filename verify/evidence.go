package verify

import (
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/trustid/trustid/verify/idcard"
)

// Reasons of the evidence chain: evidence that belongs to another document check or photo,
// or that is too old to decide on.
const (
	ReasonEvidenceMismatch Reason = "evidence_mismatch" // evidence from another document check or photo
	ReasonEvidenceStale    Reason = "evidence_stale"    // evidence older than the policy allows
)

func init() {
	reasonTexts[ReasonEvidenceMismatch] = reasonText{"核验材料不属于本次证件核验。",
		"The evidence belongs to another document check."}
	reasonTexts[ReasonEvidenceStale] = reasonText{"核验材料已过期，请重新核验。",
		"The evidence is too old; please verify again."}
}

// Evidence is what every factor's result says about itself: whom it is about, which
// document check it belongs to, and when it was completed.
type Evidence interface {
	// Subject is the person binding of the document check the factor was begun for
	// ([DocumentResult.Subject]).
	Subject() string
	// CheckID is the [DocumentResult.CheckID] the factor was begun for.
	CheckID() string
	// CompletedAt is when the factor was completed (liveness and quiz: finished).
	CompletedAt() time.Time
}

// Freshness says how old each factor's evidence may be when a decision is made. The
// decision's validity ends with its oldest evidence: [Decision.ValidUntil] is the
// earliest of each factor's completion time plus its maximum age. Zero fields take the
// defaults.
type Freshness struct {
	// Document is the maximum age of a document check. Default 30 minutes: the
	// registry's status (revoked, reported lost) may change at any time.
	Document time.Duration
	// RealPerson is the maximum age of a liveness result. Default 10 minutes: a
	// real-person check proves presence at one moment.
	RealPerson time.Duration
	// Memory is the maximum age of a quiz result. Default 30 minutes.
	Memory time.Duration
}

// Default maximum ages of [Freshness].
const (
	DefaultDocumentMaxAge   = 30 * time.Minute
	DefaultRealPersonMaxAge = 10 * time.Minute
	DefaultMemoryMaxAge     = 30 * time.Minute
)

func (f Freshness) document() time.Duration { return orDefault(f.Document, DefaultDocumentMaxAge) }
func (f Freshness) realPerson() time.Duration {
	return orDefault(f.RealPerson, DefaultRealPersonMaxAge)
}
func (f Freshness) memory() time.Duration { return orDefault(f.Memory, DefaultMemoryMaxAge) }

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Factor names a kind of evidence in [EvidenceRef].
type Factor string

// Factors.
const (
	FactorDocument   Factor = "document"
	FactorRealPerson Factor = "real_person"
	FactorMemory     Factor = "memory"
	FactorReview     Factor = "review"
)

// EvidenceRef records one piece of evidence a decision rests on: its factor, when it was
// completed, and until when it may be relied on.
type EvidenceRef struct {
	Factor      Factor    `json:"factor"`
	CompletedAt time.Time `json:"completed_at"`
	ValidUntil  time.Time `json:"valid_until"`
	// Consent is the host's reference of the biometric consent that covered the
	// real-person check ([ConsentEvidence]); empty for the other factors.
	Consent string `json:"consent,omitempty"`
}

// newCheckID returns 128 random bits, base64url.
func newCheckID() string {
	var b [16]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// personOf returns the canonical identity of the person a document check is about:
// "id:" and the 18-character identity number for every kind numbered so
// ([CredentialKind.IdentityNumbered]: ID card, household register, residence permit,
// driving licence) and for a passport or travel permit whose record names its holder's
// number (rec.HolderID); otherwise the document's kind class and its number, so that a
// passport without a linked ID number is a person of its own. A vehicle licence is never
// a person: its plate is public, and knowing the owner's name is no proof of being them.
// number is the canonical number of the claimed kind (see validateNumber).
func personOf(kind CredentialKind, number string, rec *Record) string {
	if kind.IdentityNumbered() {
		return "id:" + number
	}
	if kind.IdentityEvidence() && rec != nil && rec.HolderID != "" {
		if n, err := idcard.ParseWith(NormalizeNumber(rec.HolderID), idcard.Options{LooseRegion: true, Now: maxTime}); err == nil {
			return "id:" + n.Digits()
		}
	}
	return kind.String() + ":" + number
}

// maxTime is a reference time late enough that no birth date is in its future.
var maxTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// IdentityEvidence reports whether a document of kind k can establish who a person is:
// every kind but the vehicle licence, whose plate is public and which proves the
// ownership of a car, not an identity. A decision on a vehicle licence fails
// (kind_not_identity_evidence); the wallet still holds vehicle licences.
func (k CredentialKind) IdentityEvidence() bool { return k.Valid() && k != KindVehicleLicence }

// ReasonNotIdentityEvidence: the document check was of a kind that establishes no
// identity (a vehicle licence).
const ReasonNotIdentityEvidence Reason = "kind_not_identity_evidence"

func init() {
	reasonTexts[ReasonNotIdentityEvidence] = reasonText{"该证件不能用于身份核验。",
		"This kind of document cannot be used to verify an identity."}
}

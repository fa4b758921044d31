package review

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/verify"
)

// CertType is the kind of certification applied for. The zero value is invalid.
type CertType uint8

// Certification types.
const (
	// CertPersonal: a natural person (个人认证).
	CertPersonal CertType = iota + 1
	// CertOrganisation: an organisation (机构认证), e.g. by unified social credit code.
	CertOrganisation
)

// Valid reports whether t is a defined type.
func (t CertType) Valid() bool { return t == CertPersonal || t == CertOrganisation }

// String returns "personal" or "organisation".
func (t CertType) String() string {
	switch t {
	case CertPersonal:
		return "personal"
	case CertOrganisation:
		return "organisation"
	}
	return "CertType(" + strconv.Itoa(int(t)) + ")"
}

// MarshalText encodes t as its String form.
func (t CertType) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, invalid("Type", "unknown certification type")
	}
	return []byte(t.String()), nil
}

// UnmarshalText decodes the String form of a certification type.
func (t *CertType) UnmarshalText(b []byte) error {
	switch string(b) {
	case "personal":
		*t = CertPersonal
	case "organisation":
		*t = CertOrganisation
	default:
		return invalid("Type", "unknown certification type")
	}
	return nil
}

// Identity is the identity claimed in an application: a person's name and document
// number, or an organisation's name and registration code. It is personal data: its
// String, Format and LogValue show it masked ("张*", "110105********002X"); the fields
// themselves hold the full values for the AutoChecker and the reviewer, and so does its
// JSON encoding (which a Store adapter writes: encrypt it at rest).
type Identity struct {
	Name   string `json:"name,omitempty"`
	Number string `json:"number,omitempty"`
}

// String returns the masked identity, e.g. "张* 110105********002X".
func (id Identity) String() string {
	return mask.Name(id.Name) + " " + mask.Middle(id.Number, 6, 4)
}

// Format prints the masked identity for every verb, so that %v, %+v and %#v of a
// struct holding an Identity never show it whole.
func (id Identity) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(id.String())) }

// LogValue implements slog.LogValuer with masked values.
func (id Identity) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", mask.Name(id.Name)),
		slog.String("number", mask.Middle(id.Number, 6, 4)))
}

// Material is a reference to uploaded material (an identity document scan, a business
// licence, a letter of authorisation). The library keeps the reference and the digest,
// never the file.
//
// All three fields are required wherever materials are given ([Desk.Draft],
// [Desk.Apply], [Desk.Reapply], [Desk.Resubmit]): a material without a Kind or Ref, with
// one longer than [MaxMaterialKindBytes] or [MaxMaterialRefBytes], or with a zero Digest
// is refused with an [*Error] matching [ErrInvalidArgument] whose Field names it, e.g.
// "Materials[0].Digest".
type Material struct {
	// Kind is a short host-defined label, e.g. "id-card-front", "business-licence".
	Kind string `json:"kind"`
	// Ref is where the host keeps the file (an object key). Hosts sometimes put names
	// in object keys, so String, Format and LogValue show it masked (its length only);
	// the JSON encoding, part of the Store format (see [Case]), holds it whole.
	Ref string `json:"ref"`
	// Digest is the SHA-256 of the file's content, computed by the host when the file
	// is uploaded (sha256.Sum256 of the bytes stored under Ref). Required: it binds the
	// audit trail to the exact file a reviewer saw, so a file swapped under the same Ref
	// later no longer matches (the digest of every material goes into each audit
	// record's Materials). The library never reads the file to check it.
	Digest Digest `json:"digest"`
}

// String shows the kind and digest; the reference is masked because hosts sometimes put
// names in object keys.
func (m Material) String() string {
	return m.Kind + " " + mask.Text(m.Ref) + " " + m.Digest.String()[:16]
}

// GoString returns String, so the reference is masked in %#v too.
func (m Material) GoString() string { return m.String() }

// Format prints String for every verb, so %#v does not show the reference either.
func (m Material) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(m.String())) }

// LogValue implements slog.LogValuer with the reference masked, so that log/slog's JSON
// handler (which would otherwise encode the fields) does not show it.
func (m Material) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", m.Kind), slog.String("ref", mask.Text(m.Ref)),
		slog.String("digest", m.Digest.String()[:16]))
}

// Application is what an applicant submits.
type Application struct {
	// Applicant is the host's opaque reference to the applicant (an account ID, an
	// HMAC of the ID number): never the name or ID number itself. Rate limits, conflicts
	// of interest and re-certification are keyed on it. 1..[MaxApplicantBytes] bytes.
	Applicant string `json:"applicant"`
	// Type is personal or organisation certification.
	Type CertType `json:"type"`
	// Claimed is the claimed identity (masked in all output): a Name of at most
	// [MaxNameBytes] and a Number of at most [MaxNumberBytes].
	Claimed Identity `json:"claimed"`
	// Materials are the supporting documents, by reference and digest. At most
	// [MaxMaterials], each with its Kind, Ref and Digest (see [Material]); at least one
	// is required to submit ([Desk.Apply], [Desk.Submit], [Desk.Reapply]), none to save
	// a draft.
	Materials []Material `json:"materials,omitempty"`
	// Decision is the sealed verify decision of the applicant's verification journey
	// (verify.Decision.Token, from verify.Checker.Decide), if the host has one: the Desk
	// opens it with Config.Decisions when the application is made ([Desk.Draft],
	// [Desk.Apply], [Desk.Reapply]) and keeps what it holds as Case.Journey, which the
	// AutoChecker and the reviewer see and an approval rests on. A case may be opened
	// from a decision that reached at least verify.LevelRealName: outcome review (the
	// usual one), pass (the host wants a human to confirm), or fail only because the
	// required level was not reached (the evidence given holds, a factor is missing or
	// failed: a referee may accept the case at the level reached). A hard fail (level
	// none), a refereed decision, an expired or unauthentic token are refused. At most
	// [MaxDecisionBytes].
	Decision string `json:"decision,omitempty"`
}

// String summarises the application without personal data in the clear.
func (a Application) String() string {
	return "application " + a.Type.String() + " applicant=" + a.Applicant + " claimed=" +
		a.Claimed.String() + " materials=" + strconv.Itoa(len(a.Materials))
}

// Format prints String for every verb, so that %#v shows neither the claimed identity
// nor the decision token.
func (a Application) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(a.String())) }

// LogValue implements slog.LogValuer with masked values.
func (a Application) LogValue() slog.Value {
	return slog.GroupValue(slog.String("applicant", a.Applicant), slog.String("type", a.Type.String()),
		slog.Any("claimed", a.Claimed), slog.Int("materials", len(a.Materials)))
}

// Application limits: the most each field of an [Application] may hold, in bytes
// (MaxMaterials counts materials). [Desk.Apply], [Desk.Draft], [Desk.Reapply] and
// [Desk.Resubmit] check them first, before they read the Store, count a rate-limit
// attempt or copy anything, and refuse a longer value with an [*Error] matching
// [ErrInvalidArgument] whose Field names the field ("Claimed.Name", "Materials",
// "Materials[3].Ref"), never its value.
const (
	// MaxApplicantBytes bounds Application.Applicant, which must not be empty.
	MaxApplicantBytes = 128
	// MaxNameBytes bounds Application.Claimed.Name (a person's or an organisation's
	// name; 85 Chinese characters in UTF-8).
	MaxNameBytes = 256
	// MaxNumberBytes bounds Application.Claimed.Number (a document number or a
	// registration code).
	MaxNumberBytes = 64
	// MaxMaterials bounds the number of Application.Materials.
	MaxMaterials = 64
	// MaxMaterialKindBytes bounds Material.Kind, which must not be empty.
	MaxMaterialKindBytes = 256
	// MaxMaterialRefBytes bounds Material.Ref, which must not be empty.
	MaxMaterialRefBytes = 256
)

const (
	maxRef   = 128
	maxLabel = 256
	maxNote  = 2000
)

func (a *Application) validate(needMaterials bool) error {
	if a.Applicant == "" || len(a.Applicant) > MaxApplicantBytes {
		return invalid("Applicant", "must be 1.."+strconv.Itoa(MaxApplicantBytes)+" bytes")
	}
	if !a.Type.Valid() {
		return invalid("Type", "unknown certification type")
	}
	if len(a.Claimed.Name) > MaxNameBytes {
		return invalid("Claimed.Name", "longer than "+strconv.Itoa(MaxNameBytes)+" bytes")
	}
	if len(a.Claimed.Number) > MaxNumberBytes {
		return invalid("Claimed.Number", "longer than "+strconv.Itoa(MaxNumberBytes)+" bytes")
	}
	if len(a.Decision) > MaxDecisionBytes {
		return invalid("Decision", "longer than "+strconv.Itoa(MaxDecisionBytes)+" bytes")
	}
	return validateMaterials(a.Materials, needMaterials)
}

func validateMaterials(ms []Material, need bool) error {
	if need && len(ms) == 0 {
		return invalid("Materials", "at least one is required")
	}
	if len(ms) > MaxMaterials {
		return invalid("Materials", "more than "+strconv.Itoa(MaxMaterials))
	}
	for i, m := range ms {
		field := "Materials[" + strconv.Itoa(i) + "]."
		if m.Kind == "" || len(m.Kind) > MaxMaterialKindBytes {
			return invalid(field+"Kind", "must be 1.."+strconv.Itoa(MaxMaterialKindBytes)+" bytes")
		}
		if len(m.Ref) == 0 || len(m.Ref) > MaxMaterialRefBytes {
			return invalid(field+"Ref", "must be 1.."+strconv.Itoa(MaxMaterialRefBytes)+" bytes")
		}
		if m.Digest == (Digest{}) {
			return invalid(field+"Digest", "missing: the SHA-256 of the file is required")
		}
	}
	return nil
}

// materialsDigest is the SHA-256 over a length-prefixed encoding of the material
// references, in order; it goes into every audit record.
func materialsDigest(ms []Material) Digest { return materialsDigestWith("", ms) }

// materialsDigestWith is materialsDigest under the audit hash alg (registered: the
// Desk's Config.AuditHash, checked by New).
func materialsDigestWith(alg string, ms []Material) Digest {
	var buf [1024]byte
	b := appendLP(buf[:0], "trustid/review/materials/v1")
	b = binary.BigEndian.AppendUint64(b, uint64(len(ms)))
	for _, m := range ms {
		b = appendLP(b, m.Kind)
		b = appendLP(b, m.Ref)
		b = append(b, m.Digest[:]...)
	}
	if alg == "" {
		return sha256.Sum256(b)
	}
	h := auditHash(alg)()
	h.Write(b)
	var d Digest
	h.Sum(d[:0])
	return d
}

var reasonCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

func validateReasons(rs []verify.Reason, need bool) error {
	if need && len(rs) == 0 {
		return invalid("reasons", "at least one reason code is required")
	}
	if len(rs) > 32 {
		return invalid("reasons", "more than 32 reason codes")
	}
	for _, r := range rs {
		if !reasonCode.MatchString(string(r)) {
			return invalid("reasons", "a reason code is not of the form [a-z][a-z0-9_]{0,63}")
		}
	}
	return nil
}

// CheckResult is the outcome of the automatic checks, copied from the verify.Decision.
type CheckResult struct {
	Outcome verify.Outcome  `json:"outcome"`
	Level   verify.Level    `json:"level"`
	Reasons []verify.Reason `json:"reasons,omitempty"`
	At      time.Time       `json:"at"`
}

// Case is one certification of one applicant through all its attempts: a rejected or
// expired case is re-applied for on the same case, so its history and audit chain stay
// in one place. Cases are values: the Desk reads, changes and writes them back through
// the Store with optimistic concurrency (Version).
type Case struct {
	// ID is random, e.g. "rv-k3x...".
	ID string `json:"id"`
	// Version is the version the case was read at: 0 for a case not stored yet, then
	// the version the Store reports (1 after the first write, one more per write). The
	// Desk returns cases with the version they are stored at; see [Store].
	Version uint64 `json:"version"`
	// Application is the current application (materials are replaced on
	// supplement and re-application).
	Application Application `json:"application"`
	// State is the current state.
	State State `json:"state"`
	// Attempt counts submissions: 1 for the first, +1 per re-application.
	Attempt int `json:"attempt"`
	// Reviewer is the assigned reviewer's ID while a reviewer works on the case, and
	// after the reviewer decided.
	Reviewer string `json:"reviewer,omitempty"`
	// Deadline is the reviewer's deadline (in review, resubmitted) or the applicant's
	// deadline to supplement (supplement requested).
	Deadline time.Time `json:"deadline,omitzero"`
	// Overdue is set when the reviewer's deadline passed and the case was escalated
	// without being reassigned.
	Overdue bool `json:"overdue,omitempty"`
	// Journey is the journey decision the current application carried, as the Desk
	// authenticated it (see [Application].Decision); nil when it carried none.
	Journey *Journey `json:"journey,omitempty"`
	// Approval is the decision the approval of a case with a Journey yielded (see
	// [Desk.Approve]); nil otherwise.
	Approval *Approval `json:"approval,omitempty"`
	// Check is the result of the last automatic check, if one ran.
	Check *CheckResult `json:"check,omitempty"`
	// Reasons are the codes of the last rejection, supplement request or expiry.
	Reasons []verify.Reason `json:"reasons,omitempty"`
	// Note is the reviewer's free text to the applicant with the last rejection or
	// supplement request. It is shown in [Progress] but never sent in a notification,
	// because it may hold personal data.
	Note string `json:"note,omitempty"`
	// ValidUntil is when an approved certification is due for re-review.
	ValidUntil time.Time `json:"valid_until,omitzero"`
	// RejectedBy is the reviewer who made the last rejection ("" for the system);
	// it is never assigned the next attempt.
	RejectedBy string `json:"rejected_by,omitempty"`
	// RejectedAt is the time of the last rejection; re-application waits for the
	// cool-off from it.
	RejectedAt time.Time `json:"rejected_at,omitzero"`
	// Created and Updated are the times of the first and last write.
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// WakeAt is the earliest time [Desk.Sweep] has work on this case (a deadline, the
	// end of validity, a notice to deliver); zero when none. Stores index it.
	WakeAt time.Time `json:"wake_at,omitzero"`
	// History is the case's hash-chained audit trail, oldest first.
	History []AuditRecord `json:"history"`
	// Outbox holds the notices raised by the case, delivered or not.
	Outbox []Notice `json:"outbox,omitempty"`
}

// String summarises the case without personal data.
func (c Case) String() string {
	return "case " + c.ID + " " + c.State.String() + " attempt=" + strconv.Itoa(c.Attempt) +
		" version=" + strconv.FormatUint(c.Version, 10)
}

// Format prints String for every verb, so that %+v and %#v do not show the claimed
// identity's fields or the reviewer's note.
func (c Case) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue implements slog.LogValuer without personal data.
func (c Case) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", c.ID), slog.String("state", c.State.String()),
		slog.Int("attempt", c.Attempt), slog.Uint64("version", c.Version))
}

// Clone returns a deep copy of c. Stores use it so that callers never share memory with
// the stored value.
func (c *Case) Clone() *Case {
	if c == nil {
		return nil
	}
	n := *c
	n.Application.Materials = append([]Material(nil), c.Application.Materials...)
	if c.Check != nil {
		ch := *c.Check
		ch.Reasons = append([]verify.Reason(nil), c.Check.Reasons...)
		n.Check = &ch
	}
	n.Journey = c.Journey.clone()
	if c.Approval != nil {
		a := *c.Approval
		n.Approval = &a
	}
	n.Reasons = append([]verify.Reason(nil), c.Reasons...)
	n.History = make([]AuditRecord, len(c.History))
	for i, r := range c.History {
		r.Reasons = append([]verify.Reason(nil), r.Reasons...)
		n.History[i] = r
	}
	n.Outbox = make([]Notice, len(c.Outbox))
	for i, o := range c.Outbox {
		o.Reasons = append([]verify.Reason(nil), o.Reasons...)
		n.Outbox[i] = o
	}
	return &n
}

// pending reports whether any notice is undelivered.
func (c *Case) pending() bool {
	for i := range c.Outbox {
		if c.Outbox[i].Delivered.IsZero() {
			return true
		}
	}
	return false
}

// computeWake sets WakeAt to the earliest time Sweep has work on c, given the time of
// the write.
func (c *Case) computeWake(now time.Time) {
	var w time.Time
	earlier := func(t time.Time) {
		if !t.IsZero() && (w.IsZero() || t.Before(w)) {
			w = t
		}
	}
	for i := range c.Outbox {
		o := &c.Outbox[i]
		if o.Delivered.IsZero() {
			if o.ClaimedUntil.IsZero() {
				earlier(now)
			} else {
				earlier(o.ClaimedUntil)
			}
		}
	}
	switch c.State {
	case StateSubmitted, StateChecking:
		earlier(now)
	case StateInReview, StateResubmitted:
		if !c.Overdue {
			earlier(c.Deadline)
		}
	case StateSupplementRequested:
		earlier(c.Deadline)
	case StateApproved:
		earlier(c.ValidUntil)
	}
	c.WakeAt = w
}

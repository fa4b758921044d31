package verify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify/idcard"
)

// LegacyCardCutoff is the day from which first-generation (15-digit) resident identity
// cards are no longer valid: 1 January 2013. Decision of the Standing Committee of the
// National People's Congress of 29 October 2011 amending the Resident Identity Card Law
// (《关于修改〈中华人民共和国居民身份证法〉的决定》), which provides that first-generation
// cards cease to be used from 1 January 2013 (第一代居民身份证自2013年1月1日起停止使用).
//
// It is a function, not a variable, so that no importer can move the cutoff for the
// whole process.
func LegacyCardCutoff() Date { return Date{2013, time.January, 1} }

// Config configures a [Checker].
type Config struct {
	// Registry is the authoritative source of records. Required.
	Registry Registry
	// Policy decides how evidence becomes a decision; the zero Policy is strict (see
	// [Policy]).
	Policy Policy
	// Now returns the current time. Default: time.Now.
	Now func() time.Time
	// SubjectKey is the HMAC key (at least 32 bytes from crypto/rand) that derives the
	// person binding of a document check ([DocumentResult.Subject]). Required: the
	// subject keys the attempt limits and quiz memory of the later checks and binds
	// their evidence, so every instance of a deployment must use the same key, and it
	// never rotates (a new key gives every person a new subject).
	SubjectKey []byte
	// Keys seal document results and decisions into tokens (newest first: the first
	// seals, every one opens). Required: the wallet accepts only decisions it can
	// authenticate with these keys, and a journey that spans servers hands sealed results
	// from one to the next.
	Keys []store.Key
	// StrictRegion rejects resident ID numbers whose county code is missing from the
	// region table of verify/idcard. Default false: only the province is checked
	// locally, and the registry decides whether the number exists, because rejecting
	// a real person for a gap in the table is worse than one extra registry call.
	StrictRegion bool
	// Logger receives one line per document check and decision, with reason codes
	// and no personal data. Default: silent.
	Logger *slog.Logger
	// FraudChecks run at every decision (see [FraudCheck]). Default (nil): an in-memory
	// [NewVelocityCheck] with [DefaultVelocity]; an empty, non-nil slice runs none.
	FraudChecks []FraudCheck
}

// Checker checks claimed identities against a registry and decides on evidence. It is
// safe for concurrent use.
type Checker struct {
	reg       Registry
	policy    Policy
	now       func() time.Time
	key       []byte
	docs      *seal.Sealer
	decisions *DecisionSealer
	strict    bool
	log       *slog.Logger
	fraud     []FraudCheck
}

// New validates cfg, fills its defaults and returns a Checker. Errors match [ErrInvalidArgument].
func New(cfg Config) (*Checker, error) {
	if cfg.Registry == nil {
		return nil, fmt.Errorf("verify: Config.Registry is required: %w", ErrInvalidArgument)
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	c := &Checker{reg: cfg.Registry, policy: cfg.Policy, now: cfg.Now, strict: cfg.StrictRegion, log: cfg.Logger,
		fraud: slices.Clone(cfg.FraudChecks)}
	if cfg.FraudChecks == nil {
		c.fraud = []FraudCheck{NewVelocityCheck(DefaultVelocity())}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if len(cfg.SubjectKey) < 32 {
		return nil, fmt.Errorf("verify: Config.SubjectKey of at least 32 bytes is required: %w", ErrInvalidArgument)
	}
	c.key = bytes.Clone(cfg.SubjectKey)
	var err error
	if c.docs, err = seal.New(sealDocument, cfg.Keys...); err != nil {
		return nil, fmt.Errorf("verify: Config.Keys: %v: %w", err, ErrInvalidArgument)
	}
	if c.decisions, err = NewDecisionSealer(c.now, cfg.Keys...); err != nil {
		return nil, err
	}
	return c, nil
}

// Policy returns the checker's policy.
func (c *Checker) Policy() Policy { return c.policy }

// DocumentResult is the result of a document check. It holds no personal data except the
// host's photo reference, which its String method leaves out.
type DocumentResult struct {
	// Outcome of the document check alone: pass, review (a borderline field, per the
	// Policy) or fail.
	Outcome Outcome
	// Reasons for every rule that failed or asked for review, in a stable order:
	// input, number, registry, status, identity, then the other fields. Empty when Outcome is pass.
	Reasons []Reason
	// Kind of the claimed credential.
	Kind CredentialKind
	// Subject is the person binding: an HMAC under Config.SubjectKey of the person's
	// canonical identity — the resident ID number (15-digit numbers in their 18-digit
	// form) for every kind that carries one, the holder's ID number when the registry
	// records it for a passport or permit, otherwise the document's own kind class and
	// number. One person has one subject whatever kind was claimed. Hand it to the
	// real-person and memory checks, which key attempt limits on it; Decide refuses
	// evidence with another subject.
	Subject string
	// CheckID identifies this document check (128 random bits). Hand it to the
	// real-person and memory checks; Decide refuses evidence begun for another check.
	CheckID string
	// person is the canonical identity Subject is derived from (see personOf); it is
	// carried into the decision, sealed, and never printed.
	person string
	// Legacy reports a first-generation 15-digit resident ID number.
	Legacy bool
	// Found reports whether the registry had a record.
	Found bool
	// Status is the registry's status of the document (StatusUnknown if not found).
	Status Status
	// Fields is the field-by-field comparison (all FieldNotProvided if not found; only
	// Name and LatinName when the name did not match).
	Fields Fields
	// HasPhoto reports whether the record references a photo; PhotoRef is that
	// reference, for the face matcher of the real-person check.
	HasPhoto bool
	PhotoRef string
	// CheckedAt is the time of the check, from Config.Now.
	CheckedAt time.Time
}

// Has reports whether reason is among the result's reasons.
func (r *DocumentResult) Has(reason Reason) bool { return containsReason(r.Reasons, reason) }

// String returns a summary without the subject binding and the photo reference. It
// has a value receiver, like GoString, Format and LogValue, so that a DocumentResult held
// by value (in a host's struct) is masked too.
func (r DocumentResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s kind=%s found=%t status=%s reasons=[", r.Outcome, r.Kind, r.Found, r.Status)
	for i, x := range r.Reasons {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(x))
	}
	b.WriteByte(']')
	return b.String()
}

// GoString returns the same summary as String, so that %#v shows no photo reference.
func (r DocumentResult) GoString() string { return "verify.DocumentResult{" + r.String() + "}" }

// Format writes the summary for every verb. (fmt prints a nil *DocumentResult as <nil>.)
func (r DocumentResult) Format(f fmt.State, verb rune) {
	mask.Format(f, verb, r.String(), r.GoString())
}

// LogValue logs the outcome, kind, status and reasons. (slog reports a nil
// *DocumentResult, returned with an error, as a LogValue panic: log the error instead.)
func (r DocumentResult) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("outcome", r.Outcome.String()),
		slog.String("kind", r.Kind.String()),
		slog.String("status", r.Status.String()),
		slog.Any("reasons", r.Reasons),
	)
}

// CheckDocument checks a claimed identity against the registry at Config.Now:
//
//  0. Every claimed field must be within its byte limit ([MaxNumberBytes],
//     [MaxNameBytes], [MaxAddressBytes]; field_too_long) and be valid UTF-8 without
//     bidirectional controls (field_invalid_text). This is checked first, before any
//     normalisation and without a registry call, so an oversized claim costs no more
//     than a small one. An applicant's field is the applicant's input, so it gives a
//     failed result with a reason, not an error.
//  1. The claim's kind must be valid (kind_invalid) and its number must follow the
//     kind's number rule, [ParseNumber] (number_invalid, without a registry call):
//     identity numbers (ID cards, household registers, residence permits, driving
//     licences) by verify/idcard, passports, travel permits and plates by
//     verify/docnum. The registry is asked under the canonical form ParseNumber
//     returns.
//  2. A first-generation 15-digit ID card number fails with legacy_card_invalid from
//     [LegacyCardCutoff] on, without a registry call; before it, the record is looked
//     up under the 18-digit form.
//  3. The registry is asked. Not found: record_not_found. Any other error is a system
//     failure, returned wrapped (errors.Is matches [ErrUnavailable] and the registry's
//     error) with a nil result: never reported as "no match".
//  4. The record's status and validity at now (in China Standard Time; ValidUntil is
//     the last valid day): document_revoked, document_reported_lost (review when
//     Policy.ReportedLost is LostReview), document_expired, document_not_yet_valid,
//     document_status_unknown.
//  5. The identity: a missing name (neither Name nor LatinName) fails with
//     name_missing, a name or Latin name that does not match with name_mismatch or
//     latin_name_mismatch; a claimed name the record lacks fails unless the other name
//     matched. When the identity fails, no other field is compared or reported.
//  6. Every other claimed field (see [Fields]). A mismatch of gender, birth date,
//     nationality or ethnicity fails; a lenient name match (name_lenient_match,
//     name_traditional_simplified) and an address mismatch follow Policy.LenientName
//     and Policy.AddressMismatch. Fields the record lacks are not compared
//     (FieldNotInRecord, no reason).
//
// The error is non-nil only for a system failure, a cancelled ctx included.
func (c *Checker) CheckDocument(ctx context.Context, cl Claim) (*DocumentResult, error) {
	now := c.now()
	res := &DocumentResult{Kind: cl.Kind, CheckedAt: now}
	var review []Reason
	fail := func(r Reason) { res.Reasons = append(res.Reasons, r) }
	done := func() (*DocumentResult, error) {
		switch {
		case len(res.Reasons) > 0:
			res.Outcome = OutcomeFail
			res.Reasons = append(res.Reasons, review...)
		case len(review) > 0:
			res.Outcome = OutcomeReview
			res.Reasons = review
		default:
			res.Outcome = OutcomePass
		}
		c.log.LogAttrs(ctx, slog.LevelInfo, "verify: document check", slog.Any("result", res))
		return res, nil
	}

	// Input limits first, before any normalisation and any registry call: an
	// applicant's oversized or unreadable field costs one len and one scan, and says
	// nothing about the record.
	if r, err := checkClaim(&cl); err != nil {
		return nil, err
	} else if r != "" {
		fail(r)
		return done()
	}
	if !cl.Kind.Valid() {
		fail(ReasonKindInvalid)
		return done()
	}
	number, legacy, ok := c.validateNumber(cl.Kind, cl.Number, now)
	if !ok {
		fail(ReasonNumberInvalid)
		return done()
	}
	res.Legacy = legacy
	res.CheckID = newCheckID()
	res.person = personOf(cl.Kind, number, nil)
	res.Subject = c.subject(res.person)
	if legacy && ChinaDate(now).Compare(LegacyCardCutoff()) >= 0 {
		fail(ReasonLegacyCardInvalid)
		return done()
	}

	rec, err := c.reg.Lookup(ctx, cl.Kind, number)
	switch {
	case errors.Is(err, ErrNotFound):
		fail(ReasonRecordNotFound)
		return done()
	case err != nil:
		c.log.LogAttrs(ctx, slog.LevelError, "verify: registry failure", slog.String("kind", cl.Kind.String()))
		return nil, &registryError{err: err}
	case rec == nil:
		return nil, fmt.Errorf("%w: registry returned neither a record nor an error", ErrUnavailable)
	}
	res.Found = true
	res.person = personOf(cl.Kind, number, rec)
	res.Subject = c.subject(res.person)
	res.Status = rec.Status
	res.PhotoRef = rec.PhotoRef
	res.HasPhoto = rec.PhotoRef != ""

	today := ChinaDate(now)
	switch rec.Status {
	case StatusValid:
	case StatusRevoked:
		fail(ReasonDocumentRevoked)
	case StatusReportedLost:
		if c.policy.ReportedLost == LostReview {
			review = append(review, ReasonDocumentReportedLost)
		} else {
			fail(ReasonDocumentReportedLost)
		}
	case StatusExpired:
		fail(ReasonDocumentExpired)
	default:
		fail(ReasonDocumentStatusUnknown)
	}
	if rec.Status != StatusExpired && !rec.LongTerm && (rec.ValidUntil.IsZero() || today.Compare(rec.ValidUntil) > 0) {
		// No end date and not long-term is treated as expired: validity must be stated.
		fail(ReasonDocumentExpired)
	}
	if !rec.ValidFrom.IsZero() && today.Compare(rec.ValidFrom) < 0 {
		fail(ReasonDocumentNotYetValid)
	}

	res.Fields = c.compareFields(&cl, rec, fail, func(r Reason) { review = append(review, r) })
	return done()
}

// Decide combines a document check with real-person and memory evidence (nil: not
// performed) under the checker's policy at Config.Now (see [Policy.Decide]) and seals the
// decision into Decision.Token with Config.Keys (see [DecisionSealer]). A decision made
// without a document check, or already stale, has no token.
func (c *Checker) Decide(doc *DocumentResult, rp RealPersonEvidence, mem MemoryEvidence) Decision {
	return c.DecideContext(context.Background(), doc, rp, mem)
}

// DecideContext is [Checker.Decide] with a context for the fraud checks
// (Config.FraudChecks), which run after the policy on every decision from a document
// check and are recorded in [Decision.Fraud] before the decision is sealed.
func (c *Checker) DecideContext(ctx context.Context, doc *DocumentResult, rp RealPersonEvidence, mem MemoryEvidence) Decision {
	now := c.now()
	d := c.policy.Decide(doc, rp, mem, now)
	if doc != nil && len(c.fraud) > 0 {
		if isNil(rp) {
			rp = nil
		}
		if isNil(mem) {
			mem = nil
		}
		in := FraudInput{Subject: d.Subject, CheckID: d.CheckID, RealPerson: rp, Memory: mem, Decision: d, At: now}
		if de, ok := rp.(DeviceEvidence); ok {
			in.Device = de.Device()
		}
		applyFraud(ctx, c.fraud, &d, in)
	}
	if d.Outcome != OutcomeFail || d.CheckID != "" {
		// Every decision made from a document check is sealed, a failed one too (a
		// host may carry it to review); the wallet refuses all but a pass.
		if tok, err := c.decisions.Seal(d); err == nil {
			d.Token = tok
		}
	}
	c.log.LogAttrs(context.Background(), slog.LevelInfo, "verify: decision",
		slog.String("outcome", d.Outcome.String()), slog.String("level", d.Level.String()),
		slog.Any("reasons", d.Reasons))
	return d
}

// registryError is a registry system failure. The Registry contract forbids personal
// data in its errors, but a host's error may still quote what it was asked for (a URL, a
// SQL statement), spelled in any way (separators, case, another field beside it), so no
// masking of the text can be complete: the message is fixed and holds none of the host's
// text. errors.Is matches [ErrUnavailable] and the host's error, and errors.As reaches the
// host's error for the host's own diagnostics.
type registryError struct {
	err error
}

func (e *registryError) Error() string { return ErrUnavailable.Error() }

// Format writes the fixed message for every verb, %#v included.
func (e *registryError) Format(f fmt.State, verb rune) {
	mask.Format(f, verb, e.Error(), "verify.registryError{withheld}")
}

func (e *registryError) Unwrap() []error { return []error{ErrUnavailable, e.err} }

// validateNumber applies the number rule of the kind (ParseNumber) and, with
// Config.StrictRegion, the region table of verify/idcard; it returns the registry key.
func (c *Checker) validateNumber(kind CredentialKind, raw string, now time.Time) (number string, legacy, ok bool) {
	number, id, err := ParseNumber(kind, raw, now)
	if err != nil {
		return "", false, false
	}
	if c.strict && !id.IsZero() {
		if _, err := idcard.ParseWith(number, idcard.Options{Now: now}); err != nil {
			return "", false, false
		}
	}
	return number, id.Legacy(), true
}

// subject derives the person binding from a canonical person identity (see personOf).
func (c *Checker) subject(person string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte("trustid/verify/person/v1\x00"))
	m.Write([]byte(person))
	return "sub1:" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}

// maskSubject shows only the start of a subject binding.
func maskSubject(s string) string { return mask.Middle(s, 6, 0) }

// String returns a summary of the configuration without the subject key.
func (cfg Config) String() string {
	return fmt.Sprintf("verify.Config{Registry:%T Policy:{Required:%v} SubjectKey:[%d bytes] StrictRegion:%t}",
		cfg.Registry, cfg.Policy.required(), len(cfg.SubjectKey), cfg.StrictRegion)
}

// Format writes the String form for every verb, so that %#v does not print the key.
func (cfg Config) Format(f fmt.State, verb rune) { mask.Format(f, verb, cfg.String(), cfg.String()) }

// String returns a summary without the subject key.
func (c *Checker) String() string {
	if c == nil {
		return "<nil>"
	}
	return fmt.Sprintf("verify.Checker{Registry:%T Required:%v}", c.reg, c.policy.required())
}

// Format writes the String form for every verb, so that %#v does not print the key.
func (c *Checker) Format(f fmt.State, verb rune) { mask.Format(f, verb, c.String(), c.String()) }

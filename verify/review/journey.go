package review

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/trustid/trustid/verify"
)

// MaxDecisionBytes bounds Application.Decision, the journey's sealed decision token.
const MaxDecisionBytes = 8 << 10

// DefaultDecisionValidity is the default of Config.DecisionValidity: how long the
// decision sealed at an approval may be handed on (to the wallet).
const DefaultDecisionValidity = 30 * time.Minute

// Journey is the verify decision of the applicant's verification journey that an
// application carried (Application.Decision), as the Desk opened and authenticated it
// when the application was made: the outcome, levels, reasons, document check and
// evidence, for the reviewer. It holds no personal data: the subject binding and the
// person the decision is about stay sealed (the AutoChecker gets the subject).
//
// The Store is the host's, so the Desk does not trust these fields when it decides:
// Seal holds them, the subject, the journey's token, the case ID and the attempt, sealed
// under Config.Keys, and an approval is derived from the sealed copy only (after checking
// that the fields shown here are the sealed ones).
type Journey struct {
	Outcome    verify.Outcome        `json:"outcome"`
	Level      verify.Level          `json:"level"`
	Required   verify.Level          `json:"required"`
	Reasons    []verify.Reason       `json:"reasons,omitempty"`
	Kind       verify.CredentialKind `json:"kind"`
	CheckID    string                `json:"check_id"`
	DecidedAt  time.Time             `json:"decided_at"`
	ValidUntil time.Time             `json:"valid_until"`
	Evidence   []verify.EvidenceRef  `json:"evidence,omitempty"`
	// OpenedAt is when the Desk opened the token (Draft, Apply or Reapply): the
	// decision was valid then.
	OpenedAt time.Time `json:"opened_at"`
	// Seal is the Desk's sealed copy (opaque).
	Seal string `json:"seal"`
}

// Decision returns the fields of the journey decision as a verify.Decision, without its
// subject, token and hidden person (IsPerson is false on it). Nil-safe: a nil Journey
// gives nil.
func (j *Journey) Decision() *verify.Decision {
	if j == nil {
		return nil
	}
	return &verify.Decision{Outcome: j.Outcome, Level: j.Level, Required: j.Required,
		Reasons: slices.Clone(j.Reasons), Kind: j.Kind, CheckID: j.CheckID,
		DecidedAt: j.DecidedAt, ValidUntil: j.ValidUntil, Evidence: slices.Clone(j.Evidence)}
}

func (j *Journey) clone() *Journey {
	if j == nil {
		return nil
	}
	n := *j
	n.Reasons = slices.Clone(j.Reasons)
	n.Evidence = slices.Clone(j.Evidence)
	return &n
}

// Approval is the decision a reviewer's approval of a case with a [Journey] yields: the
// verify decision of a trusted referee, sealed with Config.Decisions (see
// [Desk.Approve]).
type Approval struct {
	// Token is the sealed verify.Decision: outcome pass at Level, with the reviewer as
	// Referee. The host hands it to the wallet before ValidUntil. It is a credential for
	// linking: never send it to the applicant in a message. String, GoString, Format
	// and LogValue never show it; the JSON encoding, part of the Store format
	// (Case.Approval), holds it whole.
	Token string `json:"token"`
	// Level is the level approved: the journey's level, never higher.
	Level verify.Level `json:"level"`
	// DecidedAt is the approval time; ValidUntil ends the token's validity
	// (DecidedAt + Config.DecisionValidity).
	DecidedAt  time.Time `json:"decided_at"`
	ValidUntil time.Time `json:"valid_until"`
}

// String summarises the approval without its token, e.g.
// "approval level=real-name decided_at=2026-11-23T08:00:00Z valid_until=… token=[redacted]".
func (a Approval) String() string {
	return "approval level=" + a.Level.String() + " decided_at=" + a.DecidedAt.UTC().Format(time.RFC3339) +
		" valid_until=" + a.ValidUntil.UTC().Format(time.RFC3339) + " token=[redacted]"
}

// GoString returns String, so %#v does not show the token.
func (a Approval) GoString() string { return a.String() }

// Format prints String for every verb, so that no verb or flag reaches the token.
func (a Approval) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(a.String())) }

// LogValue implements slog.LogValuer without the token.
func (a Approval) LogValue() slog.Value {
	return slog.GroupValue(slog.String("level", a.Level.String()), slog.Time("decided_at", a.DecidedAt),
		slog.Time("valid_until", a.ValidUntil))
}

// held is the sealed form of a case's journey (format v1, JSON inside the seal under
// purpose journeyPurpose).
type held struct {
	Case    string  `json:"c"`
	Attempt int     `json:"a"`
	Token   string  `json:"t"`
	Subject string  `json:"s"`
	Journey Journey `json:"j"` // without Seal
}

// decision returns the journey decision the AutoChecker sees: the sealed fields, the
// subject and the token, without the hidden person.
func (h *held) decision() *verify.Decision {
	d := h.Journey.Decision()
	d.Subject, d.Token = h.Subject, h.Token
	return d
}

// opened is an application's journey decision as opened, before it is held in a case.
type opened struct {
	journey Journey
	subject string
	token   string
	// person is the opened decision, kept only to ask whose it is (IsPerson).
	person verify.Decision
}

const journeyPurpose = "trustid/review/journey/v1"

// holdUntil is the expiry sealed into a journey hold: none in practice. How long a case
// may wait for its reviewer is bounded by the workflow (deadlines, escalation,
// supplement time), not by the seal.
var holdUntil = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// openDecision authenticates token (Application.Decision) at now and returns the journey
// to keep in the case, not sealed yet (see hold). A token that does not open is refused
// with ReasonNotAuthentic, an expired one with ReasonExpired; a referee's decision, or
// one that reached no level (a hard fail), with ReasonInvalidArgument.
func (d *Desk) openDecision(token string, now time.Time) (*opened, error) {
	if d.cfg.Decisions == nil {
		return nil, invalid("Decision", "the Desk has no Config.Decisions to open it")
	}
	dec, err := d.cfg.Decisions.Open(token)
	switch {
	case errors.Is(err, verify.ErrExpired):
		return nil, &Error{Reason: ReasonExpired, Field: "Decision"}
	case err != nil:
		return nil, &Error{Reason: ReasonNotAuthentic, Field: "Decision"}
	case dec.Referee != nil:
		return nil, invalid("Decision", "a referee's decision cannot open a case")
	case !dec.Level.Valid() || dec.Level < verify.LevelRealName || dec.Has(verify.ReasonFraudRefused):
		return nil, invalid("Decision", "the decision reached no level a reviewer can accept")
	}
	j := Journey{Outcome: dec.Outcome, Level: dec.Level, Required: dec.Required, Reasons: slices.Clone(dec.Reasons),
		Kind: dec.Kind, CheckID: dec.CheckID, DecidedAt: dec.DecidedAt.UTC(),
		ValidUntil: dec.ValidUntil.UTC(), Evidence: slices.Clone(dec.Evidence), OpenedAt: now.UTC()}
	for i := range j.Evidence {
		j.Evidence[i].CompletedAt, j.Evidence[i].ValidUntil = j.Evidence[i].CompletedAt.UTC(), j.Evidence[i].ValidUntil.UTC()
	}
	return &opened{journey: j, subject: dec.Subject, token: token, person: dec}, nil
}

// hold returns the journey of o for attempt of case caseID, sealed under Config.Keys.
// Nil-safe: a nil o (no decision) gives nil.
func (d *Desk) hold(o *opened, caseID string, attempt int) (*Journey, error) {
	if o == nil {
		return nil, nil
	}
	j := o.journey.clone()
	j.Seal = ""
	b, err := json.Marshal(held{Case: caseID, Attempt: attempt, Token: o.token, Subject: o.subject, Journey: *j})
	if err != nil {
		return nil, invalid("Decision", "cannot encode the decision")
	}
	if j.Seal, err = d.journeys.Seal(b, holdUntil, rand.Reader); err != nil {
		return nil, invalid("Decision", "cannot seal the decision")
	}
	return j, nil
}

// heldJourney opens the seal of c's journey and checks that it belongs to c's current
// attempt and that the fields in c.Journey are the sealed ones; anything else is
// ReasonNotAuthentic (field "Journey"): the Store was edited.
func (d *Desk) heldJourney(c *Case, now time.Time) (*held, error) {
	bad := &Error{Reason: ReasonNotAuthentic, Field: "Journey"}
	if d.journeys == nil {
		return nil, invalid("Keys", "the Desk has no Config.Keys to open the case's journey")
	}
	b, _, _, err := d.journeys.Open(c.Journey.Seal, now)
	if err != nil {
		return nil, bad
	}
	var h held
	if err := json.Unmarshal(b, &h); err != nil || h.Case != c.ID || h.Attempt != c.Attempt {
		return nil, bad
	}
	shown := *c.Journey
	shown.Seal = ""
	want, err1 := json.Marshal(h.Journey)
	got, err2 := json.Marshal(shown)
	if err1 != nil || err2 != nil || !bytes.Equal(want, got) {
		return nil, bad
	}
	return &h, nil
}

package verify

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
)

// ErrNotAuthentic is returned for a sealed document result or decision that does not
// open: malformed, tampered with, sealed for another purpose or under a key this instance
// does not hold. It says no more.
var ErrNotAuthentic = errors.New("verify: token not authentic")

// ErrExpired is returned for an authentic sealed document result or decision whose
// evidence is no longer fresh (see [Freshness]).
var ErrExpired = errors.New("verify: token expired")

// maxSealedTokenLen bounds the token text the openers decode: the largest decision
// (every reason, evidence of three factors and a review, fraud findings) seals into a few
// kilobytes; anything much longer is refused before internal/seal decodes up to a
// mebibyte of it.
const maxSealedTokenLen = 32 << 10

// Seal purposes: a token sealed for one is never opened as another.
const (
	sealDocument = "verify/document/v1"
	sealDecision = "verify/decision/v1"
)

// DecisionSealer seals decisions into tokens and opens them again. A host hands a
// decision's token to the wallet (or to another server); whoever holds one of the keys
// can open it, and nobody without them can make one, so a decision built by hand is never
// accepted. It is safe for concurrent use.
//
// A token proves that an instance holding the key made the decision, with the level,
// reasons and subject it states, at DecidedAt; it is refused from ValidUntil on. It does
// not prove that the person still is who they were then, and it is not single use: a
// consumer that must act once per decision (the wallet links once) records that itself.
type DecisionSealer struct {
	s   *seal.Sealer
	now func() time.Time
}

// NewDecisionSealer returns a sealer under keys (the first seals, all open). now is the
// clock that Open checks expiry against; nil means time.Now.
func NewDecisionSealer(now func() time.Time, keys ...store.Key) (*DecisionSealer, error) {
	s, err := seal.New(sealDecision, keys...)
	if err != nil {
		return nil, fmt.Errorf("verify: decision keys: %v: %w", err, ErrInvalidArgument)
	}
	if now == nil {
		now = time.Now
	}
	return &DecisionSealer{s: s, now: now}, nil
}

// sealedDecision is the sealed form of a Decision (format v1, JSON inside the seal). The
// enums are kept as numbers: their text forms refuse the zero values a failed decision
// may hold.
type sealedDecision struct {
	Outcome    uint8          `json:"o"`
	Level      uint8          `json:"l"`
	Required   uint8          `json:"r"`
	Reasons    []Reason       `json:"rs"`
	Kind       uint8          `json:"k"`
	Subject    string         `json:"s"`
	CheckID    string         `json:"c"`
	DecidedAt  time.Time      `json:"d"`
	ValidUntil time.Time      `json:"v"`
	Evidence   []EvidenceRef  `json:"e"`
	Referee    *Referee       `json:"ref,omitempty"`
	Person     string         `json:"p,omitempty"`
	Pathway    Pathway        `json:"pw,omitempty"`
	Fraud      []FraudFinding `json:"fr,omitempty"`
}

// Seal returns d's token. It refuses a decision without a subject, a check ID or a
// validity end (one not made from a document check), or one already past ValidUntil.
func (s *DecisionSealer) Seal(d Decision) (string, error) {
	if d.Subject == "" || d.CheckID == "" || d.ValidUntil.IsZero() {
		return "", fmt.Errorf("verify: decision without subject, check or validity: %w", ErrInvalidArgument)
	}
	if !s.now().Before(d.ValidUntil) {
		return "", fmt.Errorf("verify: decision no longer valid: %w", ErrExpired)
	}
	b, err := json.Marshal(sealedDecision{uint8(d.Outcome), uint8(d.Level), uint8(d.Required), d.Reasons, uint8(d.Kind), d.Subject,
		d.CheckID, d.DecidedAt, d.ValidUntil, d.Evidence, d.Referee, d.person, d.Pathway, d.Fraud})
	if err != nil {
		return "", fmt.Errorf("verify: encoding decision: %v: %w", err, ErrInvalidArgument)
	}
	return s.s.Seal(b, d.ValidUntil, rand.Reader)
}

// Open authenticates token and returns the decision it holds, with Token set to token.
// It returns [ErrNotAuthentic] for a token it cannot authenticate and [ErrExpired] from
// the decision's ValidUntil on.
func (s *DecisionSealer) Open(token string) (Decision, error) {
	d, err := s.openAt(token, s.now())
	if err != nil {
		return Decision{}, err
	}
	d.Token = token
	return d, nil
}

// openAt authenticates token as of at and decodes the decision it holds (without Token).
func (s *DecisionSealer) openAt(token string, at time.Time) (Decision, error) {
	if len(token) > maxSealedTokenLen {
		return Decision{}, ErrNotAuthentic
	}
	b, _, _, err := s.s.Open(token, at)
	switch {
	case errors.Is(err, seal.ErrExpired):
		return Decision{}, ErrExpired
	case err != nil:
		return Decision{}, ErrNotAuthentic
	}
	var v sealedDecision
	if err := json.Unmarshal(b, &v); err != nil {
		return Decision{}, ErrNotAuthentic
	}
	return Decision{Outcome: Outcome(v.Outcome), Level: Level(v.Level), Required: Level(v.Required), Reasons: v.Reasons,
		Kind: CredentialKind(v.Kind), Subject: v.Subject, CheckID: v.CheckID, DecidedAt: v.DecidedAt,
		ValidUntil: v.ValidUntil, Evidence: v.Evidence, Referee: v.Referee, person: v.Person, Pathway: v.Pathway, Fraud: v.Fraud}, nil
}

// sealedDocument is the sealed form of a DocumentResult (format v1).
type sealedDocument struct {
	Outcome   uint8     `json:"o"`
	Reasons   []Reason  `json:"rs"`
	Kind      uint8     `json:"k"`
	Subject   string    `json:"s"`
	CheckID   string    `json:"c"`
	Legacy    bool      `json:"lg,omitempty"`
	Found     bool      `json:"f"`
	Status    uint8     `json:"st"`
	Fields    [7]uint8  `json:"fd"`
	PhotoRef  string    `json:"p,omitempty"`
	CheckedAt time.Time `json:"t"`
	Person    string    `json:"pn,omitempty"`
}

// SealDocument returns a token holding r, for a journey whose next steps run on another
// server: any Checker holding one of the same keys opens it with [Checker.OpenDocument].
// The token expires when the document check stops being fresh (Policy.MaxAge.Document).
func (c *Checker) SealDocument(r *DocumentResult) (string, error) {
	if r == nil || r.CheckID == "" {
		return "", fmt.Errorf("verify: no document check to seal: %w", ErrInvalidArgument)
	}
	f := r.Fields
	b, err := json.Marshal(sealedDocument{uint8(r.Outcome), r.Reasons, uint8(r.Kind), r.Subject, r.CheckID, r.Legacy,
		r.Found, uint8(r.Status), [7]uint8{uint8(f.Name), uint8(f.LatinName), uint8(f.Gender), uint8(f.BirthDate),
			uint8(f.Nationality), uint8(f.Ethnicity), uint8(f.Address)}, r.PhotoRef, r.CheckedAt, r.person})
	if err != nil {
		return "", fmt.Errorf("verify: encoding document check: %v: %w", err, ErrInvalidArgument)
	}
	return c.docs.Seal(b, r.CheckedAt.Add(c.policy.MaxAge.document()), rand.Reader)
}

// OpenDocument authenticates a token made by [Checker.SealDocument] and returns the
// document check it holds. It returns [ErrNotAuthentic] or [ErrExpired].
func (c *Checker) OpenDocument(token string) (*DocumentResult, error) {
	if len(token) > maxSealedTokenLen {
		return nil, ErrNotAuthentic
	}
	b, _, _, err := c.docs.Open(token, c.now())
	switch {
	case errors.Is(err, seal.ErrExpired):
		return nil, ErrExpired
	case err != nil:
		return nil, ErrNotAuthentic
	}
	var v sealedDocument
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, ErrNotAuthentic
	}
	f := v.Fields
	return &DocumentResult{Outcome: Outcome(v.Outcome), Reasons: v.Reasons, Kind: CredentialKind(v.Kind), Subject: v.Subject,
		CheckID: v.CheckID, Legacy: v.Legacy, Found: v.Found, Status: Status(v.Status),
		Fields: Fields{FieldResult(f[0]), FieldResult(f[1]), FieldResult(f[2]), FieldResult(f[3]),
			FieldResult(f[4]), FieldResult(f[5]), FieldResult(f[6])},
		HasPhoto: v.PhotoRef != "", PhotoRef: v.PhotoRef, CheckedAt: v.CheckedAt, person: v.Person}, nil
}

// Decisions returns the checker's decision sealer: the one [Checker.Decide] seals with.
func (c *Checker) Decisions() *DecisionSealer { return c.decisions }

package liveness

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/trustid/trustid/internal/seal"
)

// resultPurpose is the seal purpose of result tokens: a session token never opens as a
// result, nor a result as a session.
const resultPurpose = "liveness/result/v1"

// ResultMaxAge is how long a sealed result stays openable: long enough for the next
// step of a journey, no longer than verify's default freshness of real-person evidence.
const ResultMaxAge = 10 * time.Minute

// SealResult returns a token holding r, so that a journey whose decision is made on
// another server can carry the result there: any Challenger configured with one of the
// same Keys opens it with [Challenger.OpenResult]. The token is encrypted and
// authenticated; it expires ResultMaxAge after the session finished. It is not single
// use: verify's decision binds it to one document check.
func (c *Challenger) SealResult(r *Result) (string, error) {
	if r == nil {
		return "", &Error{Reason: ReasonInvalidArgument}
	}
	b, err := json.Marshal(sealedResult{Outcome: uint8(r.Outcome), Reasons: r.Reasons, RetryAt: r.RetryAt, Audit: auditJSON(r.Audit)})
	if err != nil {
		return "", &Error{Reason: ReasonInvalidArgument, Err: err}
	}
	tok, err := c.results.Seal(b, r.Audit.FinishedAt.Add(ResultMaxAge), rand.Reader)
	if err != nil {
		return "", &Error{Reason: ReasonInvalidArgument, Err: fmt.Errorf("sealing: %w", err)}
	}
	return tok, nil
}

// OpenResult authenticates a token made by [Challenger.SealResult] and returns the result.
// It returns an error matching [ErrNotAuthentic] or [ErrExpired].
func (c *Challenger) OpenResult(token string) (*Result, error) {
	if len(token) > maxResultTokenLen {
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	b, _, _, err := c.results.Open(token, c.cfg.Now())
	switch {
	case errors.Is(err, seal.ErrExpired):
		return nil, &Error{Reason: ReasonExpired}
	case err != nil:
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	var v sealedResult
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	return &Result{Outcome: Outcome(v.Outcome), Reasons: v.Reasons, RetryAt: v.RetryAt, Audit: v.Audit.audit()}, nil
}

// maxResultTokenLen bounds what OpenResult decodes: the largest result (32 audit
// observations, 16 steps, 255-byte bindings) seals into well under 16 KiB.
const maxResultTokenLen = 16 << 10

// sealedResult is the sealed form of a Result (format v1, JSON inside the seal).
type sealedResult struct {
	Outcome uint8      `json:"o"` // Outcome marshals as text, which it does not read back
	Reasons []Reason   `json:"r,omitempty"`
	RetryAt time.Time  `json:"ra"`
	Audit   auditState `json:"a"`
}

// auditState mirrors Audit with plain fields: Audit's own MarshalJSON masks.
type auditState struct {
	SessionID       string             `json:"id"`
	NonceHash       string             `json:"n"`
	KeyID           uint32             `json:"k"`
	Subject         string             `json:"s"`
	Device          string             `json:"d"`
	CheckID         string             `json:"c"`
	Consent         string             `json:"cs,omitempty"`
	Reference       string             `json:"p"`
	IssuedAt        time.Time          `json:"i"`
	Expires         time.Time          `json:"e"`
	FinishedAt      time.Time          `json:"f"`
	Steps           []Step             `json:"st"`
	Observations    []AuditObservation `json:"ob,omitempty"`
	Score           *Score             `json:"sc,omitempty"`
	Threshold       *Threshold         `json:"th,omitempty"`
	LivenessPassed  bool               `json:"lp"`
	FaceMatchPassed bool               `json:"fp"`
	Outcome         uint8              `json:"o"`
	Reasons         []Reason           `json:"r,omitempty"`
	DeviceKeyID     string             `json:"dk,omitempty"`
	Attested        bool               `json:"at,omitempty"`
	Frames          int                `json:"fr,omitempty"`
	Risks           []RiskFinding      `json:"rk,omitempty"`
}

func auditJSON(a Audit) auditState {
	return auditState{a.SessionID, a.NonceHash, a.KeyID, a.Subject, a.Device, a.CheckID, a.Consent, string(a.Reference),
		a.IssuedAt, a.Expires, a.FinishedAt, a.Steps, a.Observations, a.Score, a.Threshold,
		a.LivenessPassed, a.FaceMatchPassed, uint8(a.Outcome), a.Reasons, a.DeviceKeyID, a.Attested, a.Frames, a.Risks}
}

func (s auditState) audit() Audit {
	return Audit{s.SessionID, s.NonceHash, s.KeyID, s.Subject, s.Device, s.CheckID, s.Consent, PhotoRef(s.Reference),
		s.IssuedAt, s.Expires, s.FinishedAt, s.Steps, s.Observations, s.Score, s.Threshold,
		s.LivenessPassed, s.FaceMatchPassed, Outcome(s.Outcome), s.Reasons, s.DeviceKeyID, s.Attested, s.Frames, s.Risks}
}

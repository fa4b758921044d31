package liveness

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"time"

	"github.com/trustid/trustid/internal/seal"
)

// BeginRequest binds a session to a person and a device.
type BeginRequest struct {
	// Subject is the host's opaque subject binding (for example an HMAC of the ID number),
	// 1 to 255 bytes. Never pass a raw ID number: the value is sealed into the token and
	// kept in the audit record.
	Subject string
	// Device is the host's opaque device binding, 1 to 255 bytes.
	Device string
	// Reference is the record photo the face is matched against
	// (verify.DocumentResult.PhotoRef); sealed into the session and passed to
	// Config.Matcher at Finish. Up to 255 bytes; may be empty when the host supplies
	// scores itself. The result names it, and verify refuses a result matched against
	// another photo than the document check's.
	Reference PhotoRef
	// CheckID is the document check this session belongs to
	// (verify.DocumentResult.CheckID), up to 255 bytes. The result names it, and verify
	// refuses a result begun for another check.
	CheckID string
	// Consent is the ID of the subject's biometric consent in Config.Consents
	// ([ConsentStore.Record], purpose [PurposeBiometric]). Required: Begin refuses
	// (ErrConsentRequired) an unknown, withdrawn or future consent, one for another
	// subject or purpose, before it counts an attempt. The result names it.
	Consent string
	// DeviceKey is the capture device's Ed25519 public key (32 bytes). When set, the
	// session is device-bound: Finish requires every frame in a [CaptureEnvelope] signed
	// with it. Required when Config.RequireDeviceBinding is set.
	DeviceKey ed25519.PublicKey
	// Attestation is the platform's attestation of DeviceKey, checked by
	// Config.Attestation (required with a key when that is set).
	Attestation []byte
}

// Step is one action of a session and the time by which it must have ended.
type Step struct {
	Action      Action
	Deadline    time.Time
	MinDuration time.Duration
}

// Challenge is what Begin returns. The host shows the client its [Challenge.Client] view
// and keeps Token, the sealed session state, for Finish (it may hand the token to the
// client in a stateless deployment: it is encrypted and authenticated).
type Challenge struct {
	Token     string
	SessionID string
	IssuedAt  time.Time
	Expires   time.Time
	Steps     []Step
	Subject   string // masked by String and LogValue
	Device    string // masked by String and LogValue
}

// ClientStep is one step as the client shows it.
type ClientStep struct {
	Action   Action    `json:"action"`
	Deadline time.Time `json:"deadline"`
}

// ClientChallenge is the client-facing view of a challenge: the prompts and their deadlines,
// no bindings, no token and no timing rules.
type ClientChallenge struct {
	SessionID string       `json:"session_id"`
	Steps     []ClientStep `json:"steps"`
	Expires   time.Time    `json:"expires"`
}

// Client returns the client-facing view; the zero view for a nil challenge.
func (c *Challenge) Client() ClientChallenge {
	if c == nil {
		return ClientChallenge{}
	}
	v := ClientChallenge{SessionID: c.SessionID, Expires: c.Expires, Steps: make([]ClientStep, len(c.Steps))}
	for i, s := range c.Steps {
		v.Steps[i] = ClientStep{Action: s.Action, Deadline: s.Deadline}
	}
	return v
}

// String hides the token and masks the bindings.
func (c Challenge) String() string {
	return fmt.Sprintf("liveness.Challenge{session=%s steps=%d subject=%s device=%s token=[redacted]}",
		c.SessionID, len(c.Steps), maskID(c.Subject), maskID(c.Device))
}

// LogValue hides the token and masks the bindings.
func (c Challenge) LogValue() slog.Value {
	return slog.GroupValue(slog.String("session_id", c.SessionID), slog.Int("steps", len(c.Steps)),
		slog.String("subject", maskID(c.Subject)), slog.String("device", maskID(c.Device)))
}

// attemptKey is the attempt-store key of a subject or device: an HMAC under the index key,
// so a shared store holds no value an outsider could recompute from a known subject.
func (c *Challenger) attemptKey(kind, id string) string {
	m := hmac.New(sha256.New, c.indexKey)
	m.Write([]byte("trustid/liveness/attempts\x00" + kind + "\x00" + id))
	return "liveness/" + kind + "/" + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func unavailable(what string, err error) error {
	return &Error{Reason: ReasonUnavailable, Err: fmt.Errorf("%s: %w", what, err)}
}

// Begin starts a session for req: it counts an attempt for the device and then for the
// subject (refusing with ErrLockedOut when either is locked out; a refused subject still
// costs the device an attempt), draws the actions and seals the session into an opaque
// token.
//
// The actions are drawn with crypto/rand, uniformly over the sequences of Config.Steps
// actions that have no action twice in a row, at least three distinct actions, and are not
// a fixed rotation through the vocabulary (every step advancing by the same stride in
// configuration order). Rejection sampling keeps the draw uniform over what remains.
func (c *Challenger) Begin(ctx context.Context, req BeginRequest) (*Challenge, error) {
	if req.Subject == "" || req.Device == "" || len(req.Subject) > maxField ||
		len(req.Device) > maxField || len(req.Reference) > maxField || len(req.CheckID) > maxField ||
		(req.DeviceKey != nil && len(req.DeviceKey) != ed25519.PublicKeySize) || len(req.Attestation) > maxAttestation {
		return nil, &Error{Reason: ReasonInvalidArgument}
	}
	now := c.cfg.Now()
	if _, err := c.checkConsent(ctx, req.Consent, req.Subject, now); err != nil {
		return nil, err
	}
	s := &session{issued: now, consent: req.Consent, expires: now.Add(c.cfg.Lifetime), subject: req.Subject,
		device: req.Device, reference: req.Reference, checkID: req.CheckID, remaining: math.MaxUint16}
	// The device first: a locked-out device is refused before it can use up the
	// attempts of the subject it claims to be.
	for _, k := range [...]struct{ kind, id string }{{"device", req.Device}, {"subject", req.Subject}} {
		res, err := c.cfg.AttemptStore.Take(ctx, c.attemptKey(k.kind, k.id), now, c.cfg.Attempts)
		if err != nil {
			return nil, unavailable("attempt store", err)
		}
		if !res.Allowed {
			return nil, &Error{Reason: ReasonLockedOut, Err: res.Refusal()}
		}
		// Clamped both ways: a store that reported a negative count must not wrap around
		// to many attempts left.
		s.remaining = min(s.remaining, uint16(max(0, min(res.Remaining, math.MaxUint16))))
		if res.RetryAt.After(s.retryAt) {
			s.retryAt = res.RetryAt
		}
	}
	// The device after the attempt count: a device that fails its attestation uses up
	// attempts like any other failure.
	if err := c.bindDevice(ctx, s, req); err != nil {
		return nil, err
	}
	var rnd [32]byte
	if _, err := io.ReadFull(rand.Reader, rnd[:]); err != nil {
		return nil, unavailable("randomness", err)
	}
	copy(s.id[:], rnd[:16])
	copy(s.nonce[:], rnd[16:])
	var buf [maxSteps]int
	seq, err := drawSequence(rand.Reader, len(c.specs), c.cfg.Steps, buf[:0])
	if err != nil {
		return nil, unavailable("drawing actions", err)
	}
	s.steps = make([]Step, len(seq))
	deadline := now.Add(c.cfg.StartDelay)
	for i, v := range seq {
		spec := c.specs[v]
		deadline = deadline.Add(spec.Window)
		s.steps[i] = Step{Action: spec.Action, Deadline: deadline, MinDuration: spec.MinDuration}
	}
	// seal keeps whole seconds and expires a token at the floor of the time it is given:
	// round up so that the session's own, exact expiry is the one that bites.
	sealExp := s.expires.Truncate(time.Second)
	if sealExp.Before(s.expires) {
		sealExp = sealExp.Add(time.Second)
	}
	token, err := c.sealer.Seal(s.marshal(), sealExp, rand.Reader)
	if err != nil {
		return nil, unavailable("sealing", err)
	}
	return &Challenge{
		Token:     token,
		SessionID: hex.EncodeToString(s.id[:]),
		IssuedAt:  s.issued,
		Expires:   s.expires,
		Steps:     slices.Clone(s.steps),
		Subject:   req.Subject,
		Device:    req.Device,
	}, nil
}

// FinishRequest carries the session's token and what the host observed during it.
type FinishRequest struct {
	// Token is [Challenge.Token] as Begin returned it.
	Token string
	// Observations are the analyser's findings, one per step, in the order performed.
	Observations []Observation
	// Probe is passed to Config.Matcher with the session's reference photo.
	Probe ProbeRef
	// Score, when not nil, is a face score the host computed itself; Config.Matcher is
	// then not called.
	Score *Score
	// Capture holds the device's signed frame envelopes, in capture order: required for a
	// session begun with a DeviceKey, ignored otherwise.
	Capture []CaptureEnvelope
	// DeviceRisks are the host's device checks' findings during the capture (at most
	// 16); Config.DeviceRiskPolicy decides what each leads to.
	DeviceRisks []DeviceRisk
}

func nonceHash(nonce [16]byte) string {
	h := sha256.Sum256(append([]byte("trustid/liveness/nonce\x00"), nonce[:]...))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func equalID(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

const maxAuditObservations = 32

// Finish checks a session and decides. Every call with an authentic, unexpired token
// consumes the session, whatever the observations: of any number of calls, sequential or
// concurrent, exactly one gets past the replay guard.
//
// It returns an error, and no Result, when the token does not open (ErrNotAuthentic), has
// expired (ErrExpired), was already used (store.ErrReplayed), or a host component failed
// (ErrUnavailable, wrapping the host's error). Otherwise the Result says pass, retry or
// fail, with reasons. The face match is evaluated only when liveness passed, and both must
// pass: they are never averaged.
func (c *Challenger) Finish(ctx context.Context, req FinishRequest) (*Result, error) {
	if len(req.Token) > maxTokenLen {
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	if len(req.Observations) > maxObservations || len(req.Probe) > maxField || len(req.Capture) > maxCapture ||
		len(req.DeviceRisks) > maxRisks || slices.ContainsFunc(req.DeviceRisks, func(r DeviceRisk) bool { return r == "" || len(r) > maxRiskLen }) ||
		slices.ContainsFunc(req.Observations, oversizedObservation) || slices.ContainsFunc(req.Capture, oversizedEnvelope) {
		return nil, &Error{Reason: ReasonInvalidArgument}
	}
	now := c.cfg.Now()
	payload, _, keyID, err := c.sealer.Open(req.Token, now)
	switch {
	case errors.Is(err, seal.ErrExpired):
		return nil, &Error{Reason: ReasonExpired}
	case err != nil:
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	s, err := unmarshalSession(payload)
	if err != nil {
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	if !now.Before(s.expires) {
		return nil, &Error{Reason: ReasonExpired}
	}
	nh := nonceHash(s.nonce)
	first, err := c.cfg.ReplayGuard.Claim(ctx, "liveness/"+nh, now, s.expires)
	if err != nil {
		return nil, unavailable("replay guard", err)
	}
	if !first {
		return nil, &Error{Reason: ReasonReplayed}
	}

	// Withdrawn consent ends the processing of the face: the session is consumed and no
	// observation or score is looked at.
	if _, err := c.checkConsent(ctx, s.consent, s.subject, now); err != nil {
		return nil, err
	}

	r := &Result{Audit: Audit{
		Consent:    s.consent,
		SessionID:  hex.EncodeToString(s.id[:]),
		NonceHash:  nh,
		KeyID:      keyID,
		Subject:    s.subject,
		Device:     s.device,
		CheckID:    s.checkID,
		Reference:  s.reference,
		IssuedAt:   s.issued,
		Expires:    s.expires,
		FinishedAt: now,
		Steps:      s.steps,
	}}
	for i, o := range req.Observations {
		if i == maxAuditObservations {
			break
		}
		r.Audit.Observations = append(r.Audit.Observations,
			AuditObservation{Action: o.Action, Start: o.Start, End: o.End, Confidence: o.Confidence})
	}

	reasons := c.checkObservations(s, req.Observations, now)
	add := func(x Reason) {
		if !slices.Contains(reasons, x) {
			reasons = append(reasons, x)
		}
	}
	if s.deviceKey != nil {
		r.Audit.DeviceKeyID, r.Audit.Attested = deviceKeyID(s.deviceKey), s.attested
		c.checkCapture(s, req.Capture, req.Observations, now, add)
		r.Audit.Frames = len(req.Capture)
	}
	attested, _ := c.findings(s.risks, true)
	reported, refused := c.findings(req.DeviceRisks, false)
	r.Audit.Risks = append(attested, reported...)
	if refused {
		add(ReasonDeviceRisk)
	}
	r.Audit.LivenessPassed = len(reasons) == 0
	if r.Audit.LivenessPassed {
		score := req.Score
		if score == nil && c.cfg.Matcher != nil {
			sc, err := c.cfg.Matcher.Match(ctx, s.reference, req.Probe)
			if err != nil {
				return nil, unavailable("face matcher", err)
			}
			score = &sc
		}
		if reason := c.checkScore(score, &r.Audit); reason != "" {
			reasons = append(reasons, reason)
		} else {
			r.Audit.FaceMatchPassed = true
		}
	}

	switch {
	case len(reasons) == 0:
		r.Outcome = OutcomePass
		// Only the subject's count: a device that passes once with its owner's identity must
		// not wipe the failures it ran up against other subjects.
		for _, k := range [...]string{c.attemptKey("subject", s.subject)} {
			if err := c.cfg.AttemptStore.Reset(ctx, k); err != nil {
				// Not a security failure: the count simply stays until its window ends.
				c.cfg.Logger.WarnContext(ctx, "liveness: resetting attempts failed",
					slog.String("session_id", r.Audit.SessionID), slog.Any("error", err))
			}
		}
	case !slices.ContainsFunc(reasons, func(r Reason) bool { return !r.retryable() }):
		if s.remaining > 0 {
			r.Outcome = OutcomeRetry
		} else {
			r.Outcome = OutcomeFail
			reasons = append(reasons, ReasonAttemptsExhausted)
			r.RetryAt = s.retryAt
		}
	default:
		r.Outcome = OutcomeFail
	}
	r.Reasons = reasons
	r.Audit.Outcome = r.Outcome
	r.Audit.Reasons = slices.Clone(reasons)
	return r, nil
}

// checkObservations returns the reasons, each once, in the order first found.
func (c *Challenger) checkObservations(s *session, obs []Observation, now time.Time) []Reason {
	var reasons []Reason
	sessionID := hex.EncodeToString(s.id[:])
	add := func(r Reason) {
		if !slices.Contains(reasons, r) {
			reasons = append(reasons, r)
		}
	}
	if len(obs) < len(s.steps) {
		add(ReasonMissingStep)
	}
	if len(obs) > len(s.steps) {
		add(ReasonExtraStep)
	}
	latest := now.Add(c.cfg.MaxClockSkew)
	prevEnd := s.issued
	for i, o := range obs {
		if !equalID(o.Session, sessionID) || !equalID(o.Subject, s.subject) || !equalID(o.Device, s.device) {
			add(ReasonBindingMismatch)
		}
		// Known: configured now, or part of this session (the vocabulary may have changed
		// since Begin).
		_, known := c.index[o.Action]
		known = known || slices.ContainsFunc(s.steps, func(st Step) bool { return st.Action == o.Action })
		if !known {
			add(ReasonUnknownAction)
		}
		if i >= len(s.steps) {
			continue
		}
		st := s.steps[i]
		switch {
		case o.Action == st.Action:
		case i > 0 && o.Action == obs[i-1].Action:
			add(ReasonDuplicateStep)
		case known:
			add(ReasonWrongOrder)
		}
		switch {
		case math.IsNaN(o.Confidence) || o.Confidence < 0 || o.Confidence > 1:
			add(ReasonBadConfidence)
		case o.Confidence < c.cfg.MinConfidence:
			add(ReasonLowConfidence)
		}
		if o.Start.IsZero() || o.End.IsZero() || o.End.Before(o.Start) {
			add(ReasonBadTimestamps)
			continue
		}
		switch gap := o.Start.Sub(prevEnd); {
		case o.Start.Before(s.issued):
			add(ReasonBeforeIssue)
		case gap < 0:
			add(ReasonBadTimestamps) // overlaps or precedes the previous step
		case gap < c.cfg.MinReaction:
			add(ReasonTooFast)
		}
		if o.End.Sub(o.Start) < st.MinDuration {
			add(ReasonTooFast)
		}
		if o.End.After(st.Deadline) {
			add(ReasonStepLate)
		}
		if o.End.After(latest) {
			add(ReasonInFuture)
		}
		if o.End.After(prevEnd) {
			prevEnd = o.End
		}
	}
	return reasons
}

// checkScore applies the threshold for the score's backend and model, recording both in
// the audit. It returns "" when the score passes.
func (c *Challenger) checkScore(score *Score, a *Audit) Reason {
	if score == nil {
		return ReasonNoFaceScore
	}
	sc := *score
	a.Score = &sc
	t, ok := c.thresholds[modelKey{sc.Backend, sc.ModelVersion}]
	if !ok {
		return ReasonUnconfiguredModel
	}
	a.Threshold = &t
	if math.IsNaN(sc.Value) || math.IsInf(sc.Value, 0) {
		return ReasonBadScore
	}
	if sc.Value < t.MinScore {
		return ReasonFaceMismatch
	}
	return ""
}

// maxAttestation bounds BeginRequest.Attestation (platform attestations are a few KiB).
const maxAttestation = 64 << 10

// bindDevice records the device key in s, after the attestation (when configured) and
// the risk policy accept it.
func (c *Challenger) bindDevice(ctx context.Context, s *session, req BeginRequest) error {
	if req.DeviceKey == nil {
		if c.cfg.RequireDeviceBinding {
			return &Error{Reason: ReasonDeviceNotTrusted}
		}
		return nil
	}
	s.deviceKey = bytes.Clone(req.DeviceKey)
	if c.cfg.Attestation == nil {
		return nil
	}
	if len(req.Attestation) == 0 {
		return &Error{Reason: ReasonDeviceNotTrusted}
	}
	risks, err := c.cfg.Attestation.VerifyAttestation(ctx, s.deviceKey, req.Attestation)
	if err != nil || len(risks) > maxRisks {
		return &Error{Reason: ReasonDeviceNotTrusted, Err: err}
	}
	found, refused := c.findings(risks, true)
	if refused {
		return &Error{Reason: ReasonDeviceNotTrusted}
	}
	s.attested = true
	for _, f := range found {
		if len(f.Risk) > maxRiskLen {
			return &Error{Reason: ReasonDeviceNotTrusted}
		}
		s.risks = append(s.risks, f.Risk)
	}
	return nil
}

// oversizedObservation reports an observation with a field longer than any genuine one:
// it is refused before the token is opened, so a remote party's size costs nothing.
func oversizedObservation(o Observation) bool {
	return len(o.Action) > maxActionLen || len(o.Session) > maxField || len(o.Subject) > maxField || len(o.Device) > maxField
}

// oversizedEnvelope reports a capture envelope whose session ID or signature is longer
// than a genuine one (a hex session ID and an Ed25519 signature).
func oversizedEnvelope(e CaptureEnvelope) bool {
	return len(e.SessionID) > 2*len([16]byte{}) || len(e.Signature) > maxSignature
}

// maxSignature is the longest capture signature accepted: an Ed25519 signature.
const maxSignature = 64

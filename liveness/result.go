package liveness

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/trustid/trustid/internal/mask"
)

// Outcome is the decision of a finished session. The zero value is OutcomeFail.
type Outcome uint8

// Outcomes.
const (
	// OutcomeFail: the session failed and the person should not simply try again (evidence
	// of an attack, or no attempts left).
	OutcomeFail Outcome = iota
	// OutcomePass: liveness and the face match both passed.
	OutcomePass
	// OutcomeRetry: the session failed in a way a genuine person can cause (too slow, the
	// wrong movement, a low face score) and attempts are left: begin a new session.
	OutcomeRetry
)

// String returns "fail", "pass" or "retry".
func (o Outcome) String() string {
	switch o {
	case OutcomePass:
		return "pass"
	case OutcomeRetry:
		return "retry"
	}
	return "fail"
}

// MarshalText encodes the outcome as its String, for the client view.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Observation is what the host's analyser saw for one step: which action, when it started
// and ended (on the host's clock), how confident it is, and the session, subject and
// device the stream was bound to.
type Observation struct {
	Action     Action
	Start, End time.Time
	// Confidence in [0, 1] that the action really occurred.
	Confidence float64
	// Session is the challenge's SessionID as the analyser was given it with the video it
	// analysed; Subject and Device are the bindings it saw. All three must equal the
	// session's, so observations made for one session cannot be replayed into another
	// session of the same person that happened to draw the same actions.
	Session string
	Subject string
	Device  string
}

// String masks the subject and device.
func (o Observation) String() string {
	return fmt.Sprintf("{%s %s..%s conf=%.3f subject=%s device=%s}", o.Action,
		o.Start.Format(time.RFC3339Nano), o.End.Format(time.RFC3339Nano), o.Confidence,
		maskID(o.Subject), maskID(o.Device))
}

// LogValue masks the subject and device.
func (o Observation) LogValue() slog.Value {
	return slog.GroupValue(slog.String("action", string(o.Action)), slog.Time("start", o.Start),
		slog.Time("end", o.End), slog.Float64("confidence", o.Confidence),
		slog.String("subject", maskID(o.Subject)), slog.String("device", maskID(o.Device)))
}

func maskID(s string) string { return mask.Middle(s, 2, 2) }

// AuditObservation is an observation as recorded in the audit trail.
type AuditObservation struct {
	Action     Action
	Start, End time.Time
	Confidence float64
}

// Audit is the record of a finished session for the host's audit trail. It holds no
// token and no nonce: NonceHash identifies the session's single-use claim.
type Audit struct {
	SessionID  string
	NonceHash  string
	KeyID      uint32   // the sealing key that opened the token
	Subject    string   // opaque subject binding; masked by String and LogValue
	Device     string   // opaque device binding; masked by String and LogValue
	CheckID    string   // the document check the session was begun for
	Consent    string   // the biometric consent that covered the session (BeginRequest.Consent)
	Reference  PhotoRef // the photo the face was matched against; masked
	IssuedAt   time.Time
	Expires    time.Time
	FinishedAt time.Time
	Steps      []Step
	// Observations as submitted, at most 32.
	Observations    []AuditObservation
	Score           *Score     // nil when no face match was evaluated
	Threshold       *Threshold // the threshold applied to Score, if any
	LivenessPassed  bool
	FaceMatchPassed bool
	Outcome         Outcome
	Reasons         []Reason
	// DeviceKeyID identifies the capture device key the session was bound to (hex of the
	// first 16 bytes of its SHA-256); empty for a session without device binding.
	DeviceKeyID string
	// Attested is true when the device key's platform attestation was verified at Begin.
	Attested bool
	// Frames is the number of capture envelopes verified.
	Frames int
	// Risks are the device risks reported, by the attestation or the host, with the
	// action the policy took.
	Risks []RiskFinding
}

// String masks the subject and device.
func (a Audit) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "liveness.Audit{session=%s subject=%s device=%s outcome=%s reasons=%v steps=",
		a.SessionID, maskID(a.Subject), maskID(a.Device), a.Outcome, a.Reasons)
	for i, s := range a.Steps {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(s.Action))
	}
	if a.Score != nil {
		fmt.Fprintf(&b, " score=%.4f %s/%s", a.Score.Value, a.Score.Backend, a.Score.ModelVersion)
	}
	b.WriteByte('}')
	return b.String()
}

// LogValue masks the subject and device.
func (a Audit) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("session_id", a.SessionID),
		slog.String("nonce_hash", a.NonceHash),
		slog.Any("key_id", a.KeyID),
		slog.String("subject", maskID(a.Subject)),
		slog.String("device", maskID(a.Device)),
		slog.String("consent", a.Consent),
		slog.Time("issued_at", a.IssuedAt),
		slog.Time("finished_at", a.FinishedAt),
		slog.Int("steps", len(a.Steps)),
		slog.Bool("liveness_passed", a.LivenessPassed),
		slog.Bool("face_match_passed", a.FaceMatchPassed),
		slog.String("outcome", a.Outcome.String()),
		slog.Any("reasons", a.Reasons),
		slog.String("device_key", a.DeviceKeyID),
		slog.Bool("attested", a.Attested),
		slog.Int("frames", a.Frames),
		slog.Any("risks", a.Risks),
	}
	if a.Score != nil {
		attrs = append(attrs, slog.Float64("score", a.Score.Value),
			slog.String("backend", a.Score.Backend), slog.String("model", a.Score.ModelVersion))
	}
	return slog.GroupValue(attrs...)
}

// Result is the decision of [Challenger.Finish]. It implements the real-person evidence
// that package verify consumes (Subject, LivenessPassed, FaceMatchPassed).
type Result struct {
	Outcome Outcome
	// Reasons explains every failure; empty on a pass. For the host only.
	Reasons []Reason
	// RetryAt is set when attempts are exhausted and the store reported a lock-out end.
	RetryAt time.Time
	// Audit is the record for the host's audit trail.
	Audit Audit
}

// Subject returns the opaque subject binding given to Begin.
func (r *Result) Subject() string {
	if r == nil {
		return ""
	}
	return r.Audit.Subject
}

// Device returns the opaque device binding given to Begin; verify's fraud checks count
// people per device with it.
func (r *Result) Device() string {
	if r == nil {
		return ""
	}
	return r.Audit.Device
}

// CheckID returns the document check the session was begun for (BeginRequest.CheckID).
func (r *Result) CheckID() string {
	if r == nil {
		return ""
	}
	return r.Audit.CheckID
}

// PhotoRef returns the reference photo the face was matched against
// (BeginRequest.Reference).
func (r *Result) PhotoRef() string {
	if r == nil {
		return ""
	}
	return string(r.Audit.Reference)
}

// ConsentID returns the biometric consent that covered the session (BeginRequest.Consent);
// verify records it with the real-person evidence.
func (r *Result) ConsentID() string {
	if r == nil {
		return ""
	}
	return r.Audit.Consent
}

// CompletedAt returns when the session was finished.
func (r *Result) CompletedAt() time.Time {
	if r == nil {
		return time.Time{}
	}
	return r.Audit.FinishedAt
}

// LivenessPassed reports whether every step was observed in order, in time and bound to
// the session, its subject and its device.
func (r *Result) LivenessPassed() bool { return r != nil && r.Audit.LivenessPassed }

// FaceMatchPassed reports whether the face score reached the configured threshold for its
// backend and model. It is false whenever liveness failed: the match is not evaluated then.
func (r *Result) FaceMatchPassed() bool { return r != nil && r.Audit.FaceMatchPassed }

// NeedsReview reports whether the session passed with a device risk the policy sends to
// review: verify makes such a decision a review, not a pass.
func (r *Result) NeedsReview() bool {
	return r != nil && r.Outcome == OutcomePass &&
		slices.ContainsFunc(r.Audit.Risks, func(f RiskFinding) bool { return f.Action == RiskReview })
}

// Passed reports whether the outcome is a pass.
func (r *Result) Passed() bool { return r != nil && r.Outcome == OutcomePass }

// ClientResult is all the client may learn of a finished session: no score, no reason.
type ClientResult struct {
	Outcome Outcome `json:"outcome"`
}

// Client returns the client-facing view.
// A nil result (no session finished) is a fail.
func (r *Result) Client() ClientResult {
	if r == nil {
		return ClientResult{Outcome: OutcomeFail}
	}
	return ClientResult{Outcome: r.Outcome}
}

// String masks the subject and device.
func (r Result) String() string {
	return fmt.Sprintf("liveness.Result{outcome=%s reasons=%v subject=%s}", r.Outcome, r.Reasons, maskID(r.Audit.Subject))
}

// LogValue masks the subject and device.
func (r Result) LogValue() slog.Value {
	return slog.GroupValue(slog.String("outcome", r.Outcome.String()), slog.Any("reasons", r.Reasons),
		slog.Any("audit", r.Audit))
}

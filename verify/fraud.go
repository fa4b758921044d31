package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/trustid/trustid/internal/mask"
)

// Fraud checks run by [Checker.DecideContext] after the policy has decided (SP 800-63A-4
// §3.2.1: fraud management alongside proofing). A check looks at the journey — subject,
// device, evidence, the policy's decision — and reports a [FraudFinding]; a flagged
// finding's action sends a passing decision to review or fails it. Every finding, flagged
// or not, is recorded in [Decision.Fraud] and sealed with the decision.

// FraudAction is what a flagged fraud finding does to the decision.
type FraudAction uint8

// Fraud actions.
const (
	// FraudRecord only records the finding.
	FraudRecord FraudAction = iota
	// FraudReview makes a passing decision a review (fraud_review).
	FraudReview
	// FraudRefuse fails the decision (fraud_refused).
	FraudRefuse
)

var fraudActionNames = [...]string{"record", "review", "refuse"}

// String returns "record", "review" or "refuse".
func (a FraudAction) String() string {
	if int(a) < len(fraudActionNames) {
		return fraudActionNames[a]
	}
	return "refuse"
}

// MarshalText encodes the action as its String.
func (a FraudAction) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText decodes the String form; anything else is refuse.
func (a *FraudAction) UnmarshalText(b []byte) error {
	*a = FraudRefuse
	for i, n := range fraudActionNames {
		if string(b) == n {
			*a = FraudAction(i)
		}
	}
	return nil
}

// FraudFinding is one fraud check's outcome and the action it took.
type FraudFinding struct {
	// Check names the check (FraudCheck.Name).
	Check string `json:"check"`
	// Flagged is true when the check found a signal.
	Flagged bool `json:"flagged"`
	// Action is what the flagged finding did to the decision; FraudRecord when not
	// flagged.
	Action FraudAction `json:"action"`
	// Signal is the code of what was found (for example velocity_device), when flagged.
	Signal Reason `json:"signal,omitempty"`
}

// FraudInput is what a fraud check sees of a journey. Subject and Device are opaque
// bindings (an HMAC and the host's device binding); Device is empty when the
// real-person evidence does not name one ([DeviceEvidence]).
type FraudInput struct {
	Subject    string
	CheckID    string
	Device     string
	RealPerson RealPersonEvidence // nil: not performed
	Memory     MemoryEvidence     // nil: not performed
	// Decision is the policy's decision, before any fraud action.
	Decision Decision
	At       time.Time
}

// FraudCheck is a fraud check run at decision time. Check returns the finding; an error
// (a store that cannot be reached) is recorded as a flagged finding with the signal
// fraud_check_unavailable that sends the decision to review: a check that did not run
// never lets a decision pass silently.
type FraudCheck interface {
	Name() string
	Check(ctx context.Context, in FraudInput) (FraudFinding, error)
}

// DeviceEvidence is implemented by real-person evidence that names the device it was
// captured on (*liveness.Result: the opaque device binding given to Begin).
type DeviceEvidence interface {
	Device() string
}

// Reasons of fraud management.
const (
	ReasonFraudReview      Reason = "fraud_review"            // a fraud check sent the decision to review
	ReasonFraudRefused     Reason = "fraud_refused"           // a fraud check failed the decision
	ReasonFraudUnavailable Reason = "fraud_check_unavailable" // a fraud check could not run
	ReasonVelocityDevice   Reason = "velocity_device"         // one device used for many people
	ReasonVelocitySubject  Reason = "velocity_subject"        // one person on many devices
)

func init() {
	reasonTexts[ReasonFraudReview] = reasonText{"风险核查需人工复核。", "A fraud check asked for manual review."}
	reasonTexts[ReasonFraudRefused] = reasonText{"未通过风险核查。", "A fraud check refused the verification."}
	reasonTexts[ReasonFraudUnavailable] = reasonText{"风险核查暂不可用，需人工复核。", "A fraud check could not run; a reviewer will check."}
	reasonTexts[ReasonVelocityDevice] = reasonText{"同一设备短时间内用于多人核验。", "The same device was used for several people in a short time."}
	reasonTexts[ReasonVelocitySubject] = reasonText{"同一身份短时间内在多台设备上核验。", "The same identity was verified on several devices in a short time."}
}

// applyFraud runs the checks and applies their actions to d.
func applyFraud(ctx context.Context, checks []FraudCheck, d *Decision, in FraudInput) {
	review, refuse := false, false
	for _, c := range checks {
		f, err := c.Check(ctx, in)
		if err != nil {
			f = FraudFinding{Flagged: true, Action: FraudReview, Signal: ReasonFraudUnavailable}
		}
		f.Check = c.Name()
		if !f.Flagged {
			f.Action, f.Signal = FraudRecord, ""
		}
		if f.Action > FraudRefuse {
			f.Action = FraudRefuse
		}
		d.Fraud = append(d.Fraud, f)
		if f.Flagged && f.Signal != "" && !containsReason(d.Reasons, f.Signal) && f.Action != FraudRecord {
			d.Reasons = append(d.Reasons, f.Signal)
		}
		review = review || (f.Flagged && f.Action == FraudReview)
		refuse = refuse || (f.Flagged && f.Action == FraudRefuse)
	}
	switch {
	case refuse:
		// A refusal is final: like every hard fail it reaches no level, so no referee
		// can turn it into a pass (SealRefereed accepts only a decision with a level).
		d.Outcome, d.Level = OutcomeFail, LevelNone
		if !containsReason(d.Reasons, ReasonFraudRefused) {
			d.Reasons = append(d.Reasons, ReasonFraudRefused)
		}
	case review && d.Outcome == OutcomePass:
		d.Outcome = OutcomeReview
		d.Reasons = append(d.Reasons, ReasonFraudReview)
	}
}

// VelocityRule bounds how many distinct people one device, and how many devices one
// person, may be decided for within Window. Zero fields take the defaults of
// [DefaultVelocity].
type VelocityRule struct {
	Window               time.Duration
	MaxSubjectsPerDevice int
	MaxDevicesPerSubject int
	// Action is what exceeding either bound does. Default (zero) FraudRecord is
	// replaced by FraudReview; set FraudRefuse to fail such decisions.
	Action FraudAction
}

// DefaultVelocity is 3 people per device and 3 devices per person within 24 hours,
// beyond which a decision goes to review.
func DefaultVelocity() VelocityRule {
	return VelocityRule{Window: 24 * time.Hour, MaxSubjectsPerDevice: 3, MaxDevicesPerSubject: 3, Action: FraudReview}
}

// VelocityCheck is the in-memory velocity [FraudCheck]: it remembers, per device and per
// subject, the distinct counterparts seen within the window. Decisions without a device
// are not counted. It is local to one process (a deployment of several instances
// implements FraudCheck over a shared store) and safe for concurrent use.
type VelocityCheck struct {
	rule VelocityRule
	mu   sync.Mutex
	seen map[string][]sighting // "d:"+device -> subjects; "s:"+subject -> devices
}

type sighting struct {
	other string
	at    time.Time
}

// maxVelocityKeys bounds the check's memory: above it, expired sightings are swept.
const maxVelocityKeys = 1 << 16

// NewVelocityCheck returns an in-memory velocity check with rule (zero fields take
// [DefaultVelocity]'s).
func NewVelocityCheck(rule VelocityRule) *VelocityCheck {
	def := DefaultVelocity()
	if rule.Window <= 0 {
		rule.Window = def.Window
	}
	if rule.MaxSubjectsPerDevice <= 0 {
		rule.MaxSubjectsPerDevice = def.MaxSubjectsPerDevice
	}
	if rule.MaxDevicesPerSubject <= 0 {
		rule.MaxDevicesPerSubject = def.MaxDevicesPerSubject
	}
	if rule.Action == FraudRecord {
		rule.Action = FraudReview
	}
	return &VelocityCheck{rule: rule, seen: make(map[string][]sighting)}
}

// Name returns "velocity".
func (v *VelocityCheck) Name() string { return "velocity" }

// Check records the journey's device and subject and flags either when it has more
// distinct counterparts within the window than the rule allows.
func (v *VelocityCheck) Check(ctx context.Context, in FraudInput) (FraudFinding, error) {
	if err := ctx.Err(); err != nil {
		return FraudFinding{}, err
	}
	if in.Device == "" || in.Subject == "" {
		return FraudFinding{}, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.seen) > maxVelocityKeys {
		for k, s := range v.seen {
			if s = v.fresh(s, in.At); len(s) == 0 {
				delete(v.seen, k)
			} else {
				v.seen[k] = s
			}
		}
	}
	subjects := v.note("d:"+in.Device, in.Subject, in.At)
	devices := v.note("s:"+in.Subject, in.Device, in.At)
	switch {
	case subjects > v.rule.MaxSubjectsPerDevice:
		return FraudFinding{Flagged: true, Action: v.rule.Action, Signal: ReasonVelocityDevice}, nil
	case devices > v.rule.MaxDevicesPerSubject:
		return FraudFinding{Flagged: true, Action: v.rule.Action, Signal: ReasonVelocitySubject}, nil
	}
	return FraudFinding{}, nil
}

// fresh drops the sightings older than the window.
func (v *VelocityCheck) fresh(s []sighting, now time.Time) []sighting {
	return slices.DeleteFunc(s, func(x sighting) bool { return !now.Before(x.at.Add(v.rule.Window)) })
}

// note records other under key at now and returns the number of distinct others within
// the window.
func (v *VelocityCheck) note(key, other string, now time.Time) int {
	s := v.fresh(v.seen[key], now)
	if i := slices.IndexFunc(s, func(x sighting) bool { return x.other == other }); i >= 0 {
		s[i].at = now
	} else {
		s = append(s, sighting{other, now})
	}
	v.seen[key] = s
	return len(s)
}

// QuizSignal is a [FraudCheck] that uses the memory quiz as a fraud signal, not an
// assurance factor (SP 800-63A-4 §2.5.1 and §3.2.1): a quiz taken and failed is flagged
// with Action. A quiz not taken is no signal.
type QuizSignal struct {
	Action FraudAction
}

// Name returns "quiz".
func (q QuizSignal) Name() string { return "quiz" }

// Check flags a failed quiz.
func (q QuizSignal) Check(_ context.Context, in FraudInput) (FraudFinding, error) {
	if isNil(in.Memory) || in.Memory.QuizPassed() {
		return FraudFinding{}, nil
	}
	return FraudFinding{Flagged: true, Action: q.Action, Signal: ReasonQuizFailed}, nil
}

// String masks the subject and device bindings.
func (in FraudInput) String() string {
	return fmt.Sprintf("verify.FraudInput{subject=%s device=%s check=%s decision=%v}",
		maskSubject(in.Subject), mask.Middle(in.Device, 2, 2), in.CheckID, in.Decision)
}

// GoString returns the masked form.
func (in FraudInput) GoString() string { return in.String() }

// Format writes the masked form for every verb.
func (in FraudInput) Format(f fmt.State, verb rune) { mask.Format(f, verb, in.String(), in.GoString()) }

// LogValue masks the subject and device bindings.
func (in FraudInput) LogValue() slog.Value {
	return slog.GroupValue(slog.String("subject", maskSubject(in.Subject)),
		slog.String("device", mask.Middle(in.Device, 2, 2)), slog.Any("decision", in.Decision))
}

// MarshalJSON writes the masked summary as a JSON string.
func (in FraudInput) MarshalJSON() ([]byte, error) { return json.Marshal(in.String()) }

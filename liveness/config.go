package liveness

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
)

// PhotoRef is the host's opaque reference to the record photo a face is matched against
// (for example a registry photo ID). It is sealed into the session at Begin, so it cannot
// be swapped at Finish.
type PhotoRef string

// String masks the reference.
func (p PhotoRef) String() string { return mask.Middle(string(p), 2, 2) }

// ProbeRef is the host's opaque reference to the captured face (a stored frame or clip).
type ProbeRef string

// String masks the reference.
func (p ProbeRef) String() string { return mask.Middle(string(p), 2, 2) }

// Score is a face comparison score. Higher means more likely the same person. A raw score
// means nothing without the backend and model version that produced it: thresholds are
// configured per (Backend, ModelVersion).
type Score struct {
	Value        float64
	Backend      string
	ModelVersion string
}

// FaceMatcher compares the probe captured during the session with the reference photo. The
// host implements it around its face recognition service. An error is a system failure
// (the service cannot be reached), never a low score.
type FaceMatcher interface {
	Match(ctx context.Context, reference PhotoRef, probe ProbeRef) (Score, error)
}

// Threshold is the decision threshold for one face-matching backend and model version,
// calibrated by the host for a target false-match rate (FMR): a score passes when it is at
// least MinScore.
type Threshold struct {
	Backend      string
	ModelVersion string
	MinScore     float64
	// FalseMatchRate is the FMR that MinScore was calibrated for (for example 1e-5),
	// recorded in the audit trail. Must be in (0, 1).
	FalseMatchRate float64
}

type modelKey struct{ backend, version string }

// Config configures a [Challenger]. Zero values take the defaults stated per field.
type Config struct {
	// Keys seal session tokens (purpose "liveness"). Keys[0] seals; every key opens, so a
	// new key can be put first while the previous one still opens live sessions. Required.
	Keys []store.Key

	// Actions is the vocabulary. Default: [DefaultActions]. At least 4 and at most 64
	// actions, so that acceptable sequences exist (see Begin).
	Actions []ActionSpec
	// Steps is the number of actions per session: 3 to 16, default 3.
	Steps int
	// StartDelay is the time before the first step's window opens its count: camera start
	// and reading the first prompt. Default 3s.
	StartDelay time.Duration
	// Lifetime is how long a session may be finished after it began. It must cover
	// StartDelay plus Steps windows of the slowest action. Default 2 minutes.
	Lifetime time.Duration
	// MinReaction is the shortest human reaction between a prompt (session start or the
	// end of the previous step) and the start of the next action. Default 100ms.
	MinReaction time.Duration
	// MinConfidence is the analyser confidence below which a step does not count.
	// In (0, 1], default 0.5.
	MinConfidence float64
	// MaxClockSkew is how far an observation may lie after Finish's now, for analysers
	// whose clock runs slightly ahead. Zero means none. At most 5s.
	MaxClockSkew time.Duration

	// Attempts caps sessions per subject and per device, counted when a session begins.
	// Default: 5 within 3 minutes, then 30 minutes of cool-off.
	Attempts store.AttemptRule
	// IndexKey is the HMAC key (at least 32 bytes from crypto/rand) that turns a subject
	// or device into its attempt-store key. It never rotates (a new key would forget
	// every count) and must be the same on every instance that shares an AttemptStore.
	// Required when AttemptStore is set; with the in-memory default a random key is made
	// per Challenger, which is all a store local to one process needs.
	IndexKey []byte
	// AttemptStore counts attempts. Default: [store.NewMemoryAttemptStore].
	// With a host-supplied store, IndexKey is required.
	AttemptStore store.AttemptStore
	// ReplayGuard makes sessions single use. Default: [store.NewMemoryReplayGuard].
	ReplayGuard store.ReplayGuard

	// Consents holds the biometric consents Begin requires (BeginRequest.Consent).
	// Default: [NewMemoryConsentStore], reachable through [Challenger.Consents].
	Consents ConsentStore

	// RequireDeviceBinding makes BeginRequest.DeviceKey mandatory. Default false, so
	// that hosts whose clients cannot sign yet keep working; a session begun with a key
	// is device-bound whatever this says (see [CaptureEnvelope]). Hosts claiming SP
	// 800-63A-4 §3.14 injection defences set it.
	RequireDeviceBinding bool
	// Attestation, when set, verifies the platform attestation of every device key at
	// Begin (BeginRequest.Attestation is then required with a key). Optional.
	Attestation AttestationVerifier
	// DeviceRiskPolicy maps device risks to refuse or review. Default:
	// [DefaultDeviceRiskPolicy]. A risk not in the map is refused.
	DeviceRiskPolicy map[DeviceRisk]RiskAction

	// Thresholds holds one entry per face-matching backend and model version. Required:
	// a score from a pair not listed is refused.
	Thresholds []Threshold
	// Matcher is called by Finish when the request carries no precomputed Score. Optional.
	Matcher FaceMatcher

	// Now returns the current time. Default time.Now.
	Now func() time.Time
	// Logger receives warnings (an attempt counter that could not be reset). Default:
	// silent.
	Logger *slog.Logger
}

// DefaultAttempts returns the default attempt cap: 5 sessions within 3 minutes, then a
// 30-minute cool-off.
func DefaultAttempts() store.AttemptRule {
	return store.AttemptRule{Limit: 5, Window: 3 * time.Minute, Cooloff: 30 * time.Minute}
}

// Challenger begins and finishes liveness sessions. It is safe for concurrent use.
type Challenger struct {
	cfg        Config
	sealer     *seal.Sealer
	specs      []ActionSpec
	index      map[Action]int
	thresholds map[modelKey]Threshold
	indexKey   []byte
	results    *seal.Sealer
	riskPolicy map[DeviceRisk]RiskAction
}

// minIndexKey is the shortest IndexKey accepted, in bytes.
const minIndexKey = 32

// New validates cfg, fills in defaults and returns a Challenger.
func New(cfg Config) (*Challenger, error) {
	if len(cfg.Keys) == 0 {
		return nil, invalidf("Config.Keys is required")
	}
	sealer, err := seal.New(sealPurpose, cfg.Keys...)
	if err != nil {
		return nil, fmt.Errorf("liveness: %w", err)
	}
	results, err := seal.New(resultPurpose, cfg.Keys...)
	if err != nil {
		return nil, fmt.Errorf("liveness: %w", err)
	}
	if cfg.Actions == nil {
		cfg.Actions = DefaultActions()
	}
	if len(cfg.Actions) < minActions || len(cfg.Actions) > maxActions {
		return nil, invalidf("need %d to %d actions, have %d", minActions, maxActions, len(cfg.Actions))
	}
	c := &Challenger{
		sealer:     sealer,
		results:    results,
		specs:      append([]ActionSpec(nil), cfg.Actions...),
		index:      make(map[Action]int, len(cfg.Actions)),
		thresholds: make(map[modelKey]Threshold, len(cfg.Thresholds)),
	}
	var maxWindow time.Duration
	for i, s := range c.specs {
		if err := s.validate(); err != nil {
			return nil, err
		}
		if _, dup := c.index[s.Action]; dup {
			return nil, invalidf("duplicate action %q", s.Action)
		}
		c.index[s.Action] = i
		maxWindow = max(maxWindow, s.Window)
	}
	if cfg.Steps == 0 {
		cfg.Steps = minSteps
	}
	if cfg.Steps < minSteps || cfg.Steps > maxSteps {
		return nil, invalidf("Steps must be %d to %d", minSteps, maxSteps)
	}
	if cfg.StartDelay == 0 {
		cfg.StartDelay = 3 * time.Second
	}
	if cfg.StartDelay < 0 {
		return nil, invalidf("StartDelay must not be negative")
	}
	if cfg.Lifetime == 0 {
		cfg.Lifetime = 2 * time.Minute
	}
	if need := cfg.StartDelay + time.Duration(cfg.Steps)*maxWindow; cfg.Lifetime < need {
		return nil, invalidf("Lifetime %v shorter than StartDelay plus %d windows (%v)", cfg.Lifetime, cfg.Steps, need)
	}
	if cfg.Lifetime > time.Hour {
		return nil, invalidf("Lifetime longer than an hour")
	}
	if cfg.MinReaction == 0 {
		cfg.MinReaction = 100 * time.Millisecond
	}
	if cfg.MinReaction < 0 {
		return nil, invalidf("MinReaction must not be negative")
	}
	if cfg.MinConfidence == 0 {
		cfg.MinConfidence = 0.5
	}
	if !(cfg.MinConfidence > 0 && cfg.MinConfidence <= 1) {
		return nil, invalidf("MinConfidence must be in (0, 1]")
	}
	if cfg.MaxClockSkew < 0 || cfg.MaxClockSkew > 5*time.Second {
		return nil, invalidf("MaxClockSkew must be in [0, 5s]")
	}
	if cfg.Attempts == (store.AttemptRule{}) {
		cfg.Attempts = DefaultAttempts()
	}
	if err := cfg.Attempts.Validate(); err != nil {
		return nil, fmt.Errorf("liveness: Attempts: %w", err)
	}
	switch {
	case len(cfg.IndexKey) >= minIndexKey:
		c.indexKey = bytes.Clone(cfg.IndexKey)
	case cfg.IndexKey != nil || cfg.AttemptStore != nil:
		return nil, invalidf("IndexKey of at least %d bytes is required with a host AttemptStore", minIndexKey)
	default:
		c.indexKey = make([]byte, minIndexKey)
		rand.Read(c.indexKey)
	}
	cfg.IndexKey = nil
	if cfg.AttemptStore == nil {
		cfg.AttemptStore = store.NewMemoryAttemptStore()
	}
	if cfg.ReplayGuard == nil {
		cfg.ReplayGuard = store.NewMemoryReplayGuard()
	}
	if cfg.DeviceRiskPolicy == nil {
		cfg.DeviceRiskPolicy = DefaultDeviceRiskPolicy()
	}
	c.riskPolicy = make(map[DeviceRisk]RiskAction, len(cfg.DeviceRiskPolicy))
	for r, a := range cfg.DeviceRiskPolicy {
		if r == "" || len(r) > maxRiskLen || a > RiskReview {
			return nil, invalidf("DeviceRiskPolicy: bad risk or action")
		}
		c.riskPolicy[r] = a
	}
	cfg.DeviceRiskPolicy = nil
	if cfg.Consents == nil {
		cfg.Consents = NewMemoryConsentStore()
	}
	if len(cfg.Thresholds) == 0 {
		return nil, invalidf("Config.Thresholds is required")
	}
	for _, t := range cfg.Thresholds {
		if t.Backend == "" || t.ModelVersion == "" {
			return nil, invalidf("threshold without Backend or ModelVersion")
		}
		if math.IsNaN(t.MinScore) || math.IsInf(t.MinScore, 0) {
			return nil, invalidf("threshold %s/%s: MinScore must be finite", t.Backend, t.ModelVersion)
		}
		if !(t.FalseMatchRate > 0 && t.FalseMatchRate < 1) {
			return nil, invalidf("threshold %s/%s: FalseMatchRate must be in (0, 1)", t.Backend, t.ModelVersion)
		}
		k := modelKey{t.Backend, t.ModelVersion}
		if _, dup := c.thresholds[k]; dup {
			return nil, invalidf("duplicate threshold for %s/%s", t.Backend, t.ModelVersion)
		}
		c.thresholds[k] = t
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Keys = nil // the sealer holds its own copies
	cfg.Actions = c.specs
	cfg.Thresholds = nil
	c.cfg = cfg
	return c, nil
}

// invalidf reports a configuration mistake; the error matches [ErrInvalidArgument].
func invalidf(format string, args ...any) error {
	return fmt.Errorf("liveness: "+format+": %w", append(args, ErrInvalidArgument)...)
}

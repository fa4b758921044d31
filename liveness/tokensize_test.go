package liveness

import (
	"context"
	"crypto/ed25519"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
)

// TestLargestTokenFits: a session with the longest fields and the most steps seals into a
// token within maxTokenLen, so the cap never refuses a token Begin issued.
func TestLargestTokenFits(t *testing.T) {
	var actions []ActionSpec
	for _, c := range "abcdefghijklmnop" {
		actions = append(actions, ActionSpec{Action: Action(strings.Repeat(string(c), maxActionLen)),
			Window: time.Second, MinDuration: time.Millisecond})
	}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	// The most attested risks, each as long as allowed, all under review.
	policy := map[DeviceRisk]RiskAction{}
	var risks []DeviceRisk
	for i := range maxRisks {
		r := DeviceRisk(strings.Repeat(string(rune('a'+i)), maxRiskLen))
		policy[r], risks = RiskReview, append(risks, r)
	}
	c, err := New(Config{
		DeviceRiskPolicy: policy,
		Attestation:      attestorFunc(func(context.Context, ed25519.PublicKey, []byte) ([]DeviceRisk, error) { return risks, nil }),
		Keys:             []store.Key{{ID: 1<<32 - 1, Secret: make([]byte, 32)}},
		Actions:          actions,
		Steps:            maxSteps,
		Lifetime:         time.Hour,
		Thresholds:       []Threshold{{Backend: "b", ModelVersion: "v", MinScore: 0.5, FalseMatchRate: 1e-4}},
		Now:              func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	// The longest consent ID a host store may hand out.
	consent := Consent{ID: strings.Repeat("c", maxField), Subject: strings.Repeat("s", maxField),
		Purpose: PurposeBiometric, TextVersion: "v1", GivenAt: now}
	c.cfg.Consents.(*MemoryConsentStore).m[consent.ID] = consent
	ch, err := c.Begin(context.Background(), BeginRequest{Subject: strings.Repeat("s", maxField),
		Device: strings.Repeat("d", maxField), Reference: PhotoRef(strings.Repeat("r", maxField)), Consent: consent.ID,
		DeviceKey: make(ed25519.PublicKey, ed25519.PublicKeySize), Attestation: []byte("a")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Token) > maxTokenLen {
		t.Errorf("largest token is %d characters, cap is %d", len(ch.Token), maxTokenLen)
	}
	t.Logf("largest token: %d characters", len(ch.Token))
}

// TestHugeTokenRefusedCheaply: a token far longer than any Begin issues is refused
// before it is decoded, so it costs no allocation in proportion to its length.
func TestHugeTokenRefusedCheaply(t *testing.T) {
	c, err := New(Config{
		Keys:       []store.Key{{ID: 1, Secret: make([]byte, 32)}},
		Thresholds: []Threshold{{Backend: "b", ModelVersion: "v", MinScore: 0.5, FalseMatchRate: 1e-4}},
	})
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("A", 1<<20) // valid base64url, under internal/seal's own 1 MiB cap
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = c.Finish(context.Background(), FinishRequest{Token: huge})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrNotAuthentic) {
		t.Fatalf("Finish(huge) = %v, want ErrNotAuthentic", err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 64<<10 {
		t.Errorf("Finish(huge) allocated %d bytes, want under 64 KiB", d)
	}
}

type attestorFunc func(context.Context, ed25519.PublicKey, []byte) ([]DeviceRisk, error)

func (f attestorFunc) VerifyAttestation(ctx context.Context, k ed25519.PublicKey, a []byte) ([]DeviceRisk, error) {
	return f(ctx, k, a)
}

// Package livenesstest helps hosts test their integration with package liveness.
//
// It offers two demo helpers for tests and examples: [Simulate], which produces
// plausible observations for a challenge, and [FixedMatcher], a face matcher that always
// returns the same score. Neither performs any analysis: never use them in production.
package livenesstest

import (
	"context"
	"time"

	"github.com/trustid/trustid/liveness"
)

// Timing of the simulated person.
const (
	// SimulatedReaction is the pause Simulate leaves before each action.
	SimulatedReaction = 400 * time.Millisecond
	// SimulatedDuration is the least time Simulate gives an action; an action whose
	// MinDuration is longer gets twice its MinDuration.
	SimulatedDuration = 600 * time.Millisecond
	// SimulatedConfidence is the confidence Simulate reports.
	SimulatedConfidence = 0.97
)

// Simulate returns the observations a well-behaved analyser would report for a person who
// starts the challenge at start (or at its issue time, if later) and performs every step
// in order: SimulatedReaction before each action, each lasting
// max(SimulatedDuration, 2*MinDuration), bound to the challenge's session, subject and
// device.
//
// It is a test and demo helper: it performs no analysis, and its observations meet the
// deadlines only when start leaves time for them.
func Simulate(ch *liveness.Challenge, start time.Time) []liveness.Observation {
	at := start
	if at.Before(ch.IssuedAt) {
		at = ch.IssuedAt
	}
	obs := make([]liveness.Observation, len(ch.Steps))
	for i, st := range ch.Steps {
		at = at.Add(SimulatedReaction)
		d := max(SimulatedDuration, 2*st.MinDuration)
		obs[i] = liveness.Observation{
			Action:     st.Action,
			Start:      at,
			End:        at.Add(d),
			Confidence: SimulatedConfidence,
			Session:    ch.SessionID,
			Subject:    ch.Subject,
			Device:     ch.Device,
		}
		at = at.Add(d)
	}
	return obs
}

// FixedMatcher is a [liveness.FaceMatcher] that returns its own score for every
// comparison. It is a test and demo helper: it compares nothing.
type FixedMatcher liveness.Score

// Match returns the fixed score, or ctx's error when ctx is done.
func (m FixedMatcher) Match(ctx context.Context, _ liveness.PhotoRef, _ liveness.ProbeRef) (liveness.Score, error) {
	if err := ctx.Err(); err != nil {
		return liveness.Score{}, err
	}
	return liveness.Score(m), nil
}

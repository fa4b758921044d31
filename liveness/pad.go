package liveness

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// PADData holds labelled scores from the host's presentation-attack detector (PAD), for
// evaluation with the metrics of ISO/IEC 30107-3.
//
// Score convention: a higher score means more likely an attack. Decision rule: a
// presentation is classified as an attack when its score is at least the threshold
// (score >= t), and as bona fide otherwise. A detector that scores the other way round
// (higher = more likely bona fide) must be negated first.
type PADData struct {
	// BonaFide are the scores of bona fide presentations.
	BonaFide []float64
	// Attacks maps each presentation attack instrument (PAI) species (for example
	// "print", "screen-replay", "paper-mask", "3d-mask") to its attack scores.
	Attacks map[string][]float64
}

// PADMetrics are the ISO/IEC 30107-3 error rates at one threshold.
type PADMetrics struct {
	Threshold float64
	// APCER per PAI species: the proportion of that species' attacks classified as bona
	// fide (score < Threshold).
	APCER map[string]float64
	// MaxAPCER is the APCER of the worst species (the maximum over species, as ISO/IEC
	// 30107-3 reports for a set of species), and WorstSpecies names it (the first in
	// lexical order on a tie).
	MaxAPCER     float64
	WorstSpecies string
	// BPCER is the proportion of bona fide presentations classified as attacks
	// (score >= Threshold).
	BPCER float64
}

// PADEvaluation answers metric questions over one data set. It is immutable and safe for
// concurrent use.
type PADEvaluation struct {
	bonaFide []float64            // sorted ascending
	attacks  map[string][]float64 // sorted ascending
	species  []string             // sorted
}

// ErrPADData is returned for unusable PAD data or arguments.
var ErrPADData = errors.New("liveness: invalid PAD evaluation data")

// NewPADEvaluation copies and validates d: at least one bona fide score, at least one
// species, every species named and with at least one score, every score finite.
func NewPADEvaluation(d PADData) (*PADEvaluation, error) {
	if len(d.BonaFide) == 0 {
		return nil, fmt.Errorf("%w: no bona fide scores", ErrPADData)
	}
	if len(d.Attacks) == 0 {
		return nil, fmt.Errorf("%w: no attack species", ErrPADData)
	}
	e := &PADEvaluation{attacks: make(map[string][]float64, len(d.Attacks))}
	var err error
	if e.bonaFide, err = sortedScores(d.BonaFide); err != nil {
		return nil, err
	}
	for sp, scores := range d.Attacks {
		if sp == "" {
			return nil, fmt.Errorf("%w: unnamed species", ErrPADData)
		}
		if len(scores) == 0 {
			return nil, fmt.Errorf("%w: species %q has no scores", ErrPADData, sp)
		}
		if e.attacks[sp], err = sortedScores(scores); err != nil {
			return nil, err
		}
		e.species = append(e.species, sp)
	}
	slices.Sort(e.species)
	return e, nil
}

func sortedScores(s []float64) ([]float64, error) {
	out := slices.Clone(s)
	for _, v := range out {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: score not finite", ErrPADData)
		}
	}
	slices.Sort(out)
	return out, nil
}

// below counts the scores strictly below t in an ascending slice.
func below(sorted []float64, t float64) int { return sort.SearchFloat64s(sorted, t) }

// At returns the metrics at threshold t. It refuses a NaN threshold (ErrPADData): every
// comparison with NaN is false, so it would report every attack caught and every bona
// fide presentation accepted. ±Inf are allowed (everything accepted or refused).
func (e *PADEvaluation) At(t float64) (PADMetrics, error) {
	if math.IsNaN(t) {
		return PADMetrics{}, fmt.Errorf("%w: threshold is NaN", ErrPADData)
	}
	return e.at(t), nil
}

func (e *PADEvaluation) at(t float64) PADMetrics {
	m := PADMetrics{Threshold: t, APCER: make(map[string]float64, len(e.species))}
	for _, sp := range e.species {
		a := e.attacks[sp]
		v := float64(below(a, t)) / float64(len(a))
		m.APCER[sp] = v
		if m.WorstSpecies == "" || v > m.MaxAPCER {
			m.MaxAPCER, m.WorstSpecies = v, sp
		}
	}
	m.BPCER = float64(len(e.bonaFide)-below(e.bonaFide, t)) / float64(len(e.bonaFide))
	return m
}

// ThresholdForAPCER returns the metrics at the threshold with the lowest BPCER whose
// MaxAPCER is at most maxAPCER, in [0, 1). Since APCER only grows and BPCER only falls as
// the threshold rises, that is the highest such threshold: for each species with n
// attacks, the (floor(maxAPCER*n)+1)-th lowest attack score, and the lowest of these over
// species. Every attack at or above it is still caught.
func (e *PADEvaluation) ThresholdForAPCER(maxAPCER float64) (PADMetrics, error) {
	if !(maxAPCER >= 0 && maxAPCER < 1) {
		return PADMetrics{}, fmt.Errorf("%w: APCER target must be in [0, 1)", ErrPADData)
	}
	t := math.Inf(1)
	for _, sp := range e.species {
		a := e.attacks[sp]
		// The largest number of misses m with m/n <= maxAPCER. Division is correctly
		// rounded, so a target written as k/n (0.05 for 1/20) is met exactly.
		m := 0
		for m+1 <= len(a) && float64(m+1)/float64(len(a)) <= maxAPCER {
			m++
		}
		t = min(t, a[m]) // m < len(a) because maxAPCER < 1
	}
	return e.at(t), nil
}

// BPCERAt returns the metrics at the operating point BPCER_N of ISO/IEC 30107-3 (BPCER20,
// BPCER100, ...): the lowest BPCER at which MaxAPCER is at most 1/N. N must be at least 2.
func (e *PADEvaluation) BPCERAt(n int) (PADMetrics, error) {
	if n < 2 {
		return PADMetrics{}, fmt.Errorf("%w: N must be at least 2", ErrPADData)
	}
	t := math.Inf(1)
	for _, sp := range e.species {
		a := e.attacks[sp]
		// misses m allowed while m*N <= len(a): exact integer arithmetic.
		m := len(a) / n
		t = min(t, a[m])
	}
	return e.at(t), nil
}

// ThresholdForBPCER returns the metrics at the threshold with the lowest MaxAPCER whose
// BPCER is at most maxBPCER, in [0, 1]: the lowest threshold that keeps BPCER within the
// target. When k bona fide rejections are allowed, that is the smallest float64 above the
// (n-k)-th lowest bona fide score (maxBPCER = 0: just above the highest one); when all may
// be rejected, -Inf.
func (e *PADEvaluation) ThresholdForBPCER(maxBPCER float64) (PADMetrics, error) {
	if !(maxBPCER >= 0 && maxBPCER <= 1) {
		return PADMetrics{}, fmt.Errorf("%w: BPCER target must be in [0, 1]", ErrPADData)
	}
	n := len(e.bonaFide)
	// k = the largest number of false rejections allowed: k/n <= maxBPCER.
	k := 0
	for k+1 <= n && float64(k+1)/float64(n) <= maxBPCER {
		k++
	}
	if k == n {
		return e.at(math.Inf(-1)), nil
	}
	// The n-k lowest bona fide scores must lie below t: t just above bonaFide[n-k-1].
	return e.at(math.Nextafter(e.bonaFide[n-k-1], math.Inf(1))), nil
}

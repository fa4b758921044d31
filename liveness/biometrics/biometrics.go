// Package biometrics evaluates the host's face matcher and presentation-attack detector
// against the bars of NIST SP 800-63A-4 §3.11, from labelled scores:
//
//   - verification error rates of ISO/IEC 19795-1 at one threshold or across all
//     ([Verification]): the false match rate (FMR, the proportion of non-mated,
//     impostor comparisons whose score reaches the threshold) and the false non-match
//     rate (FNMR, the proportion of mated, genuine comparisons below it), the FNMR at a
//     target FMR ([Verification.ThresholdForFMR]; SP 800-63A-4 asks FMR ≤ 1:10,000 with
//     FNMR ≤ 1:100, [MaxFMR] and [MaxFNMR]) and the detection error trade-off curve
//     ([Verification.DET], drawn by [WriteDETSVG] on normal-deviate axes);
//   - the demographic differential at one threshold ([Demographics]): each group's FMR
//     and FNMR against the whole population's, with no group more than 25% worse
//     ([MaxDifferential]);
//   - the impostor attack presentation accept rate of ISO/IEC 30107-3:2023 ([IAPAR]): per
//     presentation attack instrument species, the proportion of impostor attacks that
//     the whole system — detector and matcher together — accepted, below 0.07 ([MaxIAPAR]).
//
// Score conventions: a comparison score is higher for more similar faces, and a
// comparison is a match when its score is at least the threshold (score ≥ t). A
// presentation-attack score is higher for a more likely attack, and a presentation is
// classified as an attack when its score is at least the PAD threshold, as in
// liveness.PADData. Scores must be finite; every function refuses NaN, infinite or empty
// input with an error matching [ErrInvalidData] rather than return a rate that means
// nothing. A rate is only as good as its sample: [Verification.ThresholdForFMR] refuses a
// target the impostor set cannot resolve (fewer than 1/target comparisons).
package biometrics

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Bars of SP 800-63A-4 §3.11.
const (
	// MaxFMR is the highest 1:1 false match rate allowed: 1 in 10,000.
	MaxFMR = 1e-4
	// MaxFNMR is the highest 1:1 false non-match rate allowed: 1 in 100.
	MaxFNMR = 1e-2
	// MaxDifferential is how much worse than the whole population any demographic group
	// may be, at one threshold: 25%, so a group's rate may be at most 1.25 times the
	// whole's.
	MaxDifferential = 0.25
	// MaxIAPAR is the bound on the impostor attack presentation accept rate: IAPAR must
	// be below 0.07.
	MaxIAPAR = 0.07
)

// ErrInvalidData is returned for empty, non-finite or otherwise unusable scores and
// arguments.
var ErrInvalidData = errors.New("biometrics: invalid evaluation data")

func invalid(format string, args ...any) error {
	return fmt.Errorf("biometrics: "+format+": %w", append(args, ErrInvalidData)...)
}

// sorted returns a sorted copy of s, refusing an empty or non-finite set.
func sorted(what string, s []float64) ([]float64, error) {
	if len(s) == 0 {
		return nil, invalid("no %s scores", what)
	}
	out := slices.Clone(s)
	for _, v := range out {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, invalid("%s score not finite", what)
		}
	}
	slices.Sort(out)
	return out, nil
}

// below counts the scores strictly below t in an ascending slice.
func below(s []float64, t float64) int { return sort.SearchFloat64s(s, t) }

// Rates are the verification error rates at one threshold, with the counts they come
// from.
type Rates struct {
	Threshold float64
	// FMR = FalseMatches / Impostor: impostor scores at or above Threshold.
	FMR          float64
	FalseMatches int
	Impostor     int
	// FNMR = FalseNonMatches / Genuine: genuine scores below Threshold.
	FNMR            float64
	FalseNonMatches int
	Genuine         int
}

// Meets reports whether the rates meet SP 800-63A-4 §3.11: FMR ≤ 1:10,000 and
// FNMR ≤ 1:100.
func (r Rates) Meets() bool { return r.FMR <= MaxFMR && r.FNMR <= MaxFNMR }

// Verification holds the genuine (mated) and impostor (non-mated) comparison scores of
// a face matcher. It is immutable and safe for concurrent use; a nil *Verification is
// not usable (its methods panic).
type Verification struct {
	genuine, impostor []float64 // ascending
}

// NewVerification copies and validates the scores: both sets non-empty, every score
// finite.
func NewVerification(genuine, impostor []float64) (*Verification, error) {
	g, err := sorted("genuine", genuine)
	if err != nil {
		return nil, err
	}
	i, err := sorted("impostor", impostor)
	if err != nil {
		return nil, err
	}
	return &Verification{genuine: g, impostor: i}, nil
}

// At returns the rates at threshold t. t must not be NaN (±Inf are allowed: every
// comparison rejected or accepted).
func (v *Verification) At(t float64) (Rates, error) {
	if math.IsNaN(t) {
		return Rates{}, invalid("threshold is NaN")
	}
	return v.at(t), nil
}

func (v *Verification) at(t float64) Rates {
	fm := len(v.impostor) - below(v.impostor, t)
	fnm := below(v.genuine, t)
	return Rates{Threshold: t,
		FMR: float64(fm) / float64(len(v.impostor)), FalseMatches: fm, Impostor: len(v.impostor),
		FNMR: float64(fnm) / float64(len(v.genuine)), FalseNonMatches: fnm, Genuine: len(v.genuine)}
}

// DET returns the rates at every threshold where they change, in increasing threshold
// order (FMR falling, FNMR rising): at each distinct score, and just above the highest,
// where every comparison is rejected.
func (v *Verification) DET() []Rates {
	ts := slices.Concat(v.genuine, v.impostor)
	slices.Sort(ts)
	ts = slices.Compact(ts)
	out := make([]Rates, 0, len(ts)+1)
	for _, t := range ts {
		out = append(out, v.at(t))
	}
	return append(out, v.at(math.Nextafter(ts[len(ts)-1], math.Inf(1))))
}

// ThresholdForFMR returns the rates at the lowest threshold whose FMR is at most
// maxFMR, in (0, 1): the operating point with the lowest FNMR that keeps the target
// (for SP 800-63A-4, ThresholdForFMR(MaxFMR) gives the FNMR at FMR = 1:10,000). With k
// false matches allowed (k/n ≤ maxFMR for n impostor scores), that is the smallest
// float64 above the (n-k)-th lowest impostor score. It refuses a target below 1/n: the
// impostor set is too small to measure it.
func (v *Verification) ThresholdForFMR(maxFMR float64) (Rates, error) {
	n := len(v.impostor)
	if !(maxFMR > 0 && maxFMR < 1) {
		return Rates{}, invalid("FMR target must be in (0, 1)")
	}
	if float64(n)*maxFMR < 1 {
		return Rates{}, invalid("%d impostor comparisons cannot resolve an FMR of %g", n, maxFMR)
	}
	k := 0
	for k+1 <= n && float64(k+1)/float64(n) <= maxFMR {
		k++
	}
	return v.at(math.Nextafter(v.impostor[n-k-1], math.Inf(1))), nil
}

package biometrics

import (
	"math"
	"slices"
)

// AttackTrial is one impostor attack presentation run through the whole system: the
// presentation-attack detector's score (higher = more likely an attack) and the face
// comparison score against the impersonated person's reference.
type AttackTrial struct {
	PAD   float64
	Match float64
}

// IAPARReport is the impostor attack presentation accept rate per presentation attack
// instrument (PAI) species.
type IAPARReport struct {
	PADThreshold, MatchThreshold float64
	// BySpecies is each species' IAPAR: accepted attacks / attacks.
	BySpecies map[string]float64
	// Max is the highest species IAPAR and Worst names it (the first in lexical order
	// on a tie).
	Max   float64
	Worst string
	// Meets reports whether every species' IAPAR is below MaxIAPAR (SP 800-63A-4 §3.11).
	Meets bool
}

// IAPAR computes the impostor attack presentation accept rate of ISO/IEC 30107-3:2023
// per PAI species: an attack is accepted when the detector classifies it as bona fide
// (PAD score below padThreshold) and the face matches (match score at least
// matchThreshold). Every species needs a name and at least one trial; scores and
// thresholds must be finite.
func IAPAR(attacks map[string][]AttackTrial, padThreshold, matchThreshold float64) (IAPARReport, error) {
	if len(attacks) == 0 {
		return IAPARReport{}, invalid("no attack species")
	}
	if !finite(padThreshold) || !finite(matchThreshold) {
		return IAPARReport{}, invalid("thresholds must be finite")
	}
	species := make([]string, 0, len(attacks))
	for sp := range attacks {
		species = append(species, sp)
	}
	slices.Sort(species)
	r := IAPARReport{PADThreshold: padThreshold, MatchThreshold: matchThreshold,
		BySpecies: make(map[string]float64, len(attacks))}
	for _, sp := range species {
		trials := attacks[sp]
		if sp == "" || len(trials) == 0 {
			return IAPARReport{}, invalid("species without a name or trials")
		}
		accepted := 0
		for _, a := range trials {
			if !finite(a.PAD) || !finite(a.Match) {
				return IAPARReport{}, invalid("attack score not finite")
			}
			if a.PAD < padThreshold && a.Match >= matchThreshold {
				accepted++
			}
		}
		v := float64(accepted) / float64(len(trials))
		r.BySpecies[sp] = v
		if r.Worst == "" || v > r.Max {
			r.Max, r.Worst = v, sp
		}
	}
	r.Meets = r.Max < MaxIAPAR
	return r, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

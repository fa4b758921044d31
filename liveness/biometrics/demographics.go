package biometrics

import (
	"math"
	"slices"
)

// Scores are one population's genuine and impostor comparison scores.
type Scores struct {
	Genuine  []float64
	Impostor []float64
}

// GroupRates are a demographic group's rates at the common threshold and how they
// compare with the whole population's.
type GroupRates struct {
	Group string
	Rates
	// FMRRatio and FNMRRatio are the group's rate divided by the whole's (1 = as good
	// as the whole; 1.25 = 25% worse). When the whole's rate is 0 the ratio is 1 if the
	// group's is 0 too, else +Inf.
	FMRRatio, FNMRRatio float64
	// Within reports whether both ratios are at most 1 + MaxDifferential.
	Within bool
}

// DemographicReport is the demographic differential at one threshold.
type DemographicReport struct {
	Threshold float64
	// Whole is the rates over every group's scores together.
	Whole Rates
	// Groups, in lexical order of their names.
	Groups []GroupRates
	// Within reports whether every group is within MaxDifferential of the whole, for
	// both FMR and FNMR (SP 800-63A-4 §3.11).
	Within bool
}

// Demographics computes each group's FMR and FNMR at threshold t against the whole
// population's (the union of the groups). It needs at least two named groups, each with
// genuine and impostor scores; t must not be NaN.
func Demographics(groups map[string]Scores, t float64) (DemographicReport, error) {
	if len(groups) < 2 {
		return DemographicReport{}, invalid("need at least two groups")
	}
	if math.IsNaN(t) {
		return DemographicReport{}, invalid("threshold is NaN")
	}
	names := make([]string, 0, len(groups))
	var all Scores
	for name, s := range groups {
		if name == "" {
			return DemographicReport{}, invalid("unnamed group")
		}
		names = append(names, name)
		all.Genuine = append(all.Genuine, s.Genuine...)
		all.Impostor = append(all.Impostor, s.Impostor...)
	}
	slices.Sort(names)
	whole, err := NewVerification(all.Genuine, all.Impostor)
	if err != nil {
		return DemographicReport{}, err
	}
	r := DemographicReport{Threshold: t, Whole: whole.at(t), Within: true}
	for _, name := range names {
		v, err := NewVerification(groups[name].Genuine, groups[name].Impostor)
		if err != nil {
			return DemographicReport{}, err
		}
		g := GroupRates{Group: name, Rates: v.at(t)}
		g.FMRRatio = ratio(g.FMR, r.Whole.FMR)
		g.FNMRRatio = ratio(g.FNMR, r.Whole.FNMR)
		g.Within = g.FMRRatio <= 1+MaxDifferential && g.FNMRRatio <= 1+MaxDifferential
		r.Within = r.Within && g.Within
		r.Groups = append(r.Groups, g)
	}
	return r, nil
}

func ratio(group, whole float64) float64 {
	switch {
	case whole > 0:
		return group / whole
	case group == 0:
		return 1
	}
	return math.Inf(1)
}

package verify

import (
	"fmt"
	"slices"
	"time"
)

// SealRefereed returns the decision a reviewer acting as a trusted referee (NIST SP
// 800-63A-4 §3.15) made on the journey decision sealed in token, sealed by s (its Token is
// set), for a referee who decides after the journey decision's own validity ended, as a
// review case does.
//
// token must be a decision s can open that was still valid at heldAt: heldAt is when the
// caller opened and kept it (verify/review: when the application carrying it was made,
// recorded under the desk's own key). The caller vouches for heldAt; nothing else is
// taken on trust. The journey decision must have reached at least [LevelRealName] (a
// review, a pass, or a fail only because the required level was not reached) and must not
// be refereed already. The referee needs a Reviewer, a Case, at least one Rationale code,
// and a DecidedAt neither before heldAt nor more than a minute after s's clock;
// validUntil must be after DecidedAt and after s's clock.
//
// The refereed decision passes at the journey's Level, never higher; its Required is the
// lower of the journey's Required and Level, since the referee accepted the case at that
// level. It keeps the journey's Kind, Subject, CheckID, Evidence and hidden person (so
// [Decision.IsPerson] holds for the same person), appends the referee's rationale to the
// journey's Reasons and an [EvidenceRef] of [FactorReview] (completed at DecidedAt, valid
// until validUntil) to its Evidence, and is dated DecidedAt, valid until validUntil.
//
// Errors: [ErrNotAuthentic] for a token s cannot authenticate, [ErrExpired] for one that
// was no longer valid at heldAt, [ErrInvalidArgument] for a journey decision or referee
// that breaks the rules above.
func (s *DecisionSealer) SealRefereed(token string, heldAt time.Time, r Referee, validUntil time.Time) (Decision, error) {
	j, err := s.openAt(token, heldAt)
	if err != nil {
		return Decision{}, err
	}
	now := s.now()
	switch {
	case !j.Level.Valid() || j.Level < LevelRealName:
		return Decision{}, refereeInvalid("the journey decision reached no level a referee can accept")
	case j.Referee != nil:
		return Decision{}, refereeInvalid("the journey decision is refereed already")
	case heldAt.Before(j.DecidedAt.Add(-maxFutureSkew)):
		return Decision{}, refereeInvalid("held before it was decided")
	case r.Reviewer == "" || r.Case == "" || len(r.Rationale) == 0:
		return Decision{}, refereeInvalid("a referee needs a reviewer, a case and a rationale")
	case r.DecidedAt.Before(heldAt) || r.DecidedAt.Sub(now) > maxFutureSkew:
		return Decision{}, refereeInvalid("the referee's decision time is out of range")
	case !validUntil.After(r.DecidedAt) || !validUntil.After(now):
		return Decision{}, refereeInvalid("validity must end after the referee's decision and now")
	}
	ref := r
	ref.Rationale = slices.Clone(r.Rationale)
	d := Decision{Outcome: OutcomePass, Level: j.Level, Required: min(j.Required, j.Level), Kind: j.Kind,
		Subject: j.Subject, CheckID: j.CheckID, DecidedAt: r.DecidedAt, ValidUntil: validUntil, Referee: &ref,
		person: j.person, Pathway: j.Pathway, Fraud: slices.Clone(j.Fraud)}
	d.Reasons = slices.Clone(j.Reasons)
	for _, x := range r.Rationale {
		if !containsReason(d.Reasons, x) {
			d.Reasons = append(d.Reasons, x)
		}
	}
	d.Evidence = append(slices.Clone(j.Evidence), EvidenceRef{Factor: FactorReview, CompletedAt: r.DecidedAt, ValidUntil: validUntil})
	if d.Token, err = s.Seal(d); err != nil {
		return Decision{}, err
	}
	return d, nil
}

func refereeInvalid(rule string) error {
	return fmt.Errorf("verify: referee: %s: %w", rule, ErrInvalidArgument)
}

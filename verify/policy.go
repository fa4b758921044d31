package verify

import (
	"crypto/subtle"
	"fmt"
	"reflect"
	"time"
)

// Action says what a borderline finding leads to.
type Action uint8

// Actions. The zero value is ActionReview.
const (
	// ActionReview sends the case to a human reviewer (OutcomeReview).
	ActionReview Action = iota
	// ActionFail refuses the applicant.
	ActionFail
	// ActionIgnore records the reason but lets the case pass.
	ActionIgnore
)

var actionNames = [...]string{"review", "fail", "ignore"}

// String returns "review", "fail" or "ignore".
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// Policy decides how evidence becomes a [Decision]. The zero Policy is usable and
// strict: it requires [LevelRealName], a face match for real-person, and sends lenient
// name matches and address mismatches to review.
type Policy struct {
	// Required is the level the decision must reach to pass. Zero (LevelNone) means
	// LevelRealName: a decision always needs at least a valid, matching document.
	Required Level
	// FaceMatchOptional lets LevelRealPerson be reached on liveness alone, without a
	// face match against the registry photo. This is much weaker (it proves a live
	// person, not the right one) and is meant for hosts whose matcher runs elsewhere;
	// leave it false. A passed memory quiz is always required for LevelHigh.
	FaceMatchOptional bool
	// LenientName is what a name that matches only after lenient folding (separators
	// removed, Latin words reordered) leads to. Default: review.
	LenientName Action
	// TraditionalSimplified equates traditional and simplified Han characters in names
	// (張偉 and 张伟; 乾 and 干), per the Unihan kSimplifiedVariant and
	// kTraditionalVariant data of Unicode 15.0.0. A name that matches only so is a
	// lenient match with reason name_traditional_simplified, which LenientName decides
	// (review by default). Meant for holders of Hong Kong, Macao and Taiwan permits,
	// whose names may be written in traditional characters. Default false: such a name
	// is a mismatch.
	TraditionalSimplified bool
	// AddressMismatch is what a claimed address that does not match leads to.
	// Default: review (addresses are often out of date).
	AddressMismatch Action
	// ReportedLost is what a document the registry reports lost leads to. The zero
	// value here means fail: a card reported lost in someone else's hands is exactly the
	// impersonation the check exists to stop, and the holder who found it again can
	// cancel the report at the issuing office. Set ActionReview to let a reviewer see
	// such cases instead. ActionIgnore is not allowed.
	ReportedLost LostAction
	// MaxAge is how old each factor's evidence may be; see [Freshness] for the defaults.
	MaxAge Freshness
}

// LostAction is what a document reported lost leads to.
type LostAction uint8

// LostAction values. The zero value is LostFail.
const (
	LostFail   LostAction = iota // refuse
	LostReview                   // send to review
)

// Validate reports a policy that cannot be applied, wrapped in [ErrInvalidArgument].
func (p Policy) Validate() error {
	switch {
	case !p.Required.Valid():
		return fmt.Errorf("verify: policy: invalid required level %d: %w", uint8(p.Required), ErrInvalidArgument)
	case p.LenientName > ActionIgnore:
		return fmt.Errorf("verify: policy: invalid LenientName action %d: %w", uint8(p.LenientName), ErrInvalidArgument)
	case p.AddressMismatch > ActionIgnore:
		return fmt.Errorf("verify: policy: invalid AddressMismatch action %d: %w", uint8(p.AddressMismatch), ErrInvalidArgument)
	case p.ReportedLost > LostReview:
		return fmt.Errorf("verify: policy: invalid ReportedLost action %d: %w", uint8(p.ReportedLost), ErrInvalidArgument)
	case p.MaxAge.Document < 0 || p.MaxAge.RealPerson < 0 || p.MaxAge.Memory < 0:
		return fmt.Errorf("verify: policy: negative MaxAge: %w", ErrInvalidArgument)
	}
	return nil
}

// required returns the effective required level.
func (p Policy) required() Level {
	if p.Required == LevelNone {
		return LevelRealName
	}
	return p.Required
}

// maxFutureSkew is how far in the future evidence may be dated (clocks of two servers).
const maxFutureSkew = time.Minute

// Decide combines a document check with the real-person and memory evidence (nil: not
// performed) into a Decision at time now. The rules, in order:
//
//  1. No document check: fail, document_check_missing.
//  2. Evidence whose Subject differs from doc.Subject (or any evidence when
//     doc.Subject is empty) is refused: subject_mismatch, and the decision fails —
//     evidence about another person is never silently ignored. Evidence begun for
//     another document check (CheckID), real-person evidence matched against another
//     photo than doc.PhotoRef, and evidence completed before the document check are
//     refused the same way: evidence_mismatch.
//  3. Evidence older than Policy.MaxAge (or dated more than a minute after now) fails
//     the decision: evidence_stale. The document check is evidence too.
//  4. A failed document check fails with its reasons, and the other evidence is not
//     evaluated. A passing or review document check reaches LevelRealName
//     (real_name_verified).
//  5. Real-person evidence with liveness passed and face match passed (unless
//     FaceMatchOptional), for a record with a photo, raises the level to
//     LevelRealPerson (real_person_verified); otherwise liveness_failed,
//     face_match_failed or photo_unavailable. Evidence that asks for review
//     ([ReviewEvidence]) adds device_risk_review and makes a reached level a review.
//  6. A passed quiz on top of LevelRealPerson raises it to LevelHigh (memory_verified);
//     otherwise quiz_failed.
//  7. If the level is below the required level: fail, with level_not_reached and the
//     reasons of the missing factors (liveness_not_performed, quiz_not_performed). If it
//     is reached: review when the document check asked for review, else pass.
//
// Reasons of optional evidence that failed are reported even when the decision passes
// on the factors that were required. A failed decision (rules 1 to 4) has Level
// LevelNone; one that fails by rule 7 keeps the level it reached. When the outcome is
// review, Level is the level the case reaches if the reviewer accepts it. The decision
// is valid until its oldest evidence stops being fresh (Decision.ValidUntil). Decide does
// not change doc.
//
// A typed nil (for example a nil *liveness.Result or *quiz.Result in the interface) means
// "not performed", exactly like nil; Decide never calls a method on it.
//
// Decide does not seal the decision: only [Checker.Decide] does, and the wallet accepts
// only sealed decisions, so a Decision built by hand or by Policy.Decide alone is refused
// downstream.
func (p Policy) Decide(doc *DocumentResult, rp RealPersonEvidence, mem MemoryEvidence, now time.Time) Decision {
	if isNil(rp) {
		rp = nil
	}
	if isNil(mem) {
		mem = nil
	}
	d := Decision{Required: p.required(), DecidedAt: now}
	if doc == nil {
		d.Reasons = []Reason{ReasonDocumentCheckMissing, ReasonLevelNotReached}
		return d
	}
	d.Kind, d.Subject, d.CheckID, d.person = doc.Kind, doc.Subject, doc.CheckID, doc.person
	reasons := make([]Reason, 0, 8)
	hardFail, reviewAsked := false, false
	add := func(r Reason) {
		if !containsReason(reasons, r) {
			reasons = append(reasons, r)
		}
	}

	// Binding: the same person, the same document check, the same photo, and not
	// before the check it was begun for.
	bound := func(e Evidence) bool {
		switch {
		case !sameSubject(doc.Subject, e.Subject()):
			add(ReasonSubjectMismatch)
		case !sameSubject(doc.CheckID, e.CheckID()) || e.CompletedAt().Before(doc.CheckedAt):
			add(ReasonEvidenceMismatch)
		default:
			return true
		}
		hardFail = true
		return false
	}
	rpOK := rp != nil && bound(rp)
	if rpOK && rp.PhotoRef() != doc.PhotoRef {
		add(ReasonEvidenceMismatch)
		rpOK, hardFail = false, true
	}
	memOK := mem != nil && bound(mem)

	// Freshness: every piece of evidence given, the document check included.
	d.ValidUntil = doc.CheckedAt.Add(p.MaxAge.document())
	d.Evidence = append(d.Evidence, EvidenceRef{Factor: FactorDocument, CompletedAt: doc.CheckedAt, ValidUntil: d.ValidUntil})
	fresh := func(f Factor, at time.Time, maxAge time.Duration) bool {
		until := at.Add(maxAge)
		d.Evidence = append(d.Evidence, EvidenceRef{Factor: f, CompletedAt: at, ValidUntil: until})
		if until.Before(d.ValidUntil) {
			d.ValidUntil = until
		}
		if !now.Before(until) || at.Sub(now) > maxFutureSkew {
			add(ReasonEvidenceStale)
			hardFail = true
			return false
		}
		return true
	}
	if !now.Before(d.ValidUntil) || doc.CheckedAt.Sub(now) > maxFutureSkew {
		add(ReasonEvidenceStale)
		hardFail = true
	}
	if rpOK {
		rpOK = fresh(FactorRealPerson, rp.CompletedAt(), p.MaxAge.realPerson())
		if ce, ok := rp.(ConsentEvidence); ok {
			d.Evidence[len(d.Evidence)-1].Consent = ce.ConsentID()
		}
	}
	if memOK {
		memOK = fresh(FactorMemory, mem.CompletedAt(), p.MaxAge.memory())
	}

	level := LevelNone
	docFailed := false
	switch {
	case doc.Kind.Valid() && !doc.Kind.IdentityEvidence():
		reasons = append(reasons, ReasonNotIdentityEvidence)
		hardFail, docFailed = true, true
	case doc.Outcome == OutcomePass || doc.Outcome == OutcomeReview:
		level = LevelRealName
		reasons = append(reasons, ReasonRealNameVerified)
		reasons = append(reasons, doc.Reasons...)
	default:
		reasons = append(reasons, doc.Reasons...)
		if len(doc.Reasons) == 0 { // a hand-made result without reasons
			reasons = append(reasons, ReasonDocumentStatusUnknown)
		}
		hardFail, docFailed = true, true
	}
	if docFailed {
		// Nothing else can decide: further evidence about a failed document is not
		// evaluated (its binding was still checked above).
		rpOK, memOK = false, false
	}

	if rpOK {
		switch {
		case !rp.LivenessPassed():
			reasons = append(reasons, ReasonLivenessFailed)
		case !p.FaceMatchOptional && !rp.FaceMatchPassed():
			reasons = append(reasons, ReasonFaceMatchFailed)
		case !p.FaceMatchOptional && !doc.HasPhoto:
			reasons = append(reasons, ReasonPhotoUnavailable)
		case level == LevelRealName:
			level = LevelRealPerson
			reasons = append(reasons, ReasonRealPersonVerified)
			if rp.FaceMatchPassed() && doc.HasPhoto {
				d.Pathway = PathwayBiometric
			}
			if re, ok := rp.(ReviewEvidence); ok && re.NeedsReview() {
				reasons = append(reasons, ReasonDeviceRiskReview)
				reviewAsked = true
			}
		}
	} else if rp == nil && !docFailed && d.Required >= LevelRealPerson {
		reasons = append(reasons, ReasonLivenessNotPerformed)
	}

	if memOK {
		switch {
		case !mem.QuizPassed():
			reasons = append(reasons, ReasonQuizFailed)
		default:
			reasons = append(reasons, ReasonMemoryVerified)
			if level == LevelRealPerson {
				level = LevelHigh
			}
		}
	} else if mem == nil && !docFailed && d.Required >= LevelHigh {
		reasons = append(reasons, ReasonQuizNotPerformed)
	}

	if hardFail {
		level = LevelNone
		d.Pathway = PathwayNone
	}
	d.Level = level
	switch {
	case hardFail:
		d.Outcome = OutcomeFail
	case level < d.Required:
		d.Outcome = OutcomeFail
		reasons = append(reasons, ReasonLevelNotReached)
	case doc.Outcome == OutcomeReview || reviewAsked:
		d.Outcome = OutcomeReview
	default:
		d.Outcome = OutcomePass
	}
	if d.Outcome == OutcomeFail && level < d.Required && !containsReason(reasons, ReasonLevelNotReached) {
		reasons = append(reasons, ReasonLevelNotReached)
	}
	d.Reasons = reasons
	return d
}

func containsReason(rs []Reason, r Reason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// sameSubject compares subject bindings in constant time; an empty binding never matches.
func sameSubject(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// isNil reports whether v is nil or an interface holding a nil pointer, map, slice,
// function or channel.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

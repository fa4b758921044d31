package verify

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/trustid/trustid/verify/idcard"
)

// Level is the identity assurance level a [Decision] reached. Levels are ordered: a
// higher level includes every lower one, so Level values can be compared with < and >=.
type Level uint8

// Assurance levels, weakest first. See the package documentation for how they map onto
// NIST SP 800-63A and eIDAS.
const (
	// LevelNone: nothing was established.
	LevelNone Level = iota
	// LevelRealName (实名): name and document number match the registry and the
	// document is valid.
	LevelRealName
	// LevelRealPerson (实人): LevelRealName plus a passed liveness check and a passed
	// face match against the registry photo.
	LevelRealPerson
	// LevelHigh: LevelRealPerson plus a passed memory quiz.
	LevelHigh
)

var levelNames = [...]string{"none", "real-name", "real-person", "high"}

// String returns "none", "real-name", "real-person" or "high".
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("Level(%d)", uint8(l))
}

// Valid reports whether l is one of the defined levels.
func (l Level) Valid() bool { return int(l) < len(levelNames) }

// MarshalText encodes l as its String form.
func (l Level) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, fmt.Errorf("verify: invalid level %d: %w", uint8(l), ErrInvalidArgument)
	}
	return []byte(l.String()), nil
}

// UnmarshalText decodes the String form of a level.
func (l *Level) UnmarshalText(b []byte) error {
	for i, n := range levelNames {
		if string(b) == n {
			*l = Level(i)
			return nil
		}
	}
	return fmt.Errorf("verify: unknown level: %w", ErrInvalidArgument)
}

// Outcome is the result of a [Decision]. The zero value is OutcomeFail, so a Decision that
// was never filled in does not pass.
type Outcome uint8

// Outcomes.
const (
	// OutcomeFail: the applicant is refused; Decision.Reasons says why.
	OutcomeFail Outcome = iota
	// OutcomePass: the required level was reached and no rule asked for review.
	OutcomePass
	// OutcomeReview: neither a clear pass nor a clear fail; a human reviewer decides
	// (see verify/review).
	OutcomeReview
)

var outcomeNames = [...]string{"fail", "pass", "review"}

// String returns "fail", "pass" or "review".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// MarshalText encodes o as its String form.
func (o Outcome) MarshalText() ([]byte, error) {
	if int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("verify: invalid outcome %d: %w", uint8(o), ErrInvalidArgument)
	}
	return []byte(o.String()), nil
}

// UnmarshalText decodes the String form of an outcome.
func (o *Outcome) UnmarshalText(b []byte) error {
	for i, n := range outcomeNames {
		if string(b) == n {
			*o = Outcome(i)
			return nil
		}
	}
	return fmt.Errorf("verify: unknown outcome: %w", ErrInvalidArgument)
}

// CredentialKind is the kind of an official credential (证照). The zero value is invalid.
type CredentialKind uint8

// Credential kinds, the eight kinds of the credential wallet (证照卡包).
const (
	// KindIDCard: resident identity card (居民身份证), GB 11643 number.
	KindIDCard CredentialKind = iota + 1
	// KindPassport: passport of the People's Republic of China (护照).
	KindPassport
	// KindHKMacaoPermit: Mainland travel permit for Hong Kong and Macao (往来港澳通行证).
	KindHKMacaoPermit
	// KindTaiwanPermit: Mainland travel permit for Taiwan (往来台湾通行证).
	KindTaiwanPermit
	// KindHouseholdRegister: household register (户口簿).
	KindHouseholdRegister
	// KindResidencePermit: residence permit (居住证), including the residence permits for
	// Hong Kong, Macao and Taiwan residents.
	KindResidencePermit
	// KindDriverLicence: motor vehicle driving licence (机动车驾驶证).
	KindDriverLicence
	// KindVehicleLicence: motor vehicle licence (机动车行驶证).
	KindVehicleLicence
)

var kindNames = [...]string{"", "id-card", "passport", "hk-macao-permit", "taiwan-permit",
	"household-register", "residence-permit", "driver-licence", "vehicle-licence"}

// String returns the kind's short name, e.g. "id-card" or "hk-macao-permit".
func (k CredentialKind) String() string {
	if k.Valid() {
		return kindNames[k]
	}
	return fmt.Sprintf("CredentialKind(%d)", uint8(k))
}

// Valid reports whether k is one of the defined kinds.
func (k CredentialKind) Valid() bool { return k >= KindIDCard && int(k) < len(kindNames) }

// MarshalText encodes k as its String form.
func (k CredentialKind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("verify: invalid credential kind %d: %w", uint8(k), ErrInvalidArgument)
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes the String form of a credential kind.
func (k *CredentialKind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if i > 0 && string(b) == n {
			*k = CredentialKind(i)
			return nil
		}
	}
	return fmt.Errorf("verify: unknown credential kind: %w", ErrInvalidArgument)
}

// RealPersonEvidence is the result of the real-person check (实人核验).
// *liveness.Result implements it.
type RealPersonEvidence interface {
	Evidence
	// PhotoRef is the reference photo the face was matched against; it must equal
	// [DocumentResult.PhotoRef].
	PhotoRef() string
	// LivenessPassed reports whether the liveness challenge was passed.
	LivenessPassed() bool
	// FaceMatchPassed reports whether the face matched the registry photo above the
	// calibrated threshold.
	FaceMatchPassed() bool
}

// MemoryEvidence is the result of the memory check (动态问卷). *quiz.Result implements it.
type MemoryEvidence interface {
	Evidence
	// QuizPassed reports whether the quiz was passed.
	QuizPassed() bool
}

// Decision is the combined result of the evidence: the level reached, the outcome and a
// reason for every rule that decided. It holds no personal data.
type Decision struct {
	// Outcome is pass, fail or review.
	Outcome Outcome
	// Level is the highest level the evidence established (it may be below the
	// required level, in which case Outcome is not pass).
	Level Level
	// Required is the level the policy required.
	Required Level
	// Reasons lists, in a stable order, a code for every rule that decided. A failed or
	// review decision always has at least one reason that is not a success code.
	Reasons []Reason
	// Kind is the credential kind of the document check.
	Kind CredentialKind
	// Subject is the person binding of the document check ([DocumentResult.Subject]):
	// an HMAC of the person's canonical identity, whatever kind was claimed.
	Subject string
	// CheckID is the document check the decision rests on.
	CheckID string
	// DecidedAt is the time of the decision, from Config.Now.
	DecidedAt time.Time
	// ValidUntil is when the decision's oldest evidence stops being fresh enough (see
	// [Freshness]); a decision must not be relied on from then on. Zero for a decision
	// without a document check.
	ValidUntil time.Time
	// Evidence lists what the decision rests on, factor by factor.
	Evidence []EvidenceRef
	// Pathway is the SP 800-63A-4 §4.2.6 verification pathway that bound the applicant to
	// the evidence: [PathwayBiometric] when the real-person check's face match decided
	// LevelRealPerson, else none (see [Decision.IAL]).
	Pathway Pathway
	// Fraud lists the fraud checks run at the decision (Config.FraudChecks), each with
	// its finding and the action taken (SP 800-63A-4 §3.2.1).
	Fraud []FraudFinding
	// Referee is set on a decision made by a reviewer acting as a trusted referee
	// (NIST SP 800-63A-4 §3.15), see package verify/review; nil otherwise.
	Referee *Referee
	// Token is the decision sealed by the [Checker] that made it (see
	// [DecisionSealer]): what a host hands to the wallet, or to another server. Empty
	// for a decision made by [Policy.Decide] alone, which nothing downstream accepts.
	Token string
	// person is the canonical identity of the document check's person (see
	// [Decision.IsPerson]); sealed with the decision, never printed or marshalled.
	person string
}

// IsPerson reports whether the decision is about the holder of the identity number
// idNumber (a resident ID number in its 18- or 15-digit form, a Hong Kong, Macao or
// Taiwan residence permit number or a foreign permanent residence number, in any
// spelling [NormalizeNumber] folds). It compares canonical forms in constant time. It is
// false for a decision about a person known only by a passport or permit number, and
// for a decision that did not come from a document check.
func (d Decision) IsPerson(idNumber string) bool {
	if d.person == "" || len(idNumber) > MaxNumberBytes || !cleanText(idNumber) {
		return false
	}
	n, err := idcard.ParseWith(NormalizeNumber(idNumber), idcard.Options{LooseRegion: true, Now: maxTime})
	if err != nil {
		return false
	}
	return sameSubject(d.person, "id:"+n.Digits())
}

// Referee records a reviewer's decision on a case: who decided, when, and why.
type Referee struct {
	// Reviewer is the host's identifier of the reviewer (a staff ID, not a name).
	Reviewer string `json:"reviewer"`
	// Case is the review case the decision was made on.
	Case string `json:"case"`
	// Rationale is the reviewer's reasons, as codes.
	Rationale []Reason `json:"rationale"`
	// DecidedAt is when the reviewer decided.
	DecidedAt time.Time `json:"decided_at"`
}

// Passed reports whether the outcome is pass.
func (d Decision) Passed() bool { return d.Outcome == OutcomePass }

// Has reports whether r is among the decision's reasons.
func (d Decision) Has(r Reason) bool {
	for _, x := range d.Reasons {
		if x == r {
			return true
		}
	}
	return false
}

// String returns a one-line summary such as "fail level=none required=real-name
// reasons=[record_not_found]". It holds no personal data.
func (d Decision) String() string {
	var b strings.Builder
	b.WriteString(d.Outcome.String())
	b.WriteString(" level=")
	b.WriteString(d.Level.String())
	b.WriteString(" required=")
	b.WriteString(d.Required.String())
	b.WriteString(" reasons=[")
	for i, r := range d.Reasons {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(r))
	}
	b.WriteByte(']')
	return b.String()
}

// GoString returns a Go-syntax representation with the subject binding masked, so that
// %#v shows nothing a host may have put into Subject.
func (d Decision) GoString() string {
	return fmt.Sprintf("verify.Decision{Outcome:%d /* %s */, Level:%d /* %s */, Required:%d, Reasons:%#v, Kind:%d, Subject:%q, DecidedAt:%s}",
		d.Outcome, d.Outcome, d.Level, d.Level, d.Required, d.Reasons, d.Kind, maskSubject(d.Subject), d.DecidedAt.Format(time.RFC3339))
}

// LogValue logs the outcome, levels, kind and reasons (not the subject binding).
func (d Decision) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("outcome", d.Outcome.String()),
		slog.String("level", d.Level.String()),
		slog.String("required", d.Required.String()),
		slog.String("kind", d.Kind.String()),
		slog.Any("reasons", d.Reasons),
	)
}

package verify

import "fmt"

// IAL is an identity assurance level of NIST SP 800-63A-4 (2025) that a [Decision]'s
// evidence supports; see the package documentation's "Assurance levels" for the mapping.
type IAL uint8

// Identity assurance levels of SP 800-63A-4, weakest first.
const (
	// IALNone: no identity proofing in the sense of SP 800-63A-4 — the applicant was
	// not verified against the evidence (the real-name level validates a claim against
	// the registry but binds no person to it).
	IALNone IAL = iota
	// IAL1 (SP 800-63A-4 §4.1): evidence validated with its issuing source and the
	// applicant verified against it.
	IAL1
	// IAL2 (§4.2): IAL1's steps with STRONG or SUPERIOR evidence, verification by one of
	// the pathways of §4.2.6 and the fraud controls of §3.2. The library never reports
	// it alone: see [Decision.IAL].
	IAL2
	// IAL3 (§4.3) is on-site attended proofing with trained inspection of the physical
	// evidence: never reached by a remote journey.
	IAL3
)

var ialNames = [...]string{"none", "IAL1", "IAL2", "IAL3"}

// String returns "none", "IAL1", "IAL2" or "IAL3".
func (l IAL) String() string {
	if int(l) < len(ialNames) {
		return ialNames[l]
	}
	return fmt.Sprintf("IAL(%d)", uint8(l))
}

// Pathway is the verification pathway of SP 800-63A-4 §4.2.6 by which a decision bound
// the applicant to the evidence. The zero value means none: the applicant was not
// verified (the real-name level, or a journey without a face match).
type Pathway string

// Verification pathways.
const (
	// PathwayNone: no verification step decided the level.
	PathwayNone Pathway = ""
	// PathwayBiometric: automated comparison of the applicant's live face with the
	// portrait of the issuing source's record (the real-person check's face match).
	PathwayBiometric Pathway = "biometric"
	// PathwayNonBiometric: for example an enrolment code sent to a validated address,
	// or a trusted referee's visual comparison. Decide never sets it; a host process
	// that verifies so records it itself.
	PathwayNonBiometric Pathway = "non_biometric"
	// PathwayDigitalEvidence: the applicant authenticated with digital evidence (for
	// example a signed chip read or a federated credential). Decide never sets it.
	PathwayDigitalEvidence Pathway = "digital_evidence"
)

// IAL returns the SP 800-63A-4 assurance level the decision's evidence supports, from
// the library's own evidence only:
//
//   - a decision that did not pass (fail or review) supports none;
//   - LevelRealName supports none: the claim was validated with the registry, but no
//     applicant was verified against it;
//   - LevelRealPerson or LevelHigh with [PathwayBiometric] supports IAL1: evidence
//     validated with its issuing source, the applicant verified by biometric comparison
//     with its portrait. IAL2 also needs STRONG or SUPERIOR evidence collected from the
//     applicant (for example the ID card's chip read and its signature checked), the
//     biometric performance bars of §3.11 and the injection defences of §3.14, which the
//     library measures or enforces but cannot see from a decision; a host that meets
//     them may rely on IAL2 for a decision whose Pathway is biometric.
//
// The memory quiz never counts: SP 800-63A-4 §2.5.1 forbids knowledge-based
// verification, so LevelHigh supports exactly what LevelRealPerson does (the quiz is a
// fraud-management signal, §3.2.1). IAL3 is never reported.
func (d Decision) IAL() IAL {
	if d.Outcome != OutcomePass || d.Level < LevelRealPerson || d.Pathway != PathwayBiometric {
		return IALNone
	}
	return IAL1
}

// ConsentEvidence is implemented by real-person evidence that records the biometric
// consent it was collected under (*liveness.Result). Decide copies the consent's
// reference into the real-person [EvidenceRef].
type ConsentEvidence interface {
	// ConsentID is the host's reference of the consent that covered the biometric step.
	ConsentID() string
}

// ReviewEvidence is implemented by real-person evidence that may pass with a finding a
// person should look at (*liveness.Result: a device risk its policy sends to review).
// Decide turns such a pass into [OutcomeReview] with [ReasonDeviceRiskReview].
type ReviewEvidence interface {
	NeedsReview() bool
}

// ReasonDeviceRiskReview: the real-person check passed on a device with a risk signal
// (for example a rooted phone) that the host's policy sends to review (SP 800-63A-4
// §3.2.1 fraud management, §3.14 injection defences).
const ReasonDeviceRiskReview Reason = "device_risk_review"

func init() {
	reasonTexts[ReasonDeviceRiskReview] = reasonText{"实人核验设备存在风险，需人工复核。",
		"The device used for the face check shows a risk signal; a reviewer will check it."}
}

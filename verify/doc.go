// Package verify checks a claimed identity against the host's authoritative registry
// (人证核验) and combines the three factors of the "Internet + trusted identity" model —
// the document check, the real-person check and the memory check — into a [Decision]:
// an assurance [Level], an [Outcome] (pass, fail or review) and machine-readable [Reason]
// codes for every rule that decided.
//
// The evidence of the other two factors is consumed through the small interfaces
// [RealPersonEvidence] (implemented by *liveness.Result) and [MemoryEvidence]
// (implemented by *quiz.Result); verify imports neither package.
package verify
